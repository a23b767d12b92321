"""What every rule declares, known without importing a rule module: the rule index.

``rule_index.py`` is generated from the rule classes (``python scripts/update_rule_index.py``;
``tests/test_rule_index.py`` fails when it is stale). A run reads it to choose the rules that will run, and then
imports only their modules (``registry.load``); ``fastlint rules``, ``fastlint rule``, the check of rule IDs in
``--select``, configuration files and pragmas, and the reports' rule links import none.
"""

from __future__ import annotations

from .ids import is_rule_id, matches, names_family, register_name
from .rule_index import RULES

FIELDS = ("module", "name", "level", "message", "fix_safety", "default_enabled", "kinds", "family", "external",
          "needs_service", "batches", "same_as", "off_with", "buildkit", "check_scope", "docs_url",
          "reviews_pragmas", "needs_instructions", "needs_words")
DL1000 = ("DL1000", "error", "Dockerfile cannot be parsed")  # the engine's own code (no rule class)
CATALOGUE_URL = "https://github.com/fastlint/fastlint/blob/main/rules/{code}.md"  # a rule's catalogue page


class RuleInfo:
    """One rule's declared attributes (``engine.rule.Rule``), as the index holds them."""

    __slots__ = ("code",) + FIELDS

    def __init__(self, code: str, values: tuple):
        self.code = code
        for field, value in zip(FIELDS, values):
            setattr(self, field, value)

    def owns(self, code: str) -> bool:
        """True when findings with this code are this rule's (``Rule.owns``)."""
        return code == self.code or (self.family and code.startswith(self.code) and code[len(self.code):].isdigit())


_ENTRIES: dict[str, RuleInfo] = {}  # made once from the generated data (constant: never changed after)
_OFF_WITH: dict[str, tuple[str, ...]] = {}  # the same, inverted: a code -> the rules turned off with it

for _code in RULES:  # every rule's code is an ID (``StageNameCasing`` in any case) before its module is imported
    register_name(_code)


def rules() -> dict[str, RuleInfo]:
    """Every rule's entry, by code, in code order."""
    if not _ENTRIES:
        _ENTRIES.update((code, RuleInfo(code, values)) for code, values in RULES.items())
    return _ENTRIES


def buildkit_checks() -> dict[str, RuleInfo]:
    """BuildKit's checks (``Rule.buildkit``) by upper-cased name."""
    return {code.upper(): info for code, info in rules().items() if info.buildkit}


def off_with(code: str) -> tuple[str, ...]:
    """The codes of the rules that declare they are turned off with this code (``Rule.off_with``)."""
    if not _OFF_WITH:
        for rule, info in rules().items():
            for twin in info.off_with:
                _OFF_WITH[twin.upper()] = _OFF_WITH.get(twin.upper(), ()) + (rule,)
        _OFF_WITH.setdefault("", ())  # made: not made again when no rule has a twin
    return _OFF_WITH.get(code.upper(), ())


def owner(code: str) -> RuleInfo | None:
    """The entry of the rule whose findings carry this code (``SC2086``: ShellCheck's), or None."""
    entries = rules()
    found = entries.get(code)
    if found is not None:
        return found
    return next((info for info in entries.values() if info.family and info.owns(code)), None)


def docs_url(code: str) -> str:
    """Where a code is documented: its rule's ``docs_url`` (the catalogue page unless the rule says otherwise)."""
    info = owner(code)
    if info is None or (info.family and code == info.code):  # a family's own code: its catalogue page
        return CATALOGUE_URL.format(code=code)
    return info.docs_url.format(code=code)


def names_own_rule(pattern: str) -> bool:
    """Whether a selection pattern selects one of fastlint's own rules: ``ALL``, an ID or a prefix of a rule's
    code (``DL30``, ``stagenamecasing``), a code of a family rule (``SC2086``), or the engine's DL1000."""
    p = pattern.strip()
    if not p or not is_rule_id(p):
        return False
    if matches(DL1000[0], [p]):
        return True
    return any(matches(code, [p]) or (info.family and names_family(code, p)) for code, info in rules().items())


def names_a_rule(pattern: str, policy=None) -> bool:
    """Whether a selection pattern selects some rule: one of fastlint's own (``names_own_rule``), one of an
    installed rule package's (the pattern and the package's prefix begin one another: ``ACME00``, ``ACME``,
    ``AC``; the package is not imported), or one of the data rules of ``policy`` (``custom_rules``)."""
    if names_own_rule(pattern):
        return True
    p = pattern.strip().upper()
    if not p:
        return False
    prefixes = _package_prefixes()
    custom = getattr(policy, "custom_rules", None)
    if custom is not None:
        prefixes.append(custom.prefix)
    return any(p.startswith(prefix.upper()) or prefix.upper().startswith(p) for prefix in prefixes)


def _package_prefixes() -> list[str]:
    """The prefixes of the installed rule packages (metadata only; with none installed, one small index file)."""
    from .entry_index import cached

    if cached() == []:
        return []
    from .packages import declared_prefixes

    return declared_prefixes()


def unknown_ids(patterns, policy=None) -> list[str]:
    """The patterns that select no rule (``names_a_rule``), as given."""
    return [p for p in patterns if not names_a_rule(p, policy)]
