"""DL3061: Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule


@register
class DL3061(InstructionRule):
    code = "DL3061"
    level = "error"
    message = "Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment."
    name = "instruction-before-from"

    def check(self, ins):
        if ins.parent is None and ins.stage is None and ins.keyword not in ("FROM", "ARG"):
            yield self.hit(ins)
