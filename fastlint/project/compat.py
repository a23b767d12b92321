"""Dependency versions known not to run on a Node.js major (FL410, and the migration's refusal).

The knowledge is data: ``node_compat.json`` beside this module, one row per package and Node range, each with its
evidence (a run on a named Node version, or the package's own published documentation). A row says: on the
Node majors of ``node``, the versions of ``package`` in ``versions`` do not run; ``works`` says which do.

Only ``dependencies`` and ``optionalDependencies`` are judged: what production installs and loads. A
devDependency is left alone: the template installs with ``--ignore-scripts`` (a native module's failing build
does not run), and a build tool that fails makes the build fail where it shows (verdaccio's node-sass 4.5.3, a
devDependency of a web UI it publishes built, migrates and turns healthy on Node 20).

Only the version the service really installs is judged: an exact version in package.json, else the version its
lockfile resolves the package.json range to. A range without a lockfile (``^3.0.0``) is never judged: npm may
install a version that runs. The table is read only when a service names one of its packages."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .facts import Fact

TABLE = Path(__file__).with_name("node_compat.json")
_EXACT = re.compile(r"^=?v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)(?:\+[0-9A-Za-z.-]+)?$")
FIELDS = ("dependencies", "optionalDependencies")  # what production installs and loads


@dataclass(frozen=True)
class Row:
    package: str
    versions: str  # the npm range of the versions that do not run
    node: str  # the Node versions (an npm range over majors: "20", ">=16") they do not run on
    works: str  # which versions do, in words ("3.1.0 or later"); "" when none does
    source: str  # the evidence in a few words, for messages
    evidence: str  # the evidence in full


@dataclass(frozen=True)
class Breakage:
    """A dependency of the service whose installed version does not run on a Node major."""

    package: str
    version: str
    node: int
    row: Row

    def describe(self, where: str) -> str:
        """``esm 3.0.34 (package.json:13) does not run on Node 20``."""
        return f"{self.package} {self.version} ({where}) does not run on Node {self.node}"

    @property
    def remedy(self) -> str:
        """``esm 3.1.0 or later does (run on Node 20.20.2): update it``; ``no fibers version does (...): replace
        it`` when no version runs there."""
        if not self.row.works:
            return f"no {self.package} version does ({self.row.source}): replace it"
        return f"{self.package} {self.row.works} does ({self.row.source}): update it"


@lru_cache(maxsize=1)
def table() -> dict[str, tuple[Row, ...]]:
    """The rows of node_compat.json, by package name (read once; the file is part of fastlint)."""
    data = json.loads(TABLE.read_text(encoding="utf-8"))
    rows: dict[str, list[Row]] = {}
    for raw in data["rows"]:
        row = Row(**raw)
        rows.setdefault(row.package, []).append(row)
    return {name: tuple(r) for name, r in rows.items()}


def image_node_major(ref: str) -> int | None:
    """The Node major of an official node image reference (``node:20-alpine`` -> 20); None for ``node:lts``, an
    image without ``node:MAJOR`` (``fastlint.rules.lib.images.node_major``)."""
    from ..rules.lib.images import node_major

    return node_major(ref)


def exact_version(spec: str) -> str | None:
    """The version an exact package.json spec pins (``3.0.34``, ``=3.0.34``), None for a range or anything else."""
    m = _EXACT.match(spec.strip())
    return m.group(1) if m else None


def installed_version(project, name: str, spec: str, field: str) -> Fact[str] | None:
    """The version of ``name`` an install of the service gets: the exact version package.json pins, else the one
    its lockfile resolves ``spec`` to; None when it cannot be known without installing."""
    exact = exact_version(spec)
    if exact is not None:
        return Fact(exact, "package.json", project.key_lines.get((field, name), 0), f"{field}.{name}")
    lock = project.lockfile
    if lock is None or lock.error:
        return None
    if lock.kind == "npm":
        entry = lock.entries.get(name)
    elif lock.kind == "yarn-classic":
        entry = lock.entries.get(f"{name}@{spec}")
    elif lock.kind == "yarn-berry":
        entry = lock.entries.get(f"{name}@npm:{spec}")
    else:  # pnpm: the importer's entry, when it was locked for this very range
        entry = lock.entries.get(name)
        entry = entry if entry is not None and entry.spec == spec else None
    if entry is None or not entry.version:
        return None
    version = exact_version(re.split(r"[(_]", entry.version, maxsplit=1)[0])  # pnpm's peer suffixes
    return Fact(version, lock.file, entry.line, "the lockfile") if version else None


def breakages(project, node_major: int) -> list[Fact[Breakage]]:
    """The service's dependencies whose installed version does not run on ``node_major``, by the table: each with
    the file and line its version was read from. Nothing is read when no dependency is in the table."""
    package = project.package
    named = {name for f in FIELDS if isinstance(package.get(f), dict) for name in package[f]}
    if not named:
        return []
    rows = table()
    if not named & rows.keys():
        return []
    from .semver import satisfies

    out: list[Fact[Breakage]] = []
    node = f"{node_major}.0.0"
    for name in sorted(named & rows.keys()):
        spec, field = _spec(package, name)
        for row in rows[name]:
            if not spec or not satisfies(node, row.node):
                continue
            installed = installed_version(project, name, spec, field)
            if installed is not None and satisfies(installed.value, row.versions):
                out.append(Fact(Breakage(name, installed.value, node_major, row), installed.file, installed.line,
                                installed.how))
                break
    return out


def _spec(package: dict, name: str) -> tuple[str, str]:
    """(the range package.json asks for, its field); ``("", field)`` for a value that is not a string."""
    for f in FIELDS:
        deps = package.get(f)
        if isinstance(deps, dict) and name in deps:
            return (deps[name] if isinstance(deps[name], str) else ""), f
    return "", FIELDS[0]
