"""The one rule registry: fastlint's own rules and the rule packages' (``fastlint.engine.packages``).

* A rule module under ``fastlint/rules/`` registers its class with ``@register``; ``all_rules()`` imports every
  module of that package once, so adding a rule touches one module (and its cases). ``all_rules()`` is
  fastlint's own rules only: what the catalogue under ``rules/`` documents.
* A rule package's rules are loaded when they are wanted: ``known_rules(wanted)`` gives fastlint's rules and
  those of the packages whose prefix ``wanted(prefix)`` accepts (every package when ``wanted`` is None), importing
  only those packages (``package_rules``). ``rule_for(code)`` finds the rule of any code, loading at most the
  one package whose prefix the code has.
* A package that cannot be loaded (its module fails to import, ``RULES`` is not a list of rule classes, a code
  without the package's prefix, a code twice) is one line of warning naming it; its rules do not run, the others
  do. A package rule that raises while it checks a file is one line of warning too; its hits on that call are
  dropped and the run goes on.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import TYPE_CHECKING, Callable

from .ids import matches  # noqa: F401  (the grammar's, re-exported for callers)
from .ids import is_code, prefix_clash, register_name
from .rule import Rule

if TYPE_CHECKING:
    from pathlib import Path

_RULES: dict[str, type[Rule]] = {}
_OFF_WITH: dict[str, tuple[str, ...]] = {}  # a code -> the codes of the rules turned off with it (Rule.off_with)
_BUILDKIT: dict[str, type[Rule]] = {}  # BuildKit's checks (Rule.buildkit) by upper-cased name
_LOADED = False

# Codes reported by the engine or by a rule that reports several codes, with no class of their own.
DL1000 = ("DL1000", "error", "Dockerfile cannot be parsed")


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator: add one of fastlint's own rules to the registry (its code must be unique). A rule
    package lists its rules in ``RULES`` instead (``fastlint.engine.packages``)."""
    if not cls.code:
        raise ValueError(f"{cls.__name__} has no code")
    if cls.code in _RULES and _RULES[cls.code] is not cls:
        raise ValueError(f"rule {cls.code} is registered twice")
    for twin in cls.off_with:
        if twin not in cls.twins():
            raise ValueError(f"{cls.code}: off_with names {twin}, which is not one of its same_as codes")
    _RULES[cls.code] = cls
    register_name(cls.code)
    for twin in cls.off_with:
        _OFF_WITH[twin.upper()] = _OFF_WITH.get(twin.upper(), ()) + (cls.code,)
    if cls.buildkit:
        _BUILDKIT[cls.code.upper()] = cls
    return cls


def buildkit_checks() -> dict[str, type[Rule]]:
    """BuildKit's checks (``Rule.buildkit``) by upper-cased name."""
    if not _LOADED:
        all_rules()
    return _BUILDKIT


def off_with(code: str) -> tuple[str, ...]:
    """The codes of the rules that declare they are turned off with this code (``Rule.off_with``)."""
    if not _LOADED:
        all_rules()
    return _OFF_WITH.get(code.upper(), ()) if _OFF_WITH else ()


def all_rules() -> dict[str, type[Rule]]:
    """fastlint's own rules by code, in code order (the rule packages': ``known_rules``)."""
    global _LOADED
    if not _LOADED:
        from .. import rules as package

        # os.listdir, not pkgutil.iter_modules: pkgutil imports inspect (about 9 ms of start-up)
        names = sorted(
            n[:-3] for d in package.__path__ for n in os.listdir(d) if n.endswith(".py") and not n.startswith("_")
        )
        for name in names:
            importlib.import_module(f"{package.__name__}.{name}")
        _LOADED = True
    return dict(sorted(_RULES.items()))


def rule_for(code: str) -> type[Rule] | None:
    """The rule whose findings carry this code: the rule of that code, or the family rule it belongs to
    (``SC2086``: ShellCheck); a package's rule (only that package is loaded)."""
    rules = all_rules()
    cls = rules.get(code)
    if cls is not None:
        return cls
    pkg = package_of(code)
    if pkg is not None:
        return package_rules(pkg).get(code.upper())
    return next((c for c in rules.values() if c.owns(code)), None)


# -- rule packages -----------------------------------------------------------------------------------------------
_PACKAGES: list | None = None  # the installed rule packages that may load (packages.RulePackage)


def installed_packages() -> list:
    """The installed rule packages that may load (``packages.RulePackage``): valid prefixes that clash with no
    other package's and with no name of fastlint's rules (BuildKit's checks). Metadata only: no package is
    imported; with none installed, a run reads one small index file (``entry_index``) and nothing else."""
    global _PACKAGES
    if _PACKAGES is None:
        from .entry_index import cached

        if cached() == []:  # nothing installed, as the index knows: not even packages.py is imported
            _PACKAGES = []
            return _PACKAGES
        from . import packages

        found = packages.installed()
        names = [code for code in all_rules() if not is_code(code)] if found else []
        ok = []
        for pkg in found:
            clash = next((n for n in names if prefix_clash(pkg.prefix, n)), None)
            if clash is not None:
                packages.error(f"rule package {pkg.label} declares the prefix {pkg.prefix}, which clashes with "
                               f"fastlint's rule {clash}; not loaded")
            else:
                ok.append(pkg)
        _PACKAGES = ok
    return _PACKAGES


def package_errors() -> list[str]:
    """The rule packages' clashes (one line each): a command reports them as errors (exit code 2)."""
    installed_packages()
    packages = sys.modules.get(f"{__package__}.packages")
    return packages.errors() if packages is not None else []


def forget_packages() -> None:
    """Find the rule packages again (a test that installs one; a long-lived process after an install)."""
    global _PACKAGES
    from . import package_rules, packages

    _PACKAGES = None
    package_rules.forget()
    packages.forget()


def load_package(pkg):
    """The package as loaded (``package_rules.Loaded``: its rules and catalogue folder); imported once."""
    from .package_rules import load_package as load

    return load(pkg)


def package_rules(pkg) -> dict[str, type[Rule]]:
    return load_package(pkg).rules


def known_rules(wanted: Callable[[str], bool] | None = None) -> dict[str, type[Rule]]:
    """fastlint's rules and those of the installed packages whose prefix ``wanted(prefix)`` accepts (every
    package when None), by code, in code order. Only those packages are imported."""
    out = all_rules()
    extra = False
    for pkg in installed_packages():
        if wanted is None or wanted(pkg.prefix):
            out.update(package_rules(pkg))
            extra = True
    return dict(sorted(out.items())) if extra else out


def package_of(rule: type[Rule] | str):
    """The installed package (``packages.RulePackage``) a rule (class or code) comes from; None for fastlint's
    own rules."""
    if not installed_packages():
        return None
    if isinstance(rule, str):
        from .packages import owner

        pkg = owner(rule)
        return pkg if pkg is not None and pkg in installed_packages() else None
    from .package_rules import owner_of

    return owner_of(rule)


def catalogue_of(code: str) -> Path | None:
    """The folder of the catalogue page of a code: a package's ``CATALOGUE``, else None (fastlint's own)."""
    pkg = package_of(code)
    return load_package(pkg).catalogue if pkg is not None else None
