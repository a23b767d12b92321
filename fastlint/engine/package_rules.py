"""Loading a rule package's rules (``fastlint.engine.packages`` finds the packages; the registry asks here when
one of their rules is wanted): its module imported, ``RULES`` checked, each rule's hooks guarded, ``CATALOGUE``
found. A package that cannot be loaded is one line of warning; what was loaded is kept for the process, like the
registry's rules."""

from __future__ import annotations

import sys
from pathlib import Path

from . import packages
from .ids import is_package_code, register_name
from .rule import LEVELS, Rule


class Loaded:
    """A rule package as loaded: its ``rules`` by code (empty when it failed to load) and its ``catalogue``
    folder."""

    __slots__ = ("package", "rules", "catalogue")

    def __init__(self, package: packages.RulePackage, rules: dict[str, type[Rule]], catalogue: Path | None):
        self.package = package
        self.rules = rules
        self.catalogue = catalogue


_LOADED: dict[str, Loaded] = {}  # prefix -> the package as loaded
_OWNER: dict[type[Rule], packages.RulePackage] = {}


def load_package(pkg: packages.RulePackage) -> Loaded:
    """The package's rules, imported on the first call (a failure: one line of warning, no rules)."""
    loaded = _LOADED.get(pkg.prefix)
    if loaded is None:
        try:
            rules, catalogue = _import_package(pkg)
        except _Broken as err:
            packages.warn(f"rule package {pkg.label} ({pkg.prefix}) not loaded: {err}")
            rules, catalogue = {}, None
        loaded = _LOADED[pkg.prefix] = Loaded(pkg, rules, catalogue)
        for cls in rules.values():
            _OWNER[cls] = pkg
            register_name(cls.code)
    return loaded


def owner_of(cls: type[Rule]) -> packages.RulePackage | None:
    return _OWNER.get(cls)


def forget() -> None:
    _LOADED.clear()


class _Broken(Exception):
    """Why a package cannot be loaded (one line)."""


def _import_package(pkg: packages.RulePackage) -> tuple[dict[str, type[Rule]], Path | None]:
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
