"""DL3024: FROM aliases (stage names) must be unique."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule


@register
class DL3024(InstructionRule):
    code = "DL3024"
    level = "error"
    message = "FROM aliases (stage names) must be unique"
    name = "unique-stage-names"

    def check(self, ins):
        if ins.keyword != "FROM" or ins.stage is None or not ins.stage.name:
            return
        first = self.ctx.df.stage_named(ins.stage.name)  # BuildKit compares stage names without case
        if first is not None and first.index < ins.stage.index:
            yield self.hit(ins.words[2] if len(ins.words) >= 3 else ins)
