"""DL3003: Use WORKDIR to switch to a directory."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.run import hit_command, shell_of


@register
class DL3003(InstructionRule):
    code = "DL3003"
    level = "warning"
    message = "Use WORKDIR to switch to a directory"
    name = "use-workdir"
    needs_instructions = ("RUN",)

    def check(self, ins):
        sh = shell_of(ins)
        if sh is None:
            return
        for cmd in sh.find("cd"):
            yield hit_command(self, ins, sh, cmd)
            return
