"""DL3046: `useradd` without flag `-l` and high UID will result in excessively large Image."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import Edit, InstructionRule
from ..parser.shell import command_node, run_commands, word_end


@register
class DL3046(InstructionRule):
    code = "DL3046"
    level = "warning"
    message = "`useradd` without flag `-l` and high UID will result in excessively large Image."
    name = "useradd-high-uid"
    fix_safety = "unsafe"
    needs_instructions = ("RUN",)
    needs_words = ("useradd",)

    def check(self, ins):
        if ins.keyword != "RUN":
            return
        for cmd in run_commands(ins):
            if not cmd.is_("useradd") or cmd.has_flag("l", "no-log-init"):
                continue
            uid = cmd.flag_value("u", "uid")
            if uid is not None and uid.isdigit() and len(uid) > 5:  # a variable cannot be measured
                yield self.hit(command_node(ins, cmd), fix=self._fix(ins, cmd))
                return

    def _fix(self, ins, cmd):
        """``useradd -l``: do not add the user to the lastlog and faillog databases, whose files useradd grows
        (sparsely, but the layer stores them in full) to hold an entry at the UID's offset. Unsafe only in name:
        the image changes (it loses those two log files' padding), which is the point."""
        at = word_end(ins, cmd, cmd.name_word) if cmd.name_word else None
        if at is None:
            return None
        return self.fix(Edit(at, at, " -l"), description="add useradd -l (--no-log-init)")
