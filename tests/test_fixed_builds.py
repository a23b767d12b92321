"""Engine tests: what `fastlint fix` writes builds (issue 18: no fix may leave a file that cannot build).

* The issue's Debian file, fixed with `fastlint fix --no-template --unsafe-fixes` (FL102 switches it to
  node:20-alpine and carries its commands over, FL302 creates the user with BusyBox's tools, FL602 upgrades with
  apk), builds on the stand-ins and its container runs as uid 1001.
* Every Dockerfile under fixtures/ (the ten services, and whatever else is added there, such as the wild set),
  fixed with the safe fixes and again with the unsafe ones too (`--no-template`: the rules' own fixes; the
  template's rewrite is built by test_verify_engine), builds. A result whose base image is not in the engine (not
  a stand-in) is skipped with the image's name: nothing is ever pulled. So is a fixture that does not build here
  as it is (its original is built first, once, when its bases are stand-ins).
* The wild set (fixtures/wild/, only with FASTLINT_WILD=1: about 30 min on a cold engine, too slow for CI) is
  built on the stand-ins of build.py and legacy.py (built here when missing), and nothing is skipped: a fixed
  file that cannot build on this machine for a reason that is not fastlint's (GitHub or Alpine's mirrors not
  reachable, a base that was never released, a build that needs files its authors did not publish) is listed in
  WILD_EXPECTED with the reason and the words its build error (or the missing base) must show, so that it fails
  for that reason and no other; every other fixed wild file must build. Each listed reason is also why the
  original does not build here (tests/test_wild_legacy.py's EXPECTED).

Images are tagged `fastlint-fixcompose/...:<random>` and removed; intermediate containers are removed by the build.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "standins"))

from standins.conftest_engine import (  # noqa: E402,F401  (fixtures used by name)
    docker_client, package_store, remove_images, standin_build_args, standin_images,
)

from standins.wild import FULL as WILD_FULL, NOT_FULL as WILD_NOT_FULL  # noqa: E402
import legacy  # noqa: E402  (tests/standins/legacy.py: the older bases of the wild set)

from fastlint.parser import parse  # noqa: E402

pytestmark = [pytest.mark.docker, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SKIP_NAMES = (".backup", ".bak", ".orig", ".dockerignore")

ISSUE_FILE = """FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
CMD ["node","index.js"]
"""
# What the fix makes of it (FL102 with the commands carried over, then FL602, FL302, FL301 on the new base).
ISSUE_FIXED = """FROM node:20-alpine
RUN apk upgrade --no-cache
RUN addgroup -g 1001 -S nodejs && \\
    adduser -S -u 1001 -G nodejs nodejs
WORKDIR /app
COPY . .
USER nodejs
CMD ["node","index.js"]
"""


LABEL = "org.fastlint.test.fixcompose"


@pytest.fixture(scope="module", autouse=True)
def nothing_left_behind(docker_client):
    """Every image these tests built carries LABEL; whatever a failed test left is removed at the end."""
    yield
    left = docker_client.images.list(all=True, filters={"label": LABEL})
    remove_images(docker_client, [image.id for image in left])
    assert docker_client.images.list(all=True, filters={"label": LABEL}) == []


def fastlint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fastlint", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


class BuildFailed(AssertionError):
    """A build that failed: the message has the error and the log's tail; ``log`` the whole log."""

    def __init__(self, message: str, log: str):
        super().__init__(message)
        self.log = log


def build(client, context: Path, build_args: dict[str, str], name: str) -> str:
    """Build the context's Dockerfile (never pulling); return the tag. Raises BuildFailed with the log's tail."""
    from docker.errors import BuildError

    tag = f"fastlint-fixcompose/{name}:{uuid.uuid4().hex[:10]}"
    try:
        client.images.build(path=str(context), tag=tag, pull=False, rm=True, forcerm=True, buildargs=build_args,
                            network_mode="host", timeout=1200, labels={LABEL: "1"})
    except BuildError as err:
        log = "".join(str(chunk.get("stream") or chunk.get("error") or "") for chunk in err.build_log)
        log = re.sub(r"\x1b\[[0-9;]*m", "", log)  # the colours npm and curl write to stderr, between letters too
        raise BuildFailed(f"the fixed Dockerfile does not build: {err.msg}\n{log[-3000:]}", log) from None
    return tag


def test_the_issue_file_fixed_with_unsafe_fixes_builds_and_runs_as_1001(tmp_path, docker_client, standin_build_args):
    (tmp_path / "Dockerfile").write_text(ISSUE_FILE)
    (tmp_path / "index.js").write_text("console.log(`uid=${process.getuid()} gid=${process.getgid()}`)\n")
    (tmp_path / ".git").mkdir()
    result = fastlint("fix", "--no-config", "--no-template", "--unsafe-fixes", "Dockerfile", cwd=tmp_path)
    assert (tmp_path / "Dockerfile").read_text() == ISSUE_FIXED, result.stdout + result.stderr
    check = fastlint("check", "--no-config", "--select", "FL203,FL302,FL301,FL102", "Dockerfile", cwd=tmp_path)
    assert check.returncode == 0, check.stdout
    shutil.rmtree(tmp_path / ".git")
    tag = build(docker_client, tmp_path, standin_build_args, "issue18")
    try:
        out = docker_client.containers.run(tag, remove=True, network_disabled=True)
        assert out.decode().strip() == "uid=1001 gid=1001"
    finally:
        remove_images(docker_client, [tag])


def fixture_dockerfiles() -> list[Path]:
    found = []
    for p in sorted(FIXTURES.rglob("*")):
        if not p.is_file() or "node_modules" in p.parts or any(p.name.endswith(s) for s in SKIP_NAMES):
            continue
        name = p.name
        if name == "Dockerfile" or name.startswith("Dockerfile.") or name.endswith((".Dockerfile", ".dockerfile")) \
                or name == "Containerfile":
            found.append(p)
    return found


DOCKERFILES = fixture_dockerfiles()


def test_the_fixtures_have_dockerfiles():
    assert len([p for p in DOCKERFILES if p.parent.parent.name == "services"]) == 10


def missing_images(client, text: str) -> list[str]:
    """The base images of the file's stages that the engine does not have."""
    from docker.errors import ImageNotFound

    out = []
    for stage in parse(text).stages:
        if stage.parent is not None or stage.image is None or stage.unresolved:
            continue
        try:
            client.images.get(stage.resolved)
        except ImageNotFound:
            out.append(stage.resolved)
    return out


_ORIGINALS: dict[Path, str | None] = {}  # a fixture's Dockerfile -> None when it builds as it is, else why not


def original_failure(client, dockerfile: Path, build_args, tmp_path: Path) -> str | None:
    """Why the fixture's Dockerfile as it is does not build here (None: it builds); built once per run."""
    if dockerfile not in _ORIGINALS:
        context = tmp_path / "original"
        shutil.copytree(dockerfile.parent, context, ignore=shutil.ignore_patterns("node_modules", ".git", "dist"))
        if dockerfile.name != "Dockerfile":
            shutil.copyfile(dockerfile, context / "Dockerfile")
        try:
            remove_images(client, [build(client, context, build_args, f"{dockerfile.parent.name}-original")])
            _ORIGINALS[dockerfile] = None
        except AssertionError as err:
            _ORIGINALS[dockerfile] = str(err).split("\n", 1)[0]
    return _ORIGINALS[dockerfile]


# The wild set's fixed files that cannot build on this machine for a reason that is not fastlint's, each the reason
# its original does not build here either (tests/test_wild_legacy.py): (file under fixtures/wild, mode) ->
# (outcome, the words the build's log, or the missing base, must show, why). "fails": the build must fail with those
# words in its log; "no stand-in": the base must be missing from the engine. Any file not listed must build.
GITHUB = "GitHub is not reachable from this machine"
BCRYPT = ("bcrypt 5's install downloads its prebuilt binary from GitHub, not reachable here, then falls back to "
          "compiling it, and the image has no Python or compiler (the original's `npm install` fails the same way)")
NO_APK_STORE = ("its legacy base's stand-in apk gets no package store: a file on a legacy stand-in is built without "
                "HTTP_PROXY, which npm 6 would take for the registry too (test_wild_legacy builds the original so)")
WILD_EXPECTED: dict[tuple[str, str], tuple[str, str, str]] = {
    **{("loopback-todo/Dockerfile", m): ("fails", "error TS5083: Cannot read file '/home/packages/",
                                         "`npm run build`: its tsconfig.json references the loopback-next monorepo's "
                                         "packages, which a workspace member's published folder does not have")
       for m in ("safe", "unsafe")},
    **{("mongo-express/Dockerfile", m): ("fails", "Could not resolve host: github.com",
                                         f"tini is downloaded from GitHub at build time; {GITHUB}")
       for m in ("safe", "unsafe")},
    **{("mongo-express-1/Dockerfile", m): ("fails", "spawn git ENOENT",
                                           "no yarn.lock is published, yarn berry resolves a dependency from GitHub "
                                           "with git, which the image does not have (nor is GitHub reachable)")
       for m in ("safe", "unsafe")},
    ("redis-commander/Dockerfile", "safe"): ("no stand-in", "alpine:3.21", legacy.NOT_STOOD_IN["alpine:3.21"]),
    ("redis-commander/Dockerfile", "unsafe"): ("fails", "nodejs (no such package)",
                                               "on node:20-alpine it still installs Alpine's nodejs, npm, yarn and "
                                               "icu packages, which the stand-in store does not have (Alpine's mirrors "
                                               "are not reachable here): the reason its original is not stood in"),
    ("redis-commander-0.6/Dockerfile", "safe"): ("fails", "stand-in apk: no package store",
                                                 f"`apk add dumb-init sed jq`: {NO_APK_STORE}"),
    ("redis-commander-0.6/Dockerfile", "unsafe"): ("fails", "stand-in apk: --virtual is not supported",
                                                   "`apk add --virtual .patch-dep patch`: the stand-in apk has no "
                                                   "--virtual (Alpine's mirrors, whose apk has it, are not reachable)"),
    ("statsd/Dockerfile", "safe"): ("no stand-in", "node:12.8.3", legacy.NOT_STOOD_IN["node:12.8.3"]),
    **{(f"{name}/Dockerfile", "safe"): ("fails", "Failed at the bcrypt@5.1.1 install script", BCRYPT)
       for name in ("ts-express-default", "ts-express-graphql", "ts-express-sequelize")},
    **{(f"{name}/Dockerfile", "unsafe"): ("fails", "gyp ERR! cwd /app/node_modules/bcrypt", BCRYPT)
       for name in ("ts-express-default", "ts-express-graphql", "ts-express-sequelize")},
    **{("verdaccio/Dockerfile", m): ("fails", "stand-in apk: unsupported command: --no-cache",
                                     "`apk --no-cache add openssl`: the stand-in apk takes no option before its "
                                     f"command; after it, dumb-init is downloaded from GitHub: {GITHUB}")
       for m in ("safe", "unsafe")},
    **{("cors-anywhere/Dockerfile", m): ("fails", "librt.so.1",
                                         "`corepack enable` then `pnpm install`: corepack takes pnpm's latest, a "
                                         "native binary that needs librt.so.1, which the node:20-alpine stand-in "
                                         "(the host's node on busybox) does not have: the original fails the same way")
       for m in ("safe", "unsafe")},
    **{("maildev/Dockerfile", m): ("no stand-in", "amazonlinux:2023", legacy.NOT_STOOD_IN["amazonlinux:2023"])
       for m in ("safe", "unsafe")},  # unsafe: FL102/FL201 refuse the switch (`dnf` cannot be carried over)
    ("postgres-meta/Dockerfile", "safe"): ("no stand-in", "ubuntu:24.04", legacy.NOT_STOOD_IN["ubuntu:24.04"]),
    ("postgres-meta/Dockerfile", "unsafe"): ("fails", "are in sync",
                                             "its package-lock.json is out of sync with package.json (the fixture is "
                                             "chosen for it: 0.98.0's lockfile), so its own `npm ci` refuses it on "
                                             "any base; no fix writes npm ci for it"),
    **{("verdaccio/Dockerfile.rpi", m): ("no stand-in", "hypriot/rpi-node:6-onbuild",
                                         "a Raspberry Pi (ARM) onbuild image, not stood in here; its fixes do not "
                                         "switch the base (FL102/FL201: its ONBUILD triggers would be lost)")
       for m in ("safe", "unsafe")},
}


@pytest.fixture(scope="session")
def wild_bases(docker_client, standin_images):
    """The legacy stand-ins (tests/standins/legacy.py), built when missing: the wild set's older bases."""
    try:
        return legacy.ensure_legacy(docker_client)
    except Exception as err:
        pytest.fail(f"building the legacy stand-ins failed: {err}")


def test_the_wild_expectations_name_wild_files():
    for (name, mode), (outcome, words, why) in WILD_EXPECTED.items():
        assert (FIXTURES / "wild" / name).is_file() and mode in ("safe", "unsafe"), name
        assert outcome in ("fails", "no stand-in") and words and why, name


def bases(text: str) -> list[str]:
    return [s.resolved for s in parse(text).stages if s.parent is None and s.image is not None and not s.unresolved]


def fixed_wild_builds(client, dockerfile: Path, mode: str, text: str, context: Path, build_args) -> None:
    """The fixed wild file builds, or fails as WILD_EXPECTED says, for that reason."""
    outcome, words, why = WILD_EXPECTED.get((dockerfile.relative_to(FIXTURES / "wild").as_posix(), mode),
                                            ("builds", "", ""))
    missing = missing_images(client, text)
    if outcome == "no stand-in":
        assert words in missing, f"expected {words} to be missing ({why}); missing: {missing}"
        return
    assert not missing, f"base image not in the engine (no stand-in, and not in WILD_EXPECTED): {missing}"
    if any(base in legacy.LEGACY for base in bases(text)):
        # npm 6 and older send https requests to HTTP_PROXY too: built as test_wild_legacy builds the originals
        build_args = {k: v for k, v in build_args.items() if k != "HTTP_PROXY"}
    try:
        tag = build(client, context, build_args, f"{dockerfile.parent.name}-{mode}")
    except BuildFailed as err:
        if outcome == "fails" and words in err.log:
            return
        raise
    remove_images(client, [tag])
    assert outcome == "builds", f"expected to fail here ({why}), yet it builds: update WILD_EXPECTED"


@pytest.mark.parametrize("mode", ["safe", "unsafe"])
@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=[str(p.relative_to(FIXTURES)) for p in DOCKERFILES])
def test_every_fixture_dockerfile_fixed_builds(request, tmp_path, docker_client, standin_build_args, dockerfile,
                                               mode):
    """Fixing keeps a file that builds buildable: the original is built first when its bases are stand-ins (a
    fixture that does not build here as it is, for reasons of its own, is skipped with them); a fixed file whose
    bases are stand-ins while the original's are not must build. The wild set's only with FASTLINT_WILD=1, every
    file built (fixed_wild_builds)."""
    wild = dockerfile.relative_to(FIXTURES).parts[0] == "wild"
    if wild and not WILD_FULL:
        pytest.skip(WILD_NOT_FULL)
    if wild:
        request.getfixturevalue("wild_bases")
    context = tmp_path / dockerfile.parent.name
    # (a wild service's dist/ is what its authors published: postgres-meta's is its code)
    shutil.copytree(dockerfile.parent, context,
                    ignore=shutil.ignore_patterns("node_modules", ".git", *([] if wild else ["dist"])))
    (tmp_path / ".git").mkdir()  # the search for fastlint.yaml stops here
    target = context / dockerfile.name
    args = ["fix", "--no-config", "--no-template", str(target)] + (["--unsafe-fixes"] if mode == "unsafe" else [])
    result = fastlint(*args, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stdout + result.stderr  # 1: findings left that no fix removes
    assert "not applied" not in result.stderr and "did not settle" not in result.stderr, result.stderr
    original, text = dockerfile.read_text(), target.read_text()
    if mode == "unsafe":  # (a wild file may stay as it was when every unsafe fix is refused, with the reason)
        assert text != original or (wild and "no fix: " in result.stdout), "the unsafe fixes changed nothing"
    if dockerfile.name != "Dockerfile":
        shutil.copyfile(target, context / "Dockerfile")
    if wild:
        fixed_wild_builds(docker_client, dockerfile, mode, text, context, standin_build_args)
        return
    missing = missing_images(docker_client, text)
    if missing:
        pytest.skip(f"base image not in the engine (not a stand-in; nothing is pulled): {', '.join(missing)}")
    if not missing_images(docker_client, original):
        why = original_failure(docker_client, dockerfile, standin_build_args, tmp_path)
        if why is not None:
            pytest.skip(f"the fixture does not build here as it is either: {why}")
        if text == original:
            return  # the fixes changed nothing: it is the file that was just built
    tag = build(docker_client, context, standin_build_args, f"{dockerfile.parent.name}-{mode}")
    remove_images(docker_client, [tag])
