"""Finding Dockerfiles: files given on the command line are taken as they are; folders are searched recursively
for ``Dockerfile``, ``Dockerfile.*``, ``Dockerfile-*``, ``*.Dockerfile``, ``*.dockerfile``, ``Containerfile``,
``Containerfile.*``, ``Containerfile-*`` and ``*.Containerfile``, skipping ``.git``, ``node_modules`` and what git
ignores there.

What git ignores is read as git reads it, whatever folder fastlint runs from: the ``.gitignore`` of every folder
from the repository's top (the nearest folder above with a ``.git``) down to the file, and the repository's
``.git/info/exclude``. Each skipped path is told to ``notes`` (``--verbose`` prints them) with the reason."""

from __future__ import annotations

import errno
import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (start-up time)
if TYPE_CHECKING:
    from pathlib import Path

SKIP_DIRS = {".git", "node_modules", ".hg", ".svn", ".venv", "__pycache__", ".tox"}
BACKUP_SUFFIXES = (".backup", ".bak", ".orig", ".rej", "~", ".swp")


def is_dockerfile_name(name: str) -> bool:
    if is_backup_name(name):
        return False
    lowered = name.lower()
    return (
        lowered in ("dockerfile", "containerfile")
        or name.startswith(("Dockerfile.", "Containerfile.", "Dockerfile-", "Containerfile-"))
        or lowered.endswith((".dockerfile", ".containerfile"))
    )


def is_backup_name(name: str) -> bool:
    """A backup or an ignore file beside a Dockerfile (``Dockerfile.backup``, ``Dockerfile.dockerignore``: the
    per-Dockerfile ignore file of BuildKit), never linted when found in a folder."""
    return name.endswith(BACKUP_SUFFIXES) or name.endswith(".dockerignore")


class Notes:
    """What a search passed over, and why (``--verbose``), and warnings (a path that yielded nothing)."""

    def __init__(self):
        self.skipped: list[tuple[str, str]] = []
        self.warnings: list[str] = []


def discover(paths: list[str], manifests: bool = False,
             notes: Notes | None = None) -> tuple[list[tuple[str, str]], list[str]]:
    """(files as (path, display name), errors). Display names are as given on the command line, joined with
    what was found under a folder. ``manifests``: folders also yield the Kubernetes manifests and CI files
    that the FL7xx rules read (``engine.manifests.wanted``). Paths are strings (pathlib is imported only to
    search a folder: start-up time)."""
    notes = notes if notes is not None else Notes()
    found: list[tuple[str, str]] = []
    errors: list[str] = []
    for given in paths:
        if os.path.isdir(given):
            from pathlib import Path

            walked = _walk(Path(given), given, manifests, notes)
            if not walked:
                what = "a folder" if is_dockerfile_name(os.path.basename(os.path.normpath(given))) else "this folder"
                notes.warnings.append(f"{given}: {what}, and no Dockerfile was found in it"
                                      + (" (is it the Dockerfile you meant?)" if what == "a folder" else ""))
            found += walked
            continue
        error = _file_error(given)
        if error is None:
            found.append((given, given))
        else:
            errors.append(error)
    return found, errors


def _file_error(given: str) -> str | None:
    """None for a path that can be opened as a file; else the one-line error."""
    try:
        os.stat(given)
        return None
    except OSError as err:
        if err.errno == errno.ELOOP:
            return f"{given}: cannot read: a loop of symbolic links"
        if os.path.islink(given):
            return f"{given}: cannot read: broken symbolic link"
        if err.errno in (errno.ENOENT, errno.ENOTDIR):
            return f"{given}: no such file or directory"
        return f"{given}: cannot read: {err.strerror or err}"


def repository_top(folder: Path) -> Path | None:
    """The nearest folder at or above ``folder`` with a ``.git`` (the repository's top), or None."""
    d = folder
    while True:
        if (d / ".git").exists():
            return d
        if d.parent == d:
            return None
        d = d.parent


def _spec(lines: list[str]):
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)  # git's own rules ("gitwildmatch" is deprecated)


def _read_lines(f: Path) -> list[str] | None:
    try:
        if not f.is_file():
            return None
        return f.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None


def _gitignore_spec(directory: Path):
    lines = _read_lines(directory / ".gitignore")
    return None if lines is None else _spec(lines)


def _outer_specs(root: Path) -> list[tuple[Path, object, str]]:
    """(folder, spec, name) of what applies to ``root`` from above it: the .gitignore files from the repository's
    top down to ``root``'s parent, and .git/info/exclude (its patterns are relative to the top)."""
    top = repository_top(root)
    if top is None:
        return []
    specs = []
    exclude = _read_lines(top / ".git" / "info" / "exclude")
    if exclude:
        specs.append((top, _spec(exclude), ".git/info/exclude"))
    chain = []
    d = root.parent if root != top else None
    while d is not None:
        chain.append(d)
        if d == top or d.parent == d:
            break
        d = d.parent
    for folder in reversed(chain):
        spec = _gitignore_spec(folder)
        if spec is not None:
            specs.append((folder, spec, str(folder / ".gitignore")))
    return specs


def _walk(root: Path, display_root: str, manifests: bool, notes: Notes) -> list[tuple[str, str]]:
    from pathlib import Path

    out: list[tuple[str, str]] = []
    wanted = None
    if manifests:
        from .manifests import is_yaml_name, wanted as manifest_wanted

        def wanted(path: Path) -> bool:
            return is_yaml_name(path.name) and manifest_wanted(path)
    absolute = Path(os.path.abspath(root))
    specs = _outer_specs(absolute)  # (folder, spec, where) of every ignore file that applies, outermost first

    def ignored(path: Path, is_dir: bool) -> str | None:
        """The ignore file that excludes ``path`` (git: a later, deeper file can re-include it), or None."""
        verdict = None
        for base, spec, where in specs:
            try:
                rel = path.relative_to(base).as_posix()
            except ValueError:
                continue
            result = spec.check_file(rel + ("/" if is_dir else ""))
            if result.include is not None:
                verdict = where if result.include else None
        return verdict

    def show(path: Path) -> str:
        rel = path.relative_to(absolute).as_posix()
        return rel if display_root in (".", "./") else f"{display_root.rstrip('/')}/{rel}"

    for dirpath, dirnames, filenames in os.walk(absolute):
        d = Path(dirpath)
        spec = _gitignore_spec(d)
        if spec is not None:
            specs.append((d, spec, show(d / ".gitignore")))
        keep = []
        for n in sorted(dirnames):
            full = d / n
            if n in SKIP_DIRS:
                notes.skipped.append((show(full) + "/", "a folder fastlint never searches"))
            elif os.path.islink(full):
                notes.skipped.append((show(full) + "/", "a symbolic link to a folder (not followed)"))
            else:
                why = ignored(full, True)
                if why:
                    notes.skipped.append((show(full) + "/", f"ignored by {why}"))
                else:
                    keep.append(n)
        dirnames[:] = keep
        for name in sorted(filenames):
            full = d / name
            if not (is_dockerfile_name(name) or (wanted is not None and wanted(full))):
                if is_backup_name(name) and name.lower().startswith(("dockerfile", "containerfile")):
                    notes.skipped.append((show(full), "a backup or ignore file, not a Dockerfile"))
                continue
            why = ignored(full, False)
            if why:
                notes.skipped.append((show(full), f"ignored by {why}"))
                continue
            out.append((str(root / full.relative_to(absolute)), show(full)))
    return out
