"""The one rule registry. A rule module under ``fastlint/rules/`` registers its class with ``@register``.

A run imports only the modules of the rules that will run (``load``), chosen from the rule index
(``engine/index.py``: what every rule declares, generated from the classes by ``index_source``); ``all_rules()``
imports every module of the package once (the catalogue, the tests, the generator). Adding a rule touches one
module, its catalogue page, and the generated index."""

from __future__ import annotations

import importlib
import os

from .ids import matches, register_name  # noqa: F401  (matches: the grammar's, re-exported for callers)
from .index import DL1000, FIELDS, RULES, names_a_rule, unknown_ids  # noqa: F401  (re-exported for callers)
from .rule import Rule

_RULES: dict[str, type[Rule]] = {}
_LOADED = False
PACKAGE = "fastlint.rules"


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
            importlib.import_module(f"{PACKAGE}.{name}")
        _LOADED = True
    return dict(sorted(_RULES.items()))


def load(codes) -> list[type[Rule]]:
    """The classes of these rules (codes of the index), importing only their modules, in the order given."""
    out = []
    for code in codes:
        cls = _RULES.get(code)
        if cls is None:
            importlib.import_module(f"{PACKAGE}.{RULES[code][0]}")
            cls = _RULES[code]
        out.append(cls)
    return out


def rule_for(code: str) -> type[Rule] | None:
    """The rule whose findings carry this code: the rule of that code, or the family rule it belongs to
    (``SC2086``: ShellCheck)."""
    from .index import owner

    info = owner(code)
    return load([info.code])[0] if info is not None else None


def index_source() -> str:
    """The text of ``engine/rule_index.py``, from the rule classes (``scripts/update_rule_index.py`` writes it)."""
    lines = [
        '"""The rule index: what every rule declares, generated from the rule classes by',
        "``python scripts/update_rule_index.py``; do not edit. ``tests/test_rule_index.py`` fails when it is stale.",
        "",
        "code: (" + ", ".join(FIELDS) + ')"""',
        "",
        "RULES = {",
    ]
    for code, cls in all_rules().items():
        values = (cls.__module__.rsplit(".", 1)[1], cls.name, cls.level, cls.message, cls.fix_safety,
                  cls.default_enabled, tuple(cls.kinds), cls.family, cls.external, cls.needs_service, cls.batches,
                  cls.same_as, tuple(cls.off_with), cls.buildkit, cls.check_scope, cls.docs_url,
                  cls.check_suppressions is not Rule.check_suppressions,
                  tuple(cls.needs_instructions))
        lines.append(f"    {code!r}: {values!r},")
    lines.append("}")
    return "\n".join(lines) + "\n"
