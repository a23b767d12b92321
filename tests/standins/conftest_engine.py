"""pytest fixtures for the engine tests (marker `docker`). The engine test modules import them by name, e.g.
tests/test_verify_engine.py:

    from standins.conftest_engine import docker_client, standin_images, ...  # noqa: F401

- docker_client: a client of the tests' own engine (scripts/engine/own-engine.sh: a dockerd of their own under
  .ci-cache/engine), never another one: the stand-ins are tagged node:20-alpine, alpine:3.19, node:20... and would
  replace a user's real images. It is started here when it is not running (and then stopped at the end of the
  session; scripts/test.sh starts it before pytest and stops it after), and DOCKER_HOST points at it for the
  session, so that the fastlint commands the tests run use it too. When it cannot run (no root,
  FASTLINT_NO_ENGINE_START=1 and not running), the tests FAIL under CI=true and are skipped elsewhere.
- standin_images: builds the stand-in base images if missing (tests/standins/build.py); {tag: info}.
- package_store / standin_build_args: the stand-in package store on 127.0.0.1 and the build arguments that
  template builds need with the stand-ins (HTTP_PROXY, GRPC_HEALTH_PROBE_SHA256).
- engine_census: containers and images present once the stand-ins exist, to prove nothing is left behind.
- local_registry: Debian's docker-registry on 127.0.0.1 (port 5000, or a free one) with a temp storage dir.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import build as standins  # noqa: E402  (tests/standins/build.py)
from store import PackageStore  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() in ("true", "1", "yes")


def _answers(host: str) -> bool:
    try:
        import docker

        client = docker.DockerClient(base_url=host, timeout=10)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        return False


@pytest.fixture(scope="session")
def docker_client():
    """The tests' own engine, started if needed; none -> fail under CI, skip elsewhere."""
    host = standins.own_engine("host", timeout=30).stdout.strip()
    started, problem = False, "not running, and FASTLINT_NO_ENGINE_START=1"
    if not _answers(host) and os.environ.get("FASTLINT_NO_ENGINE_START") != "1":
        result = standins.own_engine("start")
        started, problem = result.returncode == 0, result.stderr.strip()[-500:]
    if not _answers(host):
        message = f"no Docker engine answers (the tests' own, scripts/engine/own-engine.sh: {problem})"
        if IN_CI:
            pytest.fail(f"CI=true: {message}")
        pytest.skip(message)
    import docker

    previous = os.environ.get("DOCKER_HOST")
    os.environ["DOCKER_HOST"] = host  # the fastlint commands the tests run, in-process or not, use it too
    client = docker.DockerClient(base_url=host, timeout=900)
    yield client
    client.close()
    if previous is None:
        os.environ.pop("DOCKER_HOST", None)
    else:
        os.environ["DOCKER_HOST"] = previous
    if started:
        standins.own_engine("stop")


@pytest.fixture(scope="session")
def standin_images(docker_client):
    start = time.monotonic()
    try:
        summary = standins.ensure_standins(docker_client)
    except Exception as err:
        pytest.fail(f"building the stand-in images failed: {err}")
    summary["_seconds"] = round(time.monotonic() - start, 1)
    print(f"\n[standins] ready in {summary['_seconds']}s", file=sys.stderr)
    return summary


@pytest.fixture(scope="session")
def package_store(standin_images):
    with PackageStore(standins.STORE, lifetime=3600) as store:
        yield store


@pytest.fixture(scope="session")
def standin_build_args(package_store) -> dict[str, str]:
    return standins.build_args(package_store.url)


def census(client) -> tuple[set[str], set[str]]:
    # Ids only: listing full objects races with images removed meanwhile.
    containers = {c["Id"] for c in client.api.containers(all=True, quiet=True)}
    images = set(client.api.images(all=True, quiet=True))
    return containers, images


@pytest.fixture(scope="session")
def engine_census(docker_client, standin_images):
    """(containers, images) present before the engine tests made anything."""
    return census(docker_client)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


@pytest.fixture(scope="session")
def local_registry(docker_client):
    """Debian's docker-registry on 127.0.0.1 (5000 if free), storage in a temp dir; yields 'host:port'."""
    binary = shutil.which("docker-registry")
    if binary is None:
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "docker-registry"],
                       capture_output=True, timeout=600, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        binary = shutil.which("docker-registry")
    if binary is None:
        pytest.fail("docker-registry is not installed and could not be (apt-get install docker-registry)")
    port = 5000 if _port_free(5000) else _free_port()
    storage = Path(tempfile.mkdtemp(prefix="fastlint-registry-"))
    config = storage / "config.yml"
    config.write_text(f"""version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: {storage / 'data'}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:{port}
""")
    log = open(storage / "registry.log", "w")
    # `timeout` bounds its life even if this test run dies without tearing it down.
    proc = subprocess.Popen(["timeout", "3600", binary, "serve", str(config)], stdout=log, stderr=log)
    address = f"127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://{address}/v2/", timeout=2) as r:
                if r.status == 200:
                    break
        except Exception:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"docker-registry did not start on {address}: {(storage / 'registry.log').read_text()[-500:]}")
        time.sleep(0.3)
    yield address
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()
    shutil.rmtree(storage, ignore_errors=True)


def remove_images(client, ids_or_tags) -> None:
    """Remove images a test made (tags first, then ids), ignoring ones already gone or still in use."""
    for ref in list(ids_or_tags)[::-1]:
        try:
            client.api.remove_image(ref, force=True, noprune=False)
        except Exception:
            pass
