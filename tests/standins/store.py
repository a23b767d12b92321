"""The package store the stand-in `apk` and `wget` fetch from, served on 127.0.0.1 during engine tests.

Alpine's mirrors and GitHub's release downloads cannot be reached from these machines. The stand-in images'
`apk` and `wget` therefore send their requests, proxy style, to the URL in the `HTTP_PROXY` build argument
(a build argument Docker predefines, so the Dockerfiles need no ARG for it and it stays out of the image
history). This server answers only for the two hosts it mirrors, from a folder made by `build.py`:

    GET http://dl-cdn.alpinelinux.org/alpine/v3.19/main/x86_64/APKINDEX   -> <root>/alpine/v3.19/main/x86_64/APKINDEX
    GET http://github.com/grpc-ecosystem/grpc-health-probe/releases/download/v0.4.x/grpc_health_probe-linux-amd64
                                                                         -> <root>/github.com/grpc-ecosystem/...

Anything else gets 403 with a sentence saying why: it is not a general proxy and forwards nothing.
Upper-case `HTTP_PROXY` was chosen because busybox wget, apt and curl read only lower-case `http_proxy` for
plain-HTTP URLs and npm uses only `https_proxy` for the https registry, so passing it changes nothing else in a
build (legacy Debian builds keep reaching deb.debian.org directly).

The server listens on a free port of 127.0.0.1 and stops by itself after `lifetime` seconds (default one
hour), so a test run that dies cannot leave it behind. Use it as a context manager:

    with PackageStore(root) as store:
        build_args = {"HTTP_PROXY": store.url}
"""

from __future__ import annotations

import http.server
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

MIRRORED_HOSTS = ("dl-cdn.alpinelinux.org", "github.com")


class _Handler(http.server.BaseHTTPRequestHandler):
    server_version = "fastlint-standin-store/1"
    root: Path = Path(".")
    requests: list[str]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        """Keep a short request log for tests and failures instead of printing to stderr."""
        self.server.request_log.append(f"{self.command} {self.path} -> {args[1] if len(args) > 1 else '?'}")  # type: ignore[attr-defined]

    def _target(self) -> tuple[Path | None, str]:
        parts = urlsplit(self.path)
        host = parts.hostname or ""
        if not parts.scheme:  # a direct request: the first path segment names the host
            host, _, rest = parts.path.lstrip("/").partition("/")
            path = rest
        else:
            path = parts.path.lstrip("/")
        if host not in MIRRORED_HOSTS:
            return None, f"the fastlint stand-in store mirrors only {', '.join(MIRRORED_HOSTS)}, not {host or '?'}"
        target = (self.root / host / path).resolve()
        if self.root.resolve() not in target.parents:
            return None, "path outside the store"
        return target, ""

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self._serve(body=False)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._serve(body=True)

    def _serve(self, body: bool) -> None:
        target, why = self._target()
        if target is None:
            self._error(403, why)
            return
        if not target.is_file():
            self._error(404, f"not in the stand-in store: {self.path}")
            return
        data = target.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _error(self, code: int, message: str) -> None:
        data = (message + "\n").encode()
        self.send_response(code, message)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


class PackageStore:
    """A threaded HTTP server on 127.0.0.1 serving `root`; see the module docstring."""

    def __init__(self, root: Path, lifetime: float = 3600.0) -> None:
        self.root = Path(root)
        self.lifetime = lifetime
        self._server: http.server.ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._timer: threading.Timer | None = None

    @property
    def port(self) -> int:
        assert self._server is not None, "store not started"
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """The proxy URL to pass as the HTTP_PROXY build argument."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def request_log(self) -> list[str]:
        return self._server.request_log if self._server else []  # type: ignore[attr-defined]

    def start(self) -> "PackageStore":
        handler = type("StoreHandler", (_Handler,), {"root": self.root})
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._server.request_log = []  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, name="standin-store", daemon=True)
        self._thread.start()
        self._timer = threading.Timer(self.lifetime, self.stop)
        self._timer.daemon = True
        self._timer.start()
        return self

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "PackageStore":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(root: Path, lifetime: float) -> None:
    """Serve `root` in the foreground (for trying builds by hand), printing the HTTP_PROXY value."""
    with PackageStore(root, lifetime) as store:
        print(f"HTTP_PROXY={store.url}  (stops after {lifetime:.0f}s; Ctrl-C to stop now)", flush=True)
        try:
            time.sleep(lifetime)
        except KeyboardInterrupt:
            pass
