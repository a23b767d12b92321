"""The fastlint syntax tree: every node knows its exact place in the original text.

Offsets are indexes into the decoded text (code points; use ``Source.byte_offset`` for bytes). Lines and
columns are 1-based; columns count code points. The top-level ``Dockerfile.items`` tile the whole text with no
gap and no overlap, so ``Dockerfile.print()`` gives back the exact original bytes, and a fix is a list of edits
on offsets that leaves every other byte alone.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


class Source:
    """The original text and a line index over it (lines split on ``\\n`` only, as BuildKit splits them)."""

    __slots__ = ("text", "line_starts")

    def __init__(self, text: str):
        self.text = text
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.line_starts = starts

    def line_of(self, offset: int) -> int:
        """1-based line of an offset."""
        return bisect.bisect_right(self.line_starts, offset)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset."""
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def line_span(self, line: int) -> tuple[int, int]:
        """Offsets of a 1-based line, without its line ending."""
        start = self.line_starts[line - 1]
        end = self.line_starts[line] if line < len(self.line_starts) else len(self.text)
        while end > start and self.text[end - 1] in "\r\n":
            end -= 1
        return start, end

    def line_text(self, line: int) -> str:
        start, end = self.line_span(line)
        return self.text[start:end]

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def byte_offset(self, offset: int) -> int:
        return len(self.text[:offset].encode("utf-8", "surrogatepass"))


@dataclass(slots=True, eq=False)
class Node:
    """Anything with a place in the text: ``[start, end)`` offsets."""

    start: int
    end: int


@dataclass(slots=True, eq=False)
class Word(Node):
    """A word of an instruction's arguments: ``text`` is the word with quotes and escapes resolved where the
    instruction resolves them, ``raw`` as written."""

    text: str = ""
    raw: str = ""


@dataclass(slots=True, eq=False)
class Flag(Node):
    """A builder flag such as ``--from=builder``: ``name`` is ``from``, ``value`` is ``builder`` (None when the
    flag has no ``=``); ``raw`` is the flag as BuildKit reports it (quotes removed)."""

    name: str = ""
    value: str | None = None
    raw: str = ""


@dataclass(slots=True, eq=False)
class KeyValue(Node):
    """One ``key=value`` of ENV, LABEL or ARG (ARG: value None when there is no default). ``value_raw`` keeps
    quotes; ``value`` and ``key`` have them removed (``key_raw`` keeps them)."""

    key: str = ""
    key_raw: str = ""
    value: str | None = None
    value_raw: str | None = None
    key_start: int = 0
    key_end: int = 0
    value_start: int = 0
    value_end: int = 0


@dataclass(slots=True, eq=False)
class Comment(Node):
    """A comment line. ``text`` is what follows ``#``, stripped; ``inside`` is True for a comment line inside
    an instruction's line continuation."""

    line: int = 0
    text: str = ""
    inside: bool = False


@dataclass(slots=True, eq=False)
class Directive(Node):
    """A parser directive at the top of the file: ``# syntax=``, ``# escape=``, ``# check=``."""

    line: int = 0
    name: str = ""
    value: str = ""


@dataclass(slots=True, eq=False)
class Blank(Node):
    """Blank lines between instructions (kept so that the items tile the text)."""


@dataclass(slots=True, eq=False)
class Heredoc(Node):
    """A here-document: ``start``/``end`` span the opener word (``<<-"EOF"``); the body is
    ``[body_start, body_end)`` and the terminator line follows it."""

    name: str = ""
    fd: int = 0
    chomp: bool = False  # <<- : leading tabs are stripped
    expand: bool = True  # False when the delimiter is quoted: no variable expansion in the body
    content: str = ""  # the body as BuildKit gives it (lines with their endings, tabs not stripped)
    body_start: int = 0
    body_end: int = 0
    terminator_start: int = 0
    terminator_end: int = 0
    line: int = 0  # the line of the opener
    body_line: int = 0  # the first line of the body


@dataclass(slots=True, eq=False)
class LogicalLine:
    """An instruction's lines joined as BuildKit joins them (continuations removed, comment lines inside them
    dropped), with a map back to the original offsets: ``segments`` are ``(logical_start, source_start,
    length)``."""

    text: str
    segments: list[tuple[int, int, int]]

    def to_source(self, index: int) -> int:
        """The source offset of logical index ``index`` (an end index maps to just after its character)."""
        segs = self.segments
        if len(segs) == 1:  # one physical line: the common case
            lstart, sstart, length = segs[0]
            return sstart + min(index, length)
        if not segs:
            return 0
        i = bisect.bisect_right(segs, (index, 1 << 62, 0)) - 1
        if i < 0:
            i = 0
        lstart, sstart, length = segs[i]
        if index - lstart > length:  # past this segment (an end index at a join): end of this segment
            return sstart + length
        return sstart + (index - lstart)

    def span(self, lstart: int, lend: int) -> tuple[int, int]:
        """Source span of logical ``[lstart, lend)``; the end maps to just after the last character."""
        if lend <= lstart:
            s = self.to_source(lstart)
            return s, s
        return self.to_source(lstart), self.to_source(lend - 1) + 1


@dataclass(slots=True, eq=False)
class Instruction(Node):
    """One instruction. ``start``/``end`` cover its physical lines from the first character of the line (leading
    whitespace included) to the end of its last line, line ending included, heredoc bodies included.

    ``keyword`` is upper case; ``value``, ``flags`` (raw), ``json`` and ``heredocs`` are exactly what BuildKit's
    parser gives. For ONBUILD, ``sub`` is the inner instruction (its offsets are in the same text)."""

    keyword: str = ""
    keyword_raw: str = ""
    keyword_start: int = 0
    keyword_end: int = 0
    line: int = 0
    end_line: int = 0
    logical: LogicalLine | None = None
    flags: list[Flag] = field(default_factory=list)
    args_text: str = ""  # the arguments after the flags, as one string (BuildKit's "rest")
    args_start: int = 0  # source offset where the arguments start
    args_end: int = 0
    words: list[Word] = field(default_factory=list)  # the arguments split as the instruction splits them
    value: list[str] = field(default_factory=list)
    json: bool = False
    heredocs: list[Heredoc] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)  # comment lines inside the continuation
    pairs: list[KeyValue] = field(default_factory=list)  # ENV, LABEL, ARG
    sub: Instruction | None = None  # ONBUILD's instruction
    parent: Instruction | None = None  # for the instruction inside ONBUILD
    stage: object = None  # the Stage it belongs to (None for global ARGs before the first FROM)
    index: int = 0  # position among the file's instructions

    # -- convenience for rules --------------------------------------------------------------------------------
    def flag(self, name: str) -> Flag | None:
        """The last flag of that name (``flag("from")``), as BuildKit takes the last one."""
        found = None
        for f in self.flags:
            if f.name == name:
                found = f
        return found

    def flag_value(self, name: str) -> str | None:
        f = self.flag(name)
        return f.value if f else None

    @property
    def is_shell_form(self) -> bool:
        return not self.json

    @property
    def shell_script(self) -> str:
        """The shell text of a shell-form RUN/CMD/ENTRYPOINT/HEALTHCHECK CMD (heredoc bodies not included)."""
        if self.json:
            return ""
        if self.keyword == "HEALTHCHECK":
            return self.value[1] if len(self.value) > 1 else ""
        return self.args_text

    @property
    def effective(self) -> Instruction:
        """The instruction that runs: the inner one of ONBUILD, else itself."""
        return self.sub if self.sub is not None else self


@dataclass(slots=True, eq=False)
class ParseError(Exception):
    """BuildKit would reject the file: ``message`` at 1-based ``line`` (reported as DL1000)."""

    message: str
    line: int
    end_line: int = 0

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(slots=True, eq=False)
class Dockerfile:
    """A parsed Dockerfile. ``items`` tile the text: directives, comments, blanks and instructions in order."""

    source: Source
    path: str = "Dockerfile"
    escape: str = "\\"
    directives: list[Directive] = field(default_factory=list)
    items: list[Node] = field(default_factory=list)
    instructions: list[Instruction] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)  # every comment, top level and inside instructions
    stages: list = field(default_factory=list)  # list[Stage], filled by stages.build_stages
    global_args: list[Instruction] = field(default_factory=list)  # ARGs before the first FROM
    error: ParseError | None = None  # set when BuildKit would reject the file
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.source.text

    def print(self) -> str:
        """The original text, rebuilt from the items (the lossless property)."""
        text = self.source.text
        return "".join(text[n.start : n.end] for n in self.items)

    def line_col(self, offset: int) -> tuple[int, int]:
        return self.source.line_col(offset)

    def directive(self, name: str) -> Directive | None:
        for d in self.directives:
            if d.name == name:
                return d
        return None

    def stage_named(self, name: str):
        lowered = name.lower()
        for s in self.stages:
            if s.name is not None and s.name.lower() == lowered:
                return s
        return None
