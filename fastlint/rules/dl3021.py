"""DL3021: COPY with more than 2 arguments requires the last argument to end with /."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import Edit, InstructionRule
from .lib.files import drop_quotes


@register
class DL3021(InstructionRule):
    code = "DL3021"
    level = "error"
    message = "COPY with more than 2 arguments requires the last argument to end with /"
    name = "copy-dest-slash"
    fix_safety = "safe"
    needs_instructions = ("COPY",)

    def check(self, ins):
        if ins.keyword != "COPY" or len(ins.value) < 3:
            return
        dest = drop_quotes(ins.value[-1])
        if dest.endswith("/"):
            return
        yield self.hit(ins.words[-1] if ins.words else ins, fix=self._fix(ins))

    def _fix(self, ins):
        """Append ``/`` to the destination. Safe: with several sources the destination can only be a folder
        (BuildKit copies them into it, or rejects the build), so the image does not change."""
        if not ins.words or len(ins.words) != len(ins.value):
            return None
        word = ins.words[-1]
        raw = word.raw
        at = word.end - 1 if len(raw) >= 2 and raw[0] in "\"'" and raw[-1] == raw[0] else word.end
        return self.fix(Edit(at, at, "/"), description="end the destination with /")
