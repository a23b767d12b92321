"""Lockfile reading and the in-sync check of fastlint.project, on small synthetic folders: npm lockfiles written
by npm itself (lockfileVersion 1, 2 and 3) with package.json changed after them, checked against `npm ci
--dry-run` (the oracle); hand-written yarn classic, yarn berry and pnpm lockfiles (5, 6, 9) in their documented
formats; workspaces; and npm's semver ranges checked against npm's own `semver` package run by node."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from fastlint.project import Project
from fastlint.project.semver import satisfies, spec_kind

NPM = shutil.which("npm")
NODE = shutil.which("node")


def write(folder: Path, files: dict[str, str | dict]) -> Path:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, indent=2) + "\n" if isinstance(content, dict) else content)
    return folder


# -- npm, with npm as the oracle -------------------------------------------------------------------------------

BASE = {"name": "svc", "version": "1.0.0", "dependencies": {"ms": "^2.1.0", "depd": "~2.0.0"},
        "devDependencies": {"inherits": "2.0.4"}}
CHANGES = {
    "unchanged": lambda p: p,
    "a dependency added": lambda p: {**p, "dependencies": {**p["dependencies"], "bytes": "^3.1.0"}},
    "a range the locked version misses": lambda p: {**p, "dependencies": {**p["dependencies"], "ms": "^2.0.0 <2.1.0"}},
    "a dev range the locked version misses": lambda p: {**p, "devDependencies": {"inherits": "2.0.3"}},
    "a dependency removed": lambda p: {**p, "dependencies": {"ms": "^2.1.0"}},
    "a range widened": lambda p: {**p, "dependencies": {**p["dependencies"], "ms": ">=2"}},
    "moved from dev to runtime": lambda p: {**p, "dependencies": {**p["dependencies"], "inherits": "2.0.4"},
                                            "devDependencies": {}},
}


@pytest.fixture(scope="module")
def npm_locks(tmp_path_factory):
    """package-lock.json of BASE in lockfileVersion 1, 2 and 3, written by npm."""
    if NPM is None:
        pytest.fail("npm is needed for the lockfile oracle")
    out = {}
    for version in ("1", "2", "3"):
        folder = write(tmp_path_factory.mktemp(f"lock{version}"), {"package.json": BASE})
        subprocess.run([NPM, "install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund",
                        f"--lockfile-version={version}"], cwd=folder, check=True, capture_output=True, timeout=300)
        text = (folder / "package-lock.json").read_text()
        assert json.loads(text)["lockfileVersion"] == int(version)
        out[version] = text
    return out


@pytest.mark.parametrize("version", ["1", "2", "3"])
@pytest.mark.parametrize("change", list(CHANGES))
def test_npm_lockfile_sync_agrees_with_npm_ci(tmp_path, npm_locks, version, change):
    folder = write(tmp_path, {"package.json": CHANGES[change](BASE), "package-lock.json": npm_locks[version]})
    sync = Project(folder).lock_sync
    assert sync.lockfile.kind == "npm" and sync.lockfile.version == version
    result = subprocess.run([NPM, "ci", "--dry-run", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=folder,
                            capture_output=True, text=True, timeout=300)
    assert sync.in_sync is (result.returncode == 0), f"{change}: npm says\n{result.stderr[-1200:]}\n" \
                                                      f"fastlint says {sync.summary()}"


def test_npm_mismatch_messages(tmp_path, npm_locks):
    folder = write(tmp_path, {"package.json": CHANGES["a range the locked version misses"](
        CHANGES["a dependency added"](BASE)), "package-lock.json": npm_locks["3"]})
    p = Project(folder)
    by_name = {m.name: m for m in p.lock_sync.mismatches}
    assert by_name["bytes"].reason == "missing"
    assert by_name["ms"].reason == "invalid" and by_name["ms"].locked.startswith("2.1.")
    assert p.key_lines[("dependencies", "ms")] == by_name["ms"].package_line
    assert "package-lock.json has ms@2.1." in p.lock_sync.summary()


def test_npm_alias_git_and_file_specs(tmp_path):
    lock = {"name": "svc", "lockfileVersion": 3, "requires": True, "packages": {
        "": {"name": "svc", "dependencies": {"old": "npm:ms@^2.1.0", "lib": "file:../lib", "gh": "github:a/b"}},
        "node_modules/old": {"name": "ms", "version": "2.1.3"},
        "node_modules/lib": {"resolved": "../lib", "link": True},
        "node_modules/gh": {"version": "1.0.0", "resolved": "git+ssh://git@github.com/a/b.git#0123"}}}
    pkg = {"name": "svc", "dependencies": {"old": "npm:ms@^2.1.0", "lib": "file:../lib", "gh": "github:a/b"}}
    folder = write(tmp_path, {"package.json": pkg, "package-lock.json": lock})
    assert Project(folder).lock_sync.in_sync is True
    pkg["dependencies"]["old"] = "npm:ms@^3.0.0"
    write(folder, {"package.json": pkg})
    assert Project(folder).lock_sync.in_sync is False


def test_npm_workspace_member_uses_the_roots_lockfile(tmp_path):
    root = {"name": "mono", "private": True, "workspaces": ["packages/*"]}
    api = {"name": "api", "version": "1.0.0", "dependencies": {"ms": "^2.1.0", "shared": "^1.0.0"}}
    lock = {"name": "mono", "lockfileVersion": 3, "requires": True, "packages": {
        "": {"name": "mono", "workspaces": ["packages/*"]},
        "packages/api": {"name": "api", "version": "1.0.0", "dependencies": {"ms": "^2.1.0", "shared": "^1.0.0"}},
        "packages/shared": {"name": "shared", "version": "1.2.0"},
        "node_modules/api": {"resolved": "packages/api", "link": True},
        "node_modules/shared": {"resolved": "packages/shared", "link": True},
        "node_modules/ms": {"version": "2.1.3"}}}
    write(tmp_path, {"package.json": root, "package-lock.json": lock, "packages/api/package.json": api,
                     "packages/shared/package.json": {"name": "shared", "version": "1.2.0"}})
    p = Project(tmp_path / "packages" / "api")
    assert p.workspace_root is not None and p.workspace_root.value == tmp_path.resolve()
    assert p.workspace_root.where == "../../package.json:4"
    assert p.lockfile.file == "../../package-lock.json" and p.lockfile.importer == "packages/api"
    assert p.lock_sync.in_sync is True
    api["dependencies"]["shared"] = "^2.0.0"
    write(tmp_path, {"packages/api/package.json": api})
    assert Project(tmp_path / "packages" / "api").lock_sync.in_sync is False


# -- yarn and pnpm ---------------------------------------------------------------------------------------------

YARN_CLASSIC = """\
# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
# yarn lockfile v1


"@babel/code-frame@^7.0.0", "@babel/code-frame@^7.10.4":
  version "7.12.13"
  resolved "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.12.13.tgz#dcfc826beef65e75c50e21d3837d7d95798dd658"

ms@2.1.2, ms@^2.1.1:
  version "2.1.2"
  resolved "https://registry.yarnpkg.com/ms/-/ms-2.1.2.tgz"
"""

YARN_BERRY = """\
# This file is generated by running "yarn install" inside your project.
# Manual changes might be lost - proceed with caution!

__metadata:
  version: 8
  cacheKey: 10c0

"@babel/code-frame@npm:^7.10.4":
  version: 7.12.13
  resolution: "@babel/code-frame@npm:7.12.13"
  languageName: node
  linkType: hard

"ms@npm:2.1.2, ms@npm:^2.1.1":
  version: 2.1.2
  resolution: "ms@npm:2.1.2"
  languageName: node
  linkType: hard

"svc@workspace:.":
  version: 0.0.0-use.local
  resolution: "svc@workspace:."
  languageName: unknown
  linkType: soft
"""


@pytest.mark.parametrize(("lockfile", "kind", "label"), [(YARN_CLASSIC, "yarn-classic", "yarn classic"),
                                                         (YARN_BERRY, "yarn-berry", "yarn berry")])
def test_yarn_lockfiles(tmp_path, lockfile, kind, label):
    pkg = {"name": "svc", "dependencies": {"ms": "^2.1.1"}, "devDependencies": {"@babel/code-frame": "^7.10.4"}}
    folder = write(tmp_path, {"package.json": pkg, "yarn.lock": lockfile})
    p = Project(folder)
    assert p.lockfile.kind == kind and p.manager.value.label == label
    assert p.lock_sync.in_sync is True, p.lock_sync.summary()
    pkg["dependencies"]["ms"] = "^2.1.3"  # a range the lockfile has no key for (yarn must update it)
    write(folder, {"package.json": pkg})
    sync = Project(folder).lock_sync
    assert sync.in_sync is False
    assert [(m.name, m.reason) for m in sync.mismatches] == [("ms", "not-locked")]
    assert sync.mismatches[0].lock_line == (9 if kind == "yarn-classic" else 14)


def test_yarn_berry_version_from_yarnrc_and_package_manager(tmp_path):
    folder = write(tmp_path, {"package.json": {"name": "svc"}, ".yarnrc.yml": "nodeLinker: node-modules\n"
                              "yarnPath: .yarn/releases/yarn-4.1.1.cjs\n"})
    m = Project(folder).manager
    assert (m.value.name, m.value.flavor, m.value.version, m.file) == ("yarn", "berry", "4.1.1", ".yarnrc.yml")
    write(folder, {"package.json": {"name": "svc", "packageManager": "pnpm@9.1.0+sha512.abc"}})
    m = Project(folder).manager
    assert (m.value.label, m.where) == ("pnpm 9.1.0", "package.json:3")
    assert m.value.frozen_install == "pnpm install --frozen-lockfile"


PNPM = {
    "5.4": """\
lockfileVersion: 5.4

specifiers:
  express: ^4.18.0
  typescript: ^5.0.0

dependencies:
  express: 4.18.2

devDependencies:
  typescript: 5.1.6

packages:
  /express/4.18.2:
    resolution: {integrity: sha512-x}
""",
    "6.0": """\
lockfileVersion: '6.0'

dependencies:
  express:
    specifier: ^4.18.0
    version: 4.18.2

devDependencies:
  typescript:
    specifier: ^5.0.0
    version: 5.1.6
""",
    "9.0": """\
lockfileVersion: '9.0'

settings:
  autoInstallPeers: true

importers:

  .:
    dependencies:
      express:
        specifier: ^4.18.0
        version: 4.18.2
    devDependencies:
      typescript:
        specifier: ^5.0.0
        version: 5.1.6
""",
}


@pytest.mark.parametrize("version", list(PNPM))
def test_pnpm_lockfiles(tmp_path, version):
    pkg = {"name": "svc", "dependencies": {"express": "^4.18.0"}, "devDependencies": {"typescript": "^5.0.0"}}
    folder = write(tmp_path, {"package.json": pkg, "pnpm-lock.yaml": PNPM[version]})
    p = Project(folder)
    assert (p.lockfile.kind, p.lockfile.version, p.manager.value.name) == ("pnpm", version, "pnpm")
    assert p.lock_sync.in_sync is True, p.lock_sync.summary()
    express = p.lockfile.entries["express"]
    assert (express.version, express.spec) == ("4.18.2", "^4.18.0")
    assert PNPM[version].splitlines()[express.line - 1].strip().startswith("express:")
    # pnpm compares specifiers as written: a range still satisfied by 4.18.2 is a change all the same
    pkg["dependencies"]["express"] = "^4.17.0"
    write(folder, {"package.json": pkg})
    assert [(m.name, m.reason) for m in Project(folder).lock_sync.mismatches] == [("express", "changed")]
    del pkg["devDependencies"]
    write(folder, {"package.json": {**pkg, "dependencies": {"express": "^4.18.0"}}})
    assert [(m.name, m.reason) for m in Project(folder).lock_sync.mismatches] == [("typescript", "removed")]


def test_pnpm_workspace_member(tmp_path):
    lock = PNPM["9.0"].replace("  .:\n", "  .: {}\n\n  apps/api:\n")
    write(tmp_path, {"package.json": {"name": "mono", "private": True},
                     "pnpm-workspace.yaml": "packages:\n  - 'apps/*'\n", "pnpm-lock.yaml": lock,
                     "apps/api/package.json": {"name": "api", "dependencies": {"express": "^4.18.0"},
                                               "devDependencies": {"typescript": "^5.0.0"}}})
    p = Project(tmp_path / "apps" / "api")
    assert p.workspace_root.file == "../../pnpm-workspace.yaml"
    assert p.manager.value.name == "pnpm"
    assert p.lockfile.importer == "apps/api" and p.lock_sync.in_sync is True, p.lock_sync.summary()


def test_unreadable_lockfile_says_so(tmp_path):
    folder = write(tmp_path, {"package.json": {"name": "svc"}, "package-lock.json": "{ not json"})
    sync = Project(folder).lock_sync
    assert sync.in_sync is None and "invalid JSON" in sync.summary()


def test_no_package_json(tmp_path):
    p = Project(tmp_path)
    assert not p.has_package and p.package == {} and p.lock_sync.in_sync is None
    assert p.start.entry is None and p.build is None and p.ports.port is None


# -- npm's semver ranges, npm's semver package as the oracle ---------------------------------------------------

RANGES = ["*", "", "x", "1", "1.x", "1.2", "1.2.x", "^1.2.3", "~1.2.3", "^0.2.3", "^0.0.3", "~0.2", "^0.0", "^0",
          ">=1.2.3 <2.0.0", ">1.2", "<=1.2", "1.2.3 - 2.3.4", "1.2 - 2.3", "1 - 2", "~1", "~>1.2", "=1.2.3", "v1.2.3",
          "^1.2.3-beta.2", "~1.2.3-beta.2", ">=1.2.3-alpha <1.2.4", "1.2.3-rc.1", "^1.x", "^1.2.x", "~1.x",
          ">=0.0.0", "<1.0.0-0", ">1.0.0-alpha.1", "1.0.0 || >=2.0.0 <3", "^2 || ^3 || ^4", ">= 1.2.3", "^ 1.2.3",
          "~ 1.2", ">=1.2.3 <=1.2.3", "latest", "1.2.3+build", "^1.2.3+build", ">=1.0.0-0 <2", "x.x.x", "1.X",
          "^v1.2.3", "  ^1.2.3  ", "<2", ">2.0", "=1", "1.2.*", "^1.2.3 || 2.x", "~0.0.1", "^0.1.x",
          ">= 2.1.2 < 3.0.0", "4.16.4", "^4.17.21", "~3.1.0 || ^4.0.0-beta.1", "^1.0.0-0", "<1.2.3-beta",
          "0.x || >=1.5"]
VERSIONS = ["0.0.0", "0.0.1", "0.0.3", "0.0.4", "0.1.0", "0.2.3", "0.2.4", "0.3.0", "1.0.0", "1.0.0-alpha",
            "1.0.0-alpha.1", "1.2.0", "1.2.2", "1.2.3", "1.2.3-alpha", "1.2.3-beta.1", "1.2.3-beta.2",
            "1.2.3-beta.3", "1.2.3-rc.1", "1.2.4", "1.2.4-beta", "1.3.0", "1.9.9", "2.0.0", "2.0.0-0", "2.3.4",
            "2.3.5", "2.4.0", "3.0.0", "3.5.0", "4.0.0-beta.1", "4.0.0", "4.16.4", "4.17.21", "4.18.0",
            "1.2.3+build.5", "10.0.0"]


def _npm_semver() -> str:
    root = subprocess.run([NPM, "root", "-g"], capture_output=True, text=True, timeout=60).stdout.strip()
    path = Path(root) / "npm" / "node_modules" / "semver"
    if not path.is_dir():
        pytest.fail(f"npm's own semver package is not at {path}")
    return str(path)


def test_semver_ranges_match_npms_own_semver(tmp_path):
    if NODE is None or NPM is None:
        pytest.fail("node and npm are needed for the semver oracle")
    cases = [[r, v] for r in RANGES for v in VERSIONS]
    (tmp_path / "cases.json").write_text(json.dumps(cases))
    script = (f"const semver = require({json.dumps(_npm_semver())});"
              "const cases = require('./cases.json');"
              "console.log(JSON.stringify(cases.map(([r, v]) => semver.validRange(r) === null ? null"
              " : semver.satisfies(v, r))));")
    out = subprocess.run([NODE, "-e", script], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    oracle = json.loads(out.stdout)
    wrong = [(r, v, want, satisfies(v, r)) for (r, v), want in zip(cases, oracle) if satisfies(v, r) != want]
    assert not wrong, wrong[:10]
    assert len(cases) > 2000


@pytest.mark.parametrize(("spec", "kind"), [("^1.2", "range"), ("latest", "tag"), ("npm:foo@^1", "alias"),
                                            ("github:a/b", "git"), ("a/b#v1", "git"), ("file:../x", "file"),
                                            ("workspace:*", "workspace"), ("https://x.org/y.tgz", "url"),
                                            ("git+https://x.org/y.git", "git"), ("", "range")])
def test_spec_kinds(spec, kind):
    assert spec_kind(spec) == kind
