"""DL3062: Pin versions in go. Instead of `go install <package>` use `go install <package>@<version>`."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from ..parser.shell import command_node, run_commands


def go_packages(cmd) -> list[str]:
    """The packages of ``go install``/``go get`` (every argument) and ``go run`` (the first one; the rest are
    the program's arguments)."""
    args = cmd.args_no_flags()
    if not args:
        return []
    if args[0] == "run":
        return args[1:2]
    if args[0] in ("install", "get"):
        return [a for a in args[1:] if a != "tool"]
    return []


def pinned(package: str) -> bool:
    """A local path (``.``, ``./cmd``, ``/src/app``, ``main.go``) needs no version; a module path needs
    ``@version`` other than ``@latest`` or ``@none``."""
    if package.startswith((".", "/")) or package.endswith(".go"):
        return True
    return "@" in package and not package.endswith(("@latest", "@none"))


@register
class DL3062(InstructionRule):
    code = "DL3062"
    level = "warning"
    message = "Pin versions in go. Instead of `go install <package>` use `go install <package>@<version>`"
    name = "go-version-pinning"
    needs_instructions = ("RUN",)
    needs_words = ("go",)

    def check(self, ins):
        if ins.keyword != "RUN":
            return
        for cmd in run_commands(ins):
            if cmd.is_("go") and not all(pinned(p) for p in go_packages(cmd)):
                yield self.hit(command_node(ins, cmd))
                return
