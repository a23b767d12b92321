"""DL3043: `ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule


@register
class DL3043(InstructionRule):
    code = "DL3043"
    level = "error"
    message = "`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction."
    name = "onbuild-forbidden-trigger"
    needs_instructions = ("ONBUILD",)

    def check(self, ins):
        if ins.keyword != "ONBUILD" or ins.parent is not None or ins.sub is None:
            return
        if ins.sub.keyword in ("ONBUILD", "FROM", "MAINTAINER"):
            yield self.hit(ins)
