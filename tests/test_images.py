"""fastlint/images.py: a base image's config from a local engine, over its socket, never pulling; a run's
``Lookups`` asks for each image once.

Most tests talk to a small fake engine on a unix socket in a temporary folder (DOCKER_HOST=unix://...), which
records what it was asked; the last one asks the real engine (marker `docker`) for a stand-in image."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fake_engine import FakeEngine
from standins.conftest_engine import docker_client, standin_images  # noqa: F401  (fixtures used by name)

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


def test_engine_off_asks_nothing(fake_engine, monkeypatch, tmp_path):
    """FASTLINT_ENGINE=off: a run never talks to the engine, not even to ask its version; a check of a file whose
    BuildKit checks would read the base image then says what it assumed, as without an engine."""
    monkeypatch.setenv("FASTLINT_ENGINE", "off")
    run = images.Lookups()
    assert run.inspect("node:20-alpine") is None and not run.engine_answers()
    assert run.os_release("node:20-alpine") is None
    from fastlint import api

    dockerfile = "FROM node:20-alpine\nRUN echo $NODE_VERSION\n"
    api.lint_text(dockerfile, path=str(tmp_path / "Dockerfile"))
    assert fake_engine.asked == []
    monkeypatch.setenv("FASTLINT_ENGINE", "on")  # any other value: the engine is asked
    api.lint_text(dockerfile, path=str(tmp_path / "Dockerfile"))
    assert "/version" in fake_engine.asked


def test_the_assumption_says_why_the_base_image_is_not_known(fake_engine, monkeypatch, tmp_path):
    """UndefinedVar's assumption names the reason: engine lookups turned off, a DOCKER_HOST they do not speak (no
    engine was asked in either case), or an engine asked that does not have the image."""
    from fastlint import api

    def message() -> str:
        found = api.lint_text("FROM python:3\nENV X=$PYTHON_VERSION\n", path=str(tmp_path / "Dockerfile"),
                              no_config=True, select=("UndefinedVar",))
        assert [f.code for f in found] == ["UndefinedVar"]
        return found[0].message

    monkeypatch.setenv("FASTLINT_ENGINE", "off")
    assert message().endswith("sets no ENV but PATH: engine lookups are off, FASTLINT_ENGINE=off)")
    monkeypatch.delenv("FASTLINT_ENGINE")
    monkeypatch.setenv("DOCKER_HOST", "ssh://builder@example.invalid")
    assert message().endswith("no engine asked, DOCKER_HOST is ssh://, which engine lookups do not speak)")
    monkeypatch.setenv("DOCKER_HOST", fake_engine.docker_host)  # an engine that lacks python:3
    assert message().endswith("sets no ENV but PATH: no local Docker engine has it)")
    assert fake_engine.asked


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
def test_real_engine(docker_client, standin_images):
    """The tests' own engine (DOCKER_HOST points at it for the session, as for a user's DOCKER_HOST): a stand-in
    image's platform is read, an absent image is None, nothing is pulled."""
    assert "alpine:3.19" in standin_images
    run = images.Lookups()
    cfg = run.inspect("alpine:3.19")
    assert cfg is not None and cfg.os == "linux" and cfg.architecture
    assert run.inspect("fastlint-surely-absent-image:0") is None
    assert run.engine_answers()


def _one_answer_engine(path: Path, answers: list[bytes]):
    """An engine that answers each connection with the next of ``answers`` as written (raw HTTP), then closes."""
    import socket
    import threading

    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(4)

    def serve():
        for answer in answers:
            conn, _ = server.accept()
            with conn:
                request = b""
                while b"\r\n\r\n" not in request:
                    request += conn.recv(4096)
                conn.sendall(answer)
        server.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return thread


def test_a_chunked_or_http_1_1_answer_is_read_and_a_garbled_one_is_no_engine(tmp_path, monkeypatch):
    """The request is HTTP/1.0 (no http.client on the lint path); an engine (or a proxy before it) may still answer
    with HTTP/1.1 and a chunked body: it is put together. A socket that answers something else is no engine."""
    version = b'{"Os": "linux", "Arch": "arm64"}'
    body = b'{"Os": "linux", "Architecture": "amd64", "Config": {"Env": ["A=1", "B=x=y"]}}'
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:10], body[10:])) + b"0\r\n\r\n"
    answers = [b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n" + version,
               b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked]
    _one_answer_engine(tmp_path / "e.sock", answers)
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path / 'e.sock'}")
    run = images.Lookups()
    cfg = run.inspect("node:20")
    assert run.engine_platform() == "linux/arm64"
    assert cfg.env == [("A", "1"), ("B", "x=y")] and cfg.platform == "linux/amd64"

    _one_answer_engine(tmp_path / "g.sock", [b"SSH-2.0-OpenSSH_9.2\r\n"])
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path / 'g.sock'}")
    other = images.Lookups()
    assert other.engine_platform() is None and other.inspect("node:20") is None


# -- an image's /etc/os-release, through a container made for the read and removed ------------------------------
RELEASES = {
    "node:20-alpine": {"/etc/os-release": "NAME=\"Alpine Linux\"\nID=alpine\n"},
    "ghcr.io/acme/tool:1": {"/etc/os-release": {"link": "../usr/lib/os-release"},
                            "/usr/lib/os-release": "ID=ubuntu\nID_LIKE=debian\n"},
}


@pytest.fixture()
def release_engine(tmp_path, monkeypatch):
    with FakeEngine(tmp_path / "engine.sock", IMAGES | {"bare:1": {"Os": "linux", "Architecture": "amd64"}},
                    files=RELEASES) as engine:
        monkeypatch.setenv("DOCKER_HOST", engine.docker_host)
        yield engine


def test_os_release_is_read_through_a_container_that_is_removed(release_engine):
    run = images.Lookups()
    assert run.os_release("node:20-alpine") == "NAME=\"Alpine Linux\"\nID=alpine\n"
    assert run.os_release("node:20-alpine") == "NAME=\"Alpine Linux\"\nID=alpine\n"  # once per run
    asked = release_engine.asked
    creates = [a for a in asked if a.startswith("POST /containers/create")]
    assert len(creates) == 1 and not any("start" in a or "pull" in a or "/images/create" in a for a in asked)
    assert [a for a in asked if "/archive" in a] == [a for a in asked if "/archive?path=/etc/os-release" in a]
    assert release_engine.containers == {}  # removed


def test_os_release_follows_the_link_to_usr_lib(release_engine):
    assert images.Lookups().os_release("ghcr.io/acme/tool:1") == "ID=ubuntu\nID_LIKE=debian\n"
    assert any("/archive?path=/usr/lib/os-release" in a for a in release_engine.asked)
    assert release_engine.containers == {}


def test_os_release_of_an_image_without_one_or_not_there(release_engine):
    run = images.Lookups()
    assert run.os_release("bare:1") is None
    assert run.os_release("nothere:1") is None
    assert not any("create" in a for a in release_engine.asked if "nothere" in a)  # not in the engine: not asked
    assert sum(a.startswith("POST /containers/create") for a in release_engine.asked) == 1  # bare:1's
    assert release_engine.containers == {}


def test_os_release_without_an_engine(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path / 'none.sock'}")
    assert images.Lookups().os_release("node:20-alpine") is None


@pytest.mark.docker
def test_real_engine_os_release_and_fl203(tmp_path, docker_client, standin_images):
    """The alpine stand-in (the tests' own engine) under a name that says nothing: its /etc/os-release is read from
    the engine (no container left behind, nothing pulled) and FL203 judges the file with it."""
    import uuid

    from fastlint import api

    repo, tag = "fastlint-test/nameless-base", uuid.uuid4().hex[:10]
    docker_client.images.get("alpine:3.19").tag(repo, tag)
    try:
        assert "ID=alpine" in images.Lookups().os_release(f"{repo}:{tag}").splitlines()
        path = tmp_path / "Dockerfile"
        path.write_text(f"FROM {repo}:{tag}\nRUN apt-get install -y curl\n")
        run = api.check([str(path)], no_config=True, select=("FL203",), shellcheck=False)
        (finding,) = run.results[0].findings
        assert finding.line == 2 and "(Alpine, which has `apk`)" in finding.message
    finally:
        docker_client.images.remove(f"{repo}:{tag}", noprune=True)
    assert docker_client.containers.list(all=True, filters={"label": "org.fastlint.os-release"}) == []
