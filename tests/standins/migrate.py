"""A fixture service migrated by hand to the template, for the engine tests (the fixer is not used here, so
these tests stay about the template and the verifier).

`migrated_copy(service_dir, dest)` copies the service folder to `dest`, keeps its legacy Dockerfile as
Dockerfile.backup, renders the template for it from the standard's service matrix, and writes the
.dockerignore the standard asks for. The fixture itself is never touched.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from fastlint.policy.template import render

DOCKERIGNORE = "node_modules\n.git\ndist\nlogs\n*.log\n.env\ndeploy\n"


def service_matrix() -> dict[str, dict]:
    from fastlint.policy.builtin import SERVICES

    return SERVICES


def template_context(service_dir: Path) -> dict:
    """The template context for a fixture service: matrix entry, proto files, package.json scripts."""
    name = service_dir.name
    entry = service_matrix()[name]
    package = json.loads((service_dir / "package.json").read_text())
    scripts = package.get("scripts") or {}
    has_proto = any((service_dir / "proto").glob("*.proto")) if (service_dir / "proto").is_dir() else False
    build_script = scripts.get("build", "")
    context = {
        "service": name,
        "type": entry["type"],
        "port": entry["port"],
        "health_service": entry.get("health_service"),
        "has_proto": has_proto,
        # The build script often generates the protobuf code itself; then the template need not run it twice.
        "proto_command": "" if ("proto" in build_script or "proto:generate" not in scripts) else None,
    }
    return context


def migrated_copy(service_dir: Path, dest: Path) -> Path:
    shutil.copytree(service_dir, dest, ignore=shutil.ignore_patterns("node_modules", ".git", "dist"))
    legacy = dest / "Dockerfile"
    legacy.rename(dest / "Dockerfile.backup")
    (dest / "Dockerfile").write_text(render(template_context(service_dir)))
    (dest / ".dockerignore").write_text(DOCKERIGNORE)
    return dest
