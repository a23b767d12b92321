"""DL3037: Specify version with `zypper install -y <package>=<version>`."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from ..parser.shell import command_node, run_commands


def pinned(package: str) -> bool:
    """``name=1.2``, ``name>=1.2``, ``name<1.2`` (and the other comparisons) or an ``.rpm`` file."""
    return any(op in package for op in ("=", "<", ">")) or package.endswith(".rpm")


@register
class DL3037(InstructionRule):
    code = "DL3037"
    level = "warning"
    message = "Specify version with `zypper install -y <package>=<version>`."
    name = "zypper-version-pinning"
    needs_instructions = ("RUN",)
    needs_words = ("zypper",)

    def check(self, ins):
        if ins.keyword != "RUN":
            return
        for cmd in run_commands(ins):
            if not (cmd.is_("zypper") and cmd.has_args("install", "in")):
                continue
            packages = [a for a in cmd.args_no_flags() if a not in ("install", "in")]
            if not all(pinned(p) for p in packages):
                yield self.hit(command_node(ins, cmd))
                return
