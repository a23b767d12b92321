"""DL3008: Pin versions in apt-get install."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.run import hit_command, shell_of


@register
class DL3008(InstructionRule):
    code = "DL3008"
    level = "warning"
    message = ("Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install "
               "<package>=<version>`")
    name = "apt-get-pin"
    needs_instructions = ("RUN",)
    needs_words = ("apt",)

    def check(self, ins):
        sh = shell_of(ins)
        if sh is None:
            return
        for cmd in sh.find("apt-get"):
            if "install" not in cmd.arg_texts:
                continue
            for word in cmd.operands(("t", "target-release", "o", "option", "c", "config-file")):
                pkg = word.text
                if pkg == "install":
                    continue
                if "=" in pkg or "/" in pkg or pkg.endswith(".deb"):
                    continue
                yield hit_command(self, ins, sh, cmd, word)
                return
