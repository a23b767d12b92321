"""Render the standard's 4-stage Dockerfile (Dockerfile.template beside this module) for one service.

`render(context)` returns the Dockerfile text. The template's own syntax is described at its top: `{{name}}`,
`{{#name}}...{{/name}}`, `{{^name}}...{{/name}}`, `{{.}}` and `##` comments, nothing else (no Jinja).

The context (a dict; the fixer fills it from a legacy Dockerfile, the verifier's tests from a fixture):

| key              | type        | default            | meaning |
|------------------|-------------|--------------------|---------|
| service          | str         | required           | the service's name (folder name), for the header comment |
| type             | str         | required           | "grpc" or "http": which health check and runtime tool |
| port             | int         | required           | the port the service listens on: EXPOSE and the health check |
| health_service   | str or None | None               | gRPC: the `-service=` name for grpc_health_probe (none: the server's overall health) |
| health_path      | str         | "/health"          | HTTP: the path `curl -f http://localhost:PORT` probes |
| has_proto        | bool        | False              | the service has .proto files (generation step in the builder) |
| proto_command    | str or None | "npm run proto:generate" when has_proto, else None | the generation command; pass "" when the build command already generates |
| build_command    | str         | "npm run build"    | the builder's build command (shell form) |
| start_command    | list[str]   | ["node", "dist/index.js"] | the exec-form CMD |
| extra_lines      | list[str]   | []                 | whole ENV / ARG / LABEL instruction lines carried over; ARG lines go right after the production FROM (so RUN sees them), the others after `ENV NODE_ENV=production` |
| extra_copy       | list[str]   | []                 | paths under workdir (non-source assets: config/, templates/) copied from builder into production |
| runtime_packages | list[str]   | []                 | extra Alpine packages production needs at run time (`apk add --no-cache`) |
| workdir          | str         | "/app"             | the WORKDIR of every node stage |
| output_dir       | str         | "dist"             | the build output copied into production |
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
    "has_proto": False,
    "build_command": "npm run build",
    "start_command": ["node", "dist/index.js"],
    "extra_lines": [],
    "extra_copy": [],
    "runtime_packages": [],
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
    if values["type"] not in ("grpc", "http"):
        raise TemplateError(f"template context: 'type' must be 'grpc' or 'http', not {values['type']!r}")
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
    for key in ("extra_lines", "extra_copy", "runtime_packages"):
        if not isinstance(values[key], list) or not all(isinstance(v, str) and v.strip() for v in values[key]):
            raise TemplateError(f"template context: '{key}' must be a list of non-empty strings")
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
    for path in values["extra_copy"]:
        if path.startswith("/") or ".." in Path(path).parts or " " in path:
            raise TemplateError(f"template context: 'extra_copy' entry {path!r} must be a relative path "
                                "under the workdir, without '..' or spaces")
    for line in values["extra_lines"]:
        if line.split(None, 1)[0].upper() not in ("ENV", "ARG", "LABEL"):
            raise TemplateError(f"template context: 'extra_lines' holds only ENV, ARG and LABEL lines, not {line!r}")
    for pkg in values["runtime_packages"]:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._+=~<>-]*", pkg):
            raise TemplateError(f"template context: 'runtime_packages' entry {pkg!r} is not a package name")

    values["grpc"] = values["type"] == "grpc"
    values["http"] = values["type"] == "http"
    values["start_command_json"] = json.dumps(start)
    values["extra_args"] = [l for l in values["extra_lines"] if l.split(None, 1)[0].upper() == "ARG"]
    values["extra_lines"] = [l for l in values["extra_lines"] if l.split(None, 1)[0].upper() != "ARG"]
    packages = (["curl"] if values["http"] else []) + [p for p in values["runtime_packages"] if p != "curl" or not values["http"]]
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
