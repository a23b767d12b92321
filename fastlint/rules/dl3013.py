"""DL3013: Pin versions in pip."""

from __future__ import annotations


from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.regex import lazy
from .lib.run import hit_command, shell_of

_PIP = lazy(r"^pip(\d+(\.\d+)*)?$|^pipx$")
_PYTHON = lazy(r"^python(\d+(\.\d+)*)?$")

# pip/pipx options that take a value as the next word (hadolint's list, and more of pip's and pipx's own)
VALUE_FLAGS = (
    "abi", "b", "build", "e", "editable", "extra-index-url", "f", "find-links", "i", "index-url", "implementation",
    "no-binary", "only-binary", "platform", "prefix", "progress-bar", "proxy", "python-version", "root", "src", "t",
    "target", "trusted-host", "upgrade-strategy", "root-user-action", "python", "cache-dir", "cert", "client-cert",
    "timeout", "retries", "exists-action", "log", "global-option", "config-settings", "C", "report", "pip-args",
    "suffix", "preinstall", "index-url", "python-path", "c", "constraint", "r", "requirement",
)
VERSION_SYMBOLS = ("==", ">=", "<=", ">", "<", "!=", "~=", "===")
VCS_SCHEMES = ("git+file", "git+https", "git+ssh", "git+http", "git+git", "git", "hg+file", "hg+http", "hg+https",
               "hg+ssh", "hg+static-http", "svn", "svn+svn", "svn+http", "svn+https", "svn+ssh", "bzr+http",
               "bzr+https", "bzr+ssh", "bzr+sftp", "bzr+ftp", "bzr+lp")


def pip_args(cmd):
    """The arguments pip gets: those of ``pip``/``pip3``/``pipx``, or those after ``-m pip`` of ``python``; None
    when the command is not pip."""
    base = cmd.name.rsplit("/", 1)[-1]
    if _PIP.match(base):
        return list(cmd.args)
    if _PYTHON.match(base):
        texts = cmd.arg_texts
        for i in range(len(texts) - 1):
            if texts[i] == "-m" and texts[i + 1] == "pip":
                return list(cmd.args[i + 2 :])
    return None


def version_fixed(pkg: str) -> bool:
    vcs = pkg.startswith(VCS_SCHEMES)
    if any(s in pkg for s in VERSION_SYMBOLS):
        return True
    if vcs:
        return "@" in pkg
    return pkg.endswith((".whl", ".tar.gz")) or "/" in pkg


def unpinned(args):
    """The first package word of a ``pip install`` that has no version, else None."""
    texts = [a.text for a in args]
    words = []
    skip = False
    for a in args:
        t = a.text
        if skip:
            skip = False
            continue
        if t.startswith("-") and t != "-":
            if "=" not in t and t.lstrip("-") in VALUE_FLAGS:
                skip = True
            continue
        words.append(a)
    if not words or words[0].text != "install":
        return None
    if any(t in ("-r", "--requirement", "-c", "--constraint", ".") or t.startswith(("--requirement=", "--constraint="))
           for t in texts):
        return None  # a requirements or constraints file, or the local project: nothing to pin here
    for w in words[1:]:
        if not version_fixed(w.text):
            return w
    return None


@register
class DL3013(InstructionRule):
    code = "DL3013"
    level = "warning"
    message = ("Pin versions in pip. Instead of `pip install <package>` use `pip install <package>==<version>` or "
               "`pip install --requirement <requirements file>`")
    name = "pip-pin"
    needs_instructions = ("RUN",)
    needs_words = ("pip",)

    def check(self, ins):
        sh = shell_of(ins)
        if sh is None:
            return
        for cmd in sh.commands:
            args = pip_args(cmd)
            if args is None:
                continue
            word = unpinned(args)
            if word is not None:
                yield hit_command(self, ins, sh, cmd, word)
                return
