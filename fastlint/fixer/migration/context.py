"""Step 2: decide the template's context from what step 1 read: the service's type, port and health check path,
the build and start commands, the workdir, the extra COPY lines, ENV/ARG/LABEL lines, the runtime packages, the
policy's user and images. No file is read here."""

from __future__ import annotations

import json
import posixpath
import re

from ...policy.builtin import GRPC_PACKAGES, HTTP_PACKAGES
from .model import MigrationError
from .read import LegacyReader
from .vocabulary import deps_of, exec_form, plain_words


def build_context(r: LegacyReader) -> dict:
    """The template's context (``fastlint/policy/template.py`` documents it) from what was read."""
    workdir = r.workdir if r.had_workdir and r.workdir != "/" else "/app"
    service_name = r.service.name if r.service else r.folder.resolve().name
    svc_type = _type(r)
    port = _port(r)
    ctx: dict = {"service": service_name, "type": svc_type, "port": port, "workdir": workdir}
    if r.service is not None and r.service.health_service:
        ctx["health_service"] = r.service.health_service
    if svc_type == "http":
        path = _health_path(r)
        if path:
            ctx["health_path"] = path
    ctx.update(_build(r))
    ctx["start_command"] = _start_command(r, workdir)
    output = _output_dir(r, ctx["start_command"])
    if output:
        ctx["output_dir"] = output
    for sources, dest, line in r._copies:
        _place_copy(r, sources, dest, line, workdir)
    ctx["extra_copy"] = r.extra_copy
    ctx["extra_lines"] = list(dict.fromkeys(r.extra_lines))
    ctx["runtime_packages"] = r.runtime_packages
    user = r.policy.user or {}
    for key, name in (("user", "name"), ("uid", "uid"), ("gid", "gid")):
        if user.get(name) is not None:
            ctx[key] = user[name]
    bases = r.policy.bases or {}
    stages = r.policy.stages or []
    if len(stages) == 4:
        node = bases.get(stages[3]) or bases.get(stages[0])
        tools = bases.get(stages[2])
        if node:
            ctx["node_image"] = node
        if tools:
            ctx["tools_image"] = tools
    return ctx

def _type(r) -> str:
    if r.service is not None and r.service.type in ("grpc", "http"):
        return r.service.type
    if r.health is not None:
        probe = " ".join(r.health.value)
        if "grpc_health_probe" in probe:
            return "grpc"
        if re.search(r"\b(curl|wget)\b", probe):
            return "http"
    deps = {**deps_of(r.package, "dependencies")}
    if any(d in deps for d in HTTP_PACKAGES):
        return "http"
    if any(d in deps for d in GRPC_PACKAGES):
        return "grpc"
    raise MigrationError("cannot tell whether the service is gRPC or HTTP (it is not in the service matrix, "
                         "and neither its health check nor its dependencies say): add it to fastlint.yaml")

def _exposed_ports(r) -> list[tuple[int, int]]:
    out = []
    for word, line in r.exposed:
        value = word
        for k, v in r.env.items():
            value = value.replace("${" + k + "}", v).replace("$" + k, v)
        m = re.fullmatch(r"(\d+)(?:/(tcp|udp))?", value)
        if m:
            out.append((int(m.group(1)), line))
    return out

def _port(r) -> int:
    exposed = _exposed_ports(r)
    env_port = r.env.get("PORT", "")
    if r.service is not None:
        port = r.service.port
        for p, line in exposed:
            if p != port:
                r.warn(line, f"EXPOSE {p} replaced by the service matrix's port {port}")
        if env_port.isdigit() and int(env_port) != port:
            r.warn(r.env_lines.get("PORT", 0), f"ENV PORT={env_port} differs from the service matrix's "
                      f"port {port}: check which port the service listens on")
        return port
    if exposed:
        if len(exposed) > 1:
            r.warn(exposed[1][1], f"several ports exposed; the template exposes {exposed[0][0]} only")
        return exposed[0][0]
    if env_port.isdigit():
        return int(env_port)
    raise MigrationError("no port: the service is not in the service matrix and the Dockerfile has no EXPOSE "
                         "or ENV PORT")

def _health_path(r) -> str | None:
    if r.health is None:
        return None
    m = re.search(r"https?://[^/\s\"']+(/[^\s\"'|;&)]*)", " ".join(r.health.value))
    return m.group(1) if m else None

def _build(r) -> dict:
    out: dict = {}
    build = r.scripts.get("build")
    if isinstance(build, str) and build.strip():
        out["build_command"] = "npm run build"
    else:
        out["build_command"] = "npm run build --if-present"
        r.warn(0, "package.json has no build script: the builder runs `npm run build --if-present`")
    protos = r.protos
    proto_script = next((k for k in r.scripts if "proto" in k.lower() and isinstance(r.scripts[k], str)),
                        None)
    if protos and proto_script:
        out["has_proto"] = True
        runs_it = re.search(rf"\brun(-script)?\s+{re.escape(proto_script)}\b", str(build or ""))
        out["proto_command"] = "" if runs_it else f"npm run {proto_script}"
    return out

def _start_command(r, workdir: str) -> list[str]:
    command: list[str] = []
    if r.entrypoint is not None:
        command = exec_form(r.entrypoint)
        if r.entrypoint.json and r.cmd is not None:
            command += exec_form(r.cmd)
    elif r.cmd is not None:
        command = exec_form(r.cmd)
    if not command:
        start = r.scripts.get("start")
        if isinstance(start, str) and start.strip():
            command = ["npm", "start"]
        elif isinstance(r.package.get("main"), str):
            command = ["node", r.package["main"]]
            r.warn(0, f"no CMD and no start script: the image runs `node {r.package['main']}`")
        else:
            raise MigrationError("no start command: the Dockerfile has no CMD or ENTRYPOINT and package.json "
                                 "no start script or main")
    return _resolve_npm_start(r, command)

def _resolve_npm_start(r, command: list[str]) -> list[str]:
    """``npm start`` -> the start script itself, when that is one plain command and no hook runs around it."""
    if command not in (["npm", "start"], ["npm", "run", "start"], ["npm", "run-script", "start"]):
        return command
    start = r.scripts.get("start")
    if not isinstance(start, str) or "prestart" in r.scripts or "poststart" in r.scripts:
        return command
    words = plain_words(start)
    if not words:
        return command
    return words

def _output_dir(r, start: list[str]) -> str | None:
    main = r.package.get("main")
    for candidate in ([main] if isinstance(main, str) else []) + start[1:]:
        parts = posixpath.normpath(candidate).split("/")
        if len(parts) > 1 and parts[0] not in ("", ".", "..") and re.fullmatch(r"[\w.-]+", parts[0]):
            return parts[0]
    return None

def _place_copy(r, sources: list[str], dest: str, line: int, workdir: str) -> None:
    """A COPY of assets from the build context: the builder has them under the workdir."""
    plain = len(sources) == 1 and not any(ch in sources[0] for ch in "*?[ ")
    if plain and posixpath.normpath(dest) == posixpath.join(workdir, sources[0]):
        if sources[0] not in r.extra_copy:
            r.extra_copy.append(sources[0])
        return
    if any(" " in s for s in sources) or " " in dest:
        parts = [f"{workdir}/{s}" for s in sources] + [dest]
        r.copy_lines.append(f"COPY --from=builder --chown={{user}} {json.dumps(parts)}")
    else:
        srcs = " ".join(f"{workdir}/{s}" for s in sources)
        r.copy_lines.append(f"COPY --from=builder --chown={{user}} {srcs} {dest}")
