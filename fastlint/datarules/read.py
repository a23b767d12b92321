"""Reading ``custom_rules:`` of a fastlint.yaml (the keys: ``fastlint/datarules/__init__.py``).

The configuration reader (``engine/config.py``) hands over the section and its position reader; every error is a
``ConfigError`` at ``fastlint.yaml:LINE:COL`` of the key or value at fault. The result is plain data
(``CustomRules``, ``DataRule``): ``checks.py`` makes the rule classes when a run needs them.
"""

from __future__ import annotations

import re

from ..engine.ids import check_prefix, is_package_code, prefix_clash

LEVELS = ("error", "warning", "info", "style")
IMAGE_KINDS = ("allowed_registries", "forbidden_registries", "allowed_images", "forbidden_images")
KINDS = ("required_label", *IMAGE_KINDS, "forbidden_instructions", "forbidden_commands", "required_instructions",
         "regex")
COMMON_KEYS = ("message", "level", "description")
EXTRA_KEYS = {"required_label": ("pattern",), "regex": ("instruction", "stages")}
STAGED = (*IMAGE_KINDS, "forbidden_instructions", "forbidden_commands")
SECTION_KEYS = ("prefix", "rules")


class DataRule:
    """One rule of ``custom_rules``: its ``code``, ``message``, ``level``, ``description``, ``kind`` (one of
    KINDS) and what the kind reads: ``values`` (labels, globs, keywords or command words), ``pattern`` (a
    compiled regex), ``instructions`` (regex: the keywords it reads, empty for all), ``stages`` (lower-cased
    names; empty for every stage); ``source``/``line``/``column`` where it is written."""

    __slots__ = ("code", "message", "level", "description", "kind", "values", "pattern", "instructions", "stages",
                 "source", "line", "column")

    def __init__(self, code: str, message: str, level: str, kind: str, source: str = "", line: int = 0,
                 column: int = 0):
        self.code = code
        self.message = message
        self.level = level
        self.description = ""
        self.kind = kind
        self.values: list = []
        self.pattern: re.Pattern | None = None
        self.instructions: list[str] = []
        self.stages: list[str] = []
        self.source = source
        self.line = line
        self.column = column


class CustomRules:
    """The section: its ``prefix`` (and where it is written, for a clash found later), its ``rules``, and their
    rule classes once a run has made them (``checks.rule_classes``)."""

    __slots__ = ("prefix", "rules", "source", "line", "column", "classes")

    def __init__(self, prefix: str, rules: list[DataRule], source: str, line: int, column: int):
        self.prefix = prefix
        self.rules = rules
        self.source = source
        self.line = line
        self.column = column
        self.classes = None


def read_custom_rules(r, data, key: str = "custom_rules") -> CustomRules:
    """The section ``data[key]``, checked; ``r`` is the configuration reader (positions and errors)."""
    section = r.mapping(data, key, SECTION_KEYS)
    for need in SECTION_KEYS:
        if need not in section:
            raise r.error(f"'{key}' needs '{need}'", r.pos(data, key))
    prefix = _prefix(r, section)
    rules_map = r.mapping(section, "rules")
    line, col = r.pos(section, "prefix", True)
    out = CustomRules(prefix, [], r.path, line, col)
    for code in rules_map:
        out.rules.append(_rule(r, rules_map, code, prefix))
    return out


def _prefix(r, section) -> str:
    value = section["prefix"]
    where = r.pos(section, "prefix", True)
    if not isinstance(value, str):
        raise r.error("'prefix' must be 2 to 8 letters, like ORG", where)
    try:
        prefix = check_prefix(value)
    except ValueError as err:
        raise r.error(str(err), where) from None
    from ..engine.packages import installed

    for pkg in installed():
        if prefix_clash(prefix, pkg.prefix):
            raise r.error(f"the prefix {prefix} clashes with the prefix {pkg.prefix} of the installed rule package "
                          f"{pkg.label}", where)
    return prefix  # an ID of the files this configuration governs only: ``pragmas.prefixes_of``, never registered


def _rule(r, rules_map, code, prefix: str) -> DataRule:
    where = r.pos(rules_map, code)
    text = str(code)
    if not is_package_code(text, prefix) or text != text.upper():
        raise r.error(f"'{text}' is not a rule ID of the prefix {prefix} ({prefix} and digits, like {prefix}001)",
                      where)
    spec = rules_map[code]
    if not isinstance(spec, dict):
        raise r.error(f"rule '{text}' must be a mapping (message:, level:, and one check)", r.pos(rules_map, code, True))
    kinds = [k for k in spec if k in KINDS]
    if len(kinds) != 1:
        found = f"{len(kinds)}: {', '.join(kinds)}" if kinds else "none"
        raise r.error(f"rule '{text}' needs exactly one check of: {', '.join(KINDS)} (found {found})", where)
    kind = kinds[0]
    allowed = (*COMMON_KEYS, kind, *EXTRA_KEYS.get(kind, ()), *(("stages",) if kind in STAGED else ()))
    for k in spec:
        if k not in allowed:
            extra = "" if k not in ("pattern", "instruction", "stages") else f" with {kind}"
            raise r.error(f"unknown key '{k}' in rule '{text}'{extra} (expected one of: {', '.join(allowed)})",
                          r.pos(spec, k))
    if "message" not in spec:
        raise r.error(f"rule '{text}' needs 'message'", where)
    message = r.string(spec, "message").strip()
    level = "warning"
    if "level" in spec:
        level = spec["level"]
        if not isinstance(level, str) or level.lower() not in LEVELS:
            raise r.error(f"'level' must be one of {', '.join(LEVELS)}", r.pos(spec, "level", True))
        level = level.lower()
    rule = DataRule(text, message, level, kind, r.path, *where)
    if "description" in spec:
        rule.description = r.string(spec, "description")
    _read_check(r, spec, kind, rule)
    if "stages" in spec:
        rule.stages = [s.lower() for s in r.str_list(spec, "stages", _nonempty("stage name"))]
    return rule


def _read_check(r, spec, kind: str, rule: DataRule) -> None:
    if kind == "required_label":
        rule.values = [r.string(spec, kind)]
        if "pattern" in spec:
            rule.pattern = _regex(r, spec, "pattern")
    elif kind in IMAGE_KINDS:
        rule.values = r.str_list(spec, kind, _nonempty("pattern"))
        if not rule.values:
            raise r.error(f"'{kind}' must list at least one pattern", r.pos(spec, kind, True))
    elif kind in ("forbidden_instructions", "required_instructions"):
        rule.values = [v.upper() for v in r.str_list(spec, kind, _keyword)]
        if not rule.values:
            raise r.error(f"'{kind}' must list at least one instruction", r.pos(spec, kind, True))
    elif kind == "forbidden_commands":
        rule.values = [v.split() for v in r.str_list(spec, kind, _nonempty("command"))]
        if not rule.values:
            raise r.error(f"'{kind}' must list at least one command", r.pos(spec, kind, True))
    elif kind == "regex":
        rule.pattern = _regex(r, spec, "regex")
        if "instruction" in spec:
            rule.instructions = [v.upper() for v in r.str_list(spec, "instruction", _keyword)]


def _regex(r, spec, key: str) -> re.Pattern:
    text = r.string(spec, key)
    try:
        return re.compile(text)
    except re.error as err:
        raise r.error(f"'{key}' is not a regular expression: {err}", r.pos(spec, key, True)) from None


def _nonempty(what: str):
    def check(value: str) -> str | None:
        return None if value.strip() else f"an empty {what}"
    return check


def _keyword(value: str) -> str | None:
    from ..parser import INSTRUCTIONS

    if value.strip().upper() in INSTRUCTIONS:
        return None
    return f"'{value}' is not an instruction (like RUN, ADD, HEALTHCHECK)"


# -- the section's JSON Schema (for the fastlint.yaml schema editors read) ---------------------------------------
def json_schema() -> dict:
    """The JSON Schema (draft-07) of ``custom_rules``: what ``read_custom_rules`` accepts, as far as a schema can
    say it (a clash with an installed package's prefix is known only at run time)."""
    from ..parser import INSTRUCTIONS

    def any_case(words) -> str:
        return "^(" + "|".join("".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in w)
                               for w in words) + ")$"

    def strings(item: dict, min_items: int = 1) -> dict:
        return {"anyOf": [{"type": "array", "items": item, "minItems": min_items}, item]}

    text = {"type": "string", "minLength": 1}
    nonblank = {"type": "string", "pattern": r"\S"}
    keyword = {"type": "string", "pattern": any_case(INSTRUCTIONS)}
    checks = {
        "required_label": (text, "The label the image must set (in the stage that becomes the image)."),
        "allowed_registries": (strings(nonblank), "The registries base images may come from (globs; docker.io is "
                                                  "Docker Hub)."),
        "forbidden_registries": (strings(nonblank), "The registries base images may not come from (globs)."),
        "allowed_images": (strings(nonblank), "Globs of the base images allowed (node:*, registry.acme.io/base/*)."),
        "forbidden_images": (strings(nonblank), "Globs of the base images forbidden (*:latest)."),
        "forbidden_instructions": (strings(keyword), "Instructions that may not be used (ADD, MAINTAINER)."),
        "forbidden_commands": (strings(nonblank), "Commands RUN may not run, by name and first operands "
                                                  "('npm install', sudo)."),
        "required_instructions": (strings(keyword), "Instructions the stage that becomes the image must have."),
        "regex": (text, "A regular expression: a finding where it matches an instruction's arguments."),
    }
    extras = {
        "pattern": (text, "A regular expression the label's whole value must match."),
        "instruction": (strings(keyword), "The instructions whose arguments the regex reads (default: all)."),
        "stages": (strings(nonblank), "Only these stages, by AS name; the stage that becomes the image also "
                                      "answers to the policy's last stage name (production)."),
    }
    common = {
        "message": (text, "The finding's message; {image}, {registry}, {label}, {value}, {instruction}, {command}, "
                          "{match}, {stage} name what was found."),
        "level": ({"type": "string", "pattern": any_case(LEVELS)}, "error, warning (default), info or style."),
        "description": (text, "What the rule is for (fastlint rule ID prints it)."),
    }

    def kind_schema(kind: str) -> dict:
        keys = {**common, kind: checks[kind]}
        for name in EXTRA_KEYS.get(kind, ()) + (("stages",) if kind in STAGED else ()):
            keys[name] = extras[name]
        return {"type": "object", "required": ["message", kind], "additionalProperties": False,
                "properties": {name: {**schema, "description": doc} for name, (schema, doc) in keys.items()}}

    return {
        "type": "object",
        "description": "Your own simple rules, without Python: each with its ID (the prefix and digits), message, "
                       "level and one check.",
        "required": list(SECTION_KEYS),
        "additionalProperties": False,
        "properties": {
            "prefix": {"type": "string", "pattern": "^[A-Za-z]{2,8}$",
                       "description": "The rules' prefix: 2 to 8 letters, not DL, SC, FL, ALL or an installed rule "
                                      "package's."},
            "rules": {"type": "object", "description": "The rules, by ID (the prefix and digits: ORG001).",
                      "propertyNames": {"pattern": "^[A-Z]{2,8}[0-9]+$"},
                      "additionalProperties": {"oneOf": [kind_schema(k) for k in KINDS]}},
        },
    }
