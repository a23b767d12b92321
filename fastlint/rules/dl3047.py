"""DL3047: Avoid use of wget without progress bar."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import Edit, InstructionRule
from ..parser.shell import command_node, run_commands, word_end


@register
class DL3047(InstructionRule):
    code = "DL3047"
    level = "info"
    message = ("Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or consider using "
               "`-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`).")
    name = "wget-progress"
    fix_safety = "safe"
    needs_instructions = ("RUN",)
    needs_words = ("wget",)

    def check(self, ins):
        if ins.keyword != "RUN":
            return
        for cmd in run_commands(ins):
            if not cmd.is_("wget") or cmd.has_flag("progress"):
                continue
            if cmd.has_flag("q", "quiet", "o", "output-file", "a", "append-output", "no-verbose"):
                continue
            if "-nv" in cmd.arg_texts:
                continue
            yield self.hit(command_node(ins, cmd), fix=self._fix(ins, cmd))
            return

    def _fix(self, ins, cmd):
        """``wget -q``: the one switch both GNU wget and BusyBox wget (Alpine's) accept; ``--progress`` and
        ``-nv`` break BusyBox wget. Safe: only the build log changes (wget still exits non-zero on failure). No
        fix when wget's stderr is redirected (``2>&1 | grep``): then its messages are data, not log."""
        if any(r.lstrip("0123456789").startswith((">&", "&>")) or r.startswith("2>") for r in cmd.redirects):
            return None
        at = word_end(ins, cmd, cmd.name_word) if cmd.name_word else None
        if at is None:
            return None
        return self.fix(Edit(at, at, " -q"), description="add wget -q")
