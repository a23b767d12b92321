"""DL3016: Pin versions in npm."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.run import hit_command, shell_of

# npm options that take a value as the next word (``--registry https://...``); booleans (-g, --save-exact,
# --no-audit, ...) take none.
VALUE_FLAGS = (
    "registry", "loglevel", "prefix", "cache", "userconfig", "globalconfig", "tag", "workspace", "w", "omit",
    "include", "install-strategy", "save-prefix", "before", "fetch-retries", "fetch-timeout", "proxy", "https-proxy",
    "noproxy", "scope", "ca", "cafile", "cert", "key", "otp", "script-shell", "node-options", "location", "auth-type",
    "C", "progress", "audit-level", "install-links", "lockfile-version", "cpu", "os", "libc",
)
GIT_PREFIXES = ("git://", "git+ssh://", "git+http://", "git+https://")
PATH_PREFIXES = ("/", "./", "../", "~/")
TARBALLS = (".tar", ".tar.gz", ".tgz")
INSTALL = ("install", "i", "add", "isntall", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal")


def version_fixed(pkg: str) -> bool:
    if pkg.startswith(GIT_PREFIXES):
        return "#" in pkg
    if pkg.endswith(TARBALLS) or pkg.startswith(PATH_PREFIXES):
        return True
    name = pkg.split("/", 1)[1] if pkg.startswith("@") and "/" in pkg else pkg
    return "@" in name


@register
class DL3016(InstructionRule):
    code = "DL3016"
    level = "warning"
    message = "Pin versions in npm. Instead of `npm install <package>` use `npm install <package>@<version>`"
    name = "npm-pin"
    needs_instructions = ("RUN",)
    needs_words = ("npm",)

    def check(self, ins):
        sh = shell_of(ins)
        if sh is None:
            return
        for cmd in sh.find("npm"):
            words = cmd.operands(VALUE_FLAGS)
            if not words or words[0].text not in INSTALL:
                continue
            for w in words[1:]:
                if not version_fixed(w.text):
                    yield hit_command(self, ins, sh, cmd, w)
                    return
