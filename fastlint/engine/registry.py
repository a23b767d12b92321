"""The one rule registry. A rule module under ``fastlint/rules/`` registers its class with ``@register``;
``all_rules()`` imports every module of that package once, so adding a rule touches one module (and its cases)."""

from __future__ import annotations

import importlib
import os
import re

from .rule import Rule

_RULES: dict[str, type[Rule]] = {}
_LOADED = False

# Codes reported by the engine or by a rule that reports several codes, with no class of their own.
DL1000 = ("DL1000", "error", "Dockerfile cannot be parsed")


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator: add a rule to the registry (its code must be unique)."""
    if not cls.code:
        raise ValueError(f"{cls.__name__} has no code")
    if cls.code in _RULES and _RULES[cls.code] is not cls:
        raise ValueError(f"rule {cls.code} is registered twice")
    _RULES[cls.code] = cls
    return cls


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


_PREFIX = re.compile(r"^(?:DL|SC|FL)\d*$")


def matches(code: str, patterns) -> bool:
    """True when a code matches any ID or prefix (``DL30`` matches ``DL3008``; ``ALL`` matches everything).
    Names (BuildKit's ``StageNameCasing``) match whole and without case; only DL/SC/FL IDs match as prefixes."""
    upper = code.upper()
    for p in patterns:
        p = p.strip().upper()
        if not p:
            continue
        if p == "ALL" or p == upper or (upper.startswith(p) and _PREFIX.match(p)):
            return True
    return False


def canonical(code: str) -> str:
    """A rule ID as registered (``stagenamecasing`` -> ``StageNameCasing``); other IDs upper-cased."""
    upper = code.strip().upper()
    for registered in all_rules():
        if registered.upper() == upper:
            return registered
    return upper


def is_rule_name(text: str) -> bool:
    """A registered rule's name written in any case (``StageNameCasing``), as opposed to a DL/SC/FL ID."""
    upper = text.strip().upper()
    return any(code.upper() == upper and not _PREFIX.match(upper) for code in all_rules())
