"""The one rule registry: fastlint's own rules and the rule packages' (``fastlint.engine.packages``).

* A rule module under ``fastlint/rules/`` registers its class with ``@register``. A run imports only the modules
  of the rules that will run (``load``), chosen from the rule index (``engine/index.py``: what every rule
  declares, generated from the classes by ``index_source``); ``all_rules()`` imports every module of the package
  once (the catalogue, the tests, the generator): fastlint's own rules only, what the catalogue under ``rules/``
  documents. Adding a rule touches one module, its catalogue page, and the generated index.
* A rule package's rules are loaded when they are wanted: ``package_rules_wanted(wanted)`` gives those of the
  packages whose prefix ``wanted(prefix)`` accepts, importing only those packages; ``known_rules(wanted)`` gives
  fastlint's rules beside them. ``rule_for(code)`` finds the rule of any code, loading at most the one module or
  package it comes from.
* A package that cannot be loaded (its module fails to import, ``RULES`` is not a list of rule classes, a code
  without the package's prefix, a code twice) is one line of warning naming it; its rules do not run, the others
  do. A package rule that raises while it checks a file is one line of warning too; its hits on that call are
  dropped and the run goes on.
"""

from __future__ import annotations

import importlib
import os
import sys

from .ids import is_code, matches, prefix_clash, register_name  # noqa: F401  (matches: re-exported for callers)
from .index import DL1000, FIELDS, RULES, names_a_rule, unknown_ids  # noqa: F401  (re-exported for callers)
from .rule import Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (start-up time)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Callable

_RULES: dict[str, type[Rule]] = {}
_LOADED = False
PACKAGE = "fastlint.rules"


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
            importlib.import_module(f"{PACKAGE}.{name}")
        _LOADED = True
    return dict(sorted(_RULES.items()))


def load(rules) -> list[type[Rule]]:
    """The classes of these rules, in the order given: codes or entries of the rule index (only their modules
    are imported), or rule classes already loaded (a rule package's, the policy's data rules)."""
    out = []
    for item in rules:
        if isinstance(item, type):
            out.append(item)
            continue
        code = item if isinstance(item, str) else item.code
        cls = _RULES.get(code)
        if cls is None:
            importlib.import_module(f"{PACKAGE}.{RULES[code][0]}")
            cls = _RULES[code]
        out.append(cls)
    return out


def rule_for(code: str) -> type[Rule] | None:
    """The rule whose findings carry this code: the rule of that code, or the family rule it belongs to
    (``SC2086``: ShellCheck); a package's rule (only that package is loaded). Only that rule's module is
    imported."""
    from .index import owner

    info = owner(code)
    if info is not None:
        return load([info.code])[0]
    pkg = package_of(code)
    return package_rules(pkg).get(code.upper()) if pkg is not None else None


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
                  tuple(cls.needs_instructions), tuple(cls.needs_words))
        lines.append(f"    {code!r}: {values!r},")
    lines.append("}")
    return "\n".join(lines) + "\n"


# -- rule packages -----------------------------------------------------------------------------------------------
# (the installed rule packages that may load, the clashes of the others with fastlint's rule names): the same for
# every run of the process, as the rules are
_PACKAGES: tuple[list, list[str]] | None = None


def installed_packages() -> list:
    """The installed rule packages that may load (``packages.RulePackage``): valid prefixes that clash with no
    other package's and with no name of fastlint's rules (BuildKit's checks). Metadata only: no package is
    imported; with none installed, a run reads one small index file (``entry_index``) and nothing else."""
    return _packages()[0]


def _packages() -> tuple[list, list[str]]:
    global _PACKAGES
    if _PACKAGES is None:
        from .entry_index import cached

        if cached() == []:  # nothing installed, as the index knows: not even packages.py is imported
            _PACKAGES = ([], [])
            return _PACKAGES
        from . import packages

        found = packages.installed()
        names = [code for code in RULES if not is_code(code)] if found else []
        ok, clashes = [], []
        for pkg in found:
            clash = next((n for n in names if prefix_clash(pkg.prefix, n)), None)
            if clash is not None:
                clashes.append(f"rule package {pkg.label} declares the prefix {pkg.prefix}, which clashes with "
                               f"fastlint's rule {clash}; not loaded")
            else:
                ok.append(pkg)
        _PACKAGES = (ok, clashes)
    return _PACKAGES


def package_errors() -> list[str]:
    """The rule packages' clashes (one line each): a command reports them as errors (exit code 2), every run."""
    _, clashes = _packages()
    packages = sys.modules.get(f"{__package__}.packages")
    return (packages.errors() if packages is not None else []) + clashes


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


def package_rules_wanted(wanted: Callable[[str], bool] | None = None) -> dict[str, type[Rule]]:
    """The rules of the installed packages whose prefix ``wanted(prefix)`` accepts (every package when None), by
    code. Only those packages are imported; none at all when no package is installed."""
    out: dict[str, type[Rule]] = {}
    for pkg in installed_packages():
        if wanted is None or wanted(pkg.prefix):
            out.update(package_rules(pkg))
    return out


def known_rules(wanted: Callable[[str], bool] | None = None) -> dict[str, type[Rule]]:
    """fastlint's rules (every module imported) and those of the installed packages whose prefix
    ``wanted(prefix)`` accepts (every package when None), by code, in code order."""
    out = all_rules()
    extra = package_rules_wanted(wanted)
    return dict(sorted({**out, **extra}.items())) if extra else out


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
