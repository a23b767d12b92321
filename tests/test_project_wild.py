"""fastlint.project on the wild set (fixtures/wild: real services as their authors published them): what each
service's files say, checked against what the files really hold, and the lockfile verdict checked against the
package managers themselves (npm ci --dry-run, yarn --frozen-lockfile) as oracles."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fastlint.project import Project

WILD = Path(__file__).resolve().parent.parent / "fixtures" / "wild"
SERVICES = sorted(p.name for p in WILD.iterdir() if p.is_dir())

# service -> what its files say (read by hand from the files; the tests check the reader finds the same)
EXPECTED = {
    "cors-anywhere": dict(manager="pnpm", in_sync=True, build=None, entry="server.js", port=8080, kind="http",
                          health=None, native=set(), node=">=0.10.0"),
    "nest-starter": dict(manager="npm", in_sync=None, build="dist", entry="dist/main.js", port=3000, kind="http",
                         health=None, native=set(), node=None),
    "postgres-meta": dict(manager="npm", in_sync=False, build=None, entry="dist/server/server.js", port=8080,
                          kind="http", health="/health", native=set(), node=">=20"),
    "maildev": dict(manager="npm", in_sync=None, build=None, entry="dist/index.js", port=1080, kind=None, health=None,
                    native=set(), node=">=20.0.0"),
    "grpc-health": dict(manager="npm", in_sync=None, build="dist", entry="dist/main.js", port=3001, kind="grpc",
                        health=None, native={"grpc"}, node="12.16.2"),
    "localtunnel-server": dict(manager="yarn classic", in_sync=False, build=None, entry="bin/server", port=80,
                               kind="http", health="/api/status", native=set(), node=None),
    "loopback-todo": dict(manager="npm", in_sync=None, build="dist", entry="dist/index.js", port=3000, kind="http",
                          health=None, native=set(), node="14 || 16 || 17 || 18"),
    "mongo-express": dict(manager="npm", in_sync=None, build="build", entry="app.js", port=8081, kind="http",
                          health=None, native=set(), node=">=6.0.0"),
    "mongo-express-1": dict(manager="yarn berry 4.0.0-rc.26", in_sync=None, build="build", entry="app.js",
                            port=8081, kind="http", health=None, native=set(),
                            node="^14.17.0 || >=16.0.0 || >=18.0.0"),
    "node-media-server-2.4": dict(manager="npm", in_sync=None, build=None, entry="bin/app.js", port=1935,
                                  kind="http", health=None, native=set(), node=">=8.0.0"),
    "redis-commander-0.6": dict(manager="npm", in_sync=None, build=None, entry="lib/app.js", port=8081, kind="http",
                                health=None, native={"bcrypt"}, node=">=6.0"),
    "node-media-server": dict(manager="npm", in_sync=True, build=None, entry="node_media_server.js", port=1935,
                              kind="http", health=None, native=set(), node=">=8.0.0"),
    "redis-commander": dict(manager="npm", in_sync=None, build="web/static/scripts/browserify.js",
                            entry="lib/app.js", port=8081, kind="http", health=None, native={"bcrypt"},
                            node=">=12.0"),
    "statsd": dict(manager="npm", in_sync=None, build=None, entry="stats.js", port=8126, kind="tcp", health=None,
                   native=set(), node=">=8"),
    "ts-express-default": dict(manager="npm", in_sync=None, build="dist", entry="dist/server.js", port=3000,
                               kind="http", health=None, native={"bcrypt", "@swc/core"}, node=None),
    "ts-express-graphql": dict(manager="npm", in_sync=None, build="dist", entry="dist/server.js", port=3000,
                               kind="http", health=None, native={"bcrypt", "@swc/core"}, node=None),
    "ts-express-sequelize": dict(manager="npm", in_sync=None, build="dist", entry="dist/server.js", port=3000,
                                 kind="http", health=None, native={"bcrypt", "@swc/core"}, node=None),
    "verdaccio": dict(manager="yarn classic", in_sync=True, build=None, entry="index.js", port=4873, kind="http",
                      health="/-/ping", native={"node-sass"}, node=">=4.6.1"),
}


def test_every_wild_service_is_described():
    assert sorted(EXPECTED) == SERVICES
    assert len(SERVICES) >= 13


@pytest.mark.parametrize("name", SERVICES)
def test_reading(name):
    want = EXPECTED[name]
    p = Project(WILD / name)
    assert p.manager.value.label == want["manager"]
    assert p.lock_sync.in_sync is want["in_sync"], p.lock_sync.summary()
    build = p.build.value.output.value if p.build and p.build.value.output else None
    assert build == want["build"]
    assert (p.start.entry.value if p.start.entry else None) == want["entry"]
    assert p.ports.port is not None and p.ports.port.value == want["port"], p.ports.candidates
    assert (p.kind.value if p.kind else None) == want["kind"]
    assert (p.health.value.path if p.health else None) == want["health"]
    assert {n.value.name for n in p.native} == want["native"]
    assert (p.node_version.value if p.node_version else None) == want["node"]


@pytest.mark.parametrize("name", SERVICES)
def test_citations_point_at_the_line_that_says_it(name):
    """Every fact that names a file and a line: that line of that file holds the value (or the key) it reports."""
    p = Project(WILD / name)
    facts = [p.ports.port, p.kind, p.node_version, p.health, p.start.entry]
    facts += list(p.ports.candidates) + list(p.native) + list(p.runtime_needs.paths.values())
    if p.build:
        facts += [p.build, p.build.value.output]
    checked = 0
    for fact in facts:
        if fact is None or not fact.file or not fact.line:
            continue
        lines = (WILD / name / fact.file).read_text(encoding="utf-8", errors="replace").splitlines()
        assert 0 < fact.line <= len(lines), fact
        text = lines[fact.line - 1]
        value = fact.value
        probe = {int: str, str: str}.get(type(value), lambda v: getattr(v, "path", getattr(v, "name", "")))(value)
        key = fact.how.split(".")[-1].split(" ")[0]
        assert any(s and s.strip("./") in text for s in (probe, probe.rsplit("/", 1)[-1], key)) or \
            fact.how in ("required", "read", "read beside the code", "served as static files",
                         "the entry is build output", "package.json files") or "depends on" in fact.how \
            or "server in the source" in fact.how, \
            f"{fact.where}: {text!r} does not hold {probe!r} ({fact.how})"
        checked += 1
    assert checked >= 3


def test_runtime_needs_of_services_without_a_build():
    """The folders a service reads at run time beside its entry: static folders, required modules."""
    needs = lambda n: set(Project(WILD / n).runtime_needs.paths)  # noqa: E731
    assert {"bin", "server.js", "lib", "www"} <= needs("localtunnel-server")
    assert {"app.js", "lib", "public", "build", "config.default.js"} <= needs("mongo-express")
    assert {"lib", "web"} <= needs("redis-commander")
    assert {"node_media_server.js", "api", "public"} <= needs("node-media-server")
    assert {"bin", "src"} <= needs("node-media-server-2.4")  # bin/app.js requires '..': the package's main
    assert {"dist", "public"} <= needs("loopback-todo")
    assert "test" not in needs("mongo-express")


def test_a_build_output_published_ready_to_run_is_the_code():
    """postgres-meta's tarball has dist/ but not the tsconfig.json nor the src/ its build script compiles: the
    service runs from dist/ as it is (and its source, for the health route, is read there). A service whose build
    can run is not prebuilt, even with a dist/ beside it."""
    p = Project(WILD / "postgres-meta")
    assert p.prebuilt is not None and p.prebuilt.value == "dist" and "tsconfig.json" in p.prebuilt.how
    assert p.health.file == "dist/server/app.js"
    assert set(p.runtime_needs.paths) == {"dist"}
    assert Project(WILD / "maildev").prebuilt.value == "dist"
    assert all(Project(WILD / n).prebuilt is None for n in SERVICES if n not in ("postgres-meta", "maildev"))


def test_a_runnable_build_with_a_dist_beside_it_is_not_prebuilt(tmp_path):
    folder = _copy("nest-starter", tmp_path)
    (folder / "dist").mkdir()
    (folder / "dist" / "main.js").write_text("console.log('built before')\n")
    assert Project(folder).prebuilt is None  # tsconfig.build.json and src/ are there: nest build runs
    (folder / "tsconfig.build.json").unlink()
    (folder / "tsconfig.json").unlink()
    assert Project(folder).prebuilt.value == "dist"


def test_kubernetes_ports_of_other_images_are_left_out():
    """redis-commander's k8s/ folder also deploys redis (6379): only the service's own containers count."""
    ports = Project(WILD / "redis-commander").ports
    kube = [c for c in ports.candidates if c.how == "Kubernetes containerPort"]
    assert kube and {c.value for c in kube} == {8081}
    assert all(c.file.startswith("k8s/redis-commander/") for c in kube)


# -- the oracles ---------------------------------------------------------------------------------------------------

def _copy(name: str, tmp: Path) -> Path:
    dest = tmp / name
    shutil.copytree(WILD / name, dest)
    return dest


@pytest.mark.parametrize("name", SERVICES)
def test_npm_ci_agrees(name, tmp_path):
    """npm is the oracle: `npm ci --dry-run` accepts the folder exactly when fastlint says it has an npm lockfile
    in sync; without an npm lockfile npm ci refuses (EUSAGE) whatever else is there."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is needed for the lockfile oracle")
    p = Project(WILD / name)
    folder = _copy(name, tmp_path)
    result = subprocess.run([npm, "ci", "--dry-run", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=folder,
                            capture_output=True, text=True, timeout=300)
    npm_accepts = result.returncode == 0
    ours = p.lockfile is not None and p.lockfile.kind == "npm" and p.lock_sync.in_sync is True
    assert npm_accepts == ours, f"npm ci: {result.returncode}\n{result.stderr[-1500:]}\nfastlint: {p.lock_sync.summary()}"
    if not npm_accepts:
        assert "EUSAGE" in result.stderr


@pytest.mark.parametrize("name", [n for n in SERVICES if (WILD / n / "yarn.lock").is_file()])
def test_yarn_frozen_lockfile_agrees(name, tmp_path):
    """yarn classic is the oracle for its lockfiles: `yarn install --frozen-lockfile` stops after resolving when
    the lockfile needs an update; once it reaches "Fetching packages" the lockfile was accepted (it is stopped there)."""
    npx = shutil.which("npx")
    if npx is None:
        pytest.fail("npx is needed for the yarn oracle")
    folder = _copy(name, tmp_path)
    proc = subprocess.Popen([npx, "-y", "yarn@1.22.22", "install", "--frozen-lockfile", "--ignore-scripts",
                             "--non-interactive", "--no-progress"], cwd=folder, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    seen = []
    accepted = None
    try:
        for line in proc.stdout:
            seen.append(line)
            if "needs to be updated" in line:
                accepted = False
                break
            if "Fetching packages" in line:
                accepted = True
                break
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 15)
        proc.wait(timeout=60)
    assert accepted is not None, "".join(seen)[-1500:]
    assert Project(WILD / name).lock_sync.in_sync is accepted, "".join(seen)[-1500:]


def test_reading_imports_nothing_heavy():
    """Importing fastlint.project (and reading a package.json) loads no YAML parser, no semver matcher and no
    Dockerfile parser: the lint path of a file without those stays fast."""
    code = ("import sys; from fastlint.project import Project; p = Project(sys.argv[1]); p.package; p.start; "
            "p.build; p.manager; "
            "print(','.join(m for m in ('ruamel.yaml', 'nodesemver', 'fastlint.parser', 'docker') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(WILD / "statsd")], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""
