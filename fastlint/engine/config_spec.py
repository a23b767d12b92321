"""The keys of ``fastlint.yaml``, declared once: each key's type, allowed values, default and docs.

Two readers use this one definition, so they cannot drift apart:

* ``config.load_config`` checks a file against it (``FASTLINT_YAML.read``: every error names the file's
  ``LINE:COL``), then turns the checked values into a ``Policy``;
* ``json_schema()`` makes the JSON Schema editors use (``schema/fastlint.schema.json``: ``config_schema.py``
  adds the registered rules' names; ``scripts/update_schema.py`` writes it; a test fails when the file and this
  definition differ).

Adding a key to fastlint.yaml is one step here (a ``Key`` in its section) plus the code that uses its value in
``config.load_config``; then ``python scripts/update_schema.py``. A key that ``load_config`` reads but that is not
declared here is rejected as unknown before it is read.

The types read a file through ``config._Reader`` (``r``: positions, ``r.error(message, (line, col))``, which
makes a ``ConfigError``). This module is imported only when a configuration file is read, or the schema made.

A type checks a value and says what it is in JSON Schema: ``Text``, ``Integer``, ``Boolean``, ``Choice``,
``Level``, ``Quantity``, ``Strings`` (a list of strings, or one string), ``RuleIds``, ``Section`` (a mapping of
declared keys), ``MapOf`` (a mapping of free names to values of one type), ``AnyOf``. The checks give the
messages the command line has always printed (``'port' must be an integer from 1 to 65535``).
"""

from __future__ import annotations

import re

from ..policy import builtin
from .checks import NAMES as BUILDKIT_CHECKS

SCHEMA_ID = "https://raw.githubusercontent.com/fastlint/fastlint/main/schema/fastlint.schema.json"
SCHEMA_PATH = "schema/fastlint.schema.json"  # in the repository
LEVELS = ("error", "warning", "info", "style")
LEVELS_OFF = LEVELS + ("off", "none")


def _any_case(words: tuple[str, ...]) -> str:
    """A JSON Schema pattern matching these words in any case (JSON Schema's patterns have no ``(?i)``)."""
    def letters(w: str) -> str:
        return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in w)

    return "^(" + "|".join(letters(w) for w in words) + ")$"


class Type:
    """What a value may be. ``read(r, value, at, name)`` returns the checked value or raises the reader's error
    at ``at`` (line, col); ``schema()`` is the JSON Schema of the same values; ``shape``: the Python types of the
    values it may take (how ``AnyOf`` picks the type whose message to give)."""

    shape: tuple = (str,)

    def read(self, r, value, at: tuple[int, int], name: str):
        raise NotImplementedError

    def read_in(self, r, parent, key):
        """Read ``parent[key]`` (what a ``Section`` calls; a type that needs the mapping itself overrides it)."""
        return self.read(r, parent[key], r.pos(parent, key, True), str(key))

    def schema(self, ctx: dict) -> dict:
        raise NotImplementedError


class Text(Type):
    """A non-empty string."""

    def read(self, r, value, at, name):
        if not isinstance(value, str) or not value:
            raise r.error(f"'{name}' must be a non-empty string", at)
        return value

    def schema(self, ctx: dict) -> dict:
        return {"type": "string", "minLength": 1}


class Integer(Type):

    shape = (int,)

    def __init__(self, low: int = 0, high: int = 1 << 31):
        self.low, self.high = low, high

    def read(self, r, value, at, name):
        if isinstance(value, bool) or not isinstance(value, int) or not self.low <= value <= self.high:
            raise r.error(f"'{name}' must be an integer from {self.low} to {self.high}", at)
        return value

    def schema(self, ctx: dict) -> dict:
        return {"type": "integer", "minimum": self.low, "maximum": self.high}


class Boolean(Type):

    shape = (bool,)

    def read(self, r, value, at, name):
        if not isinstance(value, bool):
            raise r.error(f"'{name}' must be true or false", at)
        return value

    def schema(self, ctx: dict) -> dict:
        return {"type": "boolean"}


class Choice(Type):
    """One of some words, in any case; read in lower case."""

    def __init__(self, *values: str):
        self.values = values

    def message(self, name: str) -> str:
        return f"'{name}' must be {' or '.join(self.values)}" if len(self.values) == 2 else \
            f"'{name}' must be one of {', '.join(self.values)}"

    def read(self, r, value, at, name):
        if not isinstance(value, str) or value.lower() not in self.values:
            raise r.error(self.message(name), at)
        return value.lower()

    def schema(self, ctx: dict) -> dict:
        # the enum for editors' completion; the pattern for the same words in another case, as the reader takes them
        return {"type": "string", "anyOf": [{"enum": list(self.values)}, {"pattern": _any_case(self.values)}]}


class Level(Choice):
    """A level (``error``, ``warning``, ``info``, ``style``), or ``off``/``none`` where a rule may be turned off."""

    def __init__(self, off: bool = True):
        super().__init__(*(LEVELS_OFF if off else LEVELS))

    def message(self, name: str) -> str:
        return f"'{name}': level must be one of {', '.join(self.values)}"


class Quantity(Type):
    """A Kubernetes memory quantity such as ``512Mi``."""

    PATTERN = r"^\d+(\.\d+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$"

    def read(self, r, value, at, name):
        if not isinstance(value, str) or not re.match(self.PATTERN, value):
            raise r.error(f"'{name}' must be a Kubernetes quantity such as 512Mi", at)
        return value

    def schema(self, ctx: dict) -> dict:
        return {"type": "string", "pattern": self.PATTERN}


class Strings(Type):
    """A list of strings (one string is a list of one); ``min_items``: how many it needs."""

    shape = (list, str)

    def __init__(self, min_items: int = 0, too_few: str = ""):
        self.min_items, self.too_few = min_items, too_few

    def item(self, r, v, at, name) -> str:
        if not isinstance(v, str):
            raise r.error(f"'{name}' entries must be strings", at)
        return v

    def read(self, r, value, at, name):
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list):
            raise r.error(f"'{name}' must be a list", at)
        out = [self.item(r, v, r.item_pos(value, i) if value is items else at, name) for i, v in enumerate(items)]
        if len(out) < self.min_items:
            raise r.error(self.too_few or f"'{name}' needs at least {self.min_items} entries", at)
        return out

    def item_schema(self, ctx: dict) -> dict:
        return {"type": "string"}

    def schema(self, ctx: dict) -> dict:
        item = self.item_schema(ctx)
        many = {"type": "array", "items": item}
        if self.min_items:
            many["minItems"] = self.min_items
        return {"anyOf": [many, item]}


def rule_id_pattern(ctx: dict) -> str:
    """The rule-ID grammar (``fastlint.engine.ids``) as a JSON Schema pattern: a code of DL, SC or FL (or a prefix
    of one), in any case; a BuildKit-style CamelCase name; ``ALL``; and, in any case, the registered rules' names
    given in ``ctx["rule_names"]`` (``StageNameCasing``, ``JSONArgsRecommended``: ``config_schema.py`` takes them
    from the registry).
    and any code-shaped word (a rule package's or a data rule's code) or family prefix alone written in capitals
    (``ORG``: ``custom_rules``' prefix, a package's), as ``ids.looks_like_id`` takes them (the loader warns when
    one names no rule)."""
    from .ids import _CAMEL, _PREFIX, BUILTIN_PREFIXES

    codes = _any_case(BUILTIN_PREFIXES)[:-2] + ")[0-9]*$"  # "^(dl|sc|fl)" in any case, then digits
    odd = tuple(ctx.get("rule_names", ()))
    names = f"|{_any_case(odd)}" if odd else ""
    shaped = "^[A-Za-z]{2,8}[0-9]+$"  # a code of any family (a rule package's, a data rule's: ACME001, ORG002)
    prefix = _PREFIX.pattern  # a family prefix alone, in capitals (a data rule's or a package's: ORG, ACME)
    return f"{codes}|{_any_case(('ALL',))}|{_CAMEL.pattern}|{shaped}|{prefix}{names}"


class RuleIds(Strings):
    """A list of rule IDs or prefixes (``DL3008``, ``DL30``, ``FL4``, ``StageNameCasing``, ``ALL``)."""

    def item(self, r, v, at, name) -> str:
        v = super().item(r, v, at, name)
        message = rule_id_error(v)
        if message:
            raise r.error(message, at)
        r.ids.append((v.strip(), at))
        return v.strip()

    def item_schema(self, ctx: dict) -> dict:
        return {"$ref": "#/definitions/ruleId"}


class RuleId(Type):
    """One rule ID or prefix (a mapping's key: ``severity: {DL3008: info}``)."""

    @staticmethod
    def message(v) -> str:
        return f"'{v}' is not a rule ID or prefix (like DL3008, DL30, FL4, SC2086, StageNameCasing)"

    def read(self, r, value, at, name):
        message = rule_id_error(str(value))
        if message:
            raise r.error(message, at)
        r.ids.append((str(value).strip(), at))
        return str(value).strip()

    def schema(self, ctx: dict) -> dict:
        return {"$ref": "#/definitions/ruleId"}


def rule_id_error(v: str) -> str | None:
    """Why ``v`` is not a rule ID or prefix, else None: an ID of a known family, a rule's name, or a word shaped
    like a code (``XX12``: ``config.load_config`` warns when it names no rule), or the prefix of an installed
    rule package or of the file's ``custom_rules`` (read first)."""
    from .ids import looks_like_id
    from .index import names_a_rule

    return None if looks_like_id(v) or names_a_rule(v) else RuleId.message(v)


class AnyOf(Type):
    """One of several types (``check: "skip=A;error=true"`` or ``check: {skip: [A]}``): the first that takes the
    value; ``message`` when none does (``{name}`` is the key)."""

    def __init__(self, *types: Type, message: str = "'{name}' has a value of the wrong type"):
        self.types, self.message = types, message

    def read(self, r, value, at, name):
        fitting = [t for t in self.types if isinstance(value, t.shape)]
        if len(fitting) == 1:  # one type of this shape (a mapping, a list...): its own message says what is wrong
            return fitting[0].read(r, value, at, name)
        for t in fitting:
            try:
                return t.read(r, value, at, name)
            except r.Error:  # the reader's ConfigError: try the next type
                continue
        raise r.error(self.message.format(name=name), at)

    @property
    def shape(self) -> tuple:
        return tuple(k for t in self.types for k in t.shape)

    def schema(self, ctx: dict) -> dict:
        return {"anyOf": [t.schema(ctx) for t in self.types]}


class Names(Strings):
    """A list of names from a fixed set (BuildKit's checks), in any case; read as the set writes them."""

    def __init__(self, names: tuple[str, ...], what: str):
        super().__init__()
        self.names, self.what = names, what

    def item(self, r, v, at, name) -> str:
        v = super().item(r, v, at, name)
        by_upper = {n.upper(): n for n in self.names}
        if v.upper() not in by_upper:
            raise r.error(f"'{v}' is not one of {self.what}", at)
        return by_upper[v.upper()]

    def item_schema(self, ctx: dict) -> dict:
        return {"type": "string", "anyOf": [{"enum": list(self.names)}, {"pattern": _any_case(self.names)}]}


class BuildKitCheck(Type):
    """BuildKit's check option as one string, as the BUILDKIT_DOCKERFILE_CHECK build argument and the
    ``# check=`` directive write it (``skip=A,B;experimental=C;error=true``), read as BuildKit reads it."""

    def read(self, r, value, at, name):
        from .checks import NAMES, CheckConfig, CheckOptionError

        if not isinstance(value, str):
            raise r.error(f"'{name}' must be a string", at)
        try:
            cfg = CheckConfig.parse(value)
        except CheckOptionError as err:
            raise r.error(f"'{name}': {err}", at) from None
        known = {n.upper() for n in NAMES}
        for check in cfg.skip + cfg.experimental:
            if check.upper() not in known:
                raise r.error(f"'{name}': '{check}' is not one of BuildKit's checks", at)
        return value

    def schema(self, ctx: dict) -> dict:
        return {"type": "string", "pattern": r"^\s*((skip|experimental|error)\s*=[^;]*)?(;\s*(skip|experimental|error)"
                                              r"\s*=[^;]*){0,2}\s*$"}


class DataRules(Type):
    """``custom_rules``: read and described by ``fastlint/datarules/read.py`` (its own reader, with the
    positions of the mapping it is in, and its own JSON Schema)."""

    shape = (dict,)

    def read_in(self, r, parent, key):
        from ..datarules.read import read_custom_rules

        return read_custom_rules(r, parent, key)

    def schema(self, ctx: dict) -> dict:
        from ..datarules.read import json_schema

        return json_schema()


class Key:
    """A key of a section: its name, type, docs; ``required``; ``default``: the built-in policy's value (for the
    schema's docs; the reader does not fill it in); ``first``: read before the other keys."""

    def __init__(self, name: str, type: Type, doc: str, required: bool = False, default=None,
                 first: bool = False):
        self.name, self.type, self.doc, self.required, self.default = name, type, doc, required, default
        self.first = first  # read before the section's other keys (custom_rules: its prefix makes IDs)


class Section(Type):
    """A mapping of declared keys; any other key is an error. ``label``: how a message names the mapping when
    it is a value of a ``MapOf`` (``service 'web' needs 'port'``)."""

    shape = (dict,)

    def __init__(self, *keys: Key, doc: str = ""):
        self.keys = {k.name: k for k in keys}
        self.doc = doc

    def read(self, r, value, at, name, label: str = "", key_at: tuple[int, int] | None = None):
        """``name`` None: the file's top level. ``key_at``: where the mapping's own key is (for a missing key)."""
        what = f"{label} '{name}'" if label else f"'{name}'"
        if not isinstance(value, dict):
            raise r.error(f"{what} must be a mapping", at)
        for k in value:
            if k not in self.keys:
                where = "" if name is None else f" in '{name}'"
                raise r.error(f"unknown key '{k}'{where} (expected one of: {', '.join(self.keys)})", r.pos(value, k))
        for key in self.keys.values():
            if key.required and key.name not in value:
                raise r.error(f"{what} needs '{key.name}'", key_at or at)
        out = {}
        for k in sorted(value, key=lambda k: not self.keys[k].first):  # the file's order, ``first`` keys before
            out[k] = self.keys[k].type.read_in(r, value, k)
        return out

    def schema(self, ctx: dict) -> dict:
        props = {}
        for key in self.keys.values():
            s = dict(key.type.schema(ctx))
            s["description"] = key.doc
            if key.default is not None:
                s["default"] = key.default
            props[key.name] = s
        out = {"type": "object", "properties": props, "additionalProperties": False}
        required = [k.name for k in self.keys.values() if k.required]
        if required:
            out["required"] = required
        return out


class MapOf(Type):
    """A mapping of free names (``key``: their type, default any string) to values of one type (``value``);
    ``label`` names a value in messages (``service``)."""

    shape = (dict,)

    def __init__(self, value: Type, key: Type | None = None, label: str = ""):
        self.value, self.key, self.label = value, key, label

    def read(self, r, value, at, name):
        if not isinstance(value, dict):
            raise r.error(f"'{name}' must be a mapping", at)
        out = {}
        for k in value:
            if self.key is not None:
                self.key.read(r, k, r.pos(value, k), name)
            where = r.pos(value, k, True)
            if isinstance(self.value, Section):
                out[k] = self.value.read(r, value[k], where, str(k), label=self.label, key_at=r.pos(value, k))
            else:
                out[k] = self.value.read(r, value[k], where, str(k))
        return out

    def schema(self, ctx: dict) -> dict:
        out = {"type": "object", "additionalProperties": self.value.schema(ctx)}
        if self.key is not None:
            out["propertyNames"] = self.key.schema(ctx)
        return out


# -- fastlint.yaml ------------------------------------------------------------------------------------------------
_SERVICE = Section(
    Key("type", Choice("grpc", "http"), "grpc or http: which health check and port rules apply.", required=True),
    Key("port", Integer(1, 65535), "The port the service listens on (EXPOSE, health checks).", required=True),
    Key("memory", Quantity(), "The container's memory, a Kubernetes quantity such as 512Mi (FL701)."),
    Key("health_service", Text(), "gRPC: the service name grpc_health_probe asks for (-service=...)."),
)

FASTLINT_YAML = Section(
    Key("profile", Choice("fast", "hadolint"),
        "The built-in policy the file starts from: fast (the standard's rules and hadolint's) or hadolint "
        "(hadolint's rules alone, with hadolint's defaults).", default="fast"),
    Key("policy", Section(
        Key("stages", Strings(min_items=1, too_few="'stages' must name at least one stage"),
            "The stages of the standard, in order (FL101).", default=builtin.STAGES),
        Key("bases", MapOf(Text()), "The base image of each stage, by stage name (FL102, FL201).",
            default=builtin.BASES),
        Key("allowed_images", Strings(), "More base images FL201 accepts besides the bases."),
        Key("user", Section(
            Key("name", Text(), "The user's name."),
            Key("uid", Integer(1, 2**31), "The user's uid."),
            Key("gid", Integer(1, 2**31), "The user's gid."),
        ), "The non-root user the production stage runs as (FL301, FL302) and Kubernetes runs the pod as (FL702).",
            default=builtin.USER),
        Key("budgets", Section(
            Key("max_size_mb", Integer(1), "The largest production image, in MB."),
            Key("max_layers", Integer(1), "The most layers of the production image."),
        ), "What `fastlint verify` accepts for the production image.", default=builtin.BUDGETS),
        Key("target", Text(), "The stage that becomes the image (default: the last)."),
    ), "The build standard: stages, base images, user, budgets. Each part given replaces the built-in one."),
    Key("services", MapOf(_SERVICE, label="service"),
        "The service matrix, by service name: a Dockerfile belongs to the service named by its folder (or by a "
        "`# fastlint: service=NAME` comment). Entries replace the built-in entry of the same name."),
    Key("rules", Section(
        Key("ignore", RuleIds(), "Rule IDs or prefixes turned off (DL3008, DL30, FL4)."),
        Key("select", RuleIds(), "Rule IDs or prefixes turned on, rules that are off by default too (FL202)."),
        Key("severity", MapOf(Level(), key=RuleId()),
            "The level of a rule, by rule ID or prefix: error, warning, info, style, or off."),
        Key("allow_pragmas", Boolean(), "Whether `# fastlint: ignore=` / `# hadolint ignore=` comments count.",
            default=True),
    ), "Which rules run, and at which level."),
    Key("trusted_registries", Strings(), "The registries FROM may pull from (DL3026; empty: any).",
        default=builtin.TRUSTED_REGISTRIES),
    Key("label_schema", MapOf(Text()),
        "Labels every image must have, by name, with the type of their value: text, url, semver, hash, rfc3339, "
        "spdx, email (DL3049-DL3058)."),
    Key("strict_labels", Boolean(), "Report labels that are not in label_schema (DL3050).", default=False),
    Key("shellcheck", Boolean(), "Whether ShellCheck checks the RUN instructions (SC rules).", default=True),
    Key("failure_threshold", Level(),
        "The lowest level that makes `fastlint check` fail (exit 1); --fail-on overrides it."),
    Key("buildkit", Section(
        Key("check", AnyOf(
            BuildKitCheck(),
            Section(
                Key("skip", AnyOf(Choice("all"), Names(BUILDKIT_CHECKS, "BuildKit's checks")),
                    "The checks turned off, or all."),
                Key("experimental", AnyOf(Choice("all"), Names(BUILDKIT_CHECKS, "BuildKit's checks")),
                    "The experimental checks turned on, or all."),
                Key("error", Boolean(), "Whether the checks' findings are errors."),
            ), message="'{name}' must be a string (skip=...;error=true) or a mapping"),
            "BuildKit's check configuration, replacing the Dockerfiles' `# check=` directive as the "
            "BUILDKIT_DOCKERFILE_CHECK build argument does: `skip=A,B;experimental=C;error=true`, or the same as a "
            "mapping."),
    ), "BuildKit's build checks (`docker build --check`)."),
    Key("custom_rules", DataRules(),
        "Your own simple rules, without Python: a prefix (ORG) and rules by ID (ORG001), each with its message, "
        "level and one check (fastlint/datarules).", first=True),
    doc="fastlint's configuration: the FAST build standard's policy, the service matrix and the rules. Each "
        "top-level part given replaces the built-in one; services are merged by name.",
)


def json_schema(rule_names: tuple[str, ...] = ()) -> dict:
    """The JSON Schema (draft-07, which editors' YAML support reads) of fastlint.yaml, from ``FASTLINT_YAML``;
    ``rule_names``: the registered rules' names that are neither codes nor CamelCase (``config_schema.py``)."""
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "fastlint.yaml",
        "description": FASTLINT_YAML.doc,
    }
    ctx = {"rule_names": rule_names}
    schema.update(FASTLINT_YAML.schema(ctx))
    schema["definitions"] = {"ruleId": {
        "type": "string", "pattern": rule_id_pattern(ctx),
        "description": "A rule ID or a prefix of one: DL3008, DL30, FL4, SC2086, a rule's name such as "
                       "StageNameCasing (any case), a data rule's or rule package's prefix in capitals (ORG), "
                       "or ALL."}}
    return schema
