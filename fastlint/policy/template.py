"""Render the standard's 4-stage Dockerfile (Dockerfile.template beside this module) for one service.

`render(context)` returns the Dockerfile text. The template's own syntax is described at its top: `{{name}}`,
`{{#name}}...{{/name}}`, `{{^name}}...{{/name}}`, `{{.}}` and `##` comments, nothing else (no Jinja).

The context (a dict; the fixer fills it from a legacy Dockerfile, the verifier's tests from a fixture):

| key              | type        | default            | meaning |
|------------------|-------------|--------------------|---------|
| service          | str         | required           | the service's name (folder name), for the header comment |
| type             | str         | required           | "grpc", "http" or "tcp" (a plain TCP server): which health check and runtime tool |
| port             | int         | required           | the port the service listens on: EXPOSE and the health check |
| extra_ports      | list[str]   | []                 | more ports for EXPOSE (`1935`, `8125/udp`); the health check probes `port` |
| health_service   | str or None | None               | gRPC: the `-service=` name for grpc_health_probe (none: the server's overall health) |
| health_path      | str         | "/health"          | HTTP with curl: the path `curl -f http://localhost:PORT` probes |
| health_command   | list[str] or None | None         | the health check's exec form instead of curl (HTTP) or required (tcp): `node -e ...` or the service's own script; no curl is installed then |
| has_proto        | bool        | False              | the service has .proto files (generation step in the builder) |
| proto_command    | str or None | "npm run proto:generate" when has_proto, else None | the generation command; pass "" when the build command already generates |
| build_command    | str         | "npm run build"    | the builder's build command (shell form); "" when the service has no build step |
| builder_runs     | list[str]   | []                 | more RUN commands of the builder, after the build (files the original image made with cp/sed) |
| manager          | str         | "npm"              | "npm", "yarn-classic", "yarn-berry" or "pnpm": how the builder installs the production dependencies in /prod |
| install_sources  | str         | "package*.json"    | what the dependencies stage copies before the install (`package.json yarn.lock`) |
| install_folders  | list[str]   | []                 | folders copied too before the install (`.yarn`, or `.yarn/releases` and `.yarn/patches`: yarn berry's release and patches) |
| install_command  | str         | "npm ci --ignore-scripts" | the dependencies stage's install (`yarn install --frozen-lockfile ...`, `... && npm rebuild bcrypt`) |
| build_packages   | list[str]   | []                 | Alpine packages the dependencies stage needs: compilers for native modules (python3, make, g++), git for git dependencies |
| prune_flags      | str         | ""                 | flags added to the production install or prune in /prod (` --ignore-scripts`, ` && npm rebuild x`, ` --legacy-peer-deps`) |
| start_command    | list[str]   | ["node", "dist/index.js"] | the exec-form CMD |
| extra_lines      | list[str]   | []                 | whole ENV / ARG / LABEL instruction lines carried over; ARG lines go right after the production FROM (so RUN sees them), the others after `ENV NODE_ENV=production` |
| extra_copy       | list[str]   | []                 | paths under workdir (non-source assets: config/, templates/, the files the start command needs) copied from builder into production |
| extra_files      | list[str]   | []                 | files under workdir copied together in one COPY (several files of a service without a build step) |
| output_copy      | list[str]   | [output_dir]       | the build output copied into production, last (it changes most often) |
| output_dir       | str         | "dist"             | the build output when `output_copy` is not given |
| runtime_packages | list[str]   | []                 | extra Alpine packages production needs at run time (`apk add --no-cache`) |
| runtime_dirs     | str         | ""                 | absolute folders production makes and gives to the user (the original image's `mkdir -p /data`) |
| workdir          | str         | "/app"             | the WORKDIR of every node stage |
| user, uid, gid   | str, int, int | "nodejs", 1001, 1001 | the non-root user production runs as |
| node_image       | str         | "node:20-alpine"   | base of the dependencies, builder and production stages |
| tools_image      | str         | "alpine:3.19"      | base of the runtime-tools stage |

Bad context values raise `TemplateError` with one sentence naming the key. The rendered file uses only what
the classic builder knows (the Docker SDK's `images.build`): no heredocs, no `RUN --mount`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

TEMPLATE_PATH = Path(__file__).with_name("Dockerfile.template")

_TAG = re.compile(r"\{\{([#^/]?)\s*([A-Za-z_][A-Za-z0-9_]*|\.)\s*\}\}")
_SECTION_LINE = re.compile(r"^[ \t]*\{\{[#^/]\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}[ \t]*\n", re.M)

DEFAULTS: dict[str, Any] = {
    "health_service": None,
    "health_path": "/health",
    "health_command": None,
    "extra_ports": [],
    "has_proto": False,
    "build_command": "npm run build",
    "builder_runs": [],
    "manager": "npm",
    "install_sources": "package*.json",
    "install_folders": [],
    "install_command": "npm ci --ignore-scripts",
    "build_packages": [],
    "prune_flags": "",
    "start_command": ["node", "dist/index.js"],
    "extra_lines": [],
    "extra_copy": [],
    "extra_files": [],
    "runtime_packages": [],
    "runtime_dirs": "",
    "workdir": "/app",
    "output_dir": "dist",
    "user": "nodejs",
    "uid": 1001,
    "gid": 1001,
    "node_image": "node:20-alpine",
    "tools_image": "alpine:3.19",
}


class TemplateError(ValueError):
    """A context value or template construct the renderer cannot use; the message names it."""


def render(context: dict[str, Any], template: str | None = None) -> str:
    """Render the 4-stage Dockerfile for `context` (see the module docstring) from the built-in template,
    or from `template` (the text of a custom template with the same syntax)."""
    values = _prepare(context)
    text = TEMPLATE_PATH.read_text() if template is None else template
    text = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("##"))
    # Standalone section tags vanish with their line, so sections do not leave blank lines behind.
    text = _SECTION_LINE.sub(lambda m: m.group(0).strip(" \t\n"), text)
    out = _render_block(text, [values])
    return re.sub(r"\n{3,}", "\n\n", out)


def _prepare(context: dict[str, Any]) -> dict[str, Any]:
    """Apply defaults, check every value, and derive the keys the template uses (grpc, http, ...)."""
    values = {**DEFAULTS, **context}
    for key in ("service", "type", "port"):
        if key not in context or context[key] in (None, ""):
            raise TemplateError(f"template context: '{key}' is required")
    if values["type"] not in ("grpc", "http", "tcp"):
        raise TemplateError(f"template context: 'type' must be 'grpc', 'http' or 'tcp', not {values['type']!r}")
    port = values["port"]
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise TemplateError(f"template context: 'port' must be a number from 1 to 65535, not {port!r}")
    for key in ("uid", "gid"):
        if isinstance(values[key], bool) or not isinstance(values[key], int) or values[key] < 0:
            raise TemplateError(f"template context: '{key}' must be a non-negative number, not {values[key]!r}")
    if "proto_command" not in context or context["proto_command"] is None:
        values["proto_command"] = "npm run proto:generate" if values["has_proto"] else ""
    start = values["start_command"]
    if not isinstance(start, list) or not start or not all(isinstance(a, str) for a in start):
        raise TemplateError("template context: 'start_command' must be a non-empty list of strings (exec form)")
    if "output_copy" not in context:
        values["output_copy"] = [values["output_dir"]] if values["output_dir"] else []
    values["extra_ports"] = [str(p) for p in values["extra_ports"]]
    for key in ("extra_lines", "extra_copy", "extra_files", "output_copy", "runtime_packages", "extra_ports", "builder_runs",
                "install_folders", "build_packages"):
        if not isinstance(values[key], list) or not all(isinstance(v, str) and v.strip() for v in values[key]):
            raise TemplateError(f"template context: '{key}' must be a list of non-empty strings")
    for port_text in values["extra_ports"]:
        if not re.fullmatch(r"\d{1,5}(/(tcp|udp))?", port_text):
            raise TemplateError(f"template context: 'extra_ports' entry {port_text!r} is not a port")
    if values["manager"] not in ("npm", "yarn-classic", "yarn-berry", "pnpm"):
        raise TemplateError(f"template context: 'manager' must be npm, yarn-classic, yarn-berry or pnpm, not "
                            f"{values['manager']!r}")
    health = values["health_command"]
    if health is not None and (not isinstance(health, list) or not health
                               or not all(isinstance(a, str) for a in health)):
        raise TemplateError("template context: 'health_command' must be a non-empty list of strings (exec form)")
    if values["type"] == "tcp" and not health:
        raise TemplateError("template context: a 'tcp' service needs a 'health_command'")
    for key, value in values.items():
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, str) and ("\n" in item or "\r" in item):
                raise TemplateError(f"template context: '{key}' must be on one line (found a line break)")
    for key in ("health_service", "health_path"):  # written inside the exec form's JSON strings
        if values[key] is not None and not re.fullmatch(r"[A-Za-z0-9._~:/?#@!$&'()*+,;=%-]*", str(values[key])):
            raise TemplateError(f"template context: '{key}' {values[key]!r} holds a character the health check's "
                                "exec form cannot carry (quotes, backslashes, spaces)")
    if not str(values["health_path"]).startswith("/"):
        raise TemplateError(f"template context: 'health_path' must start with '/', not {values['health_path']!r}")
    for path in values["extra_copy"] + values["extra_files"] + values["output_copy"] + values["install_folders"]:
        if path.startswith("/") or ".." in Path(path).parts or " " in path:
            raise TemplateError(f"template context: the copied path {path!r} must be a relative path "
                                "under the workdir, without '..' or spaces")
    for line in values["extra_lines"]:
        if line.split(None, 1)[0].upper() not in ("ENV", "ARG", "LABEL"):
            raise TemplateError(f"template context: 'extra_lines' holds only ENV, ARG and LABEL lines, not {line!r}")
    for pkg in values["runtime_packages"]:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._+=~<>-]*", pkg):
            raise TemplateError(f"template context: 'runtime_packages' entry {pkg!r} is not a package name")

    values["grpc"] = values["type"] == "grpc"
    values["http"] = values["type"] == "http"
    values["curl_check"] = values["http"] and not health
    values["node_check"] = not values["grpc"] and not values["curl_check"]
    values["health_command_json"] = json.dumps(health) if health and not values["grpc"] else ""
    for name in ("npm", "yarn-classic", "yarn-berry", "pnpm"):
        values[name.replace("-", "_")] = values["manager"] == name
    values["build_packages"] = " ".join(values["build_packages"])
    values["has_extra_files"] = bool(values["extra_files"])
    values["install_folders"] = [f.rstrip("/") for f in values["install_folders"]]
    values["start_command_json"] = json.dumps(start)
    values["extra_args"] = [l for l in values["extra_lines"] if l.split(None, 1)[0].upper() == "ARG"]
    values["extra_lines"] = [l for l in values["extra_lines"] if l.split(None, 1)[0].upper() != "ARG"]
    packages = (["curl"] if values["curl_check"] else []) + [p for p in values["runtime_packages"]
                                                            if p != "curl" or not values["curl_check"]]
    values["apk_packages"] = " ".join(dict.fromkeys(packages))
    return values


def _lookup(name: str, scopes: list[Any]) -> Any:
    for scope in reversed(scopes):
        if name == ".":
            return scope
        if isinstance(scope, dict) and name in scope:
            return scope[name]
    raise TemplateError(f"template: no value for '{{{{{name}}}}}' in the context")


def _render_block(text: str, scopes: list[Any]) -> str:
    out: list[str] = []
    pos = 0
    while True:
        m = _TAG.search(text, pos)
        if m is None:
            out.append(text[pos:])
            return "".join(out)
        out.append(text[pos:m.start()])
        kind, name = m.group(1), m.group(2)
        if kind == "/":
            raise TemplateError(f"template: '{{{{/{name}}}}}' closes a section that was never opened")
        if kind == "":
            value = _lookup(name, scopes)
            out.append("" if value is None else str(value))
            pos = m.end()
            continue
        end = _find_close(text, name, m.end())
        body = text[m.end():end.start()]
        value = _lookup(name, scopes)
        if kind == "^":
            if not value:
                out.append(_render_block(body, scopes))
        elif isinstance(value, list):
            for item in value:
                out.append(_render_block(body, scopes + [item]))
        elif value:
            out.append(_render_block(body, scopes))
        pos = end.end()


def _find_close(text: str, name: str, start: int) -> re.Match:
    depth = 0
    for m in _TAG.finditer(text, start):
        if m.group(2) != name:
            continue
        if m.group(1) in "#^" and m.group(1):
            depth += 1
        elif m.group(1) == "/":
            if depth == 0:
                return m
            depth -= 1
    raise TemplateError(f"template: section '{{{{#{name}}}}}' is never closed")
