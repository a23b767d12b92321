"""fastlint/images.py: a base image's config from a local engine, over its socket, never pulling; a run's
``Lookups`` asks for each image once.

Most tests talk to a small fake engine on a unix socket in a temporary folder (DOCKER_HOST=unix://...), which
records what it was asked; the last one asks the real engine (marker `docker`) for a stand-in image."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fake_engine import FakeEngine

from fastlint import images

IMAGES = {
    "node:20-alpine": {"Os": "linux", "Architecture": "amd64",
                       "Config": {"Env": ["PATH=/usr/bin:/bin", "NODE_VERSION=20.1.0"]}},
    "ghcr.io/acme/tool:1": {"Os": "linux", "Architecture": "arm64", "Variant": "v8", "Config": {"Env": None}},
}


@pytest.fixture()
def fake_engine(tmp_path, monkeypatch):
    with FakeEngine(tmp_path / "engine.sock", IMAGES) as engine:
        monkeypatch.setenv("DOCKER_HOST", engine.docker_host)
        yield engine


def test_inspect_reads_env_and_platform(fake_engine):
    run = images.Lookups()
    cfg = run.inspect("node:20-alpine")
    assert cfg.env == [("PATH", "/usr/bin:/bin"), ("NODE_VERSION", "20.1.0")]
    assert cfg.platform == "linux/amd64"
    other = run.inspect("ghcr.io/acme/tool:1")
    assert other.env == [] and other.platform == "linux/arm64/v8"
    assert run.engine_platform() == "linux/amd64"


def test_missing_image_is_none_and_asked_once(fake_engine):
    run = images.Lookups()
    assert run.inspect("nothere:1") is None
    assert run.inspect("nothere:1") is None
    run.inspect("node:20-alpine")
    run.inspect("node:20-alpine")
    asked = fake_engine.asked
    assert asked.count("/images/nothere:1/json") == 1 and asked.count("/images/node:20-alpine/json") == 1
    assert asked.count("/version") == 1
    assert not any("create" in a or "pull" in a for a in asked)  # inspect only
    # another run asks again (an image pulled meanwhile is seen)
    images.Lookups().inspect("node:20-alpine")
    assert fake_engine.asked.count("/images/node:20-alpine/json") == 2


def test_prefetch_fills_the_cache(fake_engine):
    run = images.Lookups()
    run.prefetch(["node:20-alpine", "ghcr.io/acme/tool:1", "nothere:2"])
    before = len(fake_engine.asked)
    assert run.inspect("ghcr.io/acme/tool:1") is not None
    assert len(fake_engine.asked) == before


def test_no_engine(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path / 'none.sock'}")
    run = images.Lookups()
    assert run.inspect("node:20-alpine") is None
    assert not run.engine_answers()


def test_variables_and_scratch_are_not_asked(fake_engine):
    run = images.Lookups()
    assert run.inspect("scratch") is None
    assert run.inspect("node:${TAG}") is None
    assert fake_engine.asked == []


def test_lint_path_does_not_import_the_docker_sdk():
    import subprocess

    code = ("import sys, fastlint.images, fastlint.rules; from fastlint.engine.registry import all_rules; "
            "all_rules(); print('docker' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.stdout.strip() == "False", out.stderr


@pytest.mark.docker
def test_real_engine(monkeypatch):
    from standins.conftest_engine import _engine_answers

    if not _engine_answers():
        pytest.skip("no Docker engine answers")
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    run = images.Lookups()
    import docker

    client = docker.from_env()
    tags = [t for img in client.images.list() for t in img.tags]
    client.close()
    if not tags:
        pytest.skip("the engine has no tagged image")
    cfg = run.inspect(tags[0])
    assert cfg is not None and cfg.os and cfg.architecture
    assert run.inspect("fastlint-surely-absent-image:0") is None
