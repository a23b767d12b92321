"""The policy a file is checked against: the built-in standard, overridden by ``fastlint.yaml``, or adjusted by
a ``.hadolint.yaml`` when there is no ``fastlint.yaml``.

A configuration file is read by its content, whatever its name: a file with hadolint's keys (``ignored``,
``override``, ``trustedRegistries``, ...) is a hadolint configuration, read as hadolint 2.15 reads it; any other is
a ``fastlint.yaml``. With no file near the Dockerfile, hadolint's own user-wide files are read as hadolint finds
them (``$XDG_CONFIG_HOME/hadolint.yaml``, ``~/.config/hadolint.yaml``, ``~/.hadolint/hadolint.yaml``,
``~/.hadolint/config.yaml``, ``~/.hadolint.yaml``; ``.yml`` too).

Two profiles: ``fast`` (the default: the standard's rules and hadolint's) and ``hadolint`` (hadolint's rules alone,
with hadolint's defaults, for repositories that are not FAST services): ``profile: hadolint`` in fastlint.yaml,
``--profile hadolint`` or ``FASTLINT_PROFILE=hadolint``.

``fastlint.yaml`` is read with ruamel.yaml (imported only when such a file exists) so that every error names
``fastlint.yaml:LINE:COL``. Each top-level part of the policy given in the file replaces the built-in part; the
``services`` matrix is merged by service name (a service given in the file replaces the built-in entry).
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

from ..policy import builtin

CONFIG_NAMES = ("fastlint.yaml", "fastlint.yml", ".fastlint.yaml")
HADOLINT_NAMES = (".hadolint.yaml", ".hadolint.yml")
LEVEL_NAMES = ("error", "warning", "info", "style")
PROFILES = ("fast", "hadolint")
MAX_CONFIG_BYTES = 256 * 1024  # a real fastlint.yaml is a few KB; reading YAML with positions costs ~40 us a line
_MEMORY = re.compile(r"^\d+(\.\d+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$")


class ConfigError(Exception):
    """A bad configuration file: printed as ``file:line:col: message`` and exit code 2."""

    def __init__(self, message: str, file: str = "", line: int = 0, col: int = 0):
        self.message, self.file, self.line, self.col = message, file, line, col
        where = f"{file}:{line}:{col}: " if line else (f"{file}: " if file else "")
        super().__init__(f"{where}{message}")


class Service:

    __slots__ = ("name", "type", "port", "memory", "health_service")

    def __init__(self, name: str, type: str, port: int, memory: str | None = None, health_service: str | None = None):
        self.name = name
        self.type = type  # grpc | http
        self.port = port
        self.memory = memory
        self.health_service = health_service




class Policy:

    __slots__ = (
        "stages", "bases", "allowed_images", "user", "budgets", "target", "services", "ignore", "select",
        "severity", "disabled", "trusted_registries", "label_schema", "strict_labels", "failure_threshold",
        "shellcheck", "allow_pragmas", "source", "profile", "explicit", "hadolint_levels", "run", "warnings"
    )

    def __init__(
        self,
        stages: list[str] | None = None,
        bases: dict[str, str] | None = None,
        allowed_images: list[str] | None = None,
        user: dict | None = None,
        budgets: dict | None = None,
        target: str | None = None,
        services: dict[str, Service] | None = None,
        ignore: list[str] | None = None,
        select: list[str] | None = None,
        severity: dict[str, str] | None = None,
        disabled: dict[str, str] | None = None,
        trusted_registries: list[str] | None = None,
        label_schema: dict[str, str] | None = None,
        strict_labels: bool = False,
        failure_threshold: str | None = None,
        shellcheck: bool = True,
        allow_pragmas: bool = True,
        source: str = "built-in",
    ):
        self.stages = list(builtin.STAGES) if stages is None else stages
        self.bases = dict(builtin.BASES) if bases is None else bases
        # more images FL201 accepts beyond the bases
        self.allowed_images = [] if allowed_images is None else allowed_images
        self.user = dict(builtin.USER) if user is None else user
        self.budgets = dict(builtin.BUDGETS) if budgets is None else budgets
        self.target = target  # the stage that becomes the image (default: the last)
        self.services = {} if services is None else services
        self.ignore = [] if ignore is None else ignore  # rule IDs or prefixes turned off
        self.select = [] if select is None else select  # rule IDs or prefixes turned on (default-off rules too)
        self.severity = {} if severity is None else severity  # code -> level
        self.disabled = dict(builtin.DISABLED) if disabled is None else disabled  # code -> reason
        self.trusted_registries = (
            list(builtin.TRUSTED_REGISTRIES) if trusted_registries is None else trusted_registries
        )
        self.label_schema = {} if label_schema is None else label_schema
        self.strict_labels = strict_labels
        self.failure_threshold = failure_threshold
        self.shellcheck = shellcheck
        self.allow_pragmas = allow_pragmas
        self.source = source  # where the policy came from, for messages
        self.profile = "fast"
        self.explicit: set[str] = set()  # the settings the configuration file gives (hadolint's environment is under them)
        self.hadolint_levels: set[str] = set()  # codes whose level a hadolint setting gave (the most severe wins)
        self.run: dict = {}  # run-wide settings of a hadolint configuration: formats, no_fail, no_color, verbose
        self.warnings: list[str] = []  # what was read but not used (unknown keys, unknown rule IDs)

    def service_named(self, name: str | None) -> Service | None:
        return self.services.get(name) if name else None


def builtin_policy(profile: str = "fast") -> Policy:
    """The built-in policy of a profile: ``fast``, the standard as written; ``hadolint``, hadolint's defaults
    (its rules only, none turned off, no service matrix)."""
    p = Policy()
    if profile == "hadolint":
        return set_profile(p, profile)
    p.services = {name: Service(name=name, **copy.deepcopy(spec)) for name, spec in builtin.SERVICES.items()}
    return p


def is_hadolint_rule(code: str) -> bool:
    """hadolint's rules: its DL rules and ShellCheck's SC codes (and the engine's DL1000)."""
    return code.upper().startswith(("DL", "SC"))


def set_profile(p: Policy, profile: str) -> Policy:
    p.profile = profile
    if profile == "hadolint":
        from .registry import all_rules

        p.disabled = {code: "not one of hadolint's rules (profile hadolint)" for code in all_rules()
                      if not is_hadolint_rule(code)}
        p.services = {}
    return p


_default_profile = "fast"


def set_default_profile(profile: str) -> None:
    """The profile of the built-in policy and of configuration files that name none (``--profile``)."""
    global _default_profile
    if profile != _default_profile:
        _default_profile = profile
        _cache.clear()


# -- finding the file for a Dockerfile ---------------------------------------------------------------------------
_cache: dict[str, Policy] = {}


def policy_for(dockerfile: Path, explicit: Path | None = None, no_config: bool = False) -> Policy:
    """The policy for a Dockerfile: ``--config``, else the nearest fastlint.yaml above it, else the nearest
    .hadolint.yaml above it (read over the built-in policy), else the built-in policy."""
    if no_config:
        return _cached("<builtin>", lambda: builtin_policy(_default_profile))
    if explicit is not None:
        return _cached(str(explicit), lambda: load_any(explicit))
    import os

    directory = Path(os.path.realpath(dockerfile)).parent  # realpath: never an error, even for a symlink loop
    found = _nearest(directory)
    if found is None:
        found = user_hadolint_config()
    if found is None:
        return _cached("<builtin>", lambda: builtin_policy(_default_profile))
    if found.name in HADOLINT_NAMES or found.name in USER_HADOLINT_NAMES:
        return _cached(str(found), lambda: load_hadolint(found))
    return _cached(str(found), lambda: load_any(found))


def _cached(key: str, make) -> Policy:
    """One Policy per configuration file (or the built-in one) per run."""
    if key not in _cache:
        _cache[key] = make()
    return _cache[key]


_dir_cache: dict[Path, Path | None] = {}
USER_HADOLINT_NAMES = ("hadolint.yaml", "hadolint.yml", "config.yaml", "config.yml")


def user_hadolint_config() -> Path | None:
    """hadolint's user-wide configuration, where hadolint looks for it (after the project's), or None."""
    import os

    home = Path(os.path.expanduser("~"))
    xdg = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    candidates = [xdg / "hadolint.yaml", xdg / "hadolint.yml",
                  *(home / ".hadolint" / n for n in USER_HADOLINT_NAMES),
                  home / ".hadolint.yaml", home / ".hadolint.yml"]
    key = Path("<user>")
    if key not in _dir_cache:
        _dir_cache[key] = next((c for c in candidates if c.is_file()), None)
    return _dir_cache[key]


def _nearest(directory: Path) -> Path | None:
    """The nearest fastlint.yaml (or, when none is found, .hadolint.yaml) in the directory or above."""
    if directory in _dir_cache:
        return _dir_cache[directory]
    chain = []
    d = directory
    found_hadolint = None
    result = None
    while True:
        chain.append(d)
        if d in _dir_cache and _dir_cache[d] is not None and _dir_cache[d].name not in HADOLINT_NAMES:
            result = _dir_cache[d]
            break
        for n in CONFIG_NAMES:
            if (d / n).is_file():
                result = d / n
                break
        if result is not None:
            break
        if found_hadolint is None:
            for n in HADOLINT_NAMES:
                if (d / n).is_file():
                    found_hadolint = d / n
                    break
        if d.parent == d or (d / ".git").exists():
            break
        d = d.parent
    if result is None:
        result = found_hadolint
    for c in chain:
        _dir_cache[c] = result
    return result


# -- reading YAML with positions ---------------------------------------------------------------------------------
def _load_yaml(path: Path):
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError

    try:
        size = path.stat().st_size
        if size > MAX_CONFIG_BYTES:
            raise ConfigError(f"too large for a configuration file ({size / 1024:.0f} KB; at most "
                              f"{MAX_CONFIG_BYTES // 1024} KB)", str(path))
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"cannot read: {getattr(err, 'strerror', None) or err}", str(path)) from None
    try:
        data = YAML(typ="rt").load(text)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise ConfigError(f"invalid YAML: {err.problem or err.context}", str(path), line, col) from None
    except Exception as err:  # ruamel raises several kinds on broken input
        raise ConfigError(f"invalid YAML: {err}", str(path)) from None
    return data


class _Reader:
    """Walks a ruamel mapping and raises ConfigError at the key's or value's position."""

    def __init__(self, path: Path):
        self.path = str(path)

    def pos(self, mapping, key, value: bool = False) -> tuple[int, int]:
        try:
            lc = mapping.lc.value(key) if value else mapping.lc.key(key)
            return lc[0] + 1, lc[1] + 1
        except Exception:
            return 0, 0

    def item_pos(self, seq, i) -> tuple[int, int]:
        try:
            lc = seq.lc.item(i)
            return lc[0] + 1, lc[1] + 1
        except Exception:
            return 0, 0

    def error(self, message: str, where: tuple[int, int]) -> ConfigError:
        return ConfigError(message, self.path, *where)

    def mapping(self, parent, key, allowed: tuple[str, ...] | None = None):
        value = parent[key]
        if not isinstance(value, dict):
            raise self.error(f"'{key}' must be a mapping", self.pos(parent, key, True))
        if allowed is not None:
            for k in value:
                if k not in allowed:
                    raise self.error(
                        f"unknown key '{k}' in '{key}' (expected one of: {', '.join(allowed)})", self.pos(value, k)
                    )
        return value

    def str_list(self, parent, key, check=None) -> list[str]:
        value = parent[key]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.error(f"'{key}' must be a list", self.pos(parent, key, True))
        out = []
        for i, v in enumerate(value):
            if not isinstance(v, str):
                raise self.error(f"'{key}' entries must be strings", self.item_pos(value, i))
            if check is not None:
                msg = check(v)
                if msg:
                    raise self.error(msg, self.item_pos(value, i))
            out.append(v)
        return out

    def string(self, parent, key) -> str:
        value = parent[key]
        if not isinstance(value, str) or not value:
            raise self.error(f"'{key}' must be a non-empty string", self.pos(parent, key, True))
        return value

    def integer(self, parent, key, low: int = 0, high: int = 1 << 31) -> int:
        value = parent[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.error(f"'{key}' must be an integer from {low} to {high}", self.pos(parent, key, True))
        return value

    def boolean(self, parent, key) -> bool:
        value = parent[key]
        if not isinstance(value, bool):
            raise self.error(f"'{key}' must be true or false", self.pos(parent, key, True))
        return value

    def level(self, parent, key) -> str:
        value = parent[key]
        allowed = LEVEL_NAMES + ("off", "none")
        if not isinstance(value, str) or value.lower() not in allowed:
            raise self.error(f"'{key}': level must be one of {', '.join(allowed)}", self.pos(parent, key, True))
        return value.lower()


def _codes(r: "_Reader", parent, key, p: Policy) -> list[str]:
    """A list of rule IDs or prefixes; an unknown one is a warning (``file:line:col: ...``) and is left out."""
    from .rule_ids import describe, is_known

    value = parent[key]
    out = []
    for i, v in enumerate(r.str_list(parent, key)):
        if is_known(v):
            out.append(v.strip().upper())
        else:
            line, col = r.item_pos(value, i) if isinstance(value, list) else r.pos(parent, key, True)
            p.warnings.append(str(ConfigError(describe(v) + "; not used", r.path, line, col)))
    return out


TOP_KEYS = ("profile", "policy", "services", "rules", "trusted_registries", "label_schema", "strict_labels",
            "shellcheck", "failure_threshold")
POLICY_KEYS = ("stages", "bases", "allowed_images", "user", "budgets", "target")
SERVICE_KEYS = ("type", "port", "memory", "health_service")
RULES_KEYS = ("ignore", "select", "severity", "allow_pragmas")
# hadolint 2.15's configuration keys (its README): a file with any of them and none of fastlint's is hadolint's
HADOLINT_KEYS = ("failure-threshold", "format", "formats", "ignored", "label-schema", "no-color", "no-fail",
                 "override", "strict-labels", "disable-ignore-pragma", "trustedRegistries", "verbose")


def _open(path: Path, expected: str):
    """The file's data (None when empty), a reader for its positions, and the built-in policy to fill."""
    data = _load_yaml(path)
    if data is not None and not isinstance(data, dict):
        raise ConfigError(f"the file must be a mapping {expected}", str(path), 1, 1)
    p = builtin_policy(_default_profile)
    p.source = str(path)
    return data, _Reader(path), p


def is_hadolint_config(data) -> bool:
    """A configuration's keys are hadolint's: some hadolint key, and no fastlint key."""
    if not isinstance(data, dict):
        return False
    keys = [str(k) for k in data]
    return any(k in HADOLINT_KEYS for k in keys) and not any(k in TOP_KEYS for k in keys)


def load_any(path: Path) -> Policy:
    """Read a configuration file by its content: hadolint's keys make it a hadolint configuration (whatever its
    name: ``-c hadolint.yaml``), anything else is a fastlint.yaml."""
    data = _load_yaml(path)
    if is_hadolint_config(data):
        return load_hadolint(path, data)
    return load_config(path, data)


_UNSET = object()


def load_config(path: Path, data=_UNSET) -> Policy:
    """Read a fastlint.yaml over the built-in policy."""
    if data is _UNSET:
        data, r, p = _open(path, "(policy:, services:, rules:, ...)")
    else:
        if data is not None and not isinstance(data, dict):
            raise ConfigError("the file must be a mapping (policy:, services:, rules:, ...)", str(path), 1, 1)
        r, p = _Reader(path), builtin_policy(_default_profile)
        p.source = str(path)
    if data is None:
        return p
    for key in data:
        if key not in TOP_KEYS:
            hint = " (a hadolint key: a file has either fastlint's keys or hadolint's)" if key in HADOLINT_KEYS \
                else ""
            raise r.error(f"unknown key '{key}' (expected one of: {', '.join(TOP_KEYS)}){hint}", r.pos(data, key))
    if "profile" in data:
        profile = data["profile"]
        if profile not in PROFILES:
            raise r.error(f"'profile' must be one of {', '.join(PROFILES)}", r.pos(data, "profile", True))
        if profile != p.profile:
            keep = p.source
            p = builtin_policy(profile)
            p.source = keep
    if "policy" in data:
        _read_policy(r, r.mapping(data, "policy", POLICY_KEYS), p)
    if "services" in data:
        services = r.mapping(data, "services")
        for name in services:
            spec = services[name]
            if not isinstance(spec, dict):
                raise r.error(f"service '{name}' must be a mapping", r.pos(services, name, True))
            r.mapping(services, name, SERVICE_KEYS)
            for req in ("type", "port"):
                if req not in spec:
                    raise r.error(f"service '{name}' needs '{req}'", r.pos(services, name))
            kind = r.string(spec, "type").lower()
            if kind not in ("grpc", "http"):
                raise r.error("'type' must be grpc or http", r.pos(spec, "type", True))
            svc = Service(name=str(name), type=kind, port=r.integer(spec, "port", 1, 65535))
            if "memory" in spec:
                mem = spec["memory"]
                if not isinstance(mem, str) or not _MEMORY.match(mem):
                    raise r.error("'memory' must be a Kubernetes quantity such as 512Mi", r.pos(spec, "memory", True))
                svc.memory = mem
            if "health_service" in spec:
                svc.health_service = r.string(spec, "health_service")
            p.services[str(name)] = svc
    if "rules" in data:
        rules = r.mapping(data, "rules", RULES_KEYS)
        if "ignore" in rules:
            p.ignore = _codes(r, rules, "ignore", p)
        if "select" in rules:
            p.select = _codes(r, rules, "select", p)
        if "allow_pragmas" in rules:
            p.allow_pragmas = r.boolean(rules, "allow_pragmas")
            p.explicit.add("allow_pragmas")
        if "severity" in rules:
            sev = r.mapping(rules, "severity")
            from .rule_ids import describe, is_known

            for code in sev:
                if not is_known(str(code)):
                    p.warnings.append(str(r.error(describe(str(code)) + "; not used", r.pos(sev, code))))
                    continue
                p.severity[str(code).upper()] = r.level(sev, code)
    if "trusted_registries" in data:
        p.trusted_registries = r.str_list(data, "trusted_registries")
    if "label_schema" in data:
        schema = r.mapping(data, "label_schema")
        p.label_schema = {str(k): str(v) for k, v in schema.items()}
    if "strict_labels" in data:
        p.strict_labels = r.boolean(data, "strict_labels")
        p.explicit.add("strict_labels")
    if "shellcheck" in data:
        p.shellcheck = r.boolean(data, "shellcheck")
    if "failure_threshold" in data:
        p.failure_threshold = r.level(data, "failure_threshold")
    return p


def _read_policy(r: _Reader, pol, p: Policy) -> None:
    if "stages" in pol:
        p.stages = r.str_list(pol, "stages")
        if not p.stages:
            raise r.error("'stages' must name at least one stage", r.pos(pol, "stages", True))
    if "bases" in pol:
        bases = r.mapping(pol, "bases")
        p.bases = {}
        for k in bases:
            p.bases[str(k)] = r.string(bases, k)
            if str(k) not in p.stages:
                raise r.error(f"'{k}' is not one of the policy's stages ({', '.join(p.stages)})", r.pos(bases, k))
    if "allowed_images" in pol:
        p.allowed_images = r.str_list(pol, "allowed_images")
    if "user" in pol:
        user = r.mapping(pol, "user", ("name", "uid", "gid"))
        p.user = dict(builtin.USER)
        if "name" in user:
            p.user["name"] = r.string(user, "name")
        if "uid" in user:
            p.user["uid"] = r.integer(user, "uid", 1, 2**31)
        if "gid" in user:
            p.user["gid"] = r.integer(user, "gid", 1, 2**31)
    if "budgets" in pol:
        budgets = r.mapping(pol, "budgets", ("max_size_mb", "max_layers"))
        for k in budgets:
            p.budgets[str(k)] = r.integer(budgets, k, 1)
    if "target" in pol:
        p.target = r.string(pol, "target")
        if p.target not in p.stages:
            raise r.error(f"'target' must be one of the stages ({', '.join(p.stages)})", r.pos(pol, "target", True))


def load_hadolint(path: Path, data=_UNSET) -> Policy:
    """Read a hadolint configuration over the built-in policy, with hadolint 2.15's meaning for each key:
    ``ignored``, ``override``, ``trustedRegistries`` (a list or one name), ``failure-threshold`` (``ignore`` and
    ``none`` are below style: every finding fails), ``label-schema``, ``strict-labels``, ``disable-ignore-pragma``,
    and the run-wide ``format``/``formats``, ``no-fail``, ``no-color`` and ``verbose`` (in ``Policy.run``). A key
    hadolint does not know is a warning (hadolint ignores it)."""
    from .hadolint import LABEL_TYPES, THRESHOLDS, threshold_level

    if data is _UNSET:
        data, r, p = _open(path, "(ignored:, override:, ...)")
    else:
        if data is not None and not isinstance(data, dict):
            raise ConfigError("the file must be a mapping (ignored:, override:, ...)", str(path), 1, 1)
        r, p = _Reader(path), builtin_policy(_default_profile)
        p.source = str(path)
    if data is None:
        return p
    for key in data:
        if key not in HADOLINT_KEYS:
            p.warnings.append(str(r.error(f"unknown key '{key}' (not one of hadolint's: {', '.join(HADOLINT_KEYS)}); "
                                          "not used", r.pos(data, key))))
    if "ignored" in data:
        p.ignore = _codes(r, data, "ignored", p)
    if "override" in data:
        over = r.mapping(data, "override", LEVEL_NAMES)
        for level in LEVEL_NAMES:  # hadolint: the most severe level given for a rule wins
            for code in _codes(r, over, level, p) if level in over else []:
                p.severity[code] = level
                p.hadolint_levels.add(code)
    if "trustedRegistries" in data:
        p.trusted_registries = r.str_list(data, "trustedRegistries")
    if "failure-threshold" in data:
        value = data["failure-threshold"]
        if not isinstance(value, str) or value.lower() not in THRESHOLDS:
            raise r.error(f"'failure-threshold' must be one of {', '.join(THRESHOLDS)}",
                          r.pos(data, "failure-threshold", True))
        p.failure_threshold = threshold_level(value)
    if "label-schema" in data:
        schema = r.mapping(data, "label-schema")
        for k, v in schema.items():
            if str(v) not in LABEL_TYPES:
                raise r.error(f"label type must be one of {', '.join(LABEL_TYPES)}", r.pos(schema, k, True))
        p.label_schema = {str(k): str(v) for k, v in schema.items()}
    if "strict-labels" in data:
        p.strict_labels = r.boolean(data, "strict-labels")
        p.explicit.add("strict_labels")
    if "disable-ignore-pragma" in data:
        p.allow_pragmas = not r.boolean(data, "disable-ignore-pragma")
        p.explicit.add("allow_pragmas")
    from ..report import HADOLINT_FORMATS

    formats = []
    for key in ("formats", "format"):  # hadolint: the list first, then the one
        if key in data:
            for fmt in r.str_list(data, key):
                if fmt not in HADOLINT_FORMATS:
                    raise r.error(f"'{key}': unknown format {fmt!r} (one of {', '.join(HADOLINT_FORMATS)})",
                                  r.pos(data, key, True))
                formats.append(fmt)
    if formats:
        p.run["formats"] = formats
    for key in ("no-fail", "no-color", "verbose"):
        if key in data:
            p.run[key.replace("-", "_")] = r.boolean(data, key)
    return p


def reset_caches() -> None:
    """Forget found and loaded files (tests, long-running callers)."""
    global _default_profile
    _cache.clear()
    _dir_cache.clear()
    _default_profile = "fast"

