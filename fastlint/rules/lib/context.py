"""The build context of a Dockerfile, for the rules that check what a build will find in it (FL405-FL408).

The context is the Dockerfile's folder, and fastlint judges it only where it can be known: the Dockerfile is a
real file and its folder is a Node.js service (it holds a package.json). Elsewhere (text from stdin, the shared
corpus's lone Dockerfiles, a context given on docker's command line) these rules say nothing.

What the build sees of the context is what ``.dockerignore`` (or ``<Dockerfile>.dockerignore``) lets through
(``fastlint.dockerignore``, Docker's own semantics): a path it excludes is missing for ``exists``/``matches``, and
``excluded`` tells why. An ignore file Docker rejects makes the context unknown (the build fails on it anyway).

``StageFiles`` follows what a stage's COPY/ADD instructions bring from the context (and ``COPY --from`` from
other stages) into the image, so that a rule can ask "is package-lock.json at /app when this RUN runs?"."""

from __future__ import annotations

import fnmatch
import posixpath
from functools import cached_property
from pathlib import Path

from .files import copy_dest, copy_sources
from .stages import chain, from_stage


class BuildContext:
    def __init__(self, dockerfile_path: str):
        self.dockerfile = Path(dockerfile_path)
        self.folder = self.dockerfile.parent

    @cached_property
    def known(self) -> bool:
        """The context can be judged: a real Dockerfile in a folder with a package.json, and an ignore file
        Docker accepts."""
        try:
            found = self.dockerfile.is_file() and (self.folder / "package.json").is_file()
        except OSError:
            return False
        return found and self.ignore is not None

    @cached_property
    def ignore(self):
        """The context's DockerIgnore (nothing excluded without an ignore file); None when Docker rejects it."""
        from ...dockerignore import DockerIgnoreError, load

        try:
            return load(self.folder, self.dockerfile)
        except DockerIgnoreError:
            return None

    def excluded(self, rel: str) -> bool:
        """On disk, but left out of the build by the ignore file."""
        rel = _clean(rel)
        if rel in ("", ".") or self.ignore is None or not (self.folder / rel).exists():
            return False
        try:
            return self.ignore.ignored(rel)
        except Exception:
            return False

    def ignore_name(self) -> str:
        path = getattr(self.ignore, "path", None)
        return path.name if path is not None else ".dockerignore"

    @cached_property
    def project(self):
        from ...project import Project

        return Project(self.folder, self.dockerfile.name)

    def exists(self, rel: str) -> bool:
        """The build sees this path of the context (on disk, and not excluded by the ignore file)."""
        rel = _clean(rel)
        if rel in ("", "."):
            return True
        return (self.folder / rel).exists() and not self.excluded(rel)

    def matches(self, pattern: str) -> list[str]:
        """Context paths a COPY source matches (docker's filepath.Match per path component)."""
        pattern = _clean(pattern)
        if pattern in ("", "."):
            return ["."]
        if not any(ch in pattern for ch in "*?["):
            return [pattern] if self.exists(pattern) else []
        return [m for m in self._glob(pattern) if not self.excluded(m)]

    def _glob(self, pattern: str) -> list[str]:
        parts = pattern.split("/")
        found = [""]
        for part in parts:
            nxt = []
            for base in found:
                where = self.folder / base if base else self.folder
                if not where.is_dir():
                    continue
                if any(ch in part for ch in "*?["):
                    try:
                        names = sorted(p.name for p in where.iterdir())
                    except OSError:
                        names = []
                    nxt += [posixpath.join(base, n) if base else n for n in names if fnmatch.fnmatchcase(n, part)]
                elif (where / part).exists():
                    nxt.append(posixpath.join(base, part) if base else part)
            found = nxt
        return found


def _clean(path: str) -> str:
    """A COPY source as the builder resolves it in the context: relative to its root, never above it."""
    path = path.strip()
    if not path:
        return ""
    return posixpath.normpath("/" + path).lstrip("/")


def substitute(word: str, env: dict[str, str]) -> str | None:
    """A word with ``$VAR`` / ``${VAR}`` replaced from ``env``; None when a variable is unknown."""
    import re

    unknown = False

    def repl(m):
        nonlocal unknown
        name = m.group(1) or m.group(2)
        if name in env:
            return env[name]
        if m.group(3) is not None:
            return m.group(3)
        unknown = True
        return ""

    out = re.sub(r"\$(?:(\w+)|\{(\w+)(?::?-([^}]*))?\})", repl, word)
    return None if unknown else out


class StageFiles:
    """What the COPY/ADD instructions of a stage (and the stages it is FROM) put where, up to an instruction.

    ``copies`` is a list of (absolute destination, context path or None, is_dir) in order: a file copied to
    ``/app/package-lock.json`` is ("/app/package-lock.json", "package-lock.json", False); ``COPY . /app`` is
    ("/app", ".", True). A ``COPY --from`` is recorded with the context path None (what it brings is unknown)."""

    def __init__(self, df, stage, context: BuildContext, until=None, depth: int = 0):
        self.copies: list[tuple[str, str | None, bool]] = []
        # COPY --from of another stage of the file: (destination, that stage's files, source path, into a folder)
        self.stage_copies: list[tuple[str, "StageFiles", str, bool]] = []
        self._depth = depth
        self.unknown = False  # an ADD of a URL or an unresolved variable: anything may be there
        env: dict[str, str] = {}
        wd = "/"
        for s in chain(stage):
            for ins in s.instructions:
                if until is not None and ins is until:
                    self.workdir = wd
                    self.env = env
                    return
                if ins.keyword in ("ENV", "ARG"):
                    for p in ins.pairs:
                        if p.value is not None:
                            env[p.key] = substitute(p.value, env) or p.value
                        elif ins.keyword == "ARG":
                            env.setdefault(p.key, "")
                elif ins.keyword == "WORKDIR" and ins.value:
                    target = substitute(ins.value[0], env) or ins.value[0]
                    wd = posixpath.normpath(posixpath.join(wd, target))
                elif ins.keyword in ("COPY", "ADD"):
                    self._copy(df, s, ins, context, env, wd)
        self.workdir = wd
        self.env = env

    def _copy(self, df, stage, ins, context: BuildContext, env: dict, wd: str) -> None:
        dest_word = copy_dest(ins)
        if dest_word is None:
            return
        dest = substitute(dest_word.text, env)
        if dest is None:
            self.unknown = True
            return
        dest_abs = posixpath.normpath(posixpath.join(wd, dest))
        sources = copy_sources(ins)
        into_dir = dest.endswith("/") or len(sources) > 1
        src_from = ins.flag("from")
        for w in sources:
            text = substitute(w.text, env)
            if text is None or "://" in (text or ""):
                self.unknown = True
                continue
            if src_from is not None:
                self.copies.append((dest_abs, None, True))
                source = from_stage(df, stage, ins.flag_value("from")) if self._depth < 3 else None
                if source is not None and source is not stage:
                    files = StageFiles(df, source, context, depth=self._depth + 1)
                    src_abs = posixpath.normpath(posixpath.join("/", text))  # the source stage's root
                    self.stage_copies.append((dest_abs, files, src_abs, into_dir))
                continue
            for rel in context.matches(text):
                is_dir = rel == "." or (context.folder / rel).is_dir()
                if is_dir:
                    self.copies.append((dest_abs, rel, True))  # a folder's contents land in dest
                elif into_dir or any(ch in text for ch in "*?["):
                    self.copies.append((posixpath.join(dest_abs, posixpath.basename(rel)), rel, False))
                else:
                    self.copies.append((dest_abs, rel, False))

    def has_file(self, path: str, context: BuildContext) -> bool | None:
        """Whether a file is at the absolute ``path`` (True / False), None when a copy of unknown content could
        have put it there (``COPY --from``)."""
        for dest, files, src, into_dir in self.stage_copies:  # what another stage of the file has, when known
            base = dest.rstrip("/")
            if path == dest:
                candidates = [src]
            elif path.startswith(base + "/"):
                inner = path[len(base) + 1:]
                candidates = [posixpath.join(src, inner)] + ([src] if into_dir and inner == posixpath.basename(src)
                                                               else [])
            else:
                continue
            if any(files.has_file(c, context) is True for c in candidates):
                return True
        maybe = False
        for dest, rel, is_dir in self.copies:
            if not is_dir:
                if dest == path:
                    return True
                continue
            if path == dest or path.startswith(dest.rstrip("/") + "/"):
                if rel is None:
                    maybe = True
                    continue
                inner = path[len(dest.rstrip("/")) + 1:]
                if context.exists(posixpath.join(rel, inner) if rel != "." else inner):
                    return True
        return None if (maybe or self.unknown) else False
