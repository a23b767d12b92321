"""fastlint/images.py: a base image's config from a local engine, over its socket, never pulling.

Most tests talk to a small fake engine on a unix socket in a temporary folder (DOCKER_HOST=unix://...), which
records what it was asked; the last one asks the real engine (marker `docker`) for a stand-in image."""

from __future__ import annotations

import json
import socketserver
import sys
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from fastlint import images

IMAGES = {
    "node:20-alpine": {"Os": "linux", "Architecture": "amd64",
                       "Config": {"Env": ["PATH=/usr/bin:/bin", "NODE_VERSION=20.1.0"]}},
    "ghcr.io/acme/tool:1": {"Os": "linux", "Architecture": "arm64", "Variant": "v8", "Config": {"Env": None}},
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        self.server.asked.append(self.path)
        if self.path == "/version":
            body = {"Os": "linux", "Arch": "amd64"}
        elif self.path.startswith("/images/") and self.path.endswith("/json"):
            from urllib.parse import unquote

            body = IMAGES.get(unquote(self.path[len("/images/"):-len("/json")]))
        else:
            body = None
        if self.command == "GET" and body is None:
            self.send_response(404)
            self.end_headers()
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def get_request(self):
        request, _ = super().get_request()
        return request, ("local", 0)


@pytest.fixture()
def fake_engine(tmp_path, monkeypatch):
    sock = tmp_path / "engine.sock"
    server = _Server(str(sock), _Handler)
    server.asked = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("DOCKER_HOST", f"unix://{sock}")
    images.reset()
    yield server
    server.shutdown()
    server.server_close()
    images.reset()


def test_inspect_reads_env_and_platform(fake_engine):
    cfg = images.inspect("node:20-alpine")
    assert cfg.env == [("PATH", "/usr/bin:/bin"), ("NODE_VERSION", "20.1.0")]
    assert cfg.platform == "linux/amd64"
    other = images.inspect("ghcr.io/acme/tool:1")
    assert other.env == [] and other.platform == "linux/arm64/v8"
    assert images.engine_platform() == "linux/amd64"


def test_missing_image_is_none_and_asked_once(fake_engine):
    assert images.inspect("nothere:1") is None
    assert images.inspect("nothere:1") is None
    images.inspect("node:20-alpine")
    images.inspect("node:20-alpine")
    asked = fake_engine.asked
    assert asked.count("/images/nothere:1/json") == 1 and asked.count("/images/node:20-alpine/json") == 1
    assert asked.count("/version") == 1
    assert not any("create" in a or "pull" in a for a in asked)  # inspect only


def test_prefetch_fills_the_cache(fake_engine):
    images.prefetch(["node:20-alpine", "ghcr.io/acme/tool:1", "nothere:2"])
    before = len(fake_engine.asked)
    assert images.inspect("ghcr.io/acme/tool:1") is not None
    assert len(fake_engine.asked) == before


def test_no_engine(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path / 'none.sock'}")
    images.reset()
    assert images.inspect("node:20-alpine") is None
    assert not images.engine_answers()
    images.reset()


def test_variables_and_scratch_are_not_asked(fake_engine):
    assert images.inspect("scratch") is None
    assert images.inspect("node:${TAG}") is None
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
    images.reset()
    try:
        import docker

        client = docker.from_env()
        tags = [t for img in client.images.list() for t in img.tags]
        client.close()
        if not tags:
            pytest.skip("the engine has no tagged image")
        cfg = images.inspect(tags[0])
        assert cfg is not None and cfg.os and cfg.architecture
        assert images.inspect("fastlint-surely-absent-image:0") is None
    finally:
        images.reset()
