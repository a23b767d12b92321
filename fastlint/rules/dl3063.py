"""DL3063: stage name should not be a reserved word."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.twins import RESERVED


@register
class DL3063(InstructionRule):
    code = "DL3063"
    level = "warning"
    message = "stage name should not be a reserved word"
    name = "reserved-stage-name"

    def check(self, ins):
        if ins.keyword != "FROM" or ins.parent is not None or ins.stage is None or ins.stage.name is None:
            return
        if ins.stage.name.lower() in RESERVED:
            node = ins.words[2] if len(ins.words) >= 3 else ins
            yield self.hit(node, f"stage name should not be a reserved word: `{ins.stage.name}`")
