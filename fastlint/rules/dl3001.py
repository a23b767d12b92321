"""DL3001: commands that make no sense in a Docker container (ssh, vim, shutdown, service, ps, ...)."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from ..parser.shell import run_shell

# hadolint's list (its message also names ifconfig, which its check does not look for; neither does this one)
INVALID = ("free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim")


@register
class DL3001(InstructionRule):
    code = "DL3001"
    level = "info"
    message = ("For some bash commands it makes no sense running them in a Docker container like `ssh`, `vim`, "
               "`shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`, `ifconfig`")
    name = "pointless-command"

    def check(self, ins):
        sh = run_shell(ins)
        if sh is None:
            return
        for cmd in sh.commands:
            if cmd.is_(*INVALID):
                yield hit_command(self, ins, sh, cmd)
                return


def hit_command(rule, ins, sh, cmd, word=None):
    """A hit on a command (or one of its words) of a RUN, or on the instruction when it has no exact place."""
    from ..engine.rule import Hit

    span = sh.span(word if word is not None else cmd)
    if span is None:
        return rule.hit(ins)
    return Hit(span[0], span[1])
