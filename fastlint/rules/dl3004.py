"""DL3004: Do not use sudo."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.run import hit_command, shell_of


@register
class DL3004(InstructionRule):
    code = "DL3004"
    level = "error"
    message = "Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root"
    name = "no-sudo"
    needs_instructions = ("RUN",)
    needs_words = ("sudo",)

    def check(self, ins):
        sh = shell_of(ins)
        if sh is None:
            return
        for cmd in sh.find("sudo"):
            yield hit_command(self, ins, sh, cmd)
            return
