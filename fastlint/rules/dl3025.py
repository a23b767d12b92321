"""DL3025: Use arguments JSON notation for CMD and ENTRYPOINT arguments."""

from __future__ import annotations

import json

from ..engine.registry import register
from ..engine.rule import Edit, InstructionRule


@register
class DL3025(InstructionRule):
    code = "DL3025"
    level = "warning"
    message = "Use arguments JSON notation for CMD and ENTRYPOINT arguments"
    name = "json-cmd"
    fix_safety = "unsafe"
    needs_instructions = ("CMD", "ENTRYPOINT", "HEALTHCHECK")

    def check(self, ins):
        if ins.json or not ins.value:
            return
        if ins.keyword in ("CMD", "ENTRYPOINT"):
            yield self.hit(ins, fix=self._fix(ins, ins.value[0], ins.args_start))
        elif ins.keyword == "HEALTHCHECK" and ins.value[0].upper() == "CMD" and len(ins.value) > 1:
            # HEALTHCHECK CMD takes the same two forms (hadolint checks it too)
            if len(ins.words) >= 2:
                yield self.hit(ins, fix=self._fix(ins, ins.value[1], ins.words[1].start))

    def _fix(self, ins, script: str, start: int):
        """Exec form of a simple command line (no shell syntax). Unsafe: the process is no longer started by
        /bin/sh -c, so it becomes PID 1 and gets signals itself (the point of the rule), and variables in its
        arguments are no longer expanded. Commands with shell syntax get no fix."""
        from ..parser.shell import parse_shell

        if any(ch in script for ch in "$`|&;<>(){}*?~\\\n'\"") or "#" in script:
            return None
        sh = parse_shell(script)
        if not sh.ok or len(sh.commands) != 1:
            return None
        cmd = sh.commands[0]
        if cmd.assignments:
            return None
        words = [cmd.name] + cmd.arg_texts
        return self.fix(Edit(start, ins.args_end, json.dumps(words)),
                        description="rewrite in exec form")
