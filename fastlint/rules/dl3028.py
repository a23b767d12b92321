"""DL3028: Pin versions in gem install."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.run import hit_command, shell_of

# gem install options that take no value; any other option is read as taking the next word as its value
# (``--use-system-libraries true``, ``-i /dir``), so that it is not mistaken for a gem
BOOLEAN_FLAGS = {
    "N", "no-document", "no-ri", "no-rdoc", "user-install", "no-user-install", "conservative", "minimal-deps", "f",
    "force", "no-force", "l", "local", "r", "remote", "b", "both", "pre", "prerelease", "no-prerelease",
    "ignore-dependencies", "default", "explain", "E", "env-shebang", "no-env-shebang", "development",
    "development-all", "w", "wrappers", "no-wrappers", "lock", "no-lock", "suggestions", "no-suggestions",
    "post-install-message", "no-post-install-message", "vendor", "norc", "V", "verbose", "no-verbose", "q", "quiet",
    "silent", "backtrace", "format-executable", "no-format-executable", "clear-sources", "update-sources",
    "no-update-sources", "u", "install-as-default", "no-install-as-default", "no-http-proxy",
}


def gem_words(cmd):
    """The gems of ``gem install``/``gem i`` (None when it is not one, or when ``-v``/``--version`` pins it)."""
    texts = cmd.arg_texts
    if not ({"install", "i"} & set(texts)):
        return None
    if any(t in ("-v", "--version") or t.startswith("--version=") for t in texts):
        return None
    words, skip = [], False
    for a in cmd.args:
        t = a.text
        if t == "--":
            break  # what follows goes to the gem's build
        if skip:
            skip = False
            continue
        if t.startswith("-") and t != "-":
            name = t.lstrip("-")
            if "=" not in t and name not in BOOLEAN_FLAGS and not (t[1:2] != "-" and set(name) <= BOOLEAN_FLAGS):
                skip = True
            continue
        if t in ("install", "i"):
            continue
        words.append(a)
    return words


@register
class DL3028(InstructionRule):
    code = "DL3028"
    level = "warning"
    message = "Pin versions in gem install. Instead of `gem install <gem>` use `gem install <gem>:<version>`"
    name = "gem-pin"
    needs_instructions = ("RUN",)
    needs_words = ("gem",)

    def check(self, ins):
        sh = shell_of(ins)
        if sh is None:
            return
        for cmd in sh.find("gem"):
            for w in gem_words(cmd) or []:
                if ":" not in w.text:
                    yield hit_command(self, ins, sh, cmd, w)
                    return
