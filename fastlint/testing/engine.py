"""A small fake Docker engine on a unix socket: it answers /version and /images/{name}/json from a table, reads
an image's files through a container as the real one does (create, GET /containers/{id}/archive, DELETE; the
files from a second table), and records what it was asked. The case runner starts one for a catalogue case with an ``engine`` block (the images a
local engine holds for the case), so that rules that read base images from a local engine (``fastlint/images.py``)
are tested with results that never depend on the images the machine's real engine happens to hold; tests use it
directly too."""

from __future__ import annotations

import io
import json
import socketserver
import tarfile
import threading
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, unquote, urlsplit


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        server = self.server
        server.asked.append(self.path)
        url = urlsplit(self.path)
        if self.path == "/version":
            body = {"Os": "linux", "Arch": server.arch}
        elif self.path.startswith("/images/") and self.path.endswith("/json"):
            body = server.images.get(unquote(self.path[len("/images/"):-len("/json")]))
        elif url.path.startswith("/containers/") and url.path.endswith("/archive"):
            image = server.containers.get(unquote(url.path[len("/containers/"):-len("/archive")]))
            path = parse_qs(url.query).get("path", [""])[0]
            entry = server.files.get(image, {}).get(path) if image is not None else None
            if entry is None:
                return self._send(404, b"")
            return self._send(200, _tar(path, entry), "application/x-tar")
        else:
            body = None
        if body is None:
            return self._send(404, b"")
        self._send(200, json.dumps(body).encode(), "application/json")

    def do_POST(self):  # noqa: N802
        server = self.server
        server.asked.append("POST " + self.path)
        url = urlsplit(self.path)
        spec = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        if url.path != "/containers/create" or spec.get("Image") not in server.images:
            return self._send(404, b"")
        name = parse_qs(url.query).get("name", [f"c{len(server.asked)}"])[0]
        server.containers[name] = spec["Image"]
        self._send(201, json.dumps({"Id": name}).encode(), "application/json")

    def do_DELETE(self):  # noqa: N802
        server = self.server
        server.asked.append("DELETE " + self.path)
        name = unquote(urlsplit(self.path).path[len("/containers/"):])
        self._send(204 if server.containers.pop(name, None) is not None else 404, b"")

    def _send(self, status: int, data: bytes, kind: str = "") -> None:
        self.send_response(status)
        if kind:
            self.send_header("Content-Type", kind)
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


def _tar(path: str, entry) -> bytes:
    """A tar of one file (``entry``: its text, or ``{"link": target}``), as GET /containers/{id}/archive sends."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        info = tarfile.TarInfo(path.rstrip("/").rsplit("/", 1)[-1])
        if isinstance(entry, dict):
            info.type, info.linkname = tarfile.SYMTYPE, entry["link"]
            tar.addfile(info)
        else:
            data = entry.encode("utf-8")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


class FakeEngine:
    """``with FakeEngine(path, images) as engine:`` serves until the block ends; ``engine.asked`` lists the
    requests (GETs by path, others as ``METHOD path``); ``engine.containers`` the containers not removed.
    ``images``: {reference: image inspect JSON (Os, Architecture, Variant, Config: {Env, Shell})}; ``files``:
    {reference: {absolute path: text, or {"link": target}}}."""

    def __init__(self, socket_path, images: dict | None = None, arch: str = "amd64", files: dict | None = None):
        self.path = str(socket_path)
        self.server = _Server(self.path, _Handler)
        self.server.asked = []
        self.server.images = dict(images or {})
        self.server.files = dict(files or {})
        self.server.containers = {}
        self.server.arch = arch
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)

    @property
    def asked(self) -> list[str]:
        return self.server.asked

    @property
    def containers(self) -> dict[str, str]:
        return self.server.containers

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
