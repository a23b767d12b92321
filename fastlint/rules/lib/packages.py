"""OS packages: what apk, apt-get/apt and yum/dnf/microdnf/zypper commands install or remove, and whether a
package's version is pinned."""

from __future__ import annotations

import re

from ...parser.shell import Command, ShellWord
from .run import positional


# -- OS packages -------------------------------------------------------------------------------------------------
_APK_VALUES = frozenset({"-t", "--virtual", "-X", "--repository", "-p", "--root", "--arch", "--keys-dir",
                         "--cache-dir", "--repositories-file"})


_APT_VALUES = frozenset({"-o", "--option", "-c", "--config-file", "-t", "--target-release", "--default-release"})


_RPM_VALUES = frozenset({"-c", "--config", "--installroot", "--releasever", "--setopt", "-x", "--exclude",
                         "--enablerepo", "--disablerepo"})


class PackageOp:
    """One package install or removal: ``op`` is ``add`` or ``del``; ``names`` are (package, word)."""

    def __init__(self, op: str, names: list[tuple[str, ShellWord]], virtual: str | None = None):
        self.op = op
        self.names = names
        self.virtual = virtual  # apk add --virtual NAME


def package_name(text: str) -> str:
    """``gcc=12.2-r0`` -> ``gcc``; ``python3>3.11`` -> ``python3``; ``g++:amd64`` -> ``g++``."""
    return re.split(r"[=<>~:/]", text, maxsplit=1)[0].lower()


def package_ops(cmd: Command) -> PackageOp | None:
    """What an apk / apt-get / apt / yum / dnf / microdnf command installs or removes."""
    if cmd.is_("apk"):
        pos = positional(cmd, _APK_VALUES)
        if not pos:
            return None
        sub = pos[0].text
        names = [(package_name(w.text), w) for w in pos[1:] if not w.text.startswith("$")]
        if sub == "add":
            return PackageOp("add", names, cmd.flag_value("t", "virtual"))
        if sub == "del":
            return PackageOp("del", names)
        return None
    if cmd.is_("apt-get", "apt", "aptitude"):
        pos = positional(cmd, _APT_VALUES)
        if not pos:
            return None
        sub = pos[0].text
        names = [(package_name(w.text), w) for w in pos[1:] if not w.text.startswith("$")]
        if sub == "install":
            return PackageOp("add", names)
        if sub in ("remove", "purge", "autoremove"):
            return PackageOp("del", names)
        return None
    if cmd.is_("yum", "dnf", "microdnf", "zypper"):
        pos = positional(cmd, _RPM_VALUES)
        if not pos:
            return None
        sub = pos[0].text
        names = [(package_name(w.text), w) for w in pos[1:] if not w.text.startswith("$")]
        if sub in ("install", "in"):
            return PackageOp("add", names)
        if sub in ("remove", "erase", "rm"):
            return PackageOp("del", names)
    return None


def is_upgrade(cmd: Command) -> bool:
    """An OS package upgrade (``apk upgrade``, ``apt-get upgrade``/``dist-upgrade``, ``dnf upgrade``...)."""
    sub = cmd.subcommand() if cmd.args else None
    if cmd.is_("apk"):
        pos = positional(cmd, _APK_VALUES)
        return bool(pos) and pos[0].text == "upgrade"
    if cmd.is_("apt-get", "apt"):
        return sub in ("upgrade", "dist-upgrade", "full-upgrade")
    if cmd.is_("yum", "dnf", "microdnf"):
        return sub in ("upgrade", "update")
    return False


# Options of package managers that take a separate value (``-o Acquire::Retries=3``, ``--installroot /x``):
# the value is not the subcommand. Names without dashes, as ``Command.subcommand`` takes them.
VALUE_OPTIONS = {
    "apt": frozenset({"o", "option", "c", "config-file", "t", "target-release", "a", "host-architecture"}),
    "dnf": frozenset({"installroot", "releasever", "setopt", "c", "config", "repo", "repoid", "enablerepo",
                      "disablerepo", "x", "exclude", "forcearch", "color", "destdir", "downloaddir", "d", "debuglevel",
                      "e", "errorlevel", "rpmverbosity", "comment", "cachedir", "repofrompath", "disableplugin",
                      "enableplugin", "R", "randomwait", "config-file"}),
    "apk": frozenset({"p", "root", "X", "repository", "keys-dir", "arch", "cache-dir", "repositories-file",
                      "progress-fd", "wait", "timeout", "cache-max-age"}),
}


def package_pinned(package: str, variables: set[str]) -> bool:
    parts = package.split("-")
    if len(parts) <= 1:
        return False
    if package.endswith(".rpm"):
        return True
    if "$" in package:
        return any(f"${{{v}}}" in package or re.search(r"\$" + re.escape(v) + r"(?![A-Za-z0-9_])", package)
                   for v in variables)
    rest = parts[1:]
    return all(_VERSION_CHARS.match(p) for p in rest) and any(p[:1].isdigit() for p in rest)


_VERSION_CHARS = re.compile(r"^[A-Za-z0-9.~^_:+]*$")
