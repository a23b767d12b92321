"""DL3027: Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import Edit, InstructionRule
from .lib.packages import VALUE_OPTIONS
from .lib.run import hit_command, shell_of

# apt subcommands with the same meaning in apt-get or apt-cache
EQUIVALENT = {
    "install": "apt-get", "remove": "apt-get", "purge": "apt-get", "update": "apt-get", "autoremove": "apt-get",
    "autoclean": "apt-get", "clean": "apt-get", "source": "apt-get", "build-dep": "apt-get", "download": "apt-get",
    "satisfy": "apt-get", "reinstall": "apt-get", "search": "apt-cache", "show": "apt-cache", "policy": "apt-cache",
    "depends": "apt-cache", "rdepends": "apt-cache", "showsrc": "apt-cache",
}


@register
class DL3027(InstructionRule):
    code = "DL3027"
    level = "warning"
    message = "Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead"
    name = "no-apt"
    fix_safety = "unsafe"
    needs_instructions = ("RUN",)
    needs_words = ("apt",)

    def check(self, ins):
        sh = shell_of(ins)
        if sh is None:
            return
        cmds = sh.find("apt")
        if not cmds:
            return
        hit = hit_command(self, ins, sh, cmds[0], cmds[0].name_word)
        hit.fix = self._fix(sh, cmds)
        yield hit

    def _fix(self, sh, cmds):
        """apt -> apt-get (or apt-cache) for subcommands that mean the same there. Unsafe: apt deletes the
        packages it downloaded after installing them, apt-get keeps them in /var/cache/apt/archives unless the
        base image cleans them (Debian and Ubuntu images do), so the image can grow. No fix for upgrade,
        full-upgrade and list, which behave differently in apt-get."""
        edits = []
        for c in cmds:
            tool = EQUIVALENT.get(c.subcommand(VALUE_OPTIONS["apt"]) or "")
            span = sh.span(c.name_word) if c.name_word is not None else None
            if tool is None or span is None or c.name_word.raw != c.name:
                return None
            edits.append(Edit(span[0], span[1], c.name[: -len("apt")] + tool))
        return self.fix(*edits, description="use apt-get / apt-cache")
