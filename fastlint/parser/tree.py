"""The fastlint syntax tree: every node knows its exact place in the original text.

Offsets are indexes into the decoded text (code points; use ``Source.byte_offset`` for bytes). Lines and
columns are 1-based; columns count code points. The top-level ``Dockerfile.items`` tile the whole text with no
gap and no overlap, so ``Dockerfile.print()`` gives back the exact original bytes, and a fix is a list of edits
on offsets that leaves every other byte alone.
"""

from __future__ import annotations

import bisect


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


class Node:
    """Anything with a place in the text: ``[start, end)`` offsets."""

    __slots__ = ("start", "end")

    def __init__(self, start: int, end: int):
        self.start = start
        self.end = end


class Word(Node):
    """A word of an instruction's arguments: ``text`` is the word with quotes and escapes resolved where the
    instruction resolves them, ``raw`` as written."""

    __slots__ = ("text", "raw")

    def __init__(self, start: int, end: int, text: str = "", raw: str = ""):
        self.start = start
        self.end = end
        self.text = text
        self.raw = raw


class Flag(Node):
    """A builder flag such as ``--from=builder``: ``name`` is ``from``, ``value`` is ``builder`` (None when the
    flag has no ``=``); ``raw`` is the flag as BuildKit reports it (quotes removed)."""

    __slots__ = ("name", "value", "raw")

    def __init__(self, start: int, end: int, name: str = "", value: str | None = None, raw: str = ""):
        self.start = start
        self.end = end
        self.name = name
        self.value = value
        self.raw = raw


class KeyValue(Node):
    """One ``key=value`` of ENV, LABEL or ARG (ARG: value None when there is no default). ``value_raw`` keeps
    quotes; ``value`` and ``key`` have them removed (``key_raw`` keeps them)."""

    __slots__ = ("key", "key_raw", "value", "value_raw", "key_start", "key_end", "value_start", "value_end")

    def __init__(
        self,
        start: int,
        end: int,
        key: str = "",
        key_raw: str = "",
        value: str | None = None,
        value_raw: str | None = None,
        key_start: int = 0,
        key_end: int = 0,
        value_start: int = 0,
        value_end: int = 0,
    ):
        self.start = start
        self.end = end
        self.key = key
        self.key_raw = key_raw
        self.value = value
        self.value_raw = value_raw
        self.key_start = key_start
        self.key_end = key_end
        self.value_start = value_start
        self.value_end = value_end


class Comment(Node):
    """A comment line. ``text`` is what follows ``#``, stripped; ``inside`` is True for a comment line inside
    an instruction's line continuation."""

    __slots__ = ("line", "text", "inside")

    def __init__(self, start: int, end: int, line: int = 0, text: str = "", inside: bool = False):
        self.start = start
        self.end = end
        self.line = line
        self.text = text
        self.inside = inside


class Directive(Node):
    """A parser directive at the top of the file: ``# syntax=``, ``# escape=``, ``# check=``."""

    __slots__ = ("line", "name", "value")

    def __init__(self, start: int, end: int, line: int = 0, name: str = "", value: str = ""):
        self.start = start
        self.end = end
        self.line = line
        self.name = name
        self.value = value


class Blank(Node):
    """Blank lines between instructions (kept so that the items tile the text)."""

    __slots__ = ()

    def __init__(self, start: int, end: int):
        self.start = start
        self.end = end


class Heredoc(Node):
    """A here-document: ``start``/``end`` span the opener word (``<<-"EOF"``); the body is
    ``[body_start, body_end)`` and the terminator line follows it."""

    __slots__ = (
        "name", "fd", "chomp", "expand", "content", "body_start", "body_end", "terminator_start",
        "terminator_end", "line", "body_line"
    )

    def __init__(
        self,
        start: int,
        end: int,
        name: str = "",
        fd: int = 0,
        chomp: bool = False,
        expand: bool = True,
        content: str = "",
        body_start: int = 0,
        body_end: int = 0,
        terminator_start: int = 0,
        terminator_end: int = 0,
        line: int = 0,
        body_line: int = 0,
    ):
        self.start = start
        self.end = end
        self.name = name
        self.fd = fd
        self.chomp = chomp  # <<- : leading tabs are stripped
        self.expand = expand  # False when the delimiter is quoted: no variable expansion in the body
        self.content = content  # the body as BuildKit gives it (lines with their endings, tabs not stripped)
        self.body_start = body_start
        self.body_end = body_end
        self.terminator_start = terminator_start
        self.terminator_end = terminator_end
        self.line = line  # the line of the opener
        self.body_line = body_line  # the first line of the body


class LogicalLine:
    """An instruction's lines joined as BuildKit joins them (continuations removed, comment lines inside them
    dropped), with a map back to the original offsets: ``segments`` are ``(logical_start, source_start,
    length)``."""

    __slots__ = ("text", "segments")

    def __init__(self, text: str, segments: list[tuple[int, int, int]]):
        self.text = text
        self.segments = segments

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


class Instruction(Node):
    """One instruction. ``start``/``end`` cover its physical lines from the first character of the line (leading
    whitespace included) to the end of its last line, line ending included, heredoc bodies included.

    ``keyword`` is upper case; ``value``, ``flags`` (raw), ``json`` and ``heredocs`` are exactly what BuildKit's
    parser gives. For ONBUILD, ``sub`` is the inner instruction (its offsets are in the same text)."""

    __slots__ = (
        "keyword", "keyword_raw", "keyword_start", "keyword_end", "line", "end_line", "logical", "flags",
        "args_text", "args_start", "args_end", "words", "value", "json", "heredocs", "comments", "pairs",
        "sub", "parent", "stage", "index", "run"
    )

    def __init__(
        self,
        start: int,
        end: int,
        keyword: str = "",
        keyword_raw: str = "",
        keyword_start: int = 0,
        keyword_end: int = 0,
        line: int = 0,
        end_line: int = 0,
        logical: LogicalLine | None = None,
        flags: list[Flag] | None = None,
        args_text: str = "",
        args_start: int = 0,
        args_end: int = 0,
        words: list[Word] | None = None,
        value: list[str] | None = None,
        json: bool = False,
        heredocs: list[Heredoc] | None = None,
        comments: list[Comment] | None = None,
        pairs: list[KeyValue] | None = None,
        sub: Instruction | None = None,
        parent: Instruction | None = None,
        stage: object = None,
        index: int = 0,
    ):
        self.start = start
        self.end = end
        self.keyword = keyword
        self.keyword_raw = keyword_raw
        self.keyword_start = keyword_start
        self.keyword_end = keyword_end
        self.line = line
        self.end_line = end_line
        self.logical = logical
        self.flags = [] if flags is None else flags
        self.args_text = args_text  # the arguments after the flags, as one string (BuildKit's "rest")
        self.args_start = args_start  # source offset where the arguments start
        self.args_end = args_end
        self.words = [] if words is None else words  # the arguments split as the instruction splits them
        self.value = [] if value is None else value
        self.json = json
        self.heredocs = [] if heredocs is None else heredocs
        self.comments = [] if comments is None else comments  # comment lines inside the continuation
        self.pairs = [] if pairs is None else pairs  # ENV, LABEL, ARG
        self.sub = sub  # ONBUILD's instruction
        self.parent = parent  # for the instruction inside ONBUILD
        self.stage = stage  # the Stage it belongs to (None for global ARGs before the first FROM)
        self.index = index  # position among the file's instructions
        self.run = None  # RUN: (the scripts it executes, their commands), computed once by parser.shell.run_model

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


class ParseError(Exception):
    """BuildKit would reject the file: ``message`` at 1-based ``line`` (reported as DL1000)."""

    __slots__ = ("message", "line", "end_line")

    def __init__(self, message: str, line: int, end_line: int = 0):
        self.message = message
        self.line = line
        self.end_line = end_line

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class Dockerfile:
    """A parsed Dockerfile. ``items`` tile the text: directives, comments, blanks and instructions in order."""

    __slots__ = (
        "source", "path", "escape", "directives", "items", "instructions", "comments", "stages",
        "global_args", "error", "warnings", "_stage_names"
    )

    def __init__(
        self,
        source: Source,
        path: str = 'Dockerfile',
        escape: str = '\\',
        directives: list[Directive] | None = None,
        items: list[Node] | None = None,
        instructions: list[Instruction] | None = None,
        comments: list[Comment] | None = None,
        stages: list | None = None,
        global_args: list[Instruction] | None = None,
        error: ParseError | None = None,
        warnings: list[str] | None = None,
    ):
        self.source = source
        self.path = path
        self.escape = escape
        self.directives = [] if directives is None else directives
        self.items = [] if items is None else items
        self.instructions = [] if instructions is None else instructions
        self.comments = [] if comments is None else comments  # every comment, top level and inside instructions
        self.stages = [] if stages is None else stages  # list[Stage], filled by stages.build_stages
        self.global_args = [] if global_args is None else global_args  # ARGs before the first FROM
        self.error = error  # set when BuildKit would reject the file
        self.warnings = [] if warnings is None else warnings
        self._stage_names: list | None = None  # (stages list, how many indexed, {lower name: first stage})

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
        """The first stage named ``name`` (compared without case, as BuildKit does), or None. The names are
        indexed as stages are added, so that a lookup per instruction keeps a file of thousands of stages linear."""
        index = self._stage_names
        if index is None or index[0] is not self.stages or index[1] > len(self.stages):
            index = self._stage_names = [self.stages, 0, {}]
        stages, done, names = index
        for s in stages[done:]:
            if s.name is not None:
                names.setdefault(s.name.lower(), s)
        index[1] = len(stages)
        return names.get(name.lower())
