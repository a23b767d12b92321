"""DL3015: Avoid additional packages by specifying ``--no-install-recommends``."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.run import hit_command, insert_after_word, shell_of


def skips_recommends(cmd) -> bool:
    if cmd.has_flag("no-install-recommends"):
        return True
    return any(t.replace(" ", "").lower() in ("apt::install-recommends=false", "apt::install-recommends=0")
               for t in cmd.arg_texts)


@register
class DL3015(InstructionRule):
    code = "DL3015"
    level = "info"
    message = "Avoid additional packages by specifying `--no-install-recommends`"
    name = "apt-get-no-recommends"
    fix_safety = "unsafe"
    needs_instructions = ("RUN",)
    needs_words = ("apt",)

    def check(self, ins):
        sh = shell_of(ins)
        if sh is None:
            return
        bad = [c for c in sh.find("apt-get") if "install" in c.arg_texts and not skips_recommends(c)]
        if not bad:
            return
        # Unsafe: the recommended packages are no longer installed, so the image has fewer packages, and a
        # program that relied on one of them may fail at run time.
        edits = [insert_after_word(sh, c, "install", "--no-install-recommends") for c in bad]
        fix = self.fix(*edits, description="add --no-install-recommends") if all(edits) else None
        hit = hit_command(self, ins, sh, bad[0])
        hit.fix = fix
        yield hit
