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

from ..policy import builtin

CONFIG_NAMES = ("fastlint.yaml", "fastlint.yml", ".fastlint.yaml")
HADOLINT_NAMES = (".hadolint.yaml", ".hadolint.yml")
LEVEL_NAMES = ("error", "warning", "info", "style")
PROFILES = ("fast", "hadolint")
MAX_CONFIG_BYTES = 256 * 1024  # a real fastlint.yaml is a few KB; reading YAML with positions costs ~40 us a line


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

    Error = ConfigError  # what ``error`` makes (config_spec's types catch it without importing this module)

    def __init__(self, path):
        self.path = str(path)
        self.ids: list[tuple[str, tuple[int, int]]] = []  # the rule IDs read (config_spec), where they are written

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
    from .config_spec import FASTLINT_YAML

    keys = [str(k) for k in data]
    return any(k in HADOLINT_KEYS for k in keys) and not any(k in FASTLINT_YAML.keys for k in keys)


def load_any(path, profile: str = "fast") -> Policy:
    """Read a configuration file by its content: hadolint's keys make it a hadolint configuration (whatever its
    name: ``-c hadolint.yaml``), anything else is a fastlint.yaml. ``profile``: the one of a file naming none."""
    data = _load_yaml(path)
    if is_hadolint_config(data):
        return load_hadolint(path, data, profile)
    return load_config(path, data, profile)


def load_config(path, data=_UNSET, profile: str = "fast") -> Policy:
    """Read a fastlint.yaml over the built-in policy (of its ``profile:``, else of ``profile``): checked against
    its declaration (``config_spec.FASTLINT_YAML``: keys, types, allowed values), then the checks that relate one
    value to another (a base or the target must be one of the stages) and the rule IDs that name no rule (a
    warning: they select nothing)."""
    from .config_spec import FASTLINT_YAML  # only when there is a file to read: not on the lint path's start

    raw, r, p = _open(path, data, "(policy:, services:, rules:, ...)", profile)
    if raw is None:
        return p
    for key in raw:
        if key not in FASTLINT_YAML.keys and key in HADOLINT_KEYS:
            raise r.error(f"unknown key '{key}' (expected one of: {', '.join(FASTLINT_YAML.keys)}) (a hadolint key: "
                          "a file has either fastlint's keys or hadolint's)", r.pos(raw, key))
    data = FASTLINT_YAML.read(r, raw, (1, 1), None)
    if data.get("profile", p.profile) != p.profile:
        keep = p.source
        p = builtin_policy(data["profile"])
        p.source = keep
    if "custom_rules" in data:
        p.custom_rules = data["custom_rules"]  # read first: its prefix makes its IDs rule IDs in the rest
    _unknown_ids(r, p)
    if "policy" in data:
        _read_policy(r, raw["policy"], data["policy"], p)
    for name, spec in data.get("services", {}).items():
        p.services[str(name)] = Service(name=str(name), type=spec["type"], port=spec["port"],
                                        memory=spec.get("memory"), health_service=spec.get("health_service"))
    rules = data.get("rules", {})
    if "ignore" in rules:
        p.ignore = rules["ignore"]
    if "select" in rules:
        p.select = rules["select"]
    if "allow_pragmas" in rules:
        p.allow_pragmas = rules["allow_pragmas"]
        p.explicit.add("allow_pragmas")
    for code, level in rules.get("severity", {}).items():
        p.severity[str(code).upper()] = level
    if "trusted_registries" in data:
        p.trusted_registries = data["trusted_registries"]
    if "label_schema" in data:
        p.label_schema = {str(k): v for k, v in data["label_schema"].items()}
    if "strict_labels" in data:
        p.strict_labels = data["strict_labels"]
        p.explicit.add("strict_labels")
    if "shellcheck" in data:
        p.shellcheck = data["shellcheck"]
    if "failure_threshold" in data:
        p.failure_threshold = data["failure_threshold"]
    if "check" in data.get("buildkit", {}):
        p.buildkit_check = _buildkit_check(data["buildkit"]["check"])
    return p


def _unknown_ids(r: _Reader, p: Policy) -> None:
    """A warning (``file:line:col: ...``) for each rule ID read that names no rule (``XX12``, a typo): it selects
    nothing. The rule packages' and the file's data rules count."""
    from .ids import unknown_message
    from .index import names_a_rule

    for v, where in r.ids:
        if not names_a_rule(v, p):
            p.warnings.append(str(r.error(unknown_message(v) + "; it selects no rule", where)))


def _buildkit_check(value):
    """``buildkit: check:`` (checked: ``config_spec.BuildKitCheck``) as BuildKit's check configuration: the
    BUILDKIT_DOCKERFILE_CHECK build argument's string (``skip=A,B;error=true``) or the mapping (``skip: [A, B] |
    all``, ``experimental: [C] | all``, ``error: true``)."""
    from .checks import CheckConfig

    if isinstance(value, str):
        return CheckConfig.parse(value)
    cfg = CheckConfig()
    for key in ("skip", "experimental"):
        if value.get(key) == "all":
            setattr(cfg, f"{key}_all", True)
        elif key in value:
            setattr(cfg, key, value[key])
    if "error" in value:
        cfg.error = value["error"]
    return cfg


def _read_policy(r: _Reader, raw, pol: dict, p: Policy) -> None:
    """The checked ``policy:`` part (``pol``) into the policy; ``raw`` for the positions of errors."""
    if "stages" in pol:
        p.stages = pol["stages"]
    if "bases" in pol:
        p.bases = {str(k): v for k, v in pol["bases"].items()}
        for k in pol["bases"]:
            if str(k) not in p.stages:
                raise r.error(f"'{k}' is not one of the policy's stages ({', '.join(p.stages)})",
                              r.pos(raw["bases"], k))
    if "allowed_images" in pol:
        p.allowed_images = pol["allowed_images"]
    if "user" in pol:
        p.user = {**builtin.USER, **pol["user"]}
    if "budgets" in pol:
        p.budgets.update({str(k): v for k, v in pol["budgets"].items()})
    if "target" in pol:
        p.target = pol["target"]
        if p.target not in p.stages:
            raise r.error(f"'target' must be one of the stages ({', '.join(p.stages)})", r.pos(raw, "target", True))


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

