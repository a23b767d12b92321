"""DL3014: Use the -y switch to avoid manual input ``apt-get -y install <package>``."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.run import hit_command, insert_after_word, shell_of


def quiet_level(cmd) -> int:
    """apt-get's quiet level: each ``q`` of ``-q``/``-qq``, each ``--quiet``, or ``-q=N``/``--quiet=N``."""
    level = 0
    for a in cmd.arg_texts:
        if a == "--":
            break
        if a.startswith("--quiet"):
            _, eq, n = a.partition("=")
            level = int(n) if eq and n.isdigit() else level + 1
        elif a.startswith("-") and not a.startswith("--"):
            flags, eq, n = a[1:].partition("=")
            if eq and flags.endswith("q"):
                level = int(n) if n.isdigit() else level + 1
                flags = flags[:-1]
            level += flags.count("q")
    return level


def assumes_yes(cmd) -> bool:
    """``-y``, ``--yes``, ``--assume-yes``, ``-o APT::Get::Assume-Yes=true``, or quiet level 2 (which implies -y)."""
    if cmd.has_flag("y", "yes", "assume-yes"):
        return True
    if any(t.lower().replace(" ", "") in ("apt::get::assume-yes=true", "apt::get::assume-yes=1")
           for t in cmd.arg_texts):
        return True
    return quiet_level(cmd) >= 2


@register
class DL3014(InstructionRule):
    code = "DL3014"
    level = "warning"
    message = "Use the `-y` switch to avoid manual input `apt-get -y install <package>`"
    name = "apt-get-yes"
    fix_safety = "safe"
    needs_instructions = ("RUN",)
    needs_words = ("apt",)

    def check(self, ins):
        sh = shell_of(ins)
        if sh is None:
            return
        bad = [c for c in sh.find("apt-get") if "install" in c.arg_texts and not assumes_yes(c)]
        if not bad:
            return
        # Safe: -y only answers the confirmation prompt, which a build cannot answer anyway (apt-get aborts and
        # the build fails); when the build succeeds without it, the same packages are installed with it.
        edits = [insert_after_word(sh, c, "install", "-y") for c in bad]
        fix = self.fix(*edits, description="add -y") if all(edits) else None
        hit = hit_command(self, ins, sh, bad[0])
        hit.fix = fix
        yield hit
