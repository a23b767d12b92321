"""The one rule registry. A rule module under ``fastlint/rules/`` registers its class with ``@register``;
``all_rules()`` imports every module of that package once, so adding a rule touches one module (and its cases)."""

from __future__ import annotations

import importlib
import os

from .ids import matches, register_name  # noqa: F401  (matches: the grammar's, re-exported for callers)
from .rule import Rule

_RULES: dict[str, type[Rule]] = {}
_OFF_WITH: dict[str, tuple[str, ...]] = {}  # a code -> the codes of the rules turned off with it (Rule.off_with)
_BUILDKIT: dict[str, type[Rule]] = {}  # BuildKit's checks (Rule.buildkit) by upper-cased name
_LOADED = False

# Codes reported by the engine or by a rule that reports several codes, with no class of their own.
DL1000 = ("DL1000", "error", "Dockerfile cannot be parsed")


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator: add a rule to the registry (its code must be unique)."""
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
    """Every registered rule by code, in code order."""
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
    (``SC2086``: ShellCheck)."""
    rules = all_rules()
    cls = rules.get(code)
    if cls is not None:
        return cls
    return next((c for c in rules.values() if c.owns(code)), None)
