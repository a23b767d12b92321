"""Finding Dockerfiles: files given on the command line are taken as they are; folders are searched recursively
for ``Dockerfile``, ``Dockerfile.*``, ``*.Dockerfile``, ``*.dockerfile`` and ``Containerfile``, skipping ``.git``,
``node_modules`` and what the nearest ``.gitignore`` files exclude."""

from __future__ import annotations

import os
from pathlib import Path

SKIP_DIRS = {".git", "node_modules", ".hg", ".svn", ".venv", "__pycache__", ".tox"}
BACKUP_SUFFIXES = (".backup", ".bak", ".orig", ".rej", "~", ".swp")


def is_dockerfile_name(name: str) -> bool:
    if name.endswith(BACKUP_SUFFIXES) or name.endswith(".dockerignore"):  # Dockerfile.dockerignore: BuildKit's
        return False  # per-Dockerfile ignore file
    lowered = name.lower()
    return (
        name in ("Dockerfile", "Containerfile", "dockerfile", "containerfile")
        or name.startswith(("Dockerfile.", "Containerfile."))
        or lowered.endswith(".dockerfile")
    )


def _gitignore_spec(directory: Path):
    f = directory / ".gitignore"
    if not f.is_file():
        return None
    try:
        lines = f.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)  # git's own rules ("gitwildmatch" is deprecated)


def discover(paths: list[str], manifests: bool = False) -> tuple[list[tuple[Path, str]], list[str]]:
    """(files as (path, display name), errors). Display names are as given on the command line, joined with
    what was found under a folder. ``manifests``: folders also yield the Kubernetes manifests and CI files
    that the FL7xx rules read (``engine.manifests.wanted``)."""
    found: list[tuple[Path, str]] = []
    errors: list[str] = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            found += _walk(p, given, manifests)
        elif p.exists() or p.is_symlink():
            found.append((p, given))
        else:
            errors.append(f"{given}: no such file or directory")
    return found, errors


def _walk(root: Path, display_root: str, manifests: bool = False) -> list[tuple[Path, str]]:
    out: list[tuple[Path, str]] = []
    wanted = None
    if manifests:
        from .manifests import is_yaml_name, wanted as manifest_wanted

        def wanted(path: Path) -> bool:
            return is_yaml_name(path.name) and manifest_wanted(path)
    specs: list[tuple[Path, object]] = []  # (directory, spec) of every .gitignore on the way down

    def ignored(path: Path, is_dir: bool) -> bool:
        for base, spec in specs:
            try:
                rel = path.relative_to(base).as_posix()
            except ValueError:
                continue
            if spec.match_file(rel + ("/" if is_dir else "")):
                return True
        return False

    for dirpath, dirnames, filenames in os.walk(root):
        d = Path(dirpath)
        spec = _gitignore_spec(d)
        if spec is not None:
            specs.append((d, spec))
        dirnames[:] = sorted(n for n in dirnames if n not in SKIP_DIRS and not ignored(d / n, True))
        for name in sorted(filenames):
            if (is_dockerfile_name(name) or (wanted is not None and wanted(d / name))) \
                    and not ignored(d / name, False):
                full = d / name
                rel = full.relative_to(root).as_posix()
                display = rel if display_root in (".", "./") else f"{display_root.rstrip('/')}/{rel}"
                out.append((full, display))
    return out
