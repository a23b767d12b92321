"""DL3030: Use the -y switch to avoid manual input ``yum install -y <package>``."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.run import hit_command, insert_after_word, shell_of

INSTALLS = ("install", "groupinstall", "localinstall")


def yum_installs(sh) -> list:
    return [c for c in sh.find("yum") if any(t in INSTALLS for t in c.arg_texts)]


@register
class DL3030(InstructionRule):
    code = "DL3030"
    level = "warning"
    message = "Use the -y switch to avoid manual input `yum install -y <package>`"
    name = "yum-yes"
    fix_safety = "safe"
    needs_instructions = ("RUN",)
    needs_words = ("yum",)

    def check(self, ins):
        sh = shell_of(ins)
        if sh is None:
            return
        bad = [c for c in yum_installs(sh) if not c.has_flag("y", "assumeyes")]
        if not bad:
            return
        # Safe: -y only answers the confirmation prompt, which a build cannot answer (yum aborts and the build
        # fails); when the build succeeds without it, the same packages are installed with it.
        edits = [insert_after_word(sh, c, next(t for t in c.arg_texts if t in INSTALLS), "-y") for c in bad]
        fix = self.fix(*edits, description="add -y") if all(edits) else None
        hit = hit_command(self, ins, sh, bad[0])
        hit.fix = fix
        yield hit
