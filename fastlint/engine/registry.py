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
from pathlib import Path
from typing import Callable

from . import packages
from .ids import matches  # noqa: F401  (the grammar's, re-exported for callers)
from .ids import is_code, is_package_code, prefix_clash, register_name
from .rule import LEVELS, Rule

_RULES: dict[str, type[Rule]] = {}
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
    _RULES[cls.code] = cls
    register_name(cls.code)
    return cls


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
class Loaded:
    """A rule package as loaded: its ``rules`` by code (empty when it failed to load) and its ``catalogue``
    folder."""

    __slots__ = ("package", "rules", "catalogue")

    def __init__(self, package: packages.RulePackage, rules: dict[str, type[Rule]], catalogue: Path | None):
        self.package = package
        self.rules = rules
        self.catalogue = catalogue


_PACKAGES: list[packages.RulePackage] | None = None
_LOADED_PACKAGES: dict[str, Loaded] = {}  # prefix -> the package as loaded
_OWNER: dict[type[Rule], packages.RulePackage] = {}


def installed_packages() -> list[packages.RulePackage]:
    """The installed rule packages that may load: valid prefixes that clash with no other package's and with no
    name of fastlint's rules (BuildKit's checks). Metadata only: no package is imported."""
    global _PACKAGES
    if _PACKAGES is None:
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


def forget_packages() -> None:
    """Find the rule packages again (a test that installs one; a long-lived process after an install)."""
    global _PACKAGES
    _PACKAGES = None
    _LOADED_PACKAGES.clear()
    packages.forget()


def load_package(pkg: packages.RulePackage) -> Loaded:
    """The package's rules, imported on the first call (a failure: one line of warning, no rules)."""
    loaded = _LOADED_PACKAGES.get(pkg.prefix)
    if loaded is None:
        try:
            rules, catalogue = _import_package(pkg)
        except _Broken as err:
            packages.warn(f"rule package {pkg.label} ({pkg.prefix}) not loaded: {err}")
            rules, catalogue = {}, None
        loaded = _LOADED_PACKAGES[pkg.prefix] = Loaded(pkg, rules, catalogue)
        for cls in rules.values():
            _OWNER[cls] = pkg
            register_name(cls.code)
    return loaded


def package_rules(pkg: packages.RulePackage) -> dict[str, type[Rule]]:
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


def package_of(rule: type[Rule] | str) -> packages.RulePackage | None:
    """The installed package a rule (class or code) comes from; None for fastlint's own rules."""
    if isinstance(rule, str):
        pkg = packages.owner(rule)
        return pkg if pkg is not None and pkg in installed_packages() else None
    return _OWNER.get(rule)


def catalogue_of(code: str) -> Path | None:
    """The folder of the catalogue page of a code: a package's ``CATALOGUE``, else None (fastlint's own)."""
    pkg = package_of(code)
    return load_package(pkg).catalogue if pkg is not None else None


class _Broken(Exception):
    """Why a package cannot be loaded (one line)."""


def _import_package(pkg: packages.RulePackage) -> tuple[dict[str, type[Rule]], Path | None]:
    import sys

    try:
        obj = pkg.load()
    except Exception as err:  # whatever the package's import raises
        raise _Broken(f"importing {pkg.value} failed: {type(err).__name__}: {err}") from None
    declared = getattr(obj, "RULES", None)
    if declared is None or isinstance(declared, (str, bytes)):
        raise _Broken(f"{pkg.value} has no RULES (a list of rule classes)")
    rules: dict[str, type[Rule]] = {}
    for cls in declared:
        if not (isinstance(cls, type) and issubclass(cls, Rule)):
            raise _Broken(f"RULES holds {cls!r}, not a rule class (fastlint.engine.rule.Rule)")
        code = cls.code
        if not isinstance(code, str) or not is_package_code(code, pkg.prefix) or code != code.upper():
            raise _Broken(f"{cls.__name__}: code {code!r} is not {pkg.prefix} and digits")
        if code in rules:
            raise _Broken(f"rule {code} is declared twice")
        if cls.level not in LEVELS or not cls.message or cls.fix_safety not in (None, "safe", "unsafe"):
            raise _Broken(f"{code}: level must be one of {', '.join(LEVELS)}, message non-empty, fix_safety "
                          "safe, unsafe or None")
        rules[code] = _guarded(cls, pkg)
    where = getattr(obj, "CATALOGUE", None)
    if where is None:
        module = sys.modules.get(pkg.module)
        where = Path(module.__file__).parent / "catalogue" if module is not None and module.__file__ else None
    return dict(sorted(rules.items())), Path(where) if where is not None else None


def _guarded(cls: type[Rule], pkg: packages.RulePackage) -> type[Rule]:
    """The package's rule class with its file hooks guarded: an exception is one line of warning (once per rule
    and run) and no hits for that call, so that one broken rule does not stop the run. Only the hooks the class
    overrides are wrapped (the engine skips the others)."""
    hooks = {}

    def guard(name: str, hook):
        def call(self, *args):
            try:
                hits = hook(self, *args)
                return list(hits) if hits is not None else None
            except Exception as err:  # a package's bug: reported, never a traceback
                _report_failure(self, pkg, name, args, err)
                return None
        call.__name__ = name
        return call

    if cls.start_file is not Rule.start_file:
        hooks["start_file"] = guard("start_file", cls.start_file)
    if cls.start_stage is not Rule.start_stage:
        hooks["start_stage"] = guard("start_stage", cls.start_stage)
    if cls.check is not Rule.check:
        hooks["check"] = guard("check", cls.check)
    if cls.finish is not Rule.finish:
        hooks["finish"] = guard("finish", cls.finish)
    if cls.check_manifest is not Rule.check_manifest:
        hooks["check_manifest"] = guard("check_manifest", cls.check_manifest)
    hooks["__module__"] = cls.__module__
    hooks["__doc__"] = cls.__doc__
    return type(cls.__name__, (cls,), hooks)


def _report_failure(rule: Rule, pkg: packages.RulePackage, hook: str, args: tuple, err: Exception) -> None:
    ctx = rule.ctx
    seen = ctx.state.of(_report_failure, set) if ctx.state is not None else set()
    if rule.code in seen:
        return
    seen.add(rule.code)
    line = getattr(args[0], "line", 0) if args else 0
    where = f"{ctx.path}:{line}" if line else ctx.path
    packages.warn(f"rule {rule.code} of {pkg.label} failed on {where} ({hook}): {type(err).__name__}: {err}; "
                  "its findings there are dropped")
