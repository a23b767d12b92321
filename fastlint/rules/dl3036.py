"""DL3036: `zypper clean` missing after zypper use."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.run import cleanup_rule_check


@register
class DL3036(InstructionRule):
    code = "DL3036"
    level = "warning"
    message = "`zypper clean` missing after zypper use."
    name = "zypper-clean"
    fix_safety = "unsafe"
    needs_instructions = ("RUN",)
    needs_words = ("zypper",)

    def check(self, ins):
        if ins.keyword != "RUN":
            return
        hit = cleanup_rule_check(
            self, ins,
            lambda c: c.is_("zypper") and c.has_args("install", "in"),
            lambda c: c.is_("zypper") and c.has_args("clean", "cc"),
            ("/var/cache/zypp",),
            "zypper clean",
        )
        if hit is not None:
            yield hit
