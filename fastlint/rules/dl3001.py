"""DL3001: commands that make no sense in a Docker container (ssh, vim, shutdown, service, ps, ...)."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from ..parser.shell import run_commands, source_span

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
        sh = shell_of(ins)
        if sh is None:
            return
        for cmd in sh.commands:
            if cmd.is_(*INVALID):
                yield hit_command(self, ins, sh, cmd)
                return


class RunCommands:
    """The simple commands of a RUN instruction (``fastlint.parser.shell.run_commands``: the shell-form text,
    the exec form read as one command line, heredoc bodies a shell runs), with their places in the source."""

    def __init__(self, ins):
        self.ins = ins
        self.commands = run_commands(ins)

    def find(self, *names: str) -> list:
        return [c for c in self.commands if c.is_(*names)]

    def span(self, node) -> tuple[int, int] | None:
        """Source offsets of a command or one of its words (None in the exec form, or when not mappable)."""
        for c in self.commands:
            if node is c or node is c.name_word or any(node is a for a in c.args):
                return source_span(self.ins, c, node.start, node.end)
        return None


def shell_of(ins) -> RunCommands | None:
    """The commands of a RUN (also the RUN inside ONBUILD); None for any other instruction."""
    return RunCommands(ins) if ins.keyword == "RUN" else None


def hit_command(rule, ins, sh, cmd, word=None):
    """A hit on a command (or one of its words) of a RUN, or on the instruction when it has no exact place."""
    from ..engine.rule import Hit

    span = sh.span(word if word is not None else cmd)
    if span is None:
        return rule.hit(ins)
    return Hit(span[0], span[1])
