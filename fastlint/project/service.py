"""What kind of server a service is (gRPC or HTTP), the name grpc_health_probe must ask for, the health endpoint
its routes define, and the native modules it depends on."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .facts import Fact, line_of
from .sources import read_text

HTTP_PACKAGES = ("express", "fastify", "koa", "@koa/router", "koa-router", "@nestjs/core", "@nestjs/platform-express",
                 "@nestjs/platform-fastify", "@hapi/hapi", "hapi", "restify", "polka", "@loopback/rest",
                 "apollo-server", "apollo-server-express", "hono", "connect", "micro", "@feathersjs/express", "sails")
GRPC_PACKAGES = ("@grpc/grpc-js", "grpc", "nice-grpc", "@nestjs/microservices")
TCP_SERVER = re.compile(r"\bnet\.createServer\s*\(")
# node's own HTTP server (no framework: a proxy, a plain handler): require('http').createServer(...), https too
HTTP_SERVER = re.compile(r"""(?:\bhttps?|require\(\s*['"](?:node:)?https?['"]\s*\))\.createServer\s*\(""")
GRPC_SERVER = re.compile(r"new\s+(?:grpc\.)?Server\s*\(|\.bindAsync\s*\(|Transport\.GRPC|createServer\(\)\s*\.add\(")

HEALTH_NAMES = ("health", "healthz", "healthcheck", "health-check", "_health", "ready", "readyz", "readiness",
                "live", "livez", "liveness", "ping", "status")
_ROUTE = re.compile(r"""\.(?:get|all|head|use|route)\(\s*\[?\s*['"`](/[\w/.-]*)['"`]""")
_URL = re.compile(r"""\burl\s*:\s*['"`](/[\w/.-]*)['"`]""")
_NEST_CONTROLLER = re.compile(r"""@Controller\(\s*(?:['"`]([\w/.-]*)['"`])?""")
_NEST_GET = re.compile(r"""@Get\(\s*(?:['"`]([\w/.-]*)['"`])?\s*\)""")
_LB_GET = re.compile(r"""@get\(\s*['"`](/[\w/.-]*)['"`]""")
_GLOBAL_PREFIX = re.compile(r"""setGlobalPrefix\(\s*['"`]([\w/.-]+)['"`]""")


def _health_rank(path: str) -> int | None:
    last = path.rstrip("/").rsplit("/", 1)[-1].lower()
    if last in HEALTH_NAMES:
        return HEALTH_NAMES.index(last)
    parts = [p.lower() for p in path.strip("/").split("/")]
    if parts and parts[0] in ("health", "healthz") and len(parts) == 2 and parts[1] in ("live", "ready", "liveness",
                                                                                        "readiness"):
        return 0
    return None


@dataclass(frozen=True)
class Health:
    path: str  # the HTTP path ("/health"); for Nest terminus the controller's route
    how: str  # route | nest | nest terminus | loopback


def service_kind(package: dict, key_lines: dict, files: list[Path], folder: Path) -> Fact[str] | None:
    """``grpc`` or ``http`` from the dependencies (a gRPC server in the source decides when it has both); with
    neither, ``http`` for a source that starts node's own HTTP server (``http.createServer``: a proxy), else ``tcp``
    for one that starts a plain TCP server (``net.createServer``: statsd's admin port)."""
    deps = package.get("dependencies") if isinstance(package.get("dependencies"), dict) else {}
    grpc = [d for d in GRPC_PACKAGES if d in deps]
    http = [d for d in HTTP_PACKAGES if d in deps]
    if grpc and http:
        found = _first(_texts(files, folder), GRPC_SERVER, "grpc", "a gRPC server in the source")
        return found or Fact("http", "package.json", key_lines.get(("dependencies", http[0]), 0), f"depends on {http[0]}")
    if grpc:
        return Fact("grpc", "package.json", key_lines.get(("dependencies", grpc[0]), 0), f"depends on {grpc[0]}")
    if http:
        return Fact("http", "package.json", key_lines.get(("dependencies", http[0]), 0), f"depends on {http[0]}")
    texts = list(_texts(files, folder))
    return (_first(texts, HTTP_SERVER, "http", "an HTTP server in the source (node's http.createServer)")
            or _first(texts, TCP_SERVER, "tcp", "a TCP server in the source (net.createServer)"))


def _texts(files: list[Path], folder: Path):
    """(path relative to the folder, text) of each file, read as they are asked for."""
    return ((path.relative_to(folder).as_posix(), read_text(path)) for path in files)


def _first(texts, rx: re.Pattern, value: str, how: str) -> Fact[str] | None:
    """The first place of (relative path, text) pairs that ``rx`` matches, as a Fact of ``value``."""
    for rel, text in texts:
        m = rx.search(text)
        if m:
            return Fact(value, rel, line_of(text, m.start()), how)
    return None


def proto_files(folder: Path) -> list[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in ("node_modules", ".git", "dist"))
        out += [(Path(dirpath) / f).relative_to(folder).as_posix() for f in sorted(filenames) if f.endswith(".proto")]
    return out


# packages that serve the gRPC health protocol (grpc.health.v1) from a gRPC server
HEALTH_SERVICE_PACKAGES = ("grpc-health-check", "grpc-js-health-check", "grpc-ts-health-check",
                           "nice-grpc-server-health")
_HEALTH_PROTO = re.compile(r"^[ \t]*package\s+grpc\.health\.v1\s*;", re.M)
_HEALTH_IN_SOURCE = re.compile(r"""['"`]grpc\.health\.v1|\bHealthImplementation\b|@GrpcMethod\(\s*['"`]Health['"`]""")


def grpc_health(package: dict, key_lines: dict, files: list[Path], folder: Path,
                protos: list[str]) -> Fact[str] | None:
    """Where the service serves the gRPC health protocol (``grpc.health.v1``), which grpc_health_probe asks: a
    package that implements it, the service's own ``health.proto``, or a source that registers it. None: no sign of
    it (the probe would get UNIMPLEMENTED from the server)."""
    deps = package.get("dependencies") if isinstance(package.get("dependencies"), dict) else {}
    for name in HEALTH_SERVICE_PACKAGES:
        if name in deps:
            return Fact(name, "package.json", key_lines.get(("dependencies", name), 0), f"depends on {name}")
    return (_first(((rel, read_text(folder / rel)) for rel in protos), _HEALTH_PROTO, "grpc.health.v1",
                   "the service's own health.proto")
            or _first(_texts(files, folder), _HEALTH_IN_SOURCE, "grpc.health.v1",
                      "the source registers the health service"))


def proto_service(folder: Path, protos: list[str] | None = None) -> Fact[str] | None:
    """``<package>.<Service>`` of the first service of the service's .proto files (sorted; node_modules left out)."""
    for rel in proto_files(folder) if protos is None else protos:
        text = read_text(folder / rel)
        svc = re.search(r"^[ \t]*service\s+([A-Za-z0-9_]+)", text, re.M)
        if not svc or svc.group(1) == "Health":
            continue
        pkg = re.search(r"^[ \t]*package\s+([A-Za-z0-9_.]+)\s*;", text, re.M)
        name = f"{pkg.group(1)}.{svc.group(1)}" if pkg else svc.group(1)
        return Fact(name, rel, line_of(text, svc.start()), "the proto's service")
    return None


def health_endpoint(package: dict, files: list[Path], folder: Path) -> Fact[Health] | None:
    """The best health route the source defines (``/health`` before ``/healthz`` ... before ``/status``), or
    Nest terminus's controller."""
    deps = {**(package.get("devDependencies") or {}), **(package.get("dependencies") or {})} \
        if isinstance(package.get("dependencies", {}), dict) else {}
    best: tuple[int, Fact[Health]] | None = None
    prefix = ""
    for path in files:
        text = read_text(path)
        rel = path.relative_to(folder).as_posix()
        gp = _GLOBAL_PREFIX.search(text)
        if gp:
            prefix = "/" + gp.group(1).strip("/")
        candidates: list[tuple[str, int, str]] = []
        for rx, how in ((_ROUTE, "route"), (_URL, "route"), (_LB_GET, "loopback")):
            for m in rx.finditer(text):
                candidates.append((m.group(1), m.start(1), how))
        if "@Controller" in text:
            ctrl = _NEST_CONTROLLER.search(text)
            base = "/" + (ctrl.group(1) or "").strip("/") if ctrl else ""
            terminus = "@HealthCheck" in text or "@nestjs/terminus" in text
            for m in _NEST_GET.finditer(text):
                sub = (m.group(1) or "").strip("/")
                full = (base.rstrip("/") + "/" + sub).rstrip("/") or "/"
                candidates.append((full, m.start(), "nest terminus" if terminus else "nest"))
        for route, offset, how in candidates:
            rank = _health_rank(route)
            if rank is None:
                continue
            if how.startswith("nest") and prefix:
                route = prefix + route
            fact = Fact(Health(route, how), rel, line_of(text, offset), how)
            if best is None or rank < best[0]:
                best = (rank, fact)
    if best is None and "@nestjs/terminus" in deps:
        return Fact(Health("/health", "nest terminus"), "package.json", 0, "depends on @nestjs/terminus")
    return best[1] if best else None


# -- native modules -------------------------------------------------------------------------------------------

# Native packages fastlint knows: name -> (how its binary arrives, whether a musl (Alpine) build is shipped).
# musl True: prebuilt for musl too; False: glibc prebuilds only (Alpine compiles it, or fails); None: always
# compiled from source (python3, make, g++ needed wherever it installs).
KNOWN_NATIVE = {
    "bcrypt": ("node-pre-gyp prebuilds from GitHub releases, else node-gyp", True),
    "sharp": ("prebuilt libvips (npm @img/sharp-* since 0.33, GitHub before)", True),
    "better-sqlite3": ("prebuild-install from GitHub releases, else node-gyp", True),
    "sqlite3": ("prebuild / node-pre-gyp from GitHub releases, else node-gyp", True),
    "node-sass": ("binding downloaded from GitHub releases, else node-gyp", True),
    "grpc": ("node-pre-gyp prebuilds (the old native gRPC), else node-gyp", True),
    "argon2": ("prebuilt binaries in the package or from GitHub", True),
    "bufferutil": ("node-gyp-build prebuilds in the package", True),
    "utf-8-validate": ("node-gyp-build prebuilds in the package", True),
    "leveldown": ("node-gyp-build prebuilds in the package", True),
    "canvas": ("prebuilt from GitHub releases (glibc), else node-gyp with cairo", False),
    "@tensorflow/tfjs-node": ("libtensorflow download (glibc)", False),
    "node-pty": ("node-gyp", None),
    "re2": ("prebuilt from GitHub releases, else node-gyp", True),
    "kerberos": ("prebuild-install, else node-gyp", True),
    "cpu-features": ("node-gyp", None),
    "microtime": ("node-gyp-build prebuilds", True),
    "farmhash": ("node-gyp", None),
    "deasync": ("prebuilt in the package (glibc)", False),
    "serialport": ("prebuilds of @serialport/bindings-cpp", True),
    "@serialport/bindings-cpp": ("prebuilds in the package", True),
    "zeromq": ("prebuilds in the package", True),
    "isolated-vm": ("node-gyp", None),
    "libxmljs": ("node-pre-gyp, else node-gyp", False),
    "@prisma/client": ("query engine downloaded for the detected libc and OpenSSL", True),
    "prisma": ("engines downloaded for the detected libc and OpenSSL", True),
    "esbuild": ("platform package (@esbuild/linux-x64 or linux-x64 musl via optionalDependencies)", True),
    "@swc/core": ("platform package (@swc/core-linux-x64-gnu / -musl)", True),
}


@dataclass(frozen=True)
class Native:
    name: str
    how: str  # binding.gyp | gypfile | install script | lockfile hasInstallScript | known: <text>
    musl: bool | None  # a musl build is shipped (True), glibc only (False), compiled from source (None)
    runtime: bool  # a dependency of the running service (not only a devDependency)


def native_modules(folder: Path, package: dict, key_lines: dict, lock) -> list[Fact[Native]]:
    out: list[Fact[Native]] = []
    seen: set[str] = set()
    if (folder / "binding.gyp").is_file():
        out.append(Fact(Native(".", "binding.gyp", None, True), "binding.gyp", 0, "the service's own addon"))
    elif package.get("gypfile") is True:
        out.append(Fact(Native(".", "gypfile", None, True), "package.json", key_lines.get(("gypfile",), 0), "gypfile"))
    runtime = package.get("dependencies") if isinstance(package.get("dependencies"), dict) else {}
    dev = package.get("devDependencies") if isinstance(package.get("devDependencies"), dict) else {}
    optional = package.get("optionalDependencies") if isinstance(package.get("optionalDependencies"), dict) else {}
    for field_name, deps, is_runtime in (("dependencies", runtime, True), ("optionalDependencies", optional, True),
                                         ("devDependencies", dev, False)):
        for name in deps:
            if name in seen:
                continue
            info = _installed_native(folder, name)
            if info is None and name in KNOWN_NATIVE:
                how, musl = KNOWN_NATIVE[name]
                info = (f"known: {how}", musl)
            if info is None and lock is not None and name in lock.entries and lock.entries[name].install_script:
                info = ("lockfile hasInstallScript", None)
            if info is not None:
                seen.add(name)
                out.append(Fact(Native(name, info[0], info[1], is_runtime), "package.json",
                                key_lines.get((field_name, name), 0), info[0]))
    return out


def _installed_native(folder: Path, name: str) -> tuple[str, bool | None] | None:
    """What node_modules/<name> says, when it is installed beside the service."""
    base = folder / "node_modules" / name
    if not (base / "package.json").is_file():
        return None
    import json

    try:
        pkg = json.loads((base / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    scripts = pkg.get("scripts") if isinstance(pkg.get("scripts"), dict) else {}
    prebuilds = base / "prebuilds"
    musl = None
    if prebuilds.is_dir():
        names = [p.name for p in prebuilds.iterdir()]
        musl = any("musl" in n for n in names)
    if (base / "binding.gyp").is_file() or pkg.get("gypfile"):
        return "binding.gyp" if (base / "binding.gyp").is_file() else "gypfile", musl
    if any(k in scripts for k in ("install", "preinstall", "postinstall")):
        return "install script", musl
    return None
