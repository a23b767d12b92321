"""The port a service listens on, from every place a real service says it: the Dockerfile (EXPOSE, ENV PORT),
compose files, Kubernetes manifests and Helm values beside the service, ``.env``, and the source (``listen(N)``,
``process.env.PORT || N``, a ``port`` default). Each candidate says where it was read; the first is the answer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .facts import Fact, line_of
from .sources import read_text, source_files

COMPOSE_FILES = ("docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml",
                 "docker-compose.prod.yml", "docker-compose.production.yml")
MANIFEST_DIRS = ("k8s", "kubernetes", "kube", "deploy", "deployment", "deployments", "manifests", "helm", "charts",
                 "chart", ".k8s", "infra", "inf")
ORDER = ("EXPOSE", "ENV PORT", "compose", "Kubernetes", "Helm values", ".env", "source")

_ENV_DEFAULT = re.compile(r"process\.env\.(?:PORT|HTTP_PORT|SERVER_PORT|APP_PORT|GRPC_PORT)\s*(?:\|\||\?\?)\s*['\"]?(\d{2,5})")
_ENV_PARSE = re.compile(r"process\.env\.(?:PORT|HTTP_PORT|SERVER_PORT|APP_PORT|GRPC_PORT)\s*,\s*['\"]?(\d{2,5})")
_LISTEN = re.compile(r"\.listen\(\s*(?:\{\s*port\s*:\s*)?['\"]?(\d{2,5})\b")
_BIND = re.compile(r"bind(?:Async)?\(\s*['\"`][^'\"`]*:(\d{2,5})['\"`]")
# a gRPC server's address in its options (NestJS's `url: process.env.X || '0.0.0.0:50051'`), in a file that speaks gRPC
_GRPC_URL = re.compile(r"""\burl\s*:\s*(?:process\.env\.\w+\s*(?:\|\||\?\?)\s*)?['"`][\w.\[\]:-]*:(\d{2,5})['"`]""")
_SPEAKS_GRPC = re.compile(r"""Transport\.GRPC|@grpc/grpc-js|require\(\s*['"]grpc['"]\s*\)|from\s+['"]grpc['"]""")
# grpc_health_probe's address in a probe (`-addr=:8080`, `--addr=localhost:50051`)
_PROBE_ADDR = re.compile(r"^--?addr=(?:[\w.\[\]-]*):(\d{2,5})$")
_PORT_DEFAULT = re.compile(r"""\bport['"]?\s*[:=]\s*(?:\{[^}]*?default\s*:\s*)?['"]?(\d{2,5})\b""", re.I)
_OPTION_DEFAULT = re.compile(r"""options\(\s*['"]port['"]\s*,\s*\{[^}]*?default\s*:\s*['"]?(\d{2,5})""", re.S)
# the port of the HTTP server in a source that starts several (RTMP and HTTP, HTTP and HTTPS): `http: {port: N}`,
# `http_port: N`, `httpPort = N`
_HTTP_PORT = re.compile(r"""(?:\bhttp['"]?\s*:\s*\{[^{}]*?\bport['"]?\s*:\s*|\bhttp_?port['"]?\s*[:=]\s*)['"]?(\d{2,5})\b""",
                        re.I)
_ENV_LINE = re.compile(r"^\s*(?:export\s+)?PORT\s*=\s*['\"]?(\d{2,5})['\"]?\s*$", re.M)


@dataclass
class Ports:
    candidates: list[Fact[int]] = field(default_factory=list)
    http: list[Fact[int]] = field(default_factory=list)  # ports the source gives its HTTP server by name
    grpc: list[Fact[int]] = field(default_factory=list)  # ports a gRPC server binds or a grpc_health_probe probes

    @property
    def http_port(self) -> Fact[int] | None:
        """Of several candidates, the one the source names as its HTTP server's port (``http: {port: 8000}``),
        when it is among the other candidates (an EXPOSE, a manifest); else None."""
        for hint in self.http:
            for c in self.candidates:
                if c.value == hint.value and not c.how.startswith("source"):
                    return c
        return None

    @property
    def port(self) -> Fact[int] | None:
        return self.candidates[0] if self.candidates else None

    def by(self, how: str) -> list[Fact[int]]:
        return [c for c in self.candidates if c.how.startswith(how)]

    def add(self, port: int, file: str, line: int, how: str) -> None:
        if 0 < port < 65536:
            self.candidates.append(Fact(port, file, line, how))


def _valid(value) -> int | None:
    m = re.match(r"^(\d{1,5})(?:/tcp)?$", str(value).strip())
    return int(m.group(1)) if m and 0 < int(m.group(1)) < 65536 else None


def dockerfile_ports(df, dockerfile: str) -> list[Fact[int]]:
    """The ports a parsed Dockerfile says: every EXPOSE (TCP; ``$PORT`` resolved through the ENV/ARG of its stage),
    then the ENV PORT each stage ends with (an ENV PORT a later one in the same stage overrides is not said). Read
    by the project reader from the file on disk and by the migration from the text it migrates."""
    values: dict[str, str] = {}
    exposes: list[Fact[int]] = []
    envs: dict[int, Fact[int]] = {}  # the last ENV PORT of each stage, by stage
    for ins in df.instructions:
        if ins.keyword == "FROM":
            values = {}
        elif ins.keyword in ("ENV", "ARG"):
            for p in ins.pairs:
                if p.value is not None:
                    value = _expand(p.value, values)
                    values[p.key] = value
                    if ins.keyword == "ENV" and p.key == "PORT":
                        port = _valid(value)
                        stage = ins.stage.index if ins.stage is not None else -1
                        if port:
                            envs[stage] = Fact(port, dockerfile, ins.line, "ENV PORT")
                        else:
                            envs.pop(stage, None)
        elif ins.keyword == "EXPOSE":
            for w in ins.value:
                word = _expand(w, values)
                if word.endswith("/udp"):
                    continue
                port = _valid(word)
                if port:
                    exposes.append(Fact(port, dockerfile, ins.line, "EXPOSE"))
    return exposes + list(envs.values())


def _expand(word: str, values: dict[str, str]) -> str:
    return re.sub(r"\$\{?(\w+)(?::?-([^}]*))?\}?", lambda m: values.get(m.group(1), m.group(2) or m.group(0)), word)


def compose_ports(folder: Path, ports: Ports) -> None:
    """Container ports of the compose services built from this folder (``build: .``)."""
    for name in COMPOSE_FILES:
        path = folder / name
        text = read_text(path)
        if not text:
            continue
        try:
            from ruamel.yaml import YAML

            data = YAML(typ="rt").load(text)
        except Exception:
            continue
        services = data.get("services", data) if hasattr(data, "get") else None  # compose v1 has no `services`
        if not hasattr(services, "items"):
            continue
        for svc_name, svc in services.items():
            if not hasattr(svc, "get") or not _builds_here(svc.get("build")):
                continue
            for key in ("ports", "expose"):
                items = svc.get(key)
                if not isinstance(items, list):
                    continue
                for i, item in enumerate(items):
                    target = item.get("target") if hasattr(item, "get") else str(item).rsplit(":", 1)[-1]
                    if str(target).endswith("/udp"):
                        continue
                    port = _valid(str(target).split("-")[0])
                    line = items.lc.item(i)[0] + 1 if hasattr(items, "lc") else 0
                    if port:
                        ports.add(port, name, line, f"compose ({svc_name}.{key})")


def _builds_here(build) -> bool:
    if build is None:
        return False
    context = build.get("context", ".") if hasattr(build, "get") else build
    return str(context).rstrip("/") in (".", "./", "")


def _image_name(image: str | None) -> str:
    return (image or "").split("@")[0].rsplit(":", 1)[0].rsplit("/", 1)[-1]


def manifest_ports(folder: Path, ports: Ports, names: set[str] | None = None) -> None:
    """containerPort of the Kubernetes workloads and the ports of Helm values files under the manifest folders.
    When some container runs the service's own image (its repository's last part is the folder's or the
    package's name), containers of other images (a database beside it) are left out."""
    from ..engine import manifests

    names = names or {folder.resolve().name}
    files: list[Path] = []
    for sub in MANIFEST_DIRS:
        base = folder / sub
        if base.is_dir():
            files += sorted(p for p in base.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
                            and "node_modules" not in p.parts)
    files += sorted(p for p in folder.glob("*.y*ml") if p.name not in COMPOSE_FILES and p.name != "pnpm-lock.yaml")
    found: list[tuple[str, int, str, str]] = []  # (image name, port, file, line)
    probed: list[tuple[str, int, str, str]] = []  # (image name, port, file, line): gRPC probes
    helm: list[tuple[int, str, int, str]] = []
    for path in files[:200]:
        rel = path.relative_to(folder).as_posix()
        text = read_text(path)
        if path.name.startswith("values") and "templates" not in path.parts:
            for m in re.finditer(r"^(\s*)(containerPort|targetPort|httpPort)\s*:\s*['\"]?(\d{2,5})['\"]?\s*$",
                                 text, re.M):
                helm.append((int(m.group(3)), rel, line_of(text, m.start(2)), f"Helm values ({m.group(2)})"))
            continue
        if "templates" in path.parts or "{{" in text or not manifests.looks_like_kubernetes(text):
            continue
        m = manifests.load(path, rel)
        if m is None:
            continue
        for c in manifests.containers(m):
            cports = c.node.get("ports") if hasattr(c.node, "get") else None
            if not isinstance(cports, list):
                continue
            for i, p in enumerate(cports):
                port = _valid(p.get("containerPort")) if hasattr(p, "get") else None
                if port and str(p.get("protocol", "TCP")).upper() != "UDP":
                    line = m.value_pos(p, "containerPort").line
                    found.append((_image_name(c.image), port, rel, line))
            probed += [(_image_name(c.image), port, rel, line) for port, line in _grpc_probe_ports(c, m)]
    own = [f for f in found if f[0] in names]
    for _, port, rel, line in own or found:
        ports.add(port, rel, line, "Kubernetes containerPort")
    own = [f for f in probed if f[0] in names]
    for _, port, rel, line in own or probed:
        ports.add(port, rel, line, "Kubernetes gRPC probe")
        ports.grpc.append(Fact(port, rel, line, "the port a Kubernetes probe asks grpc_health_probe to check"))
    for port, rel, line, how in helm:
        ports.add(port, rel, line, how)


def _grpc_probe_ports(c, m) -> list[tuple[int, int]]:
    """(port, line) of the container's gRPC probes: ``exec`` of grpc_health_probe ``-addr=HOST:PORT``, or the
    native ``grpc: {port: N}`` probe."""
    out = []
    for key in ("readinessProbe", "livenessProbe", "startupProbe"):
        probe = c.node.get(key) if hasattr(c.node, "get") else None
        if not hasattr(probe, "get"):
            continue
        native = probe.get("grpc")
        if hasattr(native, "get") and _valid(native.get("port")):
            out.append((_valid(native.get("port")), m.value_pos(native, "port").line))
        command = probe.get("exec").get("command") if hasattr(probe.get("exec"), "get") else None
        if isinstance(command, list) and command and "grpc_health_probe" in str(command[0]):
            for word in command[1:]:
                hit = _PROBE_ADDR.match(str(word))
                if hit:
                    out.append((int(hit.group(1)), m.value_pos(probe.get("exec"), "command").line))
    return out


def env_file_ports(folder: Path, ports: Ports) -> None:
    for name in (".env", ".env.production", ".env.production.local", ".env.example"):
        text = read_text(folder / name)
        m = _ENV_LINE.search(text) if text else None
        if m:
            ports.add(int(m.group(1)), name, line_of(text, m.start()), ".env PORT")


def source_ports(folder: Path, ports: Ports, files: list[Path] | None = None) -> None:
    """Defaults in the source: ``process.env.PORT || N`` first, then ``listen(N)`` / ``bind(...:N)``, then a
    ``port`` option's default, in that order of trust; the first file that has one of a kind gives it."""
    files = files if files is not None else source_files(folder, skip=None)
    found: dict[str, tuple[int, str, int]] = {}
    for path in files:
        text = read_text(path)
        rel = path.relative_to(folder).as_posix()
        grpc_url = _GRPC_URL if _SPEAKS_GRPC.search(text) else None
        for how, rx in (("process.env.PORT || N", _ENV_DEFAULT), ("process.env.PORT || N", _ENV_PARSE),
                        ("listen(N)", _LISTEN), ("bind(host:N)", _BIND), ("a gRPC server's url", grpc_url),
                        ("a port option's default", _OPTION_DEFAULT), ("a port setting", _PORT_DEFAULT)):
            if how in found or rx is None:
                continue
            m = rx.search(text)
            if m:
                found[how] = (int(m.group(1)), rel, line_of(text, m.start(1)))
                if how in ("bind(host:N)", "a gRPC server's url"):
                    ports.grpc.append(Fact(int(m.group(1)), rel, line_of(text, m.start(1)),
                                           f"the port the source's gRPC server binds ({how})"))
        for m in _HTTP_PORT.finditer(text):
            ports.http.append(Fact(int(m.group(1)), rel, line_of(text, m.start(1)), "the HTTP server's port in the source"))
    if len(found) > 1:
        found.pop("a port setting", None)  # the weakest reading, only when nothing better is in the source
    for how in ("process.env.PORT || N", "listen(N)", "bind(host:N)", "a gRPC server's url", "a port option's default",
                "a port setting"):
        if how in found:
            port, rel, line = found[how]
            ports.add(port, rel, line, f"source ({how})")


def read_ports(folder: Path, dockerfile: str | None, files: list[Path] | None = None,
               names: set[str] | None = None) -> Ports:
    ports = Ports()
    text = read_text(folder / dockerfile) if dockerfile else ""
    if text:
        from ..parser import parse

        ports.candidates += dockerfile_ports(parse(text, str(folder / dockerfile)), dockerfile)
    compose_ports(folder, ports)
    manifest_ports(folder, ports, names)
    env_file_ports(folder, ports)
    source_ports(folder, ports, files)
    return ports
