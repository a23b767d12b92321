"""A small fake Docker engine on a unix socket: it answers /version and /images/{name}/json from a table and
records what it was asked. The case runner starts one for a catalogue case with an ``engine`` block (the images a
local engine holds for the case), so that rules that read base images from a local engine (``fastlint/images.py``)
are tested with results that never depend on the images the machine's real engine happens to hold; tests use it
directly too."""

from __future__ import annotations

import json
import socketserver
import threading
from http.server import BaseHTTPRequestHandler
from urllib.parse import unquote


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        server = self.server
        server.asked.append(self.path)
        if self.path == "/version":
            body = {"Os": "linux", "Arch": server.arch}
        elif self.path.startswith("/images/") and self.path.endswith("/json"):
            body = server.images.get(unquote(self.path[len("/images/"):-len("/json")]))
        else:
            body = None
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
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


class FakeEngine:
    """``with FakeEngine(path, images) as engine:`` serves until the block ends; ``engine.asked`` lists the
    requests. ``images``: {reference: image inspect JSON (Os, Architecture, Variant, Config: {Env, Shell})}."""

    def __init__(self, socket_path, images: dict | None = None, arch: str = "amd64"):
        self.path = str(socket_path)
        self.server = _Server(self.path, _Handler)
        self.server.asked = []
        self.server.images = dict(images or {})
        self.server.arch = arch
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)

    @property
    def asked(self) -> list[str]:
        return self.server.asked

    @property
    def docker_host(self) -> str:
        return f"unix://{self.path}"

    def __enter__(self) -> FakeEngine:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def image(os: str = "linux", arch: str = "amd64", env: dict | None = None, variant: str = "",
          shell: list[str] | None = None) -> dict:
    """An image inspect answer."""
    return {"Os": os, "Architecture": arch, "Variant": variant,
            "Config": {"Env": [f"{k}={v}" for k, v in (env or {}).items()], "Shell": shell}}
