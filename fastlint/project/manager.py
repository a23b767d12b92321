"""Which package manager a service uses (and which version), its workspaces, the Node version it wants."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .facts import Fact, json_key_lines, read_json

_PM = re.compile(r"^(npm|yarn|pnpm|bun)@([0-9][^+\s]*)")


@dataclass(frozen=True)
class Manager:
    name: str  # npm | yarn | pnpm | bun
    flavor: str | None  # yarn: classic | berry; else None
    version: str | None  # from packageManager or .yarnrc.yml's yarnPath, else None

    @property
    def label(self) -> str:
        base = f"yarn {self.flavor}" if self.name == "yarn" and self.flavor else self.name
        return f"{base} {self.version}" if self.version else base

    @property
    def frozen_install(self) -> str:
        """The install command that refuses a lockfile out of sync."""
        if self.name == "yarn":
            return "yarn install --immutable" if self.flavor == "berry" else "yarn install --frozen-lockfile"
        if self.name == "pnpm":
            return "pnpm install --frozen-lockfile"
        if self.name == "bun":
            return "bun install --frozen-lockfile"
        return "npm ci"


def package_manager(folder: Path, package: dict, key_lines: dict, lockfile_kind: str | None,
                    workspace_root: Path | None) -> Fact[Manager]:
    """``packageManager`` (Corepack's field) first, then the lockfile's kind, then ``.yarnrc.yml`` (berry) or
    ``.yarnrc`` (classic); npm when nothing says otherwise."""
    roots = [(folder, package, key_lines, "")]
    if workspace_root is not None and workspace_root != folder:
        root_pkg, root_text = read_json(workspace_root / "package.json")
        rel = _rel(workspace_root, folder)
        roots.append((workspace_root, root_pkg if isinstance(root_pkg, dict) else {}, json_key_lines(root_text), rel))
    for where, pkg, lines, prefix in roots:
        pm = pkg.get("packageManager")
        if isinstance(pm, str):
            m = _PM.match(pm.strip())
            if m:
                name, version = m.group(1), m.group(2)
                flavor = ("berry" if not version.startswith("1.") else "classic") if name == "yarn" else None
                return Fact(Manager(name, flavor, version), prefix + "package.json", lines.get(("packageManager",), 0),
                            "packageManager")
    if lockfile_kind is not None:
        kind_to = {"npm": Manager("npm", None, None), "yarn-classic": Manager("yarn", "classic", None),
                   "yarn-berry": Manager("yarn", "berry", _yarnrc_version(folder, workspace_root)),
                   "pnpm": Manager("pnpm", None, None)}
        return Fact(kind_to[lockfile_kind], "", 0, "the lockfile")
    for where, _, _, prefix in roots:
        if (where / ".yarnrc.yml").is_file():
            return Fact(Manager("yarn", "berry", _yarnrc_version(folder, workspace_root)), prefix + ".yarnrc.yml", 0,
                        ".yarnrc.yml")
        if (where / "pnpm-workspace.yaml").is_file():
            return Fact(Manager("pnpm", None, None), prefix + "pnpm-workspace.yaml", 0, "pnpm-workspace.yaml")
        if (where / ".yarnrc").is_file():
            return Fact(Manager("yarn", "classic", None), prefix + ".yarnrc", 0, ".yarnrc")
    return Fact(Manager("npm", None, None), "", 0, "no lockfile or packageManager: npm")


def _yarnrc_version(folder: Path, workspace_root: Path | None) -> str | None:
    for where in (folder, workspace_root):
        if where is None:
            continue
        try:
            text = (where / ".yarnrc.yml").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        m = re.search(r"^yarnPath:\s*['\"]?\S*yarn-([0-9][^'\"\s]*?)\.c?js", text, re.M)
        if m:
            return m.group(1)
    return None


def _rel(root: Path, folder: Path) -> str:
    parts = folder.resolve().relative_to(root.resolve()).parts
    return "../" * len(parts)


# -- workspaces ---------------------------------------------------------------------------------------------------

def workspace_patterns(package: dict) -> list[str]:
    ws = package.get("workspaces")
    if isinstance(ws, dict):
        ws = ws.get("packages")
    return [w for w in ws if isinstance(w, str)] if isinstance(ws, list) else []


def pnpm_workspace_patterns(folder: Path) -> list[str] | None:
    path = folder / "pnpm-workspace.yaml"
    if not path.is_file():
        return None
    out = []
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    in_packages = False
    for line in text.splitlines():
        if re.match(r"^packages\s*:", line):
            in_packages = True
            continue
        if in_packages:
            m = re.match(r"^\s+-\s*['\"]?([^'\"#]+?)['\"]?\s*(?:#.*)?$", line)
            if m:
                out.append(m.group(1).strip())
            elif line.strip() and not line.startswith((" ", "\t", "#")):
                break
    return out


def _matches(pattern: str, rel: str) -> bool:
    import fnmatch

    pattern = pattern.strip().rstrip("/")
    if pattern.startswith("!"):
        return False
    if pattern.startswith("./"):
        pattern = pattern[2:]
    if "**" in pattern:
        return fnmatch.fnmatch(rel, pattern.replace("**/", "*").replace("**", "*"))
    return fnmatch.fnmatch(rel, pattern) and rel.count("/") == pattern.count("/")


def workspace_root(folder: Path) -> Fact[Path] | None:
    """The folder above ``folder`` whose package.json ``workspaces`` (or pnpm-workspace.yaml) includes it."""
    here = folder.resolve()
    for parent in list(here.parents)[:6]:
        rel = here.relative_to(parent).as_posix()
        pkg, text = read_json(parent / "package.json")
        patterns = workspace_patterns(pkg) if isinstance(pkg, dict) else []
        source = "package.json"
        pnpm = pnpm_workspace_patterns(parent)
        if pnpm:
            patterns, source = pnpm, "pnpm-workspace.yaml"
        if patterns and any(_matches(p, rel) for p in patterns):
            up = "../" * len(here.relative_to(parent).parts)
            line = json_key_lines(text).get(("workspaces",), 0) if source == "package.json" else 0
            return Fact(parent, up + source, line, "workspaces")
        if (parent / ".git").exists():
            break
    return None


# -- Node version ------------------------------------------------------------------------------------------------

def node_version(folder: Path, package: dict, key_lines: dict) -> Fact[str] | None:
    """The Node versions the service asks for: ``.nvmrc``, ``.node-version``, then ``engines.node``."""
    for name in (".nvmrc", ".node-version"):
        path = folder / name
        if path.is_file():
            try:
                for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                    value = line.split("#", 1)[0].strip()
                    if value:
                        return Fact(value.lstrip("v"), name, number, name)
            except OSError:
                pass
    engines = package.get("engines")
    if isinstance(engines, dict) and isinstance(engines.get("node"), str):
        return Fact(engines["node"].strip(), "package.json", key_lines.get(("engines", "node"), 0), "engines.node")
    return None


def node_major_range(spec: str) -> tuple[int | None, int | None]:
    """(lowest, highest) major version a Node spec allows, None where unbounded ("lts/*", ">=14" -> (14, None))."""
    s = spec.strip().lstrip("v")
    if s.startswith("lts") or s in ("node", "stable", "latest", "*", ""):
        return None, None
    if re.fullmatch(r"\d+(\.\d+){0,2}", s):
        return int(s.split(".")[0]), int(s.split(".")[0])
    from nodesemver import make_range

    try:
        rng = make_range(s, loose=True)
    except Exception:
        return None, None
    lows, highs = [], []
    for comparators in rng.set:
        lo, hi = 0, None
        for c in comparators:
            op, major = c.operator, c.semver.major if hasattr(c.semver, "major") else None
            if major is None:
                continue
            if op in (">=", ">", "", "="):
                lo = max(lo, major)
            if op in ("<", "<=", "", "="):
                bound = major - 1 if op == "<" and c.semver.minor == 0 and c.semver.patch == 0 else major
                hi = bound if hi is None else min(hi, bound)
        lows.append(lo)
        highs.append(hi)
    low = min(lows) if lows else None
    high = None if not highs or any(h is None for h in highs) else max(highs)
    return low, high
