"""DL3001: commands that make no sense in a Docker container (ssh, vim, shutdown, service, ps, ...)."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.run import hit_command, shell_of

# hadolint's list (its message also names ifconfig, which its check does not look for; neither does this one)
INVALID = ("free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim")


@register
class DL3001(InstructionRule):
    code = "DL3001"
    level = "info"
    message = ("For some bash commands it makes no sense running them in a Docker container like `ssh`, `vim`, "
               "`shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`, `ifconfig`")
    name = "pointless-command"
    needs_instructions = ("RUN",)

    def check(self, ins):
        sh = shell_of(ins)
        if sh is None:
            return
        for cmd in sh.commands:
            if cmd.is_(*INVALID):
                yield hit_command(self, ins, sh, cmd)
                return


