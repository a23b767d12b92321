"""DL3067: Do not copy an entire filesystem from another stage."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule


@register
class DL3067(InstructionRule):
    code = "DL3067"
    level = "warning"
    message = "Do not copy an entire filesystem from another stage"
    name = "copy-entire-filesystem"
    needs_instructions = ("COPY",)

    def check(self, ins):
        if ins.keyword != "COPY" or ins.flag_value("from") is None:
            return
        paths = list(ins.value) if ins.json else [w.text for w in ins.words]
        if len(paths) < 2:
            return
        sources, dest = paths[:-1], paths[-1]
        if dest.strip("\"'") == "/" and any(s.strip("\"'") == "/" for s in sources):
            yield self.hit(ins)
