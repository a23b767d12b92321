"""DL3018: Pin versions in apk add."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.run import hit_command, shell_of

VALUE_FLAGS = ("t", "virtual", "repository", "X", "p", "root", "arch", "cache-dir", "keys-dir",
               "repositories-file", "cache-max-age")


@register
class DL3018(InstructionRule):
    code = "DL3018"
    level = "warning"
    message = "Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`"
    name = "apk-pin"
    needs_instructions = ("RUN",)
    needs_words = ("apk",)

    def check(self, ins):
        sh = shell_of(ins)
        if sh is None:
            return
        for cmd in sh.find("apk"):
            if "add" not in cmd.arg_texts:
                continue
            for w in cmd.operands(VALUE_FLAGS):
                pkg = w.text
                if pkg == "add" or pkg.endswith(".apk") or any(ch in pkg for ch in "=~<>"):
                    continue
                yield hit_command(self, ins, sh, cmd, w)
                return
