"""DL3032: ``yum clean all`` missing after yum command."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from ..parser.shell import cache_mount_covers
from .lib.run import append_command, hit_command, shell_of


def cleans(cmd) -> bool:
    """``yum clean all``, or ``rm`` of /var/cache/yum (or a folder above it)."""
    if cmd.is_("yum"):
        texts = cmd.arg_texts
        return "clean" in texts and "all" in texts
    return cmd.removes("/var/cache/yum")


@register
class DL3032(InstructionRule):
    code = "DL3032"
    level = "warning"
    message = "`yum clean all` missing after yum command."
    name = "yum-clean"
    fix_safety = "unsafe"
    needs_instructions = ("RUN",)
    needs_words = ("yum",)

    def check(self, ins):
        sh = shell_of(ins)
        if sh is None or cache_mount_covers(ins, "/var/cache/yum"):
            return
        cmds = sh.commands
        for i, cmd in enumerate(cmds):
            if not (cmd.is_("yum") and "install" in cmd.arg_texts):
                continue
            if any(cleans(c) for c in cmds[i + 1 :]):
                continue
            # Unsafe: the yum cache leaves the image; a later yum command downloads the repository metadata
            # again, which may have changed since.
            edit = append_command(ins, "yum clean all")
            hit = hit_command(self, ins, sh, cmd)
            hit.fix = self.fix(edit, description="clean the yum cache at the end of the RUN") if edit else None
            yield hit
            return
