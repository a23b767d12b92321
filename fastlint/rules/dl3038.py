"""DL3038: Use the -y switch to avoid manual input `dnf install -y <package>`."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import Edit, InstructionRule
from ..parser.shell import command_node, run_commands, word_end

SUBCOMMANDS = ("install", "groupinstall", "localinstall")


@register
class DL3038(InstructionRule):
    code = "DL3038"
    level = "warning"
    message = "Use the -y switch to avoid manual input `dnf install -y <package>`"
    name = "dnf-assume-yes"
    fix_safety = "safe"
    needs_instructions = ("RUN",)
    needs_words = ("dnf",)

    def check(self, ins):
        if ins.keyword != "RUN":
            return
        for cmd in run_commands(ins):
            if cmd.is_("dnf", "microdnf") and cmd.has_args(*SUBCOMMANDS) and not cmd.has_flag("y", "assumeyes"):
                yield self.hit(command_node(ins, cmd), fix=self._fix(ins, cmd))
                return

    def _fix(self, ins, cmd):
        """``dnf install -y``. Safe: without it dnf asks for a confirmation that never comes and the build stops
        (or, where dnf.conf already says assumeyes, nothing changes)."""
        word = next((a for a in cmd.args if a.text in SUBCOMMANDS), None)
        at = word_end(ins, cmd, word) if word is not None else None
        if at is None:
            return None
        return self.fix(Edit(at, at, " -y"), description="add -y")
