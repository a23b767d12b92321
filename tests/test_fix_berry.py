"""yarn berry without a lockfile, and git dependencies, in the template migration (issue 11: "No or stale lockfile:
install [unfrozen] and say so in a warning and a finding; never invent a lockfile silently").

The fast tests migrate small services written here (in tmp_path); the engine test (marker ``docker``) migrates a
small berry service without a yarn.lock, with yarn berry's own release (the one mongo-express@1.0.2 publishes in
fixtures/wild/mongo-express-1/.yarn/releases) and one dependency from the npm registry, patched by a `patch:`
descriptor: the migrated file is built on the stand-ins, started, and healthy as uid 1001."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fastlint.engine.config import builtin_policy, reset_caches
from fastlint.fixer.migrate import MigrationError, migrate
from fastlint.project import Project
from fastlint.project.gitdeps import is_git_spec

sys.path.insert(0, str(Path(__file__).resolve().parent / "standins"))

from standins.conftest_engine import (  # noqa: E402,F401  (fixtures used by name)
    docker_client, package_store, standin_build_args, standin_images,
)

ROOT = Path(__file__).resolve().parent.parent
RELEASE = ROOT / "fixtures" / "wild" / "mongo-express-1" / ".yarn" / "releases" / "yarn-4.0.0-rc.26.cjs"
LEGACY = 'FROM node:18-alpine\nWORKDIR /app\nCOPY . .\nRUN yarn install\nEXPOSE 3000\nCMD ["node", "server.js"]\n'
YARNRC = "nodeLinker: node-modules\n\nyarnPath: .yarn/releases/yarn-4.0.0-rc.26.cjs\n"
# a patch that adds a file to ms@2.1.3 (yarn berry's patch: protocol; the patch file is the service's own)
PATCH = ("diff --git a/patched.js b/patched.js\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n"
         "+++ b/patched.js\n@@ -0,0 +1 @@\n+module.exports = 'patched by the service';\n")
SERVER = """const http = require('http');
const ms = require('ms');
const patched = require('ms/patched.js');
if (ms(3600000) !== '1h' || patched !== 'patched by the service') process.exit(3);  // never healthy then
http.createServer((req, res) => {
  res.writeHead(req.url === '/health' ? 200 : 404);
  res.end(req.url === '/health' ? 'ok' : 'not found');
}).listen(process.env.PORT || 3000);
"""


def berry_service(folder: Path, *, yarnrc: str | None = YARNRC, release: bool = True, patches: bool = True,
                  plugins: bool = False, npmrc: bool = False, dependencies: dict | None = None,
                  scripts: dict | None = None) -> Path:
    """A yarn berry service without a yarn.lock; the release file is a placeholder unless the engine builds it."""
    folder.mkdir(parents=True, exist_ok=True)
    deps = dependencies if dependencies is not None else \
        {"ms": "patch:ms@npm%3A2.1.3#~/.yarn/patches/ms-npm-2.1.3.patch"}
    package = {"name": "berry-svc", "version": "1.0.0", "private": True, "packageManager": "yarn@4.0.0-rc.26",
               "scripts": scripts if scripts is not None else {"start": "node server.js"}, "dependencies": deps}
    (folder / "package.json").write_text(json.dumps(package, indent=2) + "\n")
    (folder / "Dockerfile").write_text(LEGACY)
    (folder / "server.js").write_text(SERVER)
    if yarnrc is not None:
        (folder / ".yarnrc.yml").write_text(yarnrc)
    if release:
        (folder / ".yarn" / "releases").mkdir(parents=True)
        (folder / ".yarn" / "releases" / "yarn-4.0.0-rc.26.cjs").write_text("// placeholder\n")
    if patches:
        (folder / ".yarn" / "patches").mkdir(parents=True, exist_ok=True)
        (folder / ".yarn" / "patches" / "ms-npm-2.1.3.patch").write_text(PATCH)
    if plugins:
        (folder / ".yarn" / "plugins").mkdir(parents=True, exist_ok=True)
        (folder / ".yarn" / "plugins" / "plugin.cjs").write_text("module.exports = {};\n")
    if npmrc:
        (folder / ".npmrc").write_text("fund=false\n")
    return folder


def migrated(folder: Path):
    reset_caches()
    return migrate((folder / "Dockerfile").read_text(), str(folder / "Dockerfile"), builtin_policy())


def deps_stage(text: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("FROM ") and "AS dependencies" in line)
    end = next(i for i, line in enumerate(lines) if line.startswith("FROM dependencies AS builder"))
    return [line for line in lines[start:end] if line and not line.startswith("#")]


def warned(m, *words) -> list[str]:
    return [msg for _, msg in m.warnings if all(w in msg for w in words)]


# -- git dependencies: what fastlint.project reads --------------------------------------------------------------

@pytest.mark.parametrize("spec", [
    "github:rtritto/bootstrap-paginator#develop", "gitlab:owner/repo", "bitbucket:owner/repo#v1", "gist:11081aaa",
    "owner/repo", "owner/repo#develop", "dozoisch/renderjson#cd0ef870c1298d53f09555da54e4bf57a0d21414",
    "git+https://github.com/owner/repo.git#v1.2.0", "git+ssh://git@github.com/owner/repo.git", "git://github.com/o/r",
    "git+http://example.com/r.git", "git+file:///srv/r.git", "git@github.com:owner/repo.git",
    "https://github.com/owner/repo", "https://github.com/owner/repo.git#semver:^1", "http://gitlab.com/o/r",
    "patch:x@github%3Aowner%2Frepo%23dev#~/.yarn/patches/x.patch",
    "patch:@scope/x@git%2Bhttps%3A%2F%2Fgithub.com%2Fo%2Fr.git#./p.patch",
])
def test_git_forms_are_git_dependencies(spec):
    assert is_git_spec(spec)


@pytest.mark.parametrize("spec", [
    "^1.2.3", "~1.2", "1.x", "*", "", "latest", "next", ">=1 <2", "1.2.3 - 2.0.0", "npm:other@^1", "file:../lib",
    "./lib", "../lib", "/srv/lib", "link:../lib", "portal:../lib", "workspace:*", "exec:./gen.js",
    "https://example.com/x-1.0.0.tgz", "https://github.com/owner/repo/archive/v1.tar.gz", "owner/repo.tgz",
    "patch:ms@npm%3A2.1.3#~/.yarn/patches/ms.patch", "@scope/name", "https://registry.npmjs.org/ms",
])
def test_other_forms_are_not(spec):
    assert not is_git_spec(spec)


def test_git_dependencies_name_the_dependency_its_field_and_line(tmp_path):
    text = ('{\n  "name": "svc",\n  "dependencies": {\n    "express": "^4",\n    "a": "github:o/a#dev"\n  },\n'
            '  "devDependencies": {\n    "b": "git+https://gitlab.com/o/b.git"\n  },\n'
            '  "optionalDependencies": {\n    "c": "o/c"\n  },\n  "peerDependencies": {\n    "d": "o/d"\n  }\n}\n')
    (tmp_path / "package.json").write_text(text)
    found = [(f.value, f.file, f.line, f.how) for f in Project(tmp_path).git_dependencies]
    assert found == [("a@github:o/a#dev", "package.json", 5, "dependencies"),
                     ("b@git+https://gitlab.com/o/b.git", "package.json", 8, "devDependencies"),
                     ("c@o/c", "package.json", 11, "optionalDependencies")]


def test_the_wild_services_git_dependencies():
    wild = ROOT / "fixtures" / "wild"
    assert [(f.value, f.where) for f in Project(wild / "mongo-express-1").git_dependencies] == \
        [("bootstrap-paginator@github:rtritto/bootstrap-paginator#develop", "package.json:30")]
    assert [f.value for f in Project(wild / "mongo-express").git_dependencies] == \
        ["renderjson@dozoisch/renderjson#cd0ef870c1298d53f09555da54e4bf57a0d21414"]
    for name in ("verdaccio", "statsd", "cors-anywhere"):
        assert Project(wild / name).git_dependencies == []


# -- yarn berry without a lockfile ------------------------------------------------------------------------------

def test_berry_without_a_lockfile_installs_unfrozen_with_its_files(tmp_path):
    m = migrated(berry_service(tmp_path / "svc"))
    ctx = m.context
    assert ctx["manager"] == "yarn-berry"
    assert ctx["install_sources"] == "package.json .yarnrc.yml"
    assert ctx["install_folders"] == [".yarn/releases", ".yarn/patches"]
    assert ctx["install_command"] == "yarn install --no-immutable --mode=skip-build"
    assert deps_stage(m.text) == [
        "FROM node:20-alpine AS dependencies", "WORKDIR /app", "COPY package.json .yarnrc.yml ./",
        "COPY .yarn/releases ./.yarn/releases", "COPY .yarn/patches ./.yarn/patches",
        "RUN yarn install --no-immutable --mode=skip-build"]
    assert "yarn --cwd /prod workspaces focus --production" in m.text  # the production dependencies, as with a lockfile
    said = warned(m, "no yarn.lock", "yarn install --no-immutable", "yarn berry 4.0.0-rc.26", "FL403",
                  "commit the yarn.lock")
    assert len(said) == 1, m.warnings


BERRY_LOCK = """__metadata:
  version: 7
  cacheKey: 9

"berry-svc@workspace:.":
  version: 0.0.0-use.local
  resolution: "berry-svc@workspace:."

"ms@patch:ms@npm%3A2.1.3#~/.yarn/patches/ms-npm-2.1.3.patch":
  version: 2.1.3
  resolution: "ms@patch:ms@npm%3A2.1.3#~/.yarn/patches/ms-npm-2.1.3.patch::version=2.1.3&hash=2cd37e"
"""


def test_berry_with_its_lockfile_installs_frozen_with_the_whole_yarn_folder(tmp_path):
    folder = berry_service(tmp_path / "svc")
    (folder / "yarn.lock").write_text(BERRY_LOCK)
    m = migrated(folder)
    ctx = m.context
    assert (ctx["manager"], ctx["install_sources"], ctx["install_folders"], ctx["install_command"]) == \
        ("yarn-berry", "package.json yarn.lock .yarnrc.yml", [".yarn"], "yarn install --immutable --mode=skip-build")
    assert warned(m, "no yarn.lock") == [] and warned(m, "out of sync") == []


def test_berry_with_its_lockfile_and_plug_n_play_is_refused(tmp_path):
    folder = berry_service(tmp_path / "svc", yarnrc="yarnPath: .yarn/releases/yarn-4.0.0-rc.26.cjs\n")
    (folder / "yarn.lock").write_text(BERRY_LOCK)
    with pytest.raises(MigrationError, match="Plug'n'Play"):
        migrated(folder)


def test_berry_copies_its_plugins_and_npmrc_when_present_and_nothing_absent(tmp_path):
    ctx = migrated(berry_service(tmp_path / "svc", patches=False, plugins=True, npmrc=True,
                                 dependencies={"ms": "^2.1.3"})).context
    assert ctx["install_sources"] == "package.json .yarnrc.yml .npmrc"
    assert ctx["install_folders"] == [".yarn/releases", ".yarn/plugins"]


def test_berry_without_its_release_installs_through_corepack(tmp_path):
    ctx = migrated(berry_service(tmp_path / "svc", release=False, yarnrc="nodeLinker: node-modules\n")).context
    assert ctx["install_command"] == "corepack enable && yarn install --no-immutable --mode=skip-build"
    assert ctx["install_folders"] == [".yarn/patches"]


def test_berry_builds_with_yarn_run(tmp_path):
    folder = berry_service(tmp_path / "svc", scripts={"build": "tsc", "start": "node dist/index.js"})
    (folder / "tsconfig.json").write_text('{"compilerOptions": {"outDir": "dist"}}\n')
    ctx = migrated(folder).context
    assert ctx["build_command"] == "yarn run build"


@pytest.mark.parametrize("yarnrc, said", [
    ("yarnPath: .yarn/releases/yarn-4.0.0-rc.26.cjs\n", "no nodeLinker"),
    ("nodeLinker: pnp\nyarnPath: .yarn/releases/yarn-4.0.0-rc.26.cjs\n", "nodeLinker: pnp"),
    (None, "no .yarnrc.yml"),
])
def test_berry_plug_n_play_is_refused_in_one_line(tmp_path, yarnrc, said):
    with pytest.raises(MigrationError) as err:
        migrated(berry_service(tmp_path / "svc", yarnrc=yarnrc))
    assert f"yarn berry with Plug'n'Play ({said}) installs no node_modules" in str(err.value)
    assert "\n" not in str(err.value)


def test_berry_pnpm_linker_is_accepted(tmp_path):
    ctx = migrated(berry_service(tmp_path / "svc", yarnrc="nodeLinker: pnpm\nyarnPath: .yarn/releases/"
                                                          "yarn-4.0.0-rc.26.cjs\n")).context
    assert ctx["manager"] == "yarn-berry"


def test_a_lockfile_less_pnpm_service_with_a_patch_is_still_refused(tmp_path):
    """Only berry installs without its lockfile here; pnpm's patch: still needs pnpm's lockfile."""
    folder = tmp_path / "svc"
    folder.mkdir()
    (folder / "package.json").write_text(json.dumps({"name": "svc", "packageManager": "pnpm@9.1.0",
                                                     "scripts": {"start": "node server.js"},
                                                     "dependencies": {"ms": "patch:ms@2.1.3#./p.patch"}}))
    (folder / "Dockerfile").write_text(LEGACY)
    (folder / "server.js").write_text(SERVER)
    with pytest.raises(MigrationError, match="which only pnpm 9.1.0 can install"):
        migrated(folder)


# -- git dependencies in the migration --------------------------------------------------------------------------

def test_a_git_dependency_gets_git_in_the_dependencies_stage(tmp_path):
    folder = berry_service(tmp_path / "svc", dependencies={"ms": "^2.1.3", "paginator": "github:o/paginator#dev"})
    m = migrated(folder)
    assert m.context["build_packages"] == ["git"]
    stage = deps_stage(m.text)
    assert stage.index("RUN apk add --no-cache git") < stage.index("RUN yarn install --no-immutable --mode=skip-build")
    assert len(warned(m, "git dependencies paginator@github:o/paginator#dev (package.json:", "installs git")) == 1
    assert "git" not in m.text.split("AS production")[1]  # production has no git


def test_git_beside_the_compilers_of_a_native_module_for_npm(tmp_path):
    folder = tmp_path / "svc"
    folder.mkdir()
    (folder / "package.json").write_text(json.dumps({
        "name": "svc", "scripts": {"start": "node server.js"},
        "dependencies": {"bcrypt": "^5.1.0", "a": "o/a#main", "b": "git+https://github.com/o/b.git",
                         "c": "gitlab:o/c", "d": "github:o/d"}}))
    (folder / "Dockerfile").write_text(LEGACY.replace("yarn install", "npm install"))
    (folder / "server.js").write_text(SERVER)
    m = migrated(folder)
    assert m.context["build_packages"] == ["python3", "make", "g++", "git"]
    assert "RUN apk add --no-cache python3 make g++ git" in m.text
    assert len(warned(m, "git dependencies a@o/a#main (package.json:1), b@git+https://github.com/o/b.git "
                         "(package.json:1), c@gitlab:o/c (package.json:1) and 1 more: ")) == 1


def test_no_git_without_a_git_dependency(tmp_path):
    m = migrated(berry_service(tmp_path / "svc"))
    assert "build_packages" not in m.context and "apk add --no-cache git" not in m.text
    assert warned(m, "git dependencies") == []


# -- the fix, as a user runs it -----------------------------------------------------------------------------------

def _fastlint(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fastlint", *args], capture_output=True, text=True, timeout=300)


def test_fix_writes_the_berry_file_and_check_finds_the_missing_lockfile(tmp_path):
    folder = berry_service(tmp_path / "svc")
    (tmp_path / ".git").mkdir()
    fixed = _fastlint("fix", "--no-config", str(folder))
    assert fixed.returncode in (0, 1), fixed.stderr
    assert (folder / "Dockerfile.backup").read_text() == LEGACY
    assert not (folder / "yarn.lock").exists()  # never a lockfile invented
    assert "no yarn.lock" in fixed.stderr
    checked = _fastlint("check", "--no-config", "--format", "json", str(folder / "Dockerfile"))
    findings = [(f["code"], f["level"]) for f in json.loads(checked.stdout)]
    assert findings == [("FL403", "warning")], checked.stdout


# -- the engine: built on the stand-ins, started, healthy ---------------------------------------------------------

@pytest.mark.docker
@pytest.mark.parametrize("locked", [False, True], ids=["no yarn.lock", "yarn.lock"])
def test_berry_builds_and_turns_healthy(tmp_path, docker_client, standin_build_args, locked):
    """The migrated file installs ms (from the npm registry) patched by the service's .yarn/patches, with berry's
    own release: without a yarn.lock (`--no-immutable`; none is written into the context), and with the one berry
    itself writes for the service (`--immutable`, the template's berry path with a lockfile); production runs node
    as uid 1001 and the health check passes (the server exits at start unless it finds the patched file in ms)."""
    from fastlint.verifier.engine import BuildFailed, Session

    folder = berry_service(tmp_path / "berry-svc")
    shutil.copy2(RELEASE, folder / ".yarn" / "releases" / RELEASE.name)
    if locked:  # the lockfile berry writes (the npm registry only; nothing linked, nothing cached in the folder)
        made = subprocess.run(["node", str(folder / ".yarn" / "releases" / RELEASE.name), "install",
                               "--mode=update-lockfile"], cwd=folder, capture_output=True, text=True, timeout=300,
                              env={**os.environ, "YARN_GLOBAL_FOLDER": str(tmp_path / "yarn-global"),
                                   "YARN_ENABLE_TELEMETRY": "0"})
        assert made.returncode == 0 and (folder / "yarn.lock").is_file(), made.stdout[-2000:]
    (tmp_path / ".git").mkdir()
    fixed = _fastlint("fix", "--no-config", str(folder))
    install = "yarn install --immutable" if locked else "yarn install --no-immutable"
    assert install in (folder / "Dockerfile").read_text(), fixed.stderr
    session = Session(docker_client, timeout=900, network="host")
    try:
        try:
            built = session.build(folder, "Dockerfile", "fastlint-test/berry-svc:latest", build_args=standin_build_args)
        except BuildFailed as err:
            pytest.fail(err.describe())
        run = session.run_until_healthy(built.image_id, timeout=90, health_interval=1)
        assert (folder / "yarn.lock").exists() is locked
        assert run["healthy"] is True and run["uid"] == 1001, run  # the server exits unless ms is patched
    finally:
        assert session.close() == []


# -- FL411 on real data ---------------------------------------------------------------------------------------------

def test_fl411_reports_the_legacy_mongo_express_1_failure_and_nothing_else_in_the_fixtures():
    """mongo-express@1.0.2's own Dockerfile fails here with `spawn git ENOENT` (tests/test_wild_legacy.py): FL411 says
    so at its install; no other Dockerfile of fixtures/wild and fixtures/services gets FL411, and neither does the
    migrated mongo-express-1 (git is in its dependencies stage)."""
    files = sorted(p for folder in ("wild", "services") for p in (ROOT / "fixtures" / folder).glob("*/Dockerfile*"))
    assert len(files) >= 27
    checked = _fastlint("check", "--no-config", "--select", "FL411", "--format", "json", *map(str, files))
    found = [(Path(f["file"]).parent.name, f["line"]) for f in json.loads(checked.stdout)]
    assert found == [("mongo-express-1", 6)], checked.stdout
    message = json.loads(checked.stdout)[0]["message"]
    assert message.startswith("package.json:30 asks for bootstrap-paginator from git "
                              "(github:rtritto/bootstrap-paginator#develop), and node:18-alpine3.16 has no git")


def test_fl411_not_on_the_migrated_mongo_express_1(tmp_path):
    folder = tmp_path / "mongo-express-1"
    shutil.copytree(ROOT / "fixtures" / "wild" / "mongo-express-1", folder)
    (tmp_path / ".git").mkdir()
    _fastlint("fix", "--no-config", str(folder))
    assert "RUN apk add --no-cache git" in (folder / "Dockerfile").read_text()
    checked = _fastlint("check", "--no-config", "--select", "FL411", "--format", "json", str(folder / "Dockerfile"))
    assert json.loads(checked.stdout) == []
    legacy = _fastlint("check", "--no-config", "--select", "FL411", "--format", "json",
                       str(folder / "Dockerfile.backup"))
    assert [f["code"] for f in json.loads(legacy.stdout)] == ["FL411"]


# -- what check says about an unlocked yarn or pnpm install ---------------------------------------------------------

@pytest.mark.parametrize("package_manager, command, lockfile, message", [
    ("yarn@4.0.0-rc.26", "yarn install --no-immutable", None,
     "`yarn install` without a lockfile in the build context: every build resolves the versions again; commit the "
     "yarn.lock it writes (then `yarn install --immutable`)"),
    ("yarn@1.22.22", "yarn --ignore-scripts", None,
     "`yarn` without a lockfile in the build context: every build resolves the versions again; commit the "
     "yarn.lock it writes (then `yarn install --frozen-lockfile`)"),
    ("pnpm@9.1.0", "pnpm install", None,
     "`pnpm install` without a lockfile in the build context: every build resolves the versions again; commit the "
     "pnpm-lock.yaml it writes (then `pnpm install --frozen-lockfile`)"),
    (None, "yarn install", "yarn.lock",
     "package.json is copied without its lockfile (yarn.lock): the install resolves versions again on every build; "
     "COPY package.json yarn.lock ./"),
    (None, "pnpm install", "pnpm-lock.yaml",
     "package.json is copied without its lockfile (pnpm-lock.yaml): the install resolves versions again on every "
     "build; COPY package.json pnpm-lock.yaml ./"),
])
def test_check_says_which_lockfile_is_missing(tmp_path, package_manager, command, lockfile, message):
    package = {"name": "svc", "dependencies": {"ms": "^2.1.3"}}
    if package_manager:
        package["packageManager"] = package_manager
    (tmp_path / "package.json").write_text(json.dumps(package))
    if lockfile:
        (tmp_path / lockfile).write_text("# a lockfile\n")
    (tmp_path / "Dockerfile").write_text(f"FROM node:20-alpine AS dependencies\nWORKDIR /app\nCOPY package.json ./\n"
                                         f"RUN {command}\n")
    checked = _fastlint("check", "--no-config", "--select", "FL402,FL403", "--format", "json",
                        str(tmp_path / "Dockerfile"))
    assert [(f["code"], f["line"], f["message"]) for f in json.loads(checked.stdout)] == \
        [("FL402" if lockfile else "FL403", 3 if lockfile else 4, message)]
