"""The lockfile of a Node.js service, and whether it is in sync with package.json.

Read statically, without node_modules or the network: npm's ``package-lock.json`` / ``npm-shrinkwrap.json``
(lockfileVersion 1, 2 and 3), yarn classic's ``yarn.lock`` (v1), yarn berry's ``yarn.lock`` (``__metadata``) and
pnpm's ``pnpm-lock.yaml`` (lockfileVersion 5, 6 and 9). "In sync" is each manager's own test of a frozen install:

* npm (``npm ci``): every dependency of package.json (dependencies, devDependencies, optionalDependencies and
  the non-optional peerDependencies) has a locked package that satisfies its range ("Missing: x from lock file",
  "Invalid: lock file's x@1.0.0 does not satisfy x@^2"); a dependency the lockfile has and package.json no longer
  names does not break ``npm ci``.
* yarn classic (``--frozen-lockfile``): every ``name@range`` of package.json is a key of yarn.lock.
* yarn berry (``--immutable``): every descriptor (``name@npm:range``, or ``name@<protocol>`` as written) is a key.
* pnpm (``--frozen-lockfile``): the importer's specifiers are exactly package.json's (same ranges, none missing,
  none left over).

A service inside a workspace (npm/yarn ``workspaces``, ``pnpm-workspace.yaml``) without a lockfile of its own
uses the workspace root's lockfile: its entries are those of the service's importer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .facts import json_key_lines, line_of, read_json
from .semver import satisfies, spec_kind

LOCKFILES = ("npm-shrinkwrap.json", "package-lock.json", "yarn.lock", "pnpm-lock.yaml")
DEP_FIELDS = ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies")


@dataclass
class Locked:
    """One locked direct dependency: the version the lockfile installs, the range it was locked for (yarn and
    pnpm record it), the line of its entry."""

    name: str
    version: str | None
    spec: str | None = None
    line: int = 0
    install_script: bool = False  # npm lockfile v2/v3: hasInstallScript (a native build or download at install)


@dataclass
class Mismatch:
    name: str
    wanted: str  # the range package.json asks for ("" for a dependency the lockfile has and package.json not)
    locked: str | None  # the version (npm) or range (yarn, pnpm) the lockfile has, None: not in the lockfile
    reason: str  # missing | invalid | not-locked | changed | removed
    package_line: int = 0
    lock_line: int = 0

    def describe(self, lockfile: str) -> str:
        if self.reason == "missing":
            return f"{self.name}@{self.wanted} is not in {lockfile}"
        if self.reason == "invalid":
            return f"{lockfile} has {self.name}@{self.locked}, which does not satisfy {self.wanted}"
        if self.reason == "not-locked":
            return f"{self.name}@{self.wanted} is not a key of {lockfile}"
        if self.reason == "changed":
            return f"{lockfile} locked {self.name} for {self.locked}, package.json asks for {self.wanted}"
        return f"{lockfile} still has {self.name}, which package.json no longer names"


@dataclass
class Lockfile:
    kind: str  # npm | yarn-classic | yarn-berry | pnpm
    version: str  # lockfileVersion (npm, pnpm), "1" (yarn classic), __metadata.version (yarn berry)
    file: str  # relative to the service folder ("../../pnpm-lock.yaml" for a workspace root's)
    path: Path
    importer: str = "."  # the service's importer in a workspace lockfile
    entries: dict[str, Locked] = field(default_factory=dict)
    error: str | None = None  # the lockfile cannot be read (then nothing is said about sync)

    @property
    def manager(self) -> str:
        return {"npm": "npm", "yarn-classic": "yarn", "yarn-berry": "yarn", "pnpm": "pnpm"}[self.kind]


@dataclass
class LockSync:
    lockfile: Lockfile | None
    in_sync: bool | None  # None: no lockfile, or one that cannot be read
    mismatches: list[Mismatch] = field(default_factory=list)

    def summary(self, limit: int = 3) -> str:
        if self.lockfile is None:
            return "no lockfile"
        if self.in_sync is None:
            return f"{self.lockfile.file} cannot be read: {self.lockfile.error}"
        if self.in_sync:
            return f"{self.lockfile.file} is in sync with package.json"
        parts = [m.describe(self.lockfile.file) for m in self.mismatches[:limit]]
        more = len(self.mismatches) - limit
        return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


# -- finding the lockfile --------------------------------------------------------------------------------------------

def find_lockfile(folder: Path, workspace_root: Path | None = None) -> Lockfile | None:
    """The lockfile that a frozen install in ``folder`` uses: its own, else the workspace root's."""
    for name in LOCKFILES:
        path = folder / name
        if path.is_file():
            return read_lockfile(path, name, ".")
    if workspace_root is not None and workspace_root != folder:
        rel_up = PurePosixPath(*([".."] * len(folder.resolve().relative_to(workspace_root.resolve()).parts)))
        importer = folder.resolve().relative_to(workspace_root.resolve()).as_posix()
        for name in LOCKFILES:
            path = workspace_root / name
            if path.is_file():
                return read_lockfile(path, f"{rel_up.as_posix()}/{name}", importer)
    return None


def read_lockfile(path: Path, display: str, importer: str = ".") -> Lockfile:
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        return Lockfile("npm" if name.endswith(".json") else "pnpm" if name.endswith(".yaml") else "yarn-classic",
                        "?", display, path, importer, error=str(getattr(err, "strerror", None) or err))
    if name.endswith(".json"):
        return _read_npm(text, display, path, importer)
    if name == "yarn.lock":
        if re.search(r"^__metadata:", text, re.M):
            return _read_berry(text, display, path, importer)
        return _read_yarn_classic(text, display, path, importer)
    return _read_pnpm(text, display, path, importer)


# -- npm ------------------------------------------------------------------------------------------------------------

def _read_npm(text: str, display: str, path: Path, importer: str) -> Lockfile:
    import json

    try:
        data = json.loads(text)
    except ValueError as err:
        return Lockfile("npm", "?", display, path, importer, error=f"invalid JSON: {err}")
    if not isinstance(data, dict):
        return Lockfile("npm", "?", display, path, importer, error="not a lockfile (the top level is not an object)")
    version = str(data.get("lockfileVersion", 1))
    lock = Lockfile("npm", version, display, path, importer)
    lines = json_key_lines(text)
    packages = data.get("packages")
    if isinstance(packages, dict) and version != "1":
        base = "" if importer == "." else importer
        # every package installed at a place the importer resolves from
        prefixes = [f"{base}/node_modules/" if base else "node_modules/"]
        if base:
            prefixes.append("node_modules/")
        for key, entry in packages.items():
            for prefix in prefixes:
                if key.startswith(prefix) and "/node_modules/" not in key[len(prefix):] and isinstance(entry, dict):
                    name = key[len(prefix):]
                    if name in lock.entries:
                        continue
                    lock.entries[name] = Locked(name, _npm_version(entry, packages), line=lines.get(("packages", key), 0),
                                                install_script=bool(entry.get("hasInstallScript")))
        return lock
    deps = data.get("dependencies")
    if isinstance(deps, dict):
        for name, entry in deps.items():
            if isinstance(entry, dict):
                v = entry.get("version")
                lock.entries[name] = Locked(name, v if isinstance(v, str) else None,
                                            line=lines.get(("dependencies", name), 0))
    return lock


def _npm_version(entry: dict, packages: dict) -> str | None:
    if entry.get("link") and isinstance(entry.get("resolved"), str):
        target = packages.get(entry["resolved"])
        if isinstance(target, dict):
            v = target.get("version")
            return v if isinstance(v, str) else "0.0.0-link"
        return "0.0.0-link"
    v = entry.get("version")
    if isinstance(v, str):
        if isinstance(entry.get("name"), str) and not v.startswith("npm:"):
            return f"npm:{entry['name']}@{v}"  # an alias: installed under another name
        return v
    return None


def _npm_check(lock: Lockfile, wanted: dict[str, tuple[str, int]]) -> list[Mismatch]:
    out = []
    for name, (spec, pline) in wanted.items():
        entry = lock.entries.get(name)
        if entry is None or entry.version is None:
            out.append(Mismatch(name, spec, None, "missing", pline))
            continue
        kind = spec_kind(spec)
        version = entry.version
        if kind == "alias":
            real, _, rng = spec[4:].rpartition("@")
            if not version.startswith(f"npm:{real}@"):
                out.append(Mismatch(name, spec, version, "invalid", pline, entry.line))
                continue
            version, spec_range = version.rsplit("@", 1)[1], rng or "*"
        elif kind == "range":
            spec_range = spec
            if version.startswith("npm:"):
                out.append(Mismatch(name, spec, version, "invalid", pline, entry.line))
                continue
        else:
            continue  # git, file, url, tag: the lockfile's entry is what npm ci installs
        ok = satisfies(version, spec_range)
        if ok is False:
            out.append(Mismatch(name, spec, entry.version, "invalid", pline, entry.line))
    return out


# -- yarn -----------------------------------------------------------------------------------------------------------

_YARN_KEY = re.compile(r"^(\S.*):\s*$")
_YARN_VERSION = re.compile(r"^\s+version:?\s+\"?([^\"\s]+)\"?\s*$")


def _yarn_patterns(key_line: str) -> list[str]:
    return [p.strip().strip('"') for p in key_line.split(",") if p.strip()]


def _read_yarn_classic(text: str, display: str, path: Path, importer: str) -> Lockfile:
    lock = Lockfile("yarn-classic", "1", display, path, importer)
    current: list[str] = []
    cur_line = 0
    for number, line in enumerate(text.splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        m = _YARN_KEY.match(line)
        if m and not line[0].isspace():
            current, cur_line = _yarn_patterns(m.group(1)), number
            for p in current:
                name, _, rng = p.rpartition("@") if not p.startswith("@") or p.count("@") > 1 else (p, "", "")
                lock.entries[p] = Locked(name, None, rng, cur_line)
            continue
        v = _YARN_VERSION.match(line)
        if v and current:
            for p in current:
                lock.entries[p].version = v.group(1)
            current = []
    return lock


def _read_berry(text: str, display: str, path: Path, importer: str) -> Lockfile:
    m = re.search(r"^__metadata:\s*\n\s+version:\s*(\S+)", text, re.M)
    lock = Lockfile("yarn-berry", m.group(1).strip("\"'") if m else "?", display, path, importer)
    current: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        if not line[0].isspace() and line.rstrip().endswith(":"):
            current = [] if line.startswith("__metadata") else _yarn_patterns(line.rstrip()[:-1])
            for p in current:
                name, _, rng = _split_descriptor(p)
                lock.entries[p] = Locked(name, None, rng, number)
            continue
        v = _YARN_VERSION.match(line)
        if v and current:
            for p in current:
                lock.entries[p].version = v.group(1)
            current = []
    return lock


def _split_descriptor(p: str) -> tuple[str, str, str]:
    at = p.find("@", 1)
    return (p[:at], "@", p[at + 1:]) if at > 0 else (p, "", "")


def _yarn_check(lock: Lockfile, wanted: dict[str, tuple[str, int]]) -> list[Mismatch]:
    out = []
    for name, (spec, pline) in wanted.items():
        if lock.kind == "yarn-berry":
            kind = spec_kind(spec)
            keys = [f"{name}@npm:{spec}"] if kind in ("range", "tag") else [f"{name}@{spec}"]
            if kind == "alias":
                keys.append(f"{name}@{spec}")
        else:
            keys = [f"{name}@{spec}"]
        hit = next((lock.entries[k] for k in keys if k in lock.entries), None)
        if hit is not None:
            continue
        others = [e for k, e in lock.entries.items() if e.name == name]
        locked = others[0].spec if others else None
        out.append(Mismatch(name, spec, locked, "not-locked" if others else "missing", pline,
                            others[0].line if others else 0))
    return out


# -- pnpm -----------------------------------------------------------------------------------------------------------

def _read_pnpm(text: str, display: str, path: Path, importer: str) -> Lockfile:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="safe", pure=True).load(text)
    except YAMLError as err:
        return Lockfile("pnpm", "?", display, path, importer, error=f"invalid YAML: {str(err).splitlines()[0]}")
    if not isinstance(data, dict):
        return Lockfile("pnpm", "?", display, path, importer, error="not a pnpm lockfile")
    version = str(data.get("lockfileVersion", "?")).strip("'\"")
    lock = Lockfile("pnpm", version, display, path, importer)
    importers = data.get("importers")
    block = importers.get(importer) if isinstance(importers, dict) else (data if importer == "." else None)
    if not isinstance(block, dict):
        return lock
    specifiers = block.get("specifiers") if isinstance(block.get("specifiers"), dict) else {}
    start = 0
    if isinstance(importers, dict):
        m = re.search(rf"^  '?{re.escape(importer)}'?:\s*$", text, re.M)
        start = m.end() if m else 0
    for f in ("dependencies", "devDependencies", "optionalDependencies"):
        deps = block.get(f)
        if not isinstance(deps, dict):
            continue
        for name, value in deps.items():
            if isinstance(value, dict):  # lockfile 6 and 9: {specifier, version}
                spec, ver = value.get("specifier"), value.get("version")
            else:  # lockfile 5: the version, and the range in `specifiers`
                spec, ver = specifiers.get(name), value
            m = re.compile(rf"^\s+'?{re.escape(name)}'?:", re.M).search(text, start)
            lock.entries[name] = Locked(name, str(ver) if ver is not None else None,
                                        str(spec) if spec is not None else None, line_of(text, m.start()) if m else 0)
    for name, spec in specifiers.items():
        lock.entries.setdefault(name, Locked(name, None, str(spec)))
    return lock


def _pnpm_check(lock: Lockfile, wanted: dict[str, tuple[str, int]]) -> list[Mismatch]:
    out = []
    for name, (spec, pline) in wanted.items():
        entry = lock.entries.get(name)
        if entry is None:
            out.append(Mismatch(name, spec, None, "missing", pline))
        elif entry.spec != spec:
            out.append(Mismatch(name, spec, entry.spec, "changed", pline, entry.line))
    for name, entry in lock.entries.items():
        if name not in wanted:
            out.append(Mismatch(name, "", entry.spec, "removed", 0, entry.line))
    return out


# -- the check ------------------------------------------------------------------------------------------------------

def wanted_dependencies(package: dict, key_lines: dict, manager: str) -> dict[str, tuple[str, int]]:
    """name -> (range, line in package.json) of what a frozen install must find locked."""
    out: dict[str, tuple[str, int]] = {}
    meta = package.get("peerDependenciesMeta") if isinstance(package.get("peerDependenciesMeta"), dict) else {}
    for f in DEP_FIELDS:
        deps = package.get(f)
        if not isinstance(deps, dict):
            continue
        if f == "peerDependencies" and manager != "npm":
            continue  # yarn and pnpm lock peers only through the packages that depend on them
        for name, spec in deps.items():
            if not isinstance(spec, str):
                continue
            if f == "peerDependencies" and (name in out or (meta.get(name) or {}).get("optional")):
                continue
            out.setdefault(name, (spec.strip() if manager == "npm" else spec, key_lines.get((f, name), 0)))
    return out


def check_sync(lock: Lockfile | None, package: dict, key_lines: dict) -> LockSync:
    if lock is None:
        return LockSync(None, None)
    if lock.error:
        return LockSync(lock, None)
    wanted = wanted_dependencies(package, key_lines, lock.manager)
    if lock.kind == "npm":
        mism = _npm_check(lock, wanted)
    elif lock.kind == "pnpm":
        mism = _pnpm_check(lock, wanted)
    else:
        mism = _yarn_check(lock, wanted)
    return LockSync(lock, not mism, mism)


def sync_of(folder: Path, workspace_root: Path | None = None) -> LockSync:
    """Read ``folder``'s package.json and lockfile and compare them (a convenience for scripts and tests)."""
    package, text = read_json(folder / "package.json")
    return check_sync(find_lockfile(folder, workspace_root), package if isinstance(package, dict) else {},
                      json_key_lines(text))
