"""``fastlint init``: write ``fastlint.yaml`` with the built-in policy and the services found under a folder.

A service is a folder with a ``Dockerfile`` and a ``package.json`` (``node_modules`` and hidden folders are not
searched). For each one:

* name: the folder's name (a Dockerfile belongs to the service named by its folder);
* type, port and proto service as ``fastlint.project`` reads them from the service's files: type ``http`` or
  ``grpc`` from its dependencies (a gRPC server in the source decides when it has both); port from the standard's
  matrix for a known service, else the first port ``fastlint.project`` finds (EXPOSE, ENV PORT, a compose file,
  Kubernetes manifests, Helm values, ``.env``, a default in the source);
* memory: the matrix's, else the standard's figure for the type (gRPC 512Mi, HTTP 1024Mi);
* health_service (gRPC): the matrix's, else ``<package>.<Service>`` of the first service of its ``.proto`` files.

Every service gets a comment saying where its values came from. The first line names the file's JSON Schema
(``# yaml-language-server: $schema=...``), so that editors with YAML support check and complete it. The file is written atomically and is valid for
``fastlint.engine.config.load_config``; an existing file is kept unless ``force`` is given.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from . import builtin

CONFIG_NAME = "fastlint.yaml"
MEMORY_BY_TYPE = {"grpc": "512Mi", "http": "1024Mi"}  # the standard's Service-Specific Configuration
SKIP_DIRS = {"node_modules", "dist", "build", "coverage"}
_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")


def write_config(path: Path, force: bool = False) -> Path:
    """Write ``fastlint.yaml`` in the folder ``path`` (or at ``path`` when it names a ``.yaml`` file); returns
    the file written. Raises FileExistsError (one line) when it exists and ``force`` is False."""
    path = Path(path)
    target = path if path.suffix in (".yaml", ".yml") else path / CONFIG_NAME
    root = target.parent
    if target.exists() and not force:
        raise FileExistsError(f"{target} already exists (use --force to overwrite it)")
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: no such folder")
    from ..fsutil import atomic_write

    atomic_write(target, render(root))
    return target


def render(root: Path) -> str:
    """The text of ``fastlint.yaml`` for the project under ``root``."""
    from ..engine.config_spec import SCHEMA_ID

    lines = [
        f"# yaml-language-server: $schema={SCHEMA_ID}",
        "# fastlint.yaml: the FAST multi-stage build standard for this project (written by `fastlint init`).",
        "# Each part overrides fastlint's built-in policy; remove a part to get the built-in one back.",
        "policy:",
        f"  stages: [{', '.join(builtin.STAGES)}]",
        "  # the base image of each stage (FL102); FL201 accepts these and policy.allowed_images",
        "  bases:",
    ]
    for stage, image in builtin.BASES.items():
        lines.append(f"    {_scalar(stage)}: {_quote(image)}")
    user = builtin.USER
    lines += [
        "  # the non-root user the production stage runs as (FL301, FL302) and Kubernetes runs the pod as (FL702)",
        f"  user: {{name: {_scalar(user['name'])}, uid: {user['uid']}, gid: {user['gid']}}}",
        "  # what `fastlint verify` accepts for the production image",
        f"  budgets: {{max_size_mb: {builtin.BUDGETS['max_size_mb']}, max_layers: {builtin.BUDGETS['max_layers']}}}",
        "",
        "# The service matrix: a Dockerfile belongs to the service named by its folder. Entries replace the",
        "# built-in matrix's entry of the same name; the built-in matrix's other services stay.",
    ]
    found = find_services(root)
    if not found:
        lines.append("services: {}  # no folder with a Dockerfile and a package.json was found")
    else:
        lines.append("services:")
        for svc in found:
            lines.append(f"  # {svc['comment']}")
            fields = [f"type: {svc['type']}", f"port: {svc['port']}", f"memory: {svc['memory']}"]
            if svc.get("health_service"):
                fields.append(f"health_service: {_scalar(svc['health_service'])}")
            lines.append(f"  {_scalar(svc['name'])}: {{{', '.join(fields)}}}")
    lines += [
        "",
        "rules:",
        "  # rule IDs or prefixes (DL3008, DL30, FL4). The built-in policy already turns off:",
        *(f"  #   {code}: {why}" for code, why in builtin.DISABLED.items()),
        "  ignore: []",
        "  select: []  # rules that are off by default, e.g. FL202 (base images pinned by digest)",
        "  severity: {}  # e.g. {DL3059: info}",
        "",
    ]
    return "\n".join(lines)


# -- finding services ------------------------------------------------------------------------------------------
def find_services(root: Path) -> list[dict]:
    """Every folder under ``root`` (``root`` included) with a Dockerfile and a package.json, by name."""
    out: dict[str, dict] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        if "Dockerfile" in filenames and "package.json" in filenames:
            folder = Path(dirpath)
            name = folder.resolve().name
            if name not in out:
                out[name] = describe_service(folder, name, root)
    return [out[k] for k in sorted(out)]


def describe_service(folder: Path, name: str, root: Path) -> dict:
    """What ``fastlint.project`` reads of the service (type, port, proto service), the matrix deciding first."""
    from ..project import Project

    project = Project(folder)
    matrix = builtin.SERVICES.get(name)
    kind_fact = project.kind
    if matrix:  # the standard decides first, as in the migration
        kind, why = matrix["type"], "the standard's matrix"
    elif kind_fact is not None and kind_fact.value in ("grpc", "http"):
        kind, why = kind_fact.value, kind_fact.how.removeprefix("depends on ")
    else:
        kind, why = "http", "no gRPC or HTTP server package found: check"
    candidates = project.ports.candidates
    exposed = [c.value for c in candidates if c.how == "EXPOSE"]
    if matrix:
        port, port_from = matrix["port"], "the standard's matrix"
        if exposed and port not in exposed:
            port_from += f" (the Dockerfile EXPOSEs {', '.join(map(str, exposed))}: FL503)"
    elif candidates:
        port, port_from = candidates[0].value, PORT_SOURCES.get(candidates[0].how.split(" (")[0],
                                                                   candidates[0].how)
    else:
        port, port_from = (50051 if kind == "grpc" else 3000), "not found: a placeholder, set it"
    memory = matrix.get("memory") if matrix and matrix.get("memory") else MEMORY_BY_TYPE[kind]
    health = None
    if kind == "grpc":
        health = matrix.get("health_service") if matrix else None
        if not health and project.grpc_service is not None:
            health = project.grpc_service.value
    try:
        where = folder.resolve().relative_to(root.resolve()).as_posix() or "."
    except ValueError:
        where = str(folder)
    comment = f"{where}: {kind} ({why}), port from {port_from}"
    return {"name": name, "type": kind, "port": port, "memory": memory, "health_service": health,
            "comment": comment}


# how fastlint.project read a port -> the words of init's comment
PORT_SOURCES = {"EXPOSE": "the Dockerfile's EXPOSE", "ENV PORT": "the Dockerfile's ENV PORT",
                "compose": "the compose file", "Kubernetes containerPort": "a Kubernetes manifest",
                "Helm values": "the Helm values", ".env PORT": "the .env file", "source": "the source's default"}


def _scalar(value: str) -> str:
    return value if _PLAIN.match(value) and not value.lower() in ("true", "false", "null", "yes", "no") \
        else _quote(value)


def _quote(value: str) -> str:
    return json.dumps(value)
