"""The tests' own Docker engine (scripts/engine/own-engine.sh): the stand-ins are built and run there and nowhere
else, so a user's real node:20-alpine, alpine:3.19, node:20... are never replaced. See docs/standins.md."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from standins.conftest_engine import docker_client  # noqa: F401

SCRIPT = ROOT / "scripts" / "engine" / "own-engine.sh"


def host(engine_dir: Path) -> str:
    env = {**os.environ, "FASTLINT_ENGINE_DIR": str(engine_dir)}
    return subprocess.run(["bash", str(SCRIPT), "host"], capture_output=True, text=True, env=env, timeout=30,
                          check=True).stdout.strip()


def test_its_socket_is_in_its_folder_and_short_enough(tmp_path):
    short = tmp_path / "e"
    assert host(short) == f"unix://{short}/docker.sock" or len(str(short)) > 60
    deep = tmp_path / ("x" * 120) / "engine"  # a checkout too deep for a unix socket path
    sock = host(deep).removeprefix("unix://")
    assert sock.startswith("/tmp/fastlint-engine-") and len(sock + "/exec/containerd/containerd.sock.ttrpc") < 108
    assert host(deep) == host(deep) != host(tmp_path / ("y" * 120) / "engine")  # one per folder


def test_status_says_no_when_it_is_not_running(tmp_path):
    env = {**os.environ, "FASTLINT_ENGINE_DIR": str(tmp_path / "e")}
    assert subprocess.run(["bash", str(SCRIPT), "status"], env=env, timeout=60).returncode != 0


@pytest.mark.docker
def test_the_engine_tests_run_on_their_own_engine(docker_client):
    """The engine the fixtures give is the tests' own (its data under its folder), DOCKER_HOST points at it for
    the fastlint commands the tests run, and it is not the engine on the default socket."""
    engine_dir = Path(os.environ.get("FASTLINT_ENGINE_DIR", ROOT / ".ci-cache" / "engine"))
    own = host(engine_dir)
    assert os.environ["DOCKER_HOST"] == own
    info = docker_client.info()
    assert Path(info["DockerRootDir"]) == engine_dir / "data"
    default = Path("/var/run/docker.sock")
    if default.exists():
        import docker

        try:
            other = docker.DockerClient(base_url=f"unix://{default}", timeout=10).info()
        except Exception:
            return  # no engine there
        assert other["DockerRootDir"] != info["DockerRootDir"]  # (the engine ID comes from /etc/docker/key.json)
