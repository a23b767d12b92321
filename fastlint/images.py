"""A base image's configuration from a local Docker engine: inspect only, never pull.

Rules that need what a base image sets (its ENV, its platform) ask here. The engine is the one ``DOCKER_HOST``
names (``unix://`` or ``tcp://``; ``ssh://`` and TLS are not used), else ``/var/run/docker.sock``. One raw HTTP
GET over the socket (``/images/{name}/json``) with a short timeout: no docker SDK on the lint path, and no
``http.client`` either (it imports ``email`` and ``ssl``: about 13 ms of every run's start-up): an HTTP/1.0
request, which the engine answers and then closes the connection. A run's
``Lookups`` (kept in its ``RunState``: ``state.of(Lookups, Lookups)``) asks for each image once; an engine that
does not answer is asked once. When the engine or the image is missing, ``inspect`` returns None and the rule
says what it assumed.

``os_release`` reads a local image's ``/etc/os-release`` (FL203: the OS family of an image whose name says
nothing). The engine's API reads files of containers only, so it creates one from the image (never started, no
network, named ``fastlint-os-release-...``), reads the file with ``GET /containers/{id}/archive`` and removes the
container: about 0.1-0.6 s, once per image and run, only for images the engine has.

``FASTLINT_ENGINE=off`` in the environment: no question to any engine (the rules then say what they assumed, as
without an engine), for runs that must not touch the machine's Docker engine.
"""

from __future__ import annotations

import json
import os
import socket
import threading

TIMEOUT = 1.0  # seconds, per request
CONTAINER_TIMEOUT = 10.0  # seconds, per request of a file read (creating a container takes longer)
RELEASE_FILES = ("/etc/os-release", "/usr/lib/os-release")  # in this order (os-release(5))
MAX_FILE = 64 * 1024  # bytes: a larger os-release is not one
DEFAULT_SOCKET = "/var/run/docker.sock"


class ImageConfig:
    """What the rules read of an image: its ENV (in order), SHELL, OS, architecture and variant."""

    __slots__ = ("ref", "env", "os", "architecture", "variant", "shell")

    def __init__(self, ref: str, env: list[tuple[str, str]], os: str = "", architecture: str = "",
                 variant: str = "", shell: list[str] | None = None):
        self.ref = ref
        self.env = env
        self.os = os
        self.architecture = architecture
        self.variant = variant
        self.shell = shell or []

    @property
    def platform(self) -> str:
        """``os/arch[/variant]`` as BuildKit prints a platform."""
        return "/".join(p for p in (self.os, self.architecture, self.variant) if p)


MAX_ANSWER = 64 << 20  # bytes: an answer larger than this is no image configuration


def not_asked() -> str | None:
    """Why no engine is asked in this run, in words for a message (None: one is asked)."""
    if os.environ.get("FASTLINT_ENGINE", "").strip().lower() == "off":
        return "engine lookups are off, FASTLINT_ENGINE=off"
    if _address() is None:
        host = os.environ.get("DOCKER_HOST", "").strip()
        kind = "tcp:// with TLS" if host.startswith("tcp://") else host.split("://", 1)[0] + "://"
        return f"no engine asked, DOCKER_HOST is {kind}, which engine lookups do not speak"
    return None


def _address() -> tuple[int, object] | None:
    """(address family, address) of the engine DOCKER_HOST names (None for a scheme this module does not speak,
    and when FASTLINT_ENGINE=off)."""
    if os.environ.get("FASTLINT_ENGINE", "").strip().lower() == "off":
        return None
    host = os.environ.get("DOCKER_HOST", "").strip()
    if not host:
        return socket.AF_UNIX, DEFAULT_SOCKET
    if host.startswith("unix://"):
        return socket.AF_UNIX, host[len("unix://"):]
    if host.startswith("tcp://") and os.environ.get("DOCKER_TLS_VERIFY", "") in ("", "0"):
        from urllib.parse import urlsplit

        parts = urlsplit(host)
        return socket.AF_INET, (parts.hostname or "localhost", parts.port or 2375)
    return None


def _connect(family: int, address, timeout: float = TIMEOUT) -> socket.socket:
    if family == socket.AF_UNIX:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(address)
        except OSError:
            sock.close()
            raise
        return sock
    return socket.create_connection(address, timeout=timeout)


def _answer(raw: bytes) -> tuple[int, bytes]:
    """(status, body) of an HTTP answer (status 0: not HTTP); a chunked body is put together."""
    head, sep, body = raw.partition(b"\r\n\r\n")
    words = head.split(b"\r\n", 1)[0].split()
    if not sep or len(words) < 2 or not words[0].startswith(b"HTTP/") or not words[1].isdigit():
        return 0, b""
    if b"\r\ntransfer-encoding: chunked" in head.lower():
        out, rest = [], body
        while True:
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                break
            out.append(rest[:size])
            rest = rest[size + 2:]
        body = b"".join(out)
    return int(words[1]), body


def _request(method: str, path: str, body: dict | None = None, timeout: float = TIMEOUT) -> tuple[int, bytes]:
    """(status, body) of a request (a JSON body when given); status 0 when no engine answers."""
    where = _address()
    if where is None:
        return 0, b""
    data = b"" if body is None else json.dumps(body).encode("utf-8")
    head = f"{method} {path} HTTP/1.0\r\nHost: docker\r\n"
    if body is not None:
        head += f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
    try:
        with _connect(*where, timeout) as sock:
            sock.sendall((head + "\r\n").encode("ascii") + data)
            chunks: list[bytes] = []
            size = 0
            while True:
                got = sock.recv(65536)
                if not got:
                    break
                chunks.append(got)
                size += len(got)
                if size > MAX_ANSWER:
                    return 0, b""
        return _answer(b"".join(chunks))
    except (OSError, ValueError):
        return 0, b""


def _get(path: str) -> tuple[int, dict | None]:
    """(status, JSON body) of a GET; status 0 when no engine answers."""
    status, body = _request("GET", path)
    if status != 200:
        return status, None
    try:
        return 200, json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return 0, None


def _archive_entry(data: bytes) -> tuple[str | None, str | None]:
    """(text, link target) of the one file a ``/containers/{id}/archive`` answer holds: its text when it is a
    regular file (None when it is too large or not UTF-8), or where it links to."""
    import io
    import tarfile

    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            member = tar.next()
            if member is None:
                return None, None
            if member.issym():
                return None, member.linkname
            if not member.isfile() or member.size > MAX_FILE:
                return None, None
            return tar.extractfile(member).read().decode("utf-8"), None
    except (tarfile.TarError, OSError, UnicodeDecodeError):
        return None, None


def read_image_file(ref: str, paths: tuple[str, ...]) -> str | None:
    """The text of the first of ``paths`` that a local image holds (a symbolic link followed once, as Debian's
    ``/etc/os-release`` -> ``../usr/lib/os-release``), or None. Through a container created for it and removed
    (never started; the image is never pulled: create fails when the engine lacks it)."""
    import posixpath
    import uuid
    from urllib.parse import quote

    name = f"fastlint-os-release-{uuid.uuid4().hex[:12]}"
    spec = {"Image": ref, "Entrypoint": ["/fastlint-never-started"], "Cmd": [], "NetworkDisabled": True,
            "Labels": {"org.fastlint.os-release": "1"}}
    try:
        status, _ = _request("POST", f"/containers/create?name={name}", spec, CONTAINER_TIMEOUT)
        if status != 201:
            return None
        for path in paths:
            for _ in range(2):  # the file, then where it links to
                status, data = _request("GET", f"/containers/{name}/archive?path={quote(path)}",
                                        timeout=CONTAINER_TIMEOUT)
                if status != 200:
                    break
                text, link = _archive_entry(data)
                if link is None:
                    if text is not None:
                        return text
                    break
                path = posixpath.normpath(posixpath.join(posixpath.dirname(path), link))
        return None
    finally:  # also after a timeout: the engine may have made the container all the same
        _request("DELETE", f"/containers/{name}?force=1", timeout=CONTAINER_TIMEOUT)


def _config(ref: str, data) -> ImageConfig | None:
    if not isinstance(data, dict):
        return None
    env = []
    cfg = data.get("Config") or {}
    for item in cfg.get("Env") or []:
        key, _, value = str(item).partition("=")
        env.append((key, value))
    return ImageConfig(ref, env, str(data.get("Os") or ""), str(data.get("Architecture") or ""),
                       str(data.get("Variant") or ""), [str(s) for s in cfg.get("Shell") or []])


class Lookups:
    """One run's questions to the local engine and their answers (each image asked for once)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._cache: dict[str, ImageConfig | None] = {}
        self._releases: dict[str, str | None] = {}
        self._platform: str | None = None
        self._asked_engine = False

    def engine_answers(self) -> bool:
        """True when a local engine answered (asked at most once per run)."""
        return self.engine_platform() is not None

    def engine_platform(self) -> str | None:
        """The engine's own ``os/arch`` (what a build without ``--platform`` targets), None without an engine."""
        with self._lock:
            if not self._asked_engine:
                self._asked_engine = True
                status, data = _get("/version")
                if status == 200 and isinstance(data, dict) and data.get("Os") and data.get("Arch"):
                    self._platform = f"{data['Os']}/{data['Arch']}"
            return self._platform

    def inspect(self, ref: str) -> ImageConfig | None:
        """The image's configuration when a local engine has it; None when no engine answers or it lacks the
        image. Never pulls."""
        if not ref or ref.lower() == "scratch" or any(c in ref for c in "$ \t"):
            return None
        with self._lock:
            if ref in self._cache:
                return self._cache[ref]
        config = None
        if self.engine_platform() is not None:
            from urllib.parse import quote

            status, data = _get(f"/images/{quote(ref, safe='/:@')}/json")
            config = _config(ref, data) if status == 200 else None
        with self._lock:
            self._cache[ref] = config
        return config

    def os_release(self, ref: str) -> str | None:
        """The text of a local Linux image's ``/etc/os-release`` (None: no engine, no such image, no such file);
        read once per image and run (``read_image_file``)."""
        with self._lock:
            if ref in self._releases:
                return self._releases[ref]
        config = self.inspect(ref)
        text = read_image_file(ref, RELEASE_FILES) if config is not None and config.os in ("", "linux") else None
        with self._lock:
            self._releases[ref] = text
        return text

    def prefetch(self, refs) -> None:
        """Inspect several images at once (threads), so that the rules find them here. Returns when every
        thread has ended (each request has its own timeout): the engine may fork its workers next."""
        todo = sorted({r for r in refs if r and r not in self._cache})
        if not todo or self.engine_platform() is None:
            return
        threads = [threading.Thread(target=self.inspect, args=(r,), daemon=True) for r in todo[:32]]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for r in todo[32:]:
            self.inspect(r)
