"""DL4005: Use SHELL to change the default shell."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from ..parser.shell import command_node, run_commands


@register
class DL4005(InstructionRule):
    code = "DL4005"
    level = "warning"
    message = "Use SHELL to change the default shell"
    name = "ln-bin-sh"
    needs_instructions = ("RUN",)

    def check(self, ins):
        if ins.keyword != "RUN":
            return
        for cmd in run_commands(ins):
            if cmd.is_("ln") and "/bin/sh" in cmd.args_no_flags():
                yield self.hit(command_node(ins, cmd))
                return
