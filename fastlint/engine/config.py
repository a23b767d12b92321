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

import os
import re

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
        "externals", "allow_pragmas", "source", "profile", "explicit", "hadolint_levels", "run", "warnings",
        "buildkit_check", "custom_rules"
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
        buildkit_check=None,
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
        self.externals = {"shellcheck": shellcheck}  # external program -> whether its rules run
        self.allow_pragmas = allow_pragmas
        self.source = source  # where the policy came from, for messages
        self.profile = "fast"
        self.explicit: set[str] = set()  # the settings the configuration file gives (hadolint's environment is under them)
        self.hadolint_levels: set[str] = set()  # codes whose level a hadolint setting gave (the most severe wins)
        self.run: dict = {}  # run-wide settings of a hadolint configuration: formats, no_fail, no_color, verbose
        self.warnings: list[str] = []  # what was read but not used (unknown keys, unknown rule IDs)
        # BuildKit's check configuration (engine/checks.CheckConfig) from ``buildkit: check:``, which replaces
        # the Dockerfiles' ``# check=`` directive as the BUILDKIT_DOCKERFILE_CHECK build argument does
        self.buildkit_check = buildkit_check
        self.custom_rules = None  # the data rules of custom_rules: (fastlint.datarules.read.CustomRules), or None

    def service_named(self, name: str | None) -> Service | None:
        return self.services.get(name) if name else None

    def runs(self, program: str) -> bool:
        """Whether the rules that run this external program (``Rule.external``) run under this policy (the
        policy file's ``<program>: false`` turns them off)."""
        return self.externals.get(program, True)

    @property
    def shellcheck(self) -> bool:
        return self.runs("shellcheck")

    @shellcheck.setter
    def shellcheck(self, on: bool) -> None:
        self.externals = {**self.externals, "shellcheck": on}  # a new dict: a copy.copy() of a policy shares none


def builtin_policy(profile: str = "fast") -> Policy:
    """The built-in policy of a profile: ``fast``, the standard as written; ``hadolint``, hadolint's defaults
    (its rules only, none turned off, no service matrix: ``engine.hadolint.profile``)."""
    p = Policy()
    if profile == "hadolint":
        from .hadolint import profile as hadolint_profile

        return hadolint_profile(p)
    p.services = {name: Service(name=name, **spec) for name, spec in builtin.SERVICES.items()}
    return p


# -- finding the file for a Dockerfile ---------------------------------------------------------------------------
class PolicyFinder:
    """Finds and reads the configuration files of a run, each once: one Policy per file (or the built-in one).
    A run keeps one (``RunState.policies``); nothing is kept between runs.

    ``profile``: the profile of the built-in policy and of configuration files that name none (``--profile``).
    Paths are strings or path objects; folders are walked with ``os.path`` (no pathlib on the lint path)."""

    def __init__(self, profile: str = "fast"):
        self.profile = profile
        self._policies: dict[str, Policy] = {}
        self._dirs: dict[str, str | None] = {}
        self._user: list[str | None] = []  # hadolint's user-wide file, once looked for

    def policy_for(self, dockerfile, explicit=None, no_config: bool = False) -> Policy:
        """The policy for a Dockerfile: ``--config``, else the nearest fastlint.yaml above it, else the nearest
        .hadolint.yaml above it (read over the built-in policy), else the built-in policy."""
        profile = self.profile
        if no_config:
            return self._cached("<builtin>", lambda: builtin_policy(profile))
        if explicit is not None:
            return self._cached(str(explicit), lambda: load_any(explicit, profile))
        # realpath: never an error, even for a symlink loop
        found = self._nearest(os.path.dirname(os.path.realpath(dockerfile)))
        if found is None:
            found = self.user_hadolint_config()
        if found is None:
            return self._cached("<builtin>", lambda: builtin_policy(profile))
        name = os.path.basename(found)
        if name in HADOLINT_NAMES or name in USER_HADOLINT_NAMES:
            return self._cached(found, lambda: load_hadolint(found, profile=profile))
        return self._cached(found, lambda: load_any(found, profile))

    def user_hadolint_config(self) -> str | None:
        """hadolint's user-wide configuration, where hadolint looks for it (after the project's), or None."""
        if not self._user:
            home = os.path.expanduser("~")
            xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
            candidates = [os.path.join(xdg, "hadolint.yaml"), os.path.join(xdg, "hadolint.yml"),
                          *(os.path.join(home, ".hadolint", n) for n in USER_HADOLINT_NAMES),
                          os.path.join(home, ".hadolint.yaml"), os.path.join(home, ".hadolint.yml")]
            # os.path.isfile: a folder one may not read (a HOME of another user) is no file, not an error
            self._user.append(next((c for c in candidates if os.path.isfile(c)), None))
        return self._user[0]

    def _cached(self, key: str, make) -> Policy:
        if key not in self._policies:
            self._policies[key] = make()
        return self._policies[key]

    def _nearest(self, directory: str) -> str | None:
        """The nearest fastlint.yaml (or, when none is found, .hadolint.yaml) in the directory or above."""
        dirs = self._dirs
        if directory in dirs:
            return dirs[directory]
        chain = []
        d = directory
        found_hadolint = None
        result = None
        while True:
            chain.append(d)
            if d in dirs and dirs[d] is not None and os.path.basename(dirs[d]) not in HADOLINT_NAMES:
                result = dirs[d]
                break
            for n in CONFIG_NAMES:
                if os.path.isfile(os.path.join(d, n)):
                    result = os.path.join(d, n)
                    break
            if result is not None:
                break
            if found_hadolint is None:
                for n in HADOLINT_NAMES:
                    if os.path.isfile(os.path.join(d, n)):
                        found_hadolint = os.path.join(d, n)
                        break
            parent = os.path.dirname(d)
            if parent == d or os.path.exists(os.path.join(d, ".git")):
                break
            d = parent
        if result is None:
            result = found_hadolint
        for c in chain:
            dirs[c] = result
        return result


USER_HADOLINT_NAMES = ("hadolint.yaml", "hadolint.yml", "config.yaml", "config.yml")


def policy_for(dockerfile, explicit=None, no_config: bool = False, finder: PolicyFinder | None = None) -> Policy:
    """The policy for a Dockerfile (``PolicyFinder.policy_for``): through the run's finder when given, else
    found and read afresh."""
    return (finder if finder is not None else PolicyFinder()).policy_for(dockerfile, explicit, no_config)


# -- reading YAML with positions ---------------------------------------------------------------------------------
def _load_yaml(path):
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError

    try:
        size = os.stat(path).st_size
        if size > MAX_CONFIG_BYTES:
            raise ConfigError(f"too large for a configuration file ({size / 1024:.0f} KB; at most "
                              f"{MAX_CONFIG_BYTES // 1024} KB)", str(path))
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
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

    def __init__(self, path):
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


def _rule_id(r: "_Reader", v: str, where: tuple[int, int], p: Policy) -> str:
    """A rule ID or prefix as written. A word that is no rule ID (``crazy``) is an error; an ID that names no
    rule (``XX12``, a typo) is a warning (``file:line:col: ...``): it selects nothing. The rule packages' and the
    file's data rules (``custom_rules``, read first) count."""
    from .ids import looks_like_id, unknown_message
    from .index import names_a_rule

    if names_a_rule(v, p):
        return v.strip()
    if not looks_like_id(v):
        raise r.error(f"'{v}' is not a rule ID or prefix (like DL3008, DL30, FL4, SC2086, StageNameCasing)", where)
    p.warnings.append(str(r.error(unknown_message(v) + "; it selects no rule", where)))
    return v.strip()


def _codes(r: "_Reader", parent, key, p: Policy) -> list[str]:
    """A list of rule IDs or prefixes (``_rule_id``)."""
    value = parent[key]
    return [_rule_id(r, v, r.item_pos(value, i) if isinstance(value, list) else r.pos(parent, key, True), p)
            for i, v in enumerate(r.str_list(parent, key))]


TOP_KEYS = ("profile", "policy", "services", "rules", "trusted_registries", "label_schema", "strict_labels",
            "shellcheck", "failure_threshold", "buildkit", "custom_rules")
POLICY_KEYS = ("stages", "bases", "allowed_images", "user", "budgets", "target")
SERVICE_KEYS = ("type", "port", "memory", "health_service")
RULES_KEYS = ("ignore", "select", "severity", "allow_pragmas")
# hadolint 2.15's configuration keys (its README): a file with any of them and none of fastlint's is hadolint's
HADOLINT_KEYS = ("failure-threshold", "format", "formats", "ignored", "label-schema", "no-color", "no-fail",
                 "override", "strict-labels", "disable-ignore-pragma", "trustedRegistries", "verbose")


_UNSET = object()


def _open(path, data, expected: str, profile: str):
    """The file's data (read unless given; None when empty), a reader for its positions, and the built-in
    policy of ``profile`` to fill."""
    if data is _UNSET:
        data = _load_yaml(path)
    if data is not None and not isinstance(data, dict):
        raise ConfigError(f"the file must be a mapping {expected}", str(path), 1, 1)
    p = builtin_policy(profile)
    p.source = str(path)
    return data, _Reader(path), p


def is_hadolint_config(data) -> bool:
    """A configuration's keys are hadolint's: some hadolint key, and no fastlint key."""
    if not isinstance(data, dict):
        return False
    keys = [str(k) for k in data]
    return any(k in HADOLINT_KEYS for k in keys) and not any(k in TOP_KEYS for k in keys)


def load_any(path, profile: str = "fast") -> Policy:
    """Read a configuration file by its content: hadolint's keys make it a hadolint configuration (whatever its
    name: ``-c hadolint.yaml``), anything else is a fastlint.yaml. ``profile``: the one of a file naming none."""
    data = _load_yaml(path)
    if is_hadolint_config(data):
        return load_hadolint(path, data, profile)
    return load_config(path, data, profile)


def load_config(path, data=_UNSET, profile: str = "fast") -> Policy:
    """Read a fastlint.yaml over the built-in policy (of its ``profile:``, else of ``profile``)."""
    data, r, p = _open(path, data, "(policy:, services:, rules:, ...)", profile)
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
    if "custom_rules" in data:  # first: its prefix makes its IDs rule IDs for the rest of the file
        from ..datarules.read import read_custom_rules

        p.custom_rules = read_custom_rules(r, data, "custom_rules")
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
            for code in sev:
                p.severity[_rule_id(r, str(code), r.pos(sev, code), p).upper()] = r.level(sev, code)
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
    if "buildkit" in data:
        p.buildkit_check = _read_buildkit(r, r.mapping(data, "buildkit", ("check",)))
    return p


def _read_buildkit(r: _Reader, section):
    """``buildkit: check:`` as the BUILDKIT_DOCKERFILE_CHECK build argument's string (``skip=A,B;error=true``)
    or as a mapping (``skip: [A, B] | all``, ``experimental: [C] | all``, ``error: true``)."""
    from .checks import NAMES, CheckConfig, CheckOptionError

    if "check" not in section:
        return None
    names = {name.upper(): name for name in NAMES}
    value = section["check"]
    if isinstance(value, str):
        try:
            cfg = CheckConfig.parse(value)
        except CheckOptionError as err:
            raise r.error(f"'check': {err}", r.pos(section, "check", True)) from None
        for name in cfg.skip + cfg.experimental:
            if name.upper() not in names:
                raise r.error(f"'check': '{name}' is not one of BuildKit's checks", r.pos(section, "check", True))
        return cfg
    if not isinstance(value, dict):
        raise r.error("'check' must be a string (skip=...;error=true) or a mapping", r.pos(section, "check", True))
    check = r.mapping(section, "check", ("skip", "experimental", "error"))
    cfg = CheckConfig()
    for key in ("skip", "experimental"):
        if key not in check:
            continue
        if check[key] == "all":
            setattr(cfg, f"{key}_all", True)
            continue

        def known(name: str) -> str | None:
            return None if name.upper() in names else f"'{name}' is not one of BuildKit's checks"

        setattr(cfg, key, [names[n.upper()] for n in r.str_list(check, key, known)])
    if "error" in check:
        cfg.error = r.boolean(check, "error")
    return cfg


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


def load_hadolint(path, data=_UNSET, profile: str = "fast") -> Policy:
    """Read a hadolint configuration over the built-in policy, with hadolint 2.15's meaning for each key:
    ``ignored``, ``override``, ``trustedRegistries`` (a list or one name), ``failure-threshold`` (``ignore`` and
    ``none`` are below style: every finding fails), ``label-schema``, ``strict-labels``, ``disable-ignore-pragma``,
    and the run-wide ``format``/``formats``, ``no-fail``, ``no-color`` and ``verbose`` (in ``Policy.run``). A key
    hadolint does not know is a warning (hadolint ignores it)."""
    from .hadolint import LABEL_TYPES, THRESHOLDS, threshold_level

    data, r, p = _open(path, data, "(ignored:, override:, ...)", profile)
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
                p.severity[code.upper()] = level
                p.hadolint_levels.add(code.upper())
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
    """Nothing to forget any more: configuration files are cached per run (``PolicyFinder``), never between
    runs. Kept for callers written when they were."""

