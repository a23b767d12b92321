"""DL3034: Non-interactive switch missing from `zypper` command: `zypper install -y`."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import Edit, InstructionRule
from ..parser.shell import command_node, run_commands, word_end

SUBCOMMANDS = ("install", "in", "remove", "rm", "source-install", "si", "patch")


@register
class DL3034(InstructionRule):
    code = "DL3034"
    level = "warning"
    message = "Non-interactive switch missing from `zypper` command: `zypper install -y`"
    name = "zypper-non-interactive"
    fix_safety = "safe"
    needs_instructions = ("RUN",)
    needs_words = ("zypper",)

    def check(self, ins):
        if ins.keyword != "RUN":
            return
        for cmd in run_commands(ins):
            if (cmd.is_("zypper") and cmd.has_args(*SUBCOMMANDS)
                    and not cmd.has_flag("non-interactive", "n", "no-confirm", "y")):
                yield self.hit(command_node(ins, cmd), fix=self._fix(ins, cmd))
                return

    def _fix(self, ins, cmd):
        """``zypper -n install``: the global non-interactive switch, valid for every subcommand. Safe: without
        it zypper waits for an answer that never comes and the build stops; with it the build installs what
        the line asks for (and nothing changes where zypper was already configured not to ask)."""
        at = word_end(ins, cmd, cmd.name_word) if cmd.name_word else None
        if at is None:
            return None
        return self.fix(Edit(at, at, " -n"), description="add zypper's non-interactive switch -n")
