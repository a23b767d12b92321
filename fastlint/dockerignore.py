"""``.dockerignore`` as Docker reads it: moby/patternmatcher's matching, applied as BuildKit applies it.

Reading the file (patternmatcher's ``ignorefile.ReadAll``): a UTF-8 BOM is dropped; a line whose first character
is ``#`` is a comment (``  # x`` is a pattern, not a comment); each pattern is trimmed, cleaned like Go's
``filepath.Clean`` (``a//b/../c`` is ``a/c``) and loses one leading ``/``; ``!`` makes an exception.

Matching (``PatternMatcher``): patterns are tried in order and the last one that matches decides (an exception
only matters once something matched). ``*`` and ``?`` never cross ``/``; ``**`` crosses any number of folders
(``**/x`` also matches ``x``; ``dir/**`` matches everything under ``dir`` but not ``dir``); ``[...]`` is a
character class; ``\\`` escapes the next character. A pattern also matches everything under a folder it matches
(``docs`` excludes ``docs/README.md``), which is why ``MatchesOrParentMatches`` tries the path's parent folders.
A pattern is anchored at the context's root: unlike ``.gitignore``, ``foo`` does not match ``sub/foo``. That is
why pathspec's gitwildmatch (git's rules) is not used: it matches a name without ``/`` at any depth, cannot bring
a file back out of an excluded folder in the same way, and treats a trailing ``/`` as "folders only".

What a build sees (``DockerIgnore.ignored``): the context is sent as fsutil walks it. A folder that is excluded,
and that no exception could reach into, is skipped whole; an excluded folder that an exception may reach into is
walked, and what the exception brings back is sent. The Dockerfile and ``.dockerignore`` are read by the builder
whatever the patterns say, but ``COPY`` does not see them when they are excluded (BuildKit sends the Dockerfile
apart from the context; the classic builder deletes them from the context after reading them).

Which file (BuildKit's ``dockerui``): ``<Dockerfile name>.dockerignore`` beside the Dockerfile (e.g.
``Dockerfile.dockerignore``, ``app.Dockerfile.dockerignore``) wins over ``.dockerignore`` at the context's root.

Errors, as Docker has them: a lone ``!`` and a pattern Go's ``filepath.Match`` calls malformed (``[``, ``a\\``,
``[]a]``) fail the build when the file is read (``DockerIgnoreError`` from ``load``); a pattern that passes that
test but is not a valid regular expression (``[z-a]``) fails only when it is tried on a path
(``DockerIgnoreError`` from ``ignored``/``matches``). Go's RE2 and Python's ``re`` read the regular expression
built from a pattern the same way except for backslash escapes of letters and digits (``\\Q``, ``\\z``,
``\\pL``, octal), which no real ``.dockerignore`` uses.
"""

from __future__ import annotations

import os
import re
import warnings
from functools import lru_cache
from pathlib import Path

from .parser.parse import _GO_SPACES

DOCKERIGNORE = ".dockerignore"
_MAX_LINE = 64 * 1024  # bufio.Scanner's largest token: a longer line fails the read


class DockerIgnoreError(Exception):
    """A ``.dockerignore`` Docker rejects: ``file:line: message``."""

    def __init__(self, message: str, file: str = "", line: int = 0):
        self.message, self.file, self.line = message, file, line
        where = f"{file}:{line}: " if file and line else (f"{file}: " if file else "")
        super().__init__(f"{where}{message}")


def go_trim_space(s: str) -> str:
    """Go's strings.TrimSpace (unicode.IsSpace: Python's isspace less \\x1c-\\x1f)."""
    return s.strip(_GO_SPACES)


def clean(path: str) -> str:
    """Go's path.Clean: the shortest equivalent path (``.`` for an empty one; ``..`` above ``/`` dropped)."""
    if not path:
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for seg in path.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(seg)
    out = "/".join(parts)
    if rooted:
        return "/" + out
    return out or "."


def dirname(path: str) -> str:
    """Go's filepath.Dir: everything before the last ``/``, cleaned (``.`` when there is no ``/``)."""
    return clean(path[: path.rfind("/") + 1])


def read_patterns(text: str) -> list[tuple[str, int]]:
    """The patterns of a .dockerignore text with their line numbers (ignorefile.ReadAll)."""
    out = []
    for number, line in enumerate(text.split("\n"), 1):
        if line.endswith("\r"):
            line = line[:-1]
        if number == 1 and line.startswith("\ufeff"):
            line = line[1:]
        if line.startswith("#"):
            continue
        pattern = go_trim_space(line)
        if not pattern:
            continue
        invert = pattern[0] == "!"
        if invert:
            pattern = go_trim_space(pattern[1:])
        if pattern:
            pattern = clean(pattern)
            if len(pattern) > 1 and pattern[0] == "/":
                pattern = pattern[1:]
        out.append(("!" + pattern if invert else pattern, number))
    return out


# -- Go's filepath.Match syntax check (patternmatcher.New rejects what it calls malformed) -----------------------
def _scan_chunk(pattern: str) -> tuple[str, str]:
    """filepath.scanChunk: (chunk, rest) after the leading stars."""
    pattern = pattern.lstrip("*")
    in_range = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            if i + 1 < len(pattern):
                i += 1
        elif ch == "[":
            in_range = True
        elif ch == "]":
            in_range = False
        elif ch == "*" and not in_range:
            break
        i += 1
    return pattern[:i], pattern[i:]


def _class_char(chunk: str, i: int) -> int:
    """filepath.getEsc: the index after one (maybe escaped) character of a class; -1 when malformed."""
    if i >= len(chunk) or chunk[i] in "-]":
        return -1
    if chunk[i] == "\\":
        i += 1
        if i >= len(chunk):
            return -1
    i += 1
    return i if i < len(chunk) else -1


def _chunk_ok(chunk: str) -> bool:
    i = 0
    while i < len(chunk):
        ch = chunk[i]
        if ch == "[":
            i += 1
            if i < len(chunk) and chunk[i] == "^":
                i += 1
            ranges = 0
            while True:
                if i < len(chunk) and chunk[i] == "]" and ranges > 0:
                    i += 1
                    break
                i = _class_char(chunk, i)
                if i < 0:
                    return False
                if chunk[i] == "-":
                    i = _class_char(chunk, i + 1)
                    if i < 0:
                        return False
                ranges += 1
        elif ch == "\\":
            if i + 1 >= len(chunk):
                return False
            i += 2
        else:
            i += 1
    return True


def glob_syntax_ok(pattern: str) -> bool:
    """False when Go's filepath.Match returns ErrBadPattern for this pattern (whatever the name)."""
    rest = pattern
    while rest:
        chunk, rest = _scan_chunk(rest)
        if not _chunk_ok(chunk):
            return False
    return True


# -- one pattern -------------------------------------------------------------------------------------------------
_ESCAPED = set(".+()|{}$")  # what patternmatcher escapes: regexp specials that mean nothing to filepath.Match
_POSIX = {
    "alnum": "0-9A-Za-z", "alpha": "A-Za-z", "ascii": "\\x00-\\x7f", "blank": "\\t ", "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9", "graph": "!-~", "lower": "a-z", "print": " -~", "punct": "!-/:-@\\[-`{-~",
    "space": "\\t\\n\\v\\f\\r ", "upper": "A-Z", "word": "0-9A-Za-z_", "xdigit": "0-9A-Fa-f",
}
_POSIX_RE = re.compile(r"\[:(\^?)([a-z]+):\]")


def _python_regex(go_regex: str) -> str:
    """RE2's ``[[:alpha:]]`` classes, which Python's re lacks, spelt out (only inside a bracket)."""
    if "[:" not in go_regex:
        return go_regex
    out, i, depth = [], 0, False
    while i < len(go_regex):
        ch = go_regex[i]
        if depth:
            m = _POSIX_RE.match(go_regex, i)
            if m and m.group(2) in _POSIX and not m.group(1):
                out.append(_POSIX[m.group(2)])
                i = m.end()
                continue
            if ch == "\\" and i + 1 < len(go_regex):
                out.append(go_regex[i:i + 2])
                i += 2
                continue
            if ch == "]":
                depth = False
        elif ch == "\\" and i + 1 < len(go_regex):
            out.append(go_regex[i:i + 2])
            i += 2
            continue
        elif ch == "[":
            depth = True
            out.append(ch)
            i += 1
            if go_regex[i:i + 1] == "^":
                out.append("^")
                i += 1
            if go_regex[i:i + 1] == "]":  # a ] first in a class is a character
                out.append("]")
                i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


class Pattern:
    """One pattern, compiled as patternmatcher compiles it: an exact name, a prefix (``dir/**``), a suffix
    (``**/name``) or a regular expression."""

    __slots__ = ("text", "exclusion", "line", "kind", "regex", "error")

    def __init__(self, text: str, exclusion: bool = False, line: int = 0):
        self.text = text  # cleaned, without the "!"
        self.exclusion = exclusion
        self.line = line
        self.kind, self.regex, self.error = self._compile(text)

    def __repr__(self) -> str:
        return f"Pattern({'!' if self.exclusion else ''}{self.text!r})"

    @staticmethod
    def _compile(pattern: str):
        regex = "^"
        kind = "exact"
        i, n = 0, len(pattern)
        first = True
        while i < n:
            ch = pattern[i]
            i += 1
            if ch == "*":
                if i < n and pattern[i] == "*":
                    i += 1
                    if i < n and pattern[i] == "/":  # **/ is read as **
                        i += 1
                    if i >= n:  # ** at the end matches everything (as in .gitignore)
                        if kind == "exact":
                            kind = "prefix"
                        else:
                            regex += ".*"
                            kind = "regex"
                    else:
                        regex += "(.*/)?"
                        kind = "regex"
                    if first:
                        kind = "suffix"
                else:
                    regex += "[^/]*"
                    kind = "regex"
            elif ch == "?":
                regex += "[^/]"
                kind = "regex"
            elif ch in _ESCAPED:
                regex += "\\" + ch
            elif ch == "\\":
                if i < n:
                    regex += "\\" + pattern[i]
                    i += 1
                    kind = "regex"
                else:
                    regex += "\\\\"
            elif ch in "[]":
                regex += ch
                kind = "regex"
            else:
                regex += ch
            first = False
        if kind != "regex":
            return kind, None, None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)  # "possible nested set": RE2 reads [[ as Python does
                return kind, re.compile(_python_regex(regex) + r"\Z", re.ASCII), None
        except re.error as err:
            return kind, None, f"syntax error in pattern {pattern!r}: {err}"

    def match(self, path: str) -> bool:
        """Does the pattern match this slash-separated path (not its parents)? Raises DockerIgnoreError for a
        pattern that is not a valid regular expression."""
        kind = self.kind
        if kind == "exact":
            return path == self.text
        if kind == "prefix":
            return path.startswith(self.text[:-2])
        if kind == "suffix":
            suffix = self.text[2:]
            return path.endswith(suffix) or (suffix[:1] == "/" and path == suffix[1:])
        if self.regex is None:
            raise DockerIgnoreError(self.error or "bad pattern", line=self.line)
        return self.regex.match(path) is not None

    def match_quietly(self, path: str) -> bool:
        try:
            return self.match(path)
        except DockerIgnoreError:
            return False


class PatternMatcher:
    """patternmatcher.PatternMatcher: patterns in order, the last match decides."""

    def __init__(self, patterns: list[str] | list[tuple[str, int]]):
        self.patterns: list[Pattern] = []
        self.exclusions = False
        for item in patterns:
            raw, line = item if isinstance(item, tuple) else (item, 0)
            p = go_trim_space(raw)
            if not p:
                continue
            p = clean(p)
            exclusion = p[0] == "!"
            if exclusion:
                if len(p) == 1:
                    raise DockerIgnoreError('illegal exclusion pattern: "!"', line=line)
                p = p[1:]
                self.exclusions = True
            if not glob_syntax_ok(p):
                raise DockerIgnoreError(f"syntax error in pattern {p!r}", line=line)
            self.patterns.append(Pattern(p, exclusion, line))

    def matches_or_parent_matches(self, file: str) -> bool:
        """MatchesOrParentMatches: ``file`` or one of its parent folders is excluded and no later exception
        brings it back."""
        matched = False
        parent = dirname(file)
        parent_dirs = parent.split("/")
        for pattern in self.patterns:
            if pattern.exclusion != matched:
                continue
            match = pattern.match(file)
            if not match and parent != ".":
                for i in range(len(parent_dirs)):
                    if pattern.match_quietly("/".join(parent_dirs[: i + 1])):
                        match = True
                        break
            if match:
                matched = not pattern.exclusion
        return matched

    def matches_using_parent_results(self, file: str, parent: list[bool] | None) -> tuple[bool, list[bool]]:
        """MatchesUsingParentResults: as the context walk calls it, with the per-pattern results of the parent
        folder (None for a top-level entry)."""
        matched = False
        info = [False] * len(self.patterns)
        for i, pattern in enumerate(self.patterns):
            match = bool(parent) and parent[i]
            if not match:
                if pattern.exclusion != matched:
                    continue
                match = pattern.match(file)
                if not match and not parent:
                    up = dirname(file)
                    if up != ".":
                        dirs = up.split("/")
                        match = any(pattern.match_quietly("/".join(dirs[: k + 1])) for k in range(len(dirs)))
            info[i] = match
            if match:
                matched = not pattern.exclusion
        return matched, info


def _without_trailing_glob(pattern: Pattern) -> str:
    text = pattern.text
    for tail in ("/**", "/*"):
        if text.endswith(tail):
            text = text[: -len(tail)]
    return text


class DockerIgnore:
    """The ignore rules of one build context. ``path`` is the file read (None: no file, nothing is excluded)."""

    def __init__(self, context: Path, patterns: list[tuple[str, int]] | None = None, path: Path | None = None):
        self.context = Path(context)
        self.path = path
        try:
            self.matcher = PatternMatcher(patterns or [])
        except DockerIgnoreError as err:
            raise DockerIgnoreError(err.message, str(path or ""), err.line) from None
        # fsutil skips an excluded folder whole unless an exception could reach into it; it can only tell when
        # the exceptions are plain paths (no glob character before a trailing /* or /**)
        self._plain_exceptions = not any(
            p.exclusion and any(c in _without_trailing_glob(p) for c in "*[]?^\\") for p in self.matcher.patterns)

    @property
    def patterns(self) -> list[Pattern]:
        return self.matcher.patterns

    @property
    def has_exclusions(self) -> bool:
        """True when a pattern is an exception (``!``)."""
        return self.matcher.exclusions

    def _error(self, err: DockerIgnoreError) -> DockerIgnoreError:
        return DockerIgnoreError(err.message, str(self.path or ""), err.line)

    def matches(self, relpath: str) -> bool:
        """patternmatcher's MatchesOrParentMatches on a context path as BuildKit's CopyIgnoredFile check passes it
        (cleaned, as BuildKit cleans it)."""
        path = clean(relpath.replace("\\", "/"))
        try:
            return self.matcher.matches_or_parent_matches(path)
        except DockerIgnoreError as err:
            raise self._error(err) from None

    def ignored(self, relpath: str, is_dir: bool | None = None) -> bool:
        """True when the build does not get this path of the context (a file, or a folder of which nothing is
        sent). The path is relative to the context as BuildKit resolves a COPY source: a leading ``/`` and any
        ``..`` above the root are dropped. ``is_dir`` None: looked up on disk."""
        path = clean("/" + relpath.replace("\\", "/"))[1:]
        if not path or not self.matcher.patterns:
            return False
        if is_dir is None:
            is_dir = (self.context / path).is_dir()
        try:
            return self._walk_ignored(path, is_dir)
        except DockerIgnoreError as err:
            raise self._error(err) from None

    def _skips_whole(self, folder: str) -> bool:
        """An excluded folder that fsutil does not walk into."""
        if not self._plain_exceptions:
            return False
        if not self.matcher.exclusions:
            return True
        prefix = folder + "/"
        return not any(p.exclusion and (_without_trailing_glob(p) + "/").startswith(prefix)
                       for p in self.matcher.patterns)

    def _walk_ignored(self, path: str, is_dir: bool) -> bool:
        parts = path.split("/")
        info: list[bool] | None = None
        for i in range(len(parts)):
            sub = "/".join(parts[: i + 1])
            last = i == len(parts) - 1
            excluded, info = self.matcher.matches_using_parent_results(sub, info)
            folder = not last or is_dir
            if excluded and folder and self._skips_whole(sub):
                return True
            if last:
                if not excluded:
                    return False
                return not (is_dir and self._anything_sent_under(sub, info))
        return False

    def _anything_sent_under(self, folder: str, info: list[bool]) -> bool:
        """An excluded folder that is walked: is a file under it brought back by an exception? (Read on disk.)"""
        root = self.context / folder
        if not root.is_dir():
            return False
        infos = {folder: info}
        for current, dirs, files in os.walk(root):
            rel = Path(current).relative_to(self.context).as_posix()
            parent = infos[rel]
            for name in sorted(dirs):
                sub = f"{rel}/{name}"
                excluded, sub_info = self.matcher.matches_using_parent_results(sub, parent)
                if excluded and self._skips_whole(sub):
                    dirs.remove(name)
                    continue
                infos[sub] = sub_info
            for name in files:
                if not self.matcher.matches_using_parent_results(f"{rel}/{name}", parent)[0]:
                    return True
        return False


def ignore_file(context: Path, dockerfile: Path | None = None) -> Path:
    """The ignore file a build reads: ``<Dockerfile>.dockerignore`` beside the Dockerfile when it exists, else
    ``.dockerignore`` at the context's root."""
    if dockerfile is not None:
        specific = dockerfile.with_name(dockerfile.name + DOCKERIGNORE)
        if specific.is_file():
            return specific
    return Path(context) / DOCKERIGNORE


def parse(text: str, context: Path | str = ".", path: Path | None = None) -> DockerIgnore:
    """A DockerIgnore from the text of an ignore file."""
    for number, line in enumerate(text.split("\n"), 1):
        if len(line.encode("utf-8", "surrogatepass")) > _MAX_LINE:
            raise DockerIgnoreError("line too long", str(path or ""), number)
    return DockerIgnore(Path(context), read_patterns(text), path)


def load(context_dir: Path | str, dockerfile: Path | str | None = None) -> DockerIgnore:
    """The ignore rules of a build context (``dockerfile``: the Dockerfile, for ``<name>.dockerignore``). No file:
    nothing is ignored. Raises DockerIgnoreError (with file and line) for a file Docker rejects. Read once per
    file and version in a run."""
    context = Path(context_dir)
    path = ignore_file(context, Path(dockerfile) if dockerfile is not None else None)
    try:
        st = path.stat()
    except OSError:
        return DockerIgnore(context)
    return _load_cached(str(context), str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=64)
def _load_cached(context: str, path: str, mtime_ns: int, size: int) -> DockerIgnore:
    try:
        raw = Path(path).read_bytes()
    except OSError as err:
        raise DockerIgnoreError(f"cannot read: {err.strerror or err}", path) from None
    return parse(raw.decode("utf-8", errors="replace"), Path(context), Path(path))
