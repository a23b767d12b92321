"""DL3040: `dnf clean all` missing after dnf command."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from ..parser.shell import run_commands
from .lib.packages import VALUE_OPTIONS
from .lib.run import cleanup_rule_check

INSTALLS = ("install", "in", "upgrade", "up", "upgrade-minimal", "up-min", "reinstall", "rei")
# dnf 5 keeps its cache in /var/cache/libdnf5, dnf 4 in /var/cache/dnf, yum and microdnf in /var/cache/yum
CACHES = ("/var/cache/libdnf5", "/var/cache/dnf", "/var/cache/yum", ".cache/libdnf5")


def cleans(cmd, program: str) -> bool:
    """``dnf clean all`` (or ``packages``; options may come first: ``dnf --installroot /x clean all``), or an
    ``rm`` of the cache folders (or a folder above them)."""
    if cmd.is_(program):
        return cmd.subcommand(VALUE_OPTIONS["dnf"]) == "clean" and cmd.has_args("all", "packages")
    return cmd.removes(*CACHES[:3])  # rm of the cache folders, or of /var/cache


@register
class DL3040(InstructionRule):
    code = "DL3040"
    level = "warning"
    message = "`dnf clean all` missing after dnf command."
    name = "dnf-clean"
    fix_safety = "unsafe"
    needs_instructions = ("RUN",)
    needs_words = ("dnf",)

    def check(self, ins):
        if ins.keyword != "RUN":
            return
        for program in ("dnf", "microdnf"):
            if not any(c.is_(program) for c in run_commands(ins)):
                continue
            hit = cleanup_rule_check(
                self, ins,
                lambda c, p=program: c.is_(p) and c.has_args(*INSTALLS),
                lambda c, p=program: cleans(c, p),
                CACHES,
                f"{program} clean all",
            )
            if hit is not None:
                yield hit
                return
