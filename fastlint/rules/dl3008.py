"""DL3008: Pin versions in apt-get install."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .dl3001 import hit_command, shell_of


def non_flag_words(cmd, value_flags: tuple[str, ...] = (), stop_at_dashdash: bool = False):
    """The command's words that are not flags, without the values of the flags in ``value_flags`` (given as
    ``-t value``/``--target value``; ``--target=value`` is one word)."""
    out = []
    skip = False
    for a in cmd.args:
        t = a.text
        if skip:
            skip = False
            continue
        if t == "--":
            if stop_at_dashdash:
                break
            continue
        if t.startswith("-") and t != "-":
            name = t.lstrip("-").split("=", 1)[0]
            if "=" not in t and name in value_flags:
                skip = True
            continue
        out.append(a)
    return out


@register
class DL3008(InstructionRule):
    code = "DL3008"
    level = "warning"
    message = ("Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install "
               "<package>=<version>`")
    name = "apt-get-pin"

    def check(self, ins):
        sh = shell_of(ins)
        if sh is None:
            return
        for cmd in sh.find("apt-get"):
            if "install" not in cmd.arg_texts:
                continue
            for word in non_flag_words(cmd, ("t", "target-release", "o", "option", "c", "config-file")):
                pkg = word.text
                if pkg == "install":
                    continue
                if "=" in pkg or "/" in pkg or pkg.endswith(".deb"):
                    continue
                yield hit_command(self, ins, sh, cmd, word)
                return
