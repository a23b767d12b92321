"""hadolint's options, with hadolint 2.15's meaning, mapped onto fastlint's Policy and Selection.

hadolint reads the same settings from three places and merges them: its ``HADOLINT_*`` environment variables,
its configuration file, and its command line. Lists add up (``--ignore A --ignore B``, the config's ``ignored``
and ``HADOLINT_IGNORE`` all apply); a yes/no setting or the failure threshold given in a later place wins
(environment < configuration file < command line); a rule given several levels gets the most severe one.

``Overrides`` holds one place's settings. ``from_environment`` and ``from_command_line`` read them; ``apply``
lays them over the Policy of a file (a copy: policies are shared between files); the configuration file's own
settings are already in that Policy (``engine.config.load_hadolint``); ``Settings`` holds both places for a run
(``api.check(hadolint=...)``). The run-wide settings (output formats, no-fail, colour, verbose) end in the
Policy's ``run`` settings, the failure threshold in its ``failure_threshold``: the command reads them there.

The profile ``hadolint`` (hadolint's rules alone, with its defaults) is made here too (``profile``).
"""

from __future__ import annotations

LEVELS = ("error", "warning", "info", "style")
RANK = {"error": 4, "warning": 3, "info": 2, "style": 1}
TRUTHY = ("1", "y", "on", "true", "yes")
LABEL_TYPES = ("email", "hash", "text", "rfc3339", "semver", "spdx", "url")
THRESHOLDS = ("error", "warning", "info", "style", "ignore", "none")


HADOLINT_FAMILIES = ("DL", "SC")  # hadolint's own rules and ShellCheck's codes (and the engine's DL1000)


def is_hadolint_rule(code: str) -> bool:
    return code.upper().startswith(HADOLINT_FAMILIES)


def profile(p):
    """A built-in Policy made hadolint's (``--profile hadolint``): its rules only, none of them turned off, no
    service matrix."""
    from .rule_index import RULES

    p.profile = "hadolint"
    p.disabled = {code: "not one of hadolint's rules (profile hadolint)" for code in RULES
                  if not is_hadolint_rule(code)}
    p.services = {}
    return p


def threshold_level(value: str) -> str:
    """hadolint's failure threshold as fastlint's ``--fail-on`` level. ``ignore`` and ``none`` are hadolint's
    lowest severity, below style: every finding fails, as with ``--fail-on style``."""
    value = value.strip().lower()
    return "style" if value in ("ignore", "none") else value


class Overrides:
    """One place's hadolint settings; None where that place says nothing."""

    def __init__(self):
        self.ignore: list[str] = []
        self.levels: dict[str, list[str]] = {lv: [] for lv in LEVELS}
        self.trusted_registries: list[str] = []
        self.label_schema: dict[str, str] = {}
        self.strict_labels: bool | None = None
        self.disable_ignore_pragma: bool | None = None
        self.failure_threshold: str | None = None  # already a --fail-on level (threshold_level)
        self.no_fail: bool | None = None
        self.no_color: bool | None = None
        self.verbose: bool | None = None
        self.formats: list[str] = []

    def empty(self) -> bool:
        return self.__dict__ == Overrides().__dict__


def codes(values) -> list[str]:
    """Rule codes from repeated options or comma-separated lists (``--ignore A,B --ignore C``)."""
    return [c.strip().upper() for v in values for c in v.split(",") if c.strip()]


def label_schema(items, problems: list[str] | None = None, source: str = "--require-label") -> dict[str, str]:
    """``name:type`` items (``maintainer:text``); a missing type is ``text``, as in hadolint. A bad type is a
    problem (``problems`` collects them; hadolint stops on it on the command line, skips it in the environment)."""
    schema: dict[str, str] = {}
    for item in items:
        name, _, kind = item.partition(":")
        kind = kind.strip() or "text"
        if kind not in LABEL_TYPES:
            if problems is not None:
                problems.append(f"{source} {item!r}: the label type must be one of {', '.join(LABEL_TYPES)}")
            continue
        schema[name.strip()] = kind
    return schema


def from_command_line(levels: dict[str, list[str]], trusted_registries: list[str], require_labels: list[str],
                      strict_labels: bool, disable_ignore_pragma: bool, failure_threshold: str | None,
                      no_fail: bool, no_color: bool, verbose: bool) -> tuple[Overrides, list[str]]:
    """hadolint's options as given on the command line (repeated options as lists; a flag not given is False);
    the problems are usage errors."""
    o, problems = Overrides(), []
    for level in LEVELS:
        o.levels[level] = codes(levels.get(level, []))
    o.trusted_registries = [r.strip() for v in trusted_registries for r in v.split(",") if r.strip()]
    o.label_schema = label_schema(require_labels, problems)
    o.strict_labels = True if strict_labels else None
    o.disable_ignore_pragma = True if disable_ignore_pragma else None
    if failure_threshold:
        o.failure_threshold = threshold_level(failure_threshold)
    o.no_fail = True if no_fail else None
    o.no_color = True if no_color else None
    o.verbose = True if verbose else None
    return o, problems


def named_codes(o: Overrides) -> list[str]:
    """The rule IDs a place names (its ignore list and its levels), to check that they name rules."""
    return [*o.ignore, *(c for level in LEVELS for c in o.levels[level])]


def drop_codes(o: Overrides, bad: list[str]) -> None:
    """Leave out the rule IDs that name no rule (the environment's: a warning, not an error)."""
    o.ignore = [c for c in o.ignore if c not in bad]
    for level in LEVELS:
        o.levels[level] = [c for c in o.levels[level] if c not in bad]


def from_environment(environ) -> tuple[Overrides, list[str]]:
    """The ``HADOLINT_*`` variables (and ``NO_COLOR``) as hadolint reads them; problems as warnings to print."""
    o, problems = Overrides(), []

    def truthy(name: str) -> bool | None:
        v = environ.get(name)
        return None if v is None else v.strip().lower() in TRUTHY

    def listed(name: str) -> list[str]:
        v = environ.get(name)
        return [x.strip() for x in v.split(",") if x.strip()] if v else []

    o.no_fail = truthy("HADOLINT_NOFAIL")
    o.no_color = True if "NO_COLOR" in environ else None
    o.verbose = truthy("HADOLINT_VERBOSE")
    from ..report import HADOLINT_FORMATS

    for fmt in listed("HADOLINT_FORMAT"):
        if fmt in HADOLINT_FORMATS:
            o.formats.append(fmt)
        else:
            problems.append(f"HADOLINT_FORMAT: unknown format {fmt!r} (not used)")
    for level in LEVELS:
        o.levels[level] = codes(listed(f"HADOLINT_OVERRIDE_{level.upper()}"))
    o.ignore = codes(listed("HADOLINT_IGNORE"))
    o.trusted_registries = listed("HADOLINT_TRUSTED_REGISTRIES")
    o.label_schema = label_schema(listed("HADOLINT_REQUIRE_LABELS"), problems, "HADOLINT_REQUIRE_LABELS")
    o.strict_labels = truthy("HADOLINT_STRICT_LABELS")
    o.disable_ignore_pragma = truthy("HADOLINT_DISABLE_IGNORE_PRAGMA")
    threshold = environ.get("HADOLINT_FAILURE_THRESHOLD")
    if threshold is not None:
        if threshold.strip().lower() in THRESHOLDS:
            o.failure_threshold = threshold_level(threshold)
        else:
            problems.append(f"HADOLINT_FAILURE_THRESHOLD: {threshold!r} is not one of {', '.join(THRESHOLDS)} "
                            "(not used)")
    return o, problems


def apply(policy, o: Overrides, over_config: bool):
    """``policy`` with the settings of ``o`` laid over it (a copy; the same object when ``o`` says nothing).

    ``over_config``: the command line (it wins over the configuration file); else the environment, whose yes/no
    settings count only where the file does not set them (``policy.explicit`` names what the file set)."""
    if o.empty():
        return policy
    import copy

    p = copy.copy(policy)
    p.severity = dict(policy.severity)
    p.hadolint_levels = set(policy.hadolint_levels)
    for level in LEVELS:
        for code in o.levels[level]:
            current = p.severity.get(code)
            if code in p.hadolint_levels and current in RANK and RANK[current] > RANK[level]:
                continue  # hadolint: the most severe level given for a rule wins
            p.severity[code] = level
            p.hadolint_levels.add(code)
    if o.trusted_registries:
        p.trusted_registries = [*policy.trusted_registries,
                                *(r for r in o.trusted_registries if r not in policy.trusted_registries)]
    if o.label_schema:
        p.label_schema = {**o.label_schema, **policy.label_schema} if not over_config else \
            {**policy.label_schema, **o.label_schema}

    if o.ignore:
        p.ignore = [*policy.ignore, *o.ignore]

    def given(key: str) -> bool:
        return over_config or key not in policy.explicit

    if o.strict_labels is not None and given("strict_labels"):
        p.strict_labels = o.strict_labels
    if o.disable_ignore_pragma is not None and given("allow_pragmas"):
        p.allow_pragmas = not o.disable_ignore_pragma
    if o.failure_threshold is not None and (over_config or policy.failure_threshold is None):
        p.failure_threshold = o.failure_threshold
    p.run = dict(policy.run)
    for key, value in (("no_fail", o.no_fail), ("no_color", o.no_color), ("verbose", o.verbose)):
        if value is not None and (over_config or key not in policy.run):
            p.run[key] = value
    if o.formats:  # lists add up: the environment's, the file's, the command line's
        p.run["formats"] = [*policy.run.get("formats", []), *o.formats] if over_config else \
            [*o.formats, *policy.run.get("formats", [])]
    return p


class Settings:
    """hadolint's settings given outside the configuration file, laid over each file's Policy: the ``HADOLINT_*``
    environment under the file's settings, the command line over them (``api.check(hadolint=...)``)."""

    def __init__(self, environment: Overrides | None = None, command_line: Overrides | None = None):
        self.environment = environment if environment is not None else Overrides()
        self.command_line = command_line if command_line is not None else Overrides()
        self._made: dict[int, tuple[object, object]] = {}  # id(policy) -> (policy, the policy with the settings)

    def over(self, policy):
        """``policy`` with these settings (one object per policy: files sharing a policy share the result)."""
        made = self._made.get(id(policy))
        if made is None:
            made = self._made[id(policy)] = (policy, apply(apply(policy, self.environment, over_config=False),
                                                           self.command_line, over_config=True))
        return made[1]
