"""The policy a file is checked against: the built-in standard, overridden by ``fastlint.yaml``, or adjusted by
a ``.hadolint.yaml`` when there is no ``fastlint.yaml``.

``fastlint.yaml`` is read with ruamel.yaml (imported only when such a file exists) so that every error names
``fastlint.yaml:LINE:COL``. Each top-level part of the policy given in the file replaces the built-in part; the
``services`` matrix is merged by service name (a service given in the file replaces the built-in entry).
"""

from __future__ import annotations

import copy
from pathlib import Path

from ..policy import builtin

CONFIG_NAMES = ("fastlint.yaml", "fastlint.yml", ".fastlint.yaml")
HADOLINT_NAMES = (".hadolint.yaml", ".hadolint.yml")
LEVEL_NAMES = ("error", "warning", "info", "style")


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
        "externals", "allow_pragmas", "source", "buildkit_check", "custom_rules"
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


def builtin_policy() -> Policy:
    p = Policy()
    p.services = {name: Service(name=name, **copy.deepcopy(spec)) for name, spec in builtin.SERVICES.items()}
    return p


# -- finding the file for a Dockerfile ---------------------------------------------------------------------------
class PolicyFinder:
    """Finds and reads the configuration files of a run, each once: one Policy per file (or the built-in one).
    A run keeps one (``RunState.policies``); nothing is kept between runs."""

    def __init__(self):
        self._policies: dict[str, Policy] = {}
        self._dirs: dict[Path, Path | None] = {}

    def policy_for(self, dockerfile: Path, explicit: Path | None = None, no_config: bool = False) -> Policy:
        """The policy for a Dockerfile: ``--config``, else the nearest fastlint.yaml above it, else the nearest
        .hadolint.yaml above it (read over the built-in policy), else the built-in policy."""
        if no_config:
            return self._cached("<builtin>", builtin_policy)
        if explicit is not None:
            return self._cached(str(explicit), lambda: load_config(explicit))
        directory = dockerfile.resolve().parent
        found = self._nearest(directory)
        if found is None:
            return self._cached("<builtin>", builtin_policy)
        if found.name in HADOLINT_NAMES:
            return self._cached(str(found), lambda: load_hadolint(found))
        return self._cached(str(found), lambda: load_config(found))

    def _cached(self, key: str, make) -> Policy:
        if key not in self._policies:
            self._policies[key] = make()
        return self._policies[key]

    def _nearest(self, directory: Path) -> Path | None:
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
            if d in dirs and dirs[d] is not None and dirs[d].name not in HADOLINT_NAMES:
                result = dirs[d]
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
            dirs[c] = result
        return result


def policy_for(dockerfile: Path, explicit: Path | None = None, no_config: bool = False,
               finder: PolicyFinder | None = None) -> Policy:
    """The policy for a Dockerfile (``PolicyFinder.policy_for``): through the run's finder when given, else
    found and read afresh."""
    return (finder if finder is not None else PolicyFinder()).policy_for(dockerfile, explicit, no_config)


# -- reading YAML with positions ---------------------------------------------------------------------------------
def _load_yaml(path: Path):
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"cannot read: {err}", str(path)) from None
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


def _check_code(v: str) -> str | None:
    from .config_spec import rule_id_error  # a configuration file is being read: the declaration's check

    return rule_id_error(v)


def _open(path: Path, expected: str):
    """The file's data (None when empty), a reader for its positions, and the built-in policy to fill."""
    data = _load_yaml(path)
    if data is not None and not isinstance(data, dict):
        raise ConfigError(f"the file must be a mapping {expected}", str(path), 1, 1)
    p = builtin_policy()
    p.source = str(path)
    return data, _Reader(path), p


def load_config(path: Path) -> Policy:
    """Read a fastlint.yaml over the built-in policy: checked against its declaration
    (``config_spec.FASTLINT_YAML``: keys, types, allowed values), then the checks that relate one value to
    another (a base or the target must be one of the stages)."""
    from .config_spec import FASTLINT_YAML  # only when there is a file to read: not on the lint path's start

    raw, r, p = _open(path, "(policy:, services:, rules:, ...)")
    if raw is None:
        return p
    data = FASTLINT_YAML.read(r, raw, (1, 1), None)
    if "custom_rules" in data:
        p.custom_rules = data["custom_rules"]  # read first: its prefix makes its IDs rule IDs in the rest
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
    for code, level in rules.get("severity", {}).items():
        p.severity[str(code).upper()] = level
    if "trusted_registries" in data:
        p.trusted_registries = data["trusted_registries"]
    if "label_schema" in data:
        p.label_schema = {str(k): v for k, v in data["label_schema"].items()}
    if "strict_labels" in data:
        p.strict_labels = data["strict_labels"]
    if "shellcheck" in data:
        p.shellcheck = data["shellcheck"]
    if "failure_threshold" in data:
        p.failure_threshold = data["failure_threshold"]
    if "check" in data.get("buildkit", {}):
        p.buildkit_check = _buildkit_check(data["buildkit"]["check"])
    return p


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


def load_hadolint(path: Path) -> Policy:
    """Read a .hadolint.yaml over the built-in policy: ignored, override, trustedRegistries,
    failure-threshold, label-schema, strict-labels, disable-ignore-pragma."""
    data, r, p = _open(path, "(ignored:, override:, ...)")
    if data is None:
        return p
    if "ignored" in data:
        p.ignore = r.str_list(data, "ignored", _check_code)
    if "override" in data:
        over = r.mapping(data, "override", LEVEL_NAMES)
        for level in over:
            for code in r.str_list(over, level, _check_code):
                p.severity[code.upper()] = level
    if "trustedRegistries" in data:
        p.trusted_registries = r.str_list(data, "trustedRegistries")
    if "failure-threshold" in data:
        p.failure_threshold = r.level(data, "failure-threshold")
    if "label-schema" in data:
        schema = r.mapping(data, "label-schema")
        p.label_schema = {str(k): str(v) for k, v in schema.items()}
    if "strict-labels" in data:
        p.strict_labels = r.boolean(data, "strict-labels")
    if "disable-ignore-pragma" in data:
        p.allow_pragmas = not r.boolean(data, "disable-ignore-pragma")
    return p


def reset_caches() -> None:
    """Nothing to forget any more: configuration files are cached per run (``PolicyFinder``), never between
    runs. Kept for callers written when they were."""

