"""DL3036: `zypper clean` missing after zypper use."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import Edit, InstructionRule
from ..parser.shell import append_point, cache_mount_covers, command_node, run_commands


def last_index(commands, pred) -> int:
    """Index of the last command matching ``pred``, or -1."""
    found = -1
    for i, c in enumerate(commands):
        if pred(c):
            found = i
    return found


def cleanup_rule_check(rule, ins, is_install, is_clean, cache_paths, clean_text):
    """The shared shape of the "clean the package cache" rules: an install with no clean after the last install
    (in the same RUN), unless a cache or tmpfs mount holds the cache, so that it never reaches the image."""
    commands = run_commands(ins)
    installed = last_index(commands, is_install)
    if installed < 0 or last_index(commands, is_clean) > installed:
        return None
    if cache_mount_covers(ins, *cache_paths):
        return None
    fix = None
    at = append_point(ins)
    if at is not None:
        fix = rule.fix(Edit(at, at, f" && {clean_text}"), description=f"append && {clean_text}")
    return rule.hit(command_node(ins, commands[installed]), fix=fix)


@register
class DL3036(InstructionRule):
    code = "DL3036"
    level = "warning"
    message = "`zypper clean` missing after zypper use."
    name = "zypper-clean"
    fix_safety = "unsafe"

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
