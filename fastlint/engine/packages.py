"""Rule packages: other distributions' rules, found through the ``fastlint.rules`` entry-point group.

A package declares its rules in its ``pyproject.toml``::

    [project.entry-points."fastlint.rules"]
    ACME = "fastlint_acme_rules"

* The entry point's **name is the package's prefix**: its rules' IDs are the prefix and digits (``ACME001``). A
  prefix is 2 to 8 letters; it may not clash (``ids.prefix_clash``: one begins the other) with ``DL``, ``SC``,
  ``FL``, a rule name of fastlint's (BuildKit's ``StageNameCasing``: checked by the registry) or another
  package's prefix. A clash is an error naming both sides; neither package is loaded.
* Its **value is the module** (or ``module:object``) holding the rules: ``RULES``, the rule classes (written
  against ``fastlint.engine.rule.Rule``, as fastlint's own), and optionally ``CATALOGUE``, the folder of their
  catalogue pages (``ACME001.md``, the format of fastlint's ``rules/``); by default ``catalogue/`` beside the
  module's file.

This module reads the entry points only: the installed distributions' metadata, no package imported. The
registry (``registry.package_rules``) imports a package's module when one of its rules runs or is listed; a
package that fails to load is one line of warning naming it, and the other rules run.

Start-up: importing ``importlib.metadata`` costs about 30 ms, as much as the rest of ``fastlint check`` on one
file, and even looking for ``entry_points.txt`` files costs a system call per installed distribution. So what
was found is kept in a small index file (``entry_index.py``), valid while the folders of ``sys.path`` keep their
modification times (installing or removing a distribution adds or removes a folder in one of them): a run then
reads one file and stats the folders, and with no package installed imports nothing more (not even this
module). When the index is stale, a first look (``_may_be_installed``: the dist-infos' ``entry_points.txt``)
decides whether ``importlib.metadata`` needs to be asked at all. An index that cannot be written is not used.

What this module finds is kept for the process (like the registry's rules and ``sys.modules``: installing a
package needs a new process), and is the same for every run; ``forget()`` starts over (tests). Nothing of one
run is kept here: a rule's failure is said once per run (``package_rules``, through the run's state).
"""

from __future__ import annotations

import os
import sys

from .ids import check_prefix, prefix_clash, register_prefix

GROUP = "fastlint.rules"


class RulePackage:
    """An installed rule package, from its entry point: ``prefix``, ``value`` (the module, or ``module:object``),
    the distribution's ``dist`` name and ``version``."""

    __slots__ = ("prefix", "value", "dist", "version", "entry_point")

    def __init__(self, prefix: str, value: str, dist: str, version: str, entry_point=None):
        self.prefix = prefix
        self.value = value
        self.dist = dist
        self.version = version
        self.entry_point = entry_point

    @property
    def label(self) -> str:
        """How messages name it: ``fastlint-acme-rules 0.1.0``."""
        return f"{self.dist} {self.version}".strip()

    @property
    def module(self) -> str:
        return self.value.split(":", 1)[0].strip()

    def metadata(self):
        """The distribution's metadata (``importlib.metadata``: for reports, never on the lint path), or None."""
        dist = self.entry_point.dist if self.entry_point is not None else None
        if dist is None:
            from importlib.metadata import PackageNotFoundError, distribution

            try:
                dist = distribution(self.dist)
            except PackageNotFoundError:
                return None
        return dist.metadata

    def load(self):
        """Import the package's module (and its object, for ``module:object``)."""
        if self.entry_point is not None:
            return self.entry_point.load()
        import importlib

        module = importlib.import_module(self.module)
        attr = self.value.partition(":")[2].strip()
        for part in attr.split(".") if attr else ():
            module = getattr(module, part)
        return module


# The installation as read (its packages and the clashes among them): like the registry's rules and ``sys.modules``,
# it is the same for every run of the process, never one run's state; ``forget()`` reads it again.
_found: tuple[list[RulePackage], tuple[str, ...]] | None = None


def installed() -> list[RulePackage]:
    """The installed rule packages whose prefixes are valid and clash with no other's (their prefixes are then
    rule IDs: ``ids.register_prefix``). Read once per process."""
    return _installation()[0]


def _installation() -> tuple[list[RulePackage], tuple[str, ...]]:
    global _found
    if _found is None:
        _found = _read()
    return _found


def declared_prefixes() -> list[str]:
    """The prefixes every installed rule package declares, loadable or not (a pattern naming one names an
    installed package: a clash is said as such, not as an unknown rule ID)."""
    return [pkg.prefix.strip().upper() for pkg in _entry_points()]


def errors() -> list[str]:
    """The clashes among the installed packages (one line each): a command reports them as errors (exit code 2),
    every run."""
    return list(_installation()[1])


def warn(message: str) -> None:
    """One line on stderr: ``fastlint: warning: ...``. Said where it happens: reading the installation and loading
    a package (once per process, as they are kept), a rule's failure (once per rule and run: its caller)."""
    print(f"fastlint: warning: {message}", file=sys.stderr)


def forget() -> None:
    """Read the entry points again on the next call (a test that installs a package)."""
    global _found
    _found = None


def _read() -> tuple[list[RulePackage], tuple[str, ...]]:
    candidates: list[RulePackage] = []
    errors: list[str] = []
    for pkg in _entry_points():
        name = pkg.prefix
        try:
            pkg.prefix = check_prefix(name)
        except ValueError as err:
            if "clashes" in str(err):
                errors.append(f"rule package {pkg.label}: {err}; not loaded")
            else:
                warn(f"rule package {pkg.label}: entry point {name!r}: {err}; not loaded")
            continue
        candidates.append(pkg)
    clashing: set[int] = set()
    for i, a in enumerate(candidates):
        for j in range(i + 1, len(candidates)):
            b = candidates[j]
            if prefix_clash(a.prefix, b.prefix):
                same = "both declare the prefix " + a.prefix if a.prefix == b.prefix else \
                    f"declare the prefixes {a.prefix} and {b.prefix}, which clash"
                errors.append(f"rule packages {a.label} and {b.label} {same}; neither is loaded")
                clashing.update((i, j))
    found = [p for i, p in enumerate(candidates) if i not in clashing]
    for p in found:
        register_prefix(p.prefix)
    return sorted(found, key=lambda p: p.prefix), tuple(dict.fromkeys(errors))


def _entry_points() -> list[RulePackage]:
    """The group's entry points (their names not checked yet): from the index when it is fresh, else from
    importlib.metadata (when a first look finds any), and the index written again."""
    from . import entry_index

    cached = entry_index.cached()
    if cached is not None:
        return [RulePackage(*item) for item in cached]
    found = []
    if _may_be_installed():
        from importlib.metadata import entry_points

        for ep in entry_points(group=GROUP):
            dist = ep.dist
            found.append(RulePackage(ep.name, ep.value, dist.name if dist is not None else "?",
                                     dist.version if dist is not None else "", ep))
    entry_index.write([(p.prefix, p.value, p.dist, p.version) for p in found])
    return found


def _may_be_installed() -> bool:
    """Whether some distribution on ``sys.path`` may declare a ``fastlint.rules`` entry point: its dist-info's
    (or egg-info's) ``entry_points.txt`` names the group. An entry of ``sys.path`` that is not a folder (a zip)
    is left to importlib.metadata."""
    needle = GROUP.encode()
    for entry in sys.path:
        folder = entry or "."
        try:
            names = os.listdir(folder)
        except NotADirectoryError:
            return True
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                try:
                    with open(os.path.join(folder, name, "entry_points.txt"), "rb") as f:
                        if needle in f.read():
                            return True
                except OSError:
                    continue
    return False


def owner(code: str) -> RulePackage | None:
    """The installed package whose prefix a code has (``ACME001``: the package of ``ACME``), else None."""
    up = code.strip().upper()
    for p in installed():
        if up.startswith(p.prefix) and up[len(p.prefix):].isdigit():
            return p
    return None


def find(name: str) -> RulePackage | None:
    """An installed package by its distribution name (any case, ``-``/``_``/``.`` alike), its prefix or its
    module."""
    def norm(s: str) -> str:
        return s.strip().lower().replace("_", "-").replace(".", "-")

    for p in installed():
        if norm(name) in (norm(p.dist), norm(p.prefix), norm(p.module)):
            return p
    return None
