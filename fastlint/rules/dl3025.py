"""DL3025: Use arguments JSON notation for CMD and ENTRYPOINT arguments."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.twins import exec_form


@register
class DL3025(InstructionRule):
    code = "DL3025"
    level = "warning"
    message = "Use arguments JSON notation for CMD and ENTRYPOINT arguments"
    name = "json-cmd"
    fix_safety = "unsafe"
    needs_instructions = ("CMD", "ENTRYPOINT", "HEALTHCHECK")

    def check(self, ins):
        if ins.json or not ins.value:
            return
        if ins.keyword in ("CMD", "ENTRYPOINT"):
            yield self.hit(ins, fix=self._fix(ins, ins.value[0], ins.args_start))
        elif ins.keyword == "HEALTHCHECK" and ins.value[0].upper() == "CMD" and len(ins.value) > 1:
            # HEALTHCHECK CMD takes the same two forms (hadolint checks it too)
            if len(ins.words) >= 2:
                yield self.hit(ins, fix=self._fix(ins, ins.value[1], ins.words[1].start))

    def _fix(self, ins, script: str, start: int):
        edit = exec_form(ins, script, start)
        return self.fix(edit, description="rewrite in exec form") if edit else None
