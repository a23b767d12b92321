"""DL3009: Delete the apt lists (/var/lib/apt/lists) after installing something."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from ..parser.shell import run_mounts
from .lib.run import append_command, hit_command, shell_of
from .lib.packages import VALUE_OPTIONS

APT_TOOLS = ("apt-get", "apt", "aptitude")


def in_image(ctx, ins) -> bool:
    """True when what the instruction leaves behind reaches the image: its stage is the stage that becomes the
    image or one that stage is built on (FROM chain). An instruction before any FROM counts as in the image."""
    stage = ins.stage
    final = ctx.final_stage
    if stage is None or final is None:
        return True
    s = final
    while s is not None:
        if s is stage:
            return True
        s = s.parent
    return False


@register
class DL3009(InstructionRule):
    code = "DL3009"
    level = "info"
    message = "Delete the apt lists (/var/lib/apt/lists) after installing something"
    name = "apt-lists-cleanup"
    fix_safety = "unsafe"
    needs_instructions = ("RUN",)
    needs_words = ("apt",)

    def check(self, ins):
        sh = shell_of(ins)
        if sh is None:
            return
        updates = [c for c in sh.find(*APT_TOOLS) if "update" in c.arg_texts]
        if not updates:
            return
        if any(removes_lists(c) for c in sh.commands):
            return
        if lists_mounted(ins) or not in_image(self.ctx, ins):
            return
        edit = append_command(ins, "rm -rf /var/lib/apt/lists/*")
        fix = self.fix(edit, description="remove the apt lists at the end of the RUN") if edit else None
        hit = hit_command(self, ins, sh, updates[0])
        hit.fix = fix
        yield hit


LISTS = "/var/lib/apt/lists"


def removes_lists(cmd) -> bool:
    """``rm`` of /var/lib/apt/lists (of files in it, or of a folder above it; ``{a,b}`` groups expanded as bash
    expands them), or ``apt-get dist-clean`` (apt 2.7+), which removes them."""
    if cmd.is_("rm"):
        return cmd.removes(LISTS)
    return cmd.is_("apt-get", "apt") and cmd.subcommand(VALUE_OPTIONS["apt"]) == "dist-clean"


def lists_mounted(ins) -> bool:
    """The apt lists never reach the image: a cache or tmpfs mount holds /var/lib/apt/lists, or holds both
    /var/lib/apt and /var/cache/apt (hadolint's reading: with only /var/lib/apt mounted, the downloaded packages
    of /var/cache/apt still land in the layer)."""
    targets = [m["target"].rstrip("/") for m in run_mounts(ins)
               if m.get("type", "bind").lower() in ("cache", "tmpfs") and m.get("target")]

    def under(t: str, d: str) -> bool:
        return t == d or t.startswith(d + "/")

    if any(under(t, "/var/lib/apt/lists") for t in targets):
        return True
    return any(under(t, "/var/lib/apt") for t in targets) and any(under(t, "/var/cache/apt") for t in targets)
