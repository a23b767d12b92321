"""DL3035: Do not use `zypper dist-upgrade`."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from ..parser.shell import command_node, run_commands


@register
class DL3035(InstructionRule):
    code = "DL3035"
    level = "warning"
    message = "Do not use `zypper dist-upgrade`."
    name = "zypper-dist-upgrade"
    needs_instructions = ("RUN",)
    needs_words = ("zypper",)

    def check(self, ins):
        if ins.keyword != "RUN":
            return
        for cmd in run_commands(ins):
            if cmd.is_("zypper") and cmd.has_args("dist-upgrade", "dup"):
                yield self.hit(command_node(ins, cmd))
                return
