"""A lossless Dockerfile parser that reads a file the way BuildKit's parser does.

BuildKit (moby/buildkit, frontend/dockerfile/parser) is the reference: which lines are comments, how line
continuations join, which comment lines inside a continuation are dropped, parser directives, heredocs, builder
flags, and the per-instruction argument rules (JSON or shell form, ENV/LABEL pairs, whitespace lists). The test
suite checks every file of the shared corpus against BuildKit itself (the ``dockerfile`` package on PyPI).

Unlike BuildKit, this parser keeps everything: every comment, blank line and byte of whitespace has a place in
the tree, and every instruction, flag, word and heredoc knows its exact offsets.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from .tree import (
    Blank,
    Comment,
    Directive,
    Dockerfile,
    Flag,
    Heredoc,
    Instruction,
    KeyValue,
    LogicalLine,
    ParseError,
    Source,
    Word,
)

# Go's regexp \s is [\t\n\f\r ]; Go's unicode.IsSpace is Python's isspace minus \x1c-\x1f.
_DIRECTIVE = re.compile(r"^#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*$")
_WS_SPLIT = re.compile(r"[\t\v\f\r ]+")
VALID_DIRECTIVES = ("escape", "syntax", "check")
HEREDOC_INSTRUCTIONS = ("ADD", "COPY", "RUN")
# Go's unicode.IsSpace: ASCII \t \n \v \f \r space, U+0085, U+00A0 and the White_Space characters above Latin-1
# (Python's isspace would also take \x1c-\x1f).
_GO_SPACES = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_GO_SPACE_SET = frozenset(_GO_SPACES)
_LEADING_SPACE = re.compile("[" + _GO_SPACES + "]*")


def _is_space(ch: str) -> bool:
    return ch in _GO_SPACE_SET


def _lstrip_len(s: str, i: int = 0, end: int | None = None) -> int:
    """Index of the first non-space character of ``s[i:end]`` (Go's TrimLeftFunc(unicode.IsSpace))."""
    return _LEADING_SPACE.match(s, i, len(s) if end is None else end).end()


def _rstrip_len(s: str, j: int) -> int:
    spaces = _GO_SPACE_SET
    while j > 0 and s[j - 1] in spaces:
        j -= 1
    return j


class _Escape:
    """The escape character and its line-continuation test."""

    def __init__(self, ch: str = "\\"):
        self.set(ch)

    def set(self, ch: str) -> None:
        self.ch = ch
        e = re.escape(ch)
        self.continuation = re.compile(r"([^" + e + r"])" + e + r"[ \t]*$|^" + e + r"[ \t]*$")

    def trim(self, s: str, lo: int, hi: int) -> tuple[int, bool]:
        """For the line ``s[lo:hi]``: the new end after removing a trailing continuation character, and whether
        the line ends the instruction (no continuation)."""
        m = self.continuation.search(s[lo:hi])
        if m is None:
            return hi, True
        if m.group(1) is not None:
            return lo + m.start() + 1, False
        return lo + m.start(), False


def parse(text: str, path: str = "Dockerfile") -> Dockerfile:
    """Parse Dockerfile text. Never raises on bad input: ``Dockerfile.error`` holds what BuildKit would reject,
    and the tree still holds every line (the rest of the file after the error as raw items)."""
    return _Parser(text, path).run()


MAX_LINE_BYTES = 65535  # bufio.MaxScanTokenSize - 1: BuildKit's longest line


class _Parser:
    def __init__(self, text: str, path: str):
        self.source = Source(text)
        self.text = text
        self.df = Dockerfile(source=self.source, path=path)
        starts = self.source.line_starts
        n = len(text)
        # physical lines: (start, end including newline); a final empty "line" after a trailing \n is not a line
        self.lines: list[tuple[int, int]] = []
        for k, s in enumerate(starts):
            e = starts[k + 1] if k + 1 < len(starts) else n
            if s == e and k == len(starts) - 1:
                break
            self.lines.append((s, e))
        self.escape = _Escape()
        self.directives_done = False
        self.seen_directives: set[str] = set()

    # -- line helpers ------------------------------------------------------------------------------------------
    def _content_end(self, s: int, e: int) -> int:
        """End of a line's content: trailing \\r and \\n removed (Go's TrimRight(line, "\\r\\n"))."""
        text = self.text
        while e > s and text[e - 1] in "\r\n":
            e -= 1
        return e

    def _directive(self, s: int, e: int, line_no: int) -> Directive | None:
        """BuildKit's possibleParserDirective on the processed line ``text[s:e]``."""
        if self.directives_done:
            return None
        m = _DIRECTIVE.match(self.text[s:e]) if e > s else None
        if m is None:
            self.directives_done = True
            return None
        key = m.group(1).lower()
        if key not in VALID_DIRECTIVES:
            self.directives_done = True
            return None
        if key in self.seen_directives:
            raise ParseError(f"only one {key} parser directive can be used", line_no)
        self.seen_directives.add(key)
        value = m.group(2)
        if key == "escape":
            if value not in ("`", "\\"):
                raise ParseError(f"invalid escape token '{value}' does not match ` or \\", line_no)
            self.escape.set(value)
            self.df.escape = value
        return Directive(start=s, end=e, line=line_no, name=key, value=value)

    # -- the main loop -----------------------------------------------------------------------------------------
    def run(self) -> Dockerfile:
        df = self.df
        try:
            self._parse_lines()
        except ParseError as err:
            df.error = err
            # keep the tree lossless: whatever was not consumed becomes one raw blank item
            covered = df.items[-1].end if df.items else 0
            if covered < len(self.text):
                df.items.append(Blank(start=covered, end=len(self.text)))
        long_line = self._first_long_line()
        if long_line is not None and (df.error is None or df.error.line >= long_line[0]):
            line_no, size = long_line
            df.error = ParseError(
                f"line too long ({size} bytes): BuildKit rejects lines longer than {MAX_LINE_BYTES} bytes", line_no)
        if df.error is None and not df.instructions:
            last = len(self.lines)
            df.error = ParseError("file with no instructions", max(last, 1))
        for i, ins in enumerate(df.instructions):
            ins.index = i
        from .stages import build_stages

        build_stages(df)
        return df

    def _first_long_line(self) -> tuple[int, int] | None:
        """(line, bytes) of the first line longer than BuildKit's scanner takes: Go's bufio.Scanner stops at a
        line of more than 65535 bytes (the \\n not counted, a \\r counted), whatever the line holds (a comment,
        a heredoc body), and BuildKit rejects the file."""
        text = self.text
        if len(text) <= MAX_LINE_BYTES // 4:
            return None
        for k, (s, e) in enumerate(self.lines):
            if text[e - 1 : e] == "\n":
                e -= 1
            if e - s > MAX_LINE_BYTES // 4:
                size = len(text[s:e].encode("utf-8", "surrogatepass"))
                if size > MAX_LINE_BYTES:
                    return k + 1, size
        return None

    def _parse_lines(self) -> None:
        df, text, lines = self.df, self.text, self.lines
        i = 0
        nlines = len(lines)
        while i < nlines:
            s, e = lines[i]
            line_no = i + 1
            cs = s
            if i == 0 and text.startswith("\ufeff"):
                cs = s + 1
            ce = self._content_end(cs, e)
            ls = _lstrip_len(text, cs, ce)
            directive = self._directive(ls, ce, line_no)
            if ls < ce and text[ls] == "#":
                # a comment line (or a directive): BuildKit drops it
                if directive is not None:
                    df.directives.append(directive)
                    directive.start, directive.end = s, e
                    df.items.append(directive)
                else:
                    c = Comment(start=s, end=e, line=line_no, text=text[ls + 1 : ce].strip())
                    df.comments.append(c)
                    df.items.append(c)
                i += 1
                continue
            end, eol = self.escape.trim(text, ls, ce)
            if eol and end == ls:
                df.items.append(Blank(start=s, end=e))
                i += 1
                continue
            i = self._instruction(i, ls, end, eol)

    def _instruction(self, i: int, first_start: int, first_end: int, eol: bool) -> int:
        """Read one instruction whose first physical line is ``lines[i]``; return the next line index."""
        df, text, lines = self.df, self.text, self.lines
        start_line = i + 1
        item_start = lines[i][0]
        segments: list[tuple[int, int, int]] = []
        parts: list[str] = []
        logical_len = 0

        def add(a: int, b: int) -> None:
            nonlocal logical_len
            if b > a:
                segments.append((logical_len, a, b - a))
                parts.append(text[a:b])
                logical_len += b - a

        add(first_start, first_end)
        inner_comments: list[Comment] = []
        i += 1
        while not eol and i < len(lines):
            s, e = lines[i]
            ce = self._content_end(s, e)
            line_no = i + 1
            # possibleParserDirective runs on every line until directives are done
            self._directive(s, ce, line_no)
            i += 1
            ls = _lstrip_len(text, s, ce)
            if ls < ce and text[ls] == "#":
                c = Comment(start=s, end=e, line=line_no, text=text[ls + 1 : ce].strip(), inside=True)
                inner_comments.append(c)
                df.comments.append(c)
                continue
            if ls >= ce:
                df.warnings.append(f"line {line_no}: empty continuation line")
                continue
            # BuildKit's trimComments on a continuation line removes it only when '#' is at column 1,
            # which isComment above already caught.
            end, eol = self.escape.trim(text, s, ce)
            add(s, end)
        end_line = i
        logical = LogicalLine("".join(parts), segments)
        ins = self._build(logical, start_line, end_line)
        ins.comments = inner_comments
        # heredocs
        target = ins.sub if ins.sub is not None else ins
        if target.keyword in HEREDOC_INSTRUCTIONS and not target.json:
            for doc in _heredocs_in(logical, start_line):
                doc.line = self.source.line_of(doc.start)
                i = self._read_heredoc(doc, i, start_line)
                target.heredocs.append(doc)
            end_line = i
            ins.end_line = end_line
            if ins.sub is not None:
                ins.sub.end_line = end_line
        item_end = lines[end_line - 1][1] if end_line >= 1 else len(text)
        ins.start, ins.end = item_start, item_end
        if ins.sub is not None:
            ins.sub.end = item_end
        df.items.append(ins)
        df.instructions.append(ins)
        return i

    def _read_heredoc(self, doc: Heredoc, i: int, start_line: int) -> int:
        text, lines = self.text, self.lines
        body_start = lines[i][0] if i < len(lines) else len(text)
        doc.body_start = body_start
        doc.body_line = i + 1
        while i < len(lines):
            s, e = lines[i]
            i += 1
            ce = self._content_end(s, e)
            cand = text[s:ce]
            if doc.chomp:
                cand = cand.lstrip("\t")
            if cand == doc.name:
                doc.body_end = s
                doc.terminator_start, doc.terminator_end = s, e
                doc.content = text[body_start:s]
                return i
        raise ParseError(f"unterminated heredoc <<{doc.name} (opened on line {doc.line})", start_line, i)

    # -- one instruction ---------------------------------------------------------------------------------------
    def _build(self, logical: LogicalLine, start_line: int, end_line: int, lo: int = 0) -> Instruction:
        """BuildKit's newNodeFromLine on ``logical.text[lo:]``."""
        line = logical.text
        n = len(line)
        a = _lstrip_len(line, lo)
        b = _rstrip_len(line, n)
        m = _WS_SPLIT.search(line, a, b)
        kw_end = m.start() if m else b
        keyword_raw = line[a:kw_end]
        ins = Instruction(start=0, end=0, keyword=keyword_raw.upper(), keyword_raw=keyword_raw)
        ins.keyword_start, ins.keyword_end = logical.span(a, kw_end)
        ins.line, ins.end_line, ins.logical = start_line, end_line, logical
        rest_start = m.end() if m else b
        flags, args_lo = _extract_flags(line, rest_start, b)
        for fs, fe, raw in flags:
            name, eq, value = raw[2:].partition("=")
            f_start, f_end = logical.span(fs, fe)
            ins.flags.append(Flag(start=f_start, end=f_end, name=name.lower(), value=value if eq else None, raw=raw))
        args_lo = _lstrip_len(line, args_lo)
        args_hi = max(_rstrip_len(line, b), args_lo)
        args = line[args_lo:args_hi]
        ins.args_text = args
        ins.args_start, ins.args_end = logical.span(args_lo, args_hi)
        if not m:
            ins.args_start = ins.args_end = ins.keyword_end
        _DISPATCH.get(ins.keyword, _parse_ignore)(ins, logical, args_lo, args_hi, self)
        return ins


# -- builder flags ---------------------------------------------------------------------------------------------
# BuildKit reads the builder flags and the HEALTHCHECK type word byte by byte: each byte of the UTF-8 text is taken
# as the character of that code (Go's ``rune(line[pos])``). So a byte 0x85 or 0xA0 inside a character (U+00A0,
# U+2005, U+2028...) ends a word as a space would, U+3000 does not, and a flag's non-ASCII characters come out as
# their bytes read as Latin-1 (``--chown=\u00e9`` gives ``--chown=\u00c3\u00a9``). Where BuildKit cuts inside a
# character (and would leave invalid UTF-8), the offsets here move to the end of that character.
_BYTE_SPACES = frozenset("\t\n\v\f\r \x85\xa0")  # Go's unicode.IsSpace below U+0100


class _Bytes:
    """``line[lo:hi]`` as BuildKit's bytewise loops see it: ``text`` holds one character per UTF-8 byte; ``char``
    maps a byte offset back to an offset in ``line``."""

    def __init__(self, line: str, lo: int, hi: int):
        seg = line[lo:hi]
        self.lo = lo
        if seg.isascii():
            self.text, self.starts = seg, None
            return
        self.text = seg.encode("utf-8", "surrogatepass").decode("latin-1")
        starts, pos = [], 0
        for ch in seg:
            starts.append(pos)
            pos += 1 if ch < "\x80" else len(ch.encode("utf-8", "surrogatepass"))
        self.starts = starts

    def char(self, pos: int) -> int:
        if self.starts is None:
            return self.lo + pos
        return self.lo + bisect_left(self.starts, pos)


def _extract_flags(line: str, lo: int, hi: int) -> tuple[list[tuple[int, int, str]], int]:
    """BuildKit's extractBuilderFlags: leading ``--words`` (quotes and backslashes resolved) and where the rest
    starts. Returns ``[(start, end, raw)]`` logical spans."""
    seg = _Bytes(line, lo, hi)
    b, n = seg.text, len(seg.text)
    words: list[tuple[int, int, str]] = []
    pos = 0
    while True:
        while pos < n and b[pos] in _BYTE_SPACES:
            pos += 1
        if pos >= n:
            return words, hi
        if not (b[pos] == "-" and pos + 1 < n and b[pos + 1] == "-"):
            return words, seg.char(pos)
        wstart = pos
        buf: list[str] = []
        blank_ok = False
        quote = ""
        in_quote = False
        while pos < n:
            ch = b[pos]
            if in_quote:
                if ch == quote:
                    in_quote = False
                elif ch == "\\":
                    if pos + 1 == n:
                        in_quote = False
                    else:
                        pos += 1
                        buf.append(b[pos])
                else:
                    buf.append(ch)
                pos += 1
                continue
            if ch in _BYTE_SPACES:
                break
            if ch in "'\"":
                quote, in_quote, blank_ok = ch, True, True
            elif ch == "\\":
                if pos + 1 < n:
                    pos += 1
                    buf.append(b[pos])
            else:
                buf.append(ch)
            pos += 1
        word = "".join(buf)
        if word == "--":
            return words, seg.char(pos)
        if blank_ok or word:
            words.append((seg.char(wstart), seg.char(pos), word))


# -- per-instruction argument rules ----------------------------------------------------------------------------
def _words_ws(ins: Instruction, logical: LogicalLine, lo: int, hi: int) -> list[str]:
    """parseStringsWhitespaceDelimited: split on [\\t\\v\\f\\r ]+ (an empty rest gives nothing)."""
    line = logical.text
    if hi <= lo:
        return []
    values: list[str] = []
    pos = lo
    for m in _WS_SPLIT.finditer(line, lo, hi):
        values.append(line[pos : m.start()])
        _add_word(ins, logical, pos, m.start(), line[pos : m.start()])
        pos = m.end()
    values.append(line[pos:hi])
    _add_word(ins, logical, pos, hi, line[pos:hi])
    return values


def _add_word(ins: Instruction, logical: LogicalLine, a: int, b: int, text: str, raw: str | None = None) -> None:
    s, e = logical.span(a, b)
    ins.words.append(Word(start=s, end=e, text=text, raw=logical.text[a:b] if raw is None else raw))


class _NotStringArray(Exception):
    pass


def _reject_constant(name: str):
    raise ValueError(name)


@lru_cache(maxsize=None)
def _decoders():
    """(BuildKit's strict JSON decoder, a plain one), made when a file first has a JSON-form instruction (json is
    imported then: start-up time)."""
    import json

    return json.JSONDecoder(parse_constant=_reject_constant), json.JSONDecoder()


def _parse_json(ins: Instruction, logical: LogicalLine, lo: int, hi: int) -> list[str] | None:
    """parseJSON: a JSON array of strings, or None when the text is not a JSON array. Raises _NotStringArray
    for an array with a non-string element (BuildKit rejects the file)."""
    line = logical.text
    lo = _lstrip_len(line, lo)
    if lo >= hi or line[lo] != "[":
        return None
    try:
        # BuildKit decodes the first JSON value and ignores what follows it (json.Decoder.Decode)
        data, _ = _decoders()[0].raw_decode(line[lo:hi])
    except ValueError:
        return None
    except RecursionError:  # nested deeper than Python's decoder goes: Go's goes to 10,000
        if _deep_json_is_valid(line, lo, hi):
            raise _NotStringArray() from None  # an array holding an array: not strings only
        return None
    if not isinstance(data, list):
        return None
    for item in data:
        if not isinstance(item, str):
            raise _NotStringArray()
    _json_word_spans(ins, logical, lo, hi, data)
    return data


_JSON_TOKEN = re.compile(
    r'''[ \t\n\r]*(?:(?P<open>[\[{])|(?P<close>[\]}])|(?P<comma>,)|(?P<colon>:)'''
    r'''|(?P<string>"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*")'''
    r'''|(?P<scalar>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null))''')
_GO_JSON_MAX_DEPTH = 10000


def _deep_json_is_valid(line: str, lo: int, hi: int) -> bool:
    """Whether ``line[lo:hi]`` starts with one valid JSON value no deeper than Go's decoder takes (10,000), read
    without recursion (only for values too deep for Python's decoder)."""
    stack: list[str] = []  # "[" or "{" of each open container
    expect = "value"  # value, value-or-close, comma-or-close, key, key-or-close, colon
    pos = lo
    while pos < hi:
        m = _JSON_TOKEN.match(line, pos, hi)
        if m is None:
            return False
        pos = m.end()
        kind = m.lastgroup
        if kind == "open" and expect in ("value", "value-or-close"):
            stack.append(m.group("open"))
            if len(stack) > _GO_JSON_MAX_DEPTH:
                return False
            expect = "value-or-close" if m.group("open") == "[" else "key-or-close"
            continue
        if kind == "close":
            bracket = m.group("close")
            empty = "value-or-close" if bracket == "]" else "key-or-close"  # right after the opening bracket
            if not stack or expect not in ("comma-or-close", empty):
                return False
            if stack.pop() != ("[" if bracket == "]" else "{"):
                return False
        elif kind in ("string", "scalar") and expect in ("value", "value-or-close"):
            pass
        elif kind == "string" and expect in ("key", "key-or-close"):
            expect = "colon"
            continue
        elif kind == "colon" and expect == "colon":
            expect = "value"
            continue
        elif kind == "comma" and expect == "comma-or-close":
            expect = "value" if stack[-1] == "[" else "key"
            continue
        else:
            return False
        if not stack:
            return True  # the first value is complete; what follows is ignored, as Go's Decoder does
        expect = "comma-or-close"
    return False


def _json_word_spans(ins: Instruction, logical: LogicalLine, lo: int, hi: int, data: list[str]) -> None:
    """Record the position of each string literal of a JSON array."""
    line = logical.text
    pos = lo
    dec = _decoders()[1]
    for item in data:
        q = line.find('"', pos, hi)
        if q < 0:
            break
        try:
            _, end = dec.raw_decode(line, q)
        except ValueError:
            break
        _add_word(ins, logical, q, end, item)
        pos = end


def _parse_maybe_json(ins: Instruction, logical: LogicalLine, lo: int, hi: int, parser=None) -> None:
    if hi <= lo:
        return
    data = _parse_json(ins, logical, lo, hi)
    if data is not None:
        ins.value, ins.json = data, True
        return
    ins.value = [logical.text[lo:hi]]
    _add_word(ins, logical, lo, hi, logical.text[lo:hi])


def _parse_maybe_json_to_list(ins: Instruction, logical: LogicalLine, lo: int, hi: int, parser=None) -> None:
    data = _parse_json(ins, logical, lo, hi)
    if data is not None:
        ins.value, ins.json = data, True
        return
    ins.value = _words_ws(ins, logical, lo, hi)


def _parse_ws(ins: Instruction, logical: LogicalLine, lo: int, hi: int, parser=None) -> None:
    ins.value = _words_ws(ins, logical, lo, hi)


def _parse_string(ins: Instruction, logical: LogicalLine, lo: int, hi: int, parser=None) -> None:
    if hi > lo:
        ins.value = [logical.text[lo:hi]]
        _add_word(ins, logical, lo, hi, logical.text[lo:hi])


def _parse_ignore(ins: Instruction, logical: LogicalLine, lo: int, hi: int, parser=None) -> None:
    ins.value = [""]


def _parse_words(line: str, lo: int, hi: int, escape: str) -> list[tuple[int, int, str]]:
    """BuildKit's parseWords: space-separated words, quotes kept, escape token handling. Returns
    ``[(start, end, word)]``."""
    words: list[tuple[int, int, str]] = []
    pos = lo
    while pos < hi:
        while pos < hi and _is_space(line[pos]):
            pos += 1
        if pos >= hi:
            break
        wstart = pos
        buf: list[str] = []
        blank_ok = False
        quote = ""
        in_quote = False
        while pos < hi:
            ch = line[pos]
            if not in_quote:
                if _is_space(ch):
                    break
                if ch in "'\"":
                    quote, blank_ok, in_quote = ch, True, True
                    buf.append(ch)
                    pos += 1
                    continue
                if ch == escape:
                    if pos + 1 == hi:
                        pos += 1
                        continue
                    buf.append(ch)
                    pos += 1
                    ch = line[pos]
                buf.append(ch)
                pos += 1
                continue
            # in quote
            if ch == quote:
                in_quote = False
            elif ch == escape and quote != "'":
                if pos + 1 == hi:
                    in_quote = False
                    pos += 1
                    continue
                buf.append(ch)
                pos += 1
                ch = line[pos]
            buf.append(ch)
            pos += 1
        if blank_ok or buf:
            words.append((wstart, pos, "".join(buf)))
    return words


def _unquote(value: str, escape: str = "\\") -> str:
    """Remove shell-style quotes and escapes from an ENV/LABEL/ARG value, as the builder does."""
    out: list[str] = []
    i, n = 0, len(value)
    quote = ""
    while i < n:
        ch = value[i]
        if quote:
            if ch == quote:
                quote = ""
            elif ch == escape and quote == '"' and i + 1 < n:
                i += 1
                out.append(value[i])
            else:
                out.append(ch)
        elif ch in "'\"":
            quote = ch
        elif ch == escape and i + 1 < n:
            i += 1
            out.append(value[i])
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _parse_name_val(ins: Instruction, logical: LogicalLine, lo: int, hi: int, parser) -> None:
    """parseNameVal (ENV, LABEL): ``key=value ...`` or the old ``KEY value`` form."""
    line = logical.text
    esc = parser.escape.ch
    words = _parse_words(line, lo, hi, esc)
    if not words:
        return
    if "=" not in words[0][2]:
        m = _WS_SPLIT.search(line, lo, hi)
        if m is None:
            raise ParseError(f"{ins.keyword} must have two arguments", ins.line, ins.end_line)
        key, value = line[lo : m.start()], line[m.end() : hi]
        ins.value = [key, value]
        _add_pair(ins, logical, lo, m.start(), m.end(), hi, esc)
        return
    values: list[str] = []
    for ws, we, word in words:
        if "=" not in word:
            raise ParseError(
                f'Syntax error - can\'t find = in "{word}". Must be of the form: name=value', ins.line, ins.end_line
            )
        key, _, value = word.partition("=")
        values += [key, value]
        # the key ends at the first '=' of the word as written
        eq = line.find("=", ws, we)
        _add_pair(ins, logical, ws, eq, eq + 1, we, esc, key=key, value_raw=value)
    ins.value = values


def _add_pair(ins, logical, ks, ke, vs, ve, esc, key=None, value_raw=None) -> None:
    line = logical.text
    key = line[ks:ke] if key is None else key
    value_raw = line[vs:ve] if value_raw is None else value_raw
    s, e = logical.span(ks, ve)
    kss, kse = logical.span(ks, ke)
    vss, vse = logical.span(vs, ve)
    ins.pairs.append(
        KeyValue(
            start=s, end=e, key=_unquote(key, esc), key_raw=key, value=_unquote(value_raw, esc), value_raw=value_raw,
            key_start=kss, key_end=kse, value_start=vss, value_end=vse,
        )
    )


def _parse_arg(ins: Instruction, logical: LogicalLine, lo: int, hi: int, parser) -> None:
    """parseNameOrNameVal (ARG): words, each ``name`` or ``name=value``."""
    line = logical.text
    esc = parser.escape.ch
    words = _parse_words(line, lo, hi, esc)
    ins.value = [w for _, _, w in words]
    for ws, we, word in words:
        _add_word(ins, logical, ws, we, word)
        key, eq, value = word.partition("=")
        if eq:
            e = line.find("=", ws, we)
            _add_pair(ins, logical, ws, e, e + 1, we, esc, key=key, value_raw=value)
        else:
            s2, e2 = logical.span(ws, we)
            ins.pairs.append(KeyValue(start=s2, end=e2, key=_unquote(key, esc), key_raw=key, key_start=s2, key_end=e2,
                                      value_start=e2, value_end=e2))


def _parse_health(ins: Instruction, logical: LogicalLine, lo: int, hi: int, parser=None) -> None:
    """parseHealthConfig: a type word (CMD / NONE) then maybe-JSON."""
    line = logical.text
    seg = _Bytes(line, lo, hi)  # bytewise, as the flags
    b, n = seg.text, len(seg.text)
    k = 0
    while k < n and b[k] not in _BYTE_SPACES:
        k += 1
    sep = seg.char(k)
    while k < n and b[k] in _BYTE_SPACES:
        k += 1
    nxt = seg.char(k)
    if sep == lo:
        return
    ins.value = [line[lo:sep]]
    _add_word(ins, logical, lo, sep, line[lo:sep])
    if nxt < hi:
        data = _parse_json(ins, logical, nxt, hi)
        if data is not None:
            ins.value += data
            ins.json = True
        else:
            ins.value.append(line[nxt:hi])
            _add_word(ins, logical, nxt, hi, line[nxt:hi])


def _parse_onbuild(ins: Instruction, logical: LogicalLine, lo: int, hi: int, parser) -> None:
    if hi <= lo:
        return
    sub = parser._build(logical, ins.line, ins.end_line, lo)
    sub.parent = ins
    ins.sub = sub
    ins.value, ins.json = sub.value, sub.json
    if sub.keyword == "ONBUILD" and sub.sub is not None:  # ONBUILD ONBUILD X: BuildKit's inner node has no value
        ins.value, ins.json = [""], False


def _wrap_json_errors(fn):
    def run(ins, logical, lo, hi, parser=None):
        try:
            fn(ins, logical, lo, hi, parser)
        except _NotStringArray:
            raise ParseError(
                "when using JSON array syntax, arrays must be comprised of strings only", ins.line, ins.end_line
            ) from None

    return run


_DISPATCH = {
    "ADD": _wrap_json_errors(_parse_maybe_json_to_list),
    "ARG": _parse_arg,
    "CMD": _wrap_json_errors(_parse_maybe_json),
    "COPY": _wrap_json_errors(_parse_maybe_json_to_list),
    "ENTRYPOINT": _wrap_json_errors(_parse_maybe_json),
    "ENV": _parse_name_val,
    "EXPOSE": _parse_ws,
    "FROM": _parse_ws,
    "HEALTHCHECK": _wrap_json_errors(_parse_health),
    "LABEL": _parse_name_val,
    "MAINTAINER": _parse_string,
    "ONBUILD": _parse_onbuild,
    "RUN": _wrap_json_errors(_parse_maybe_json),
    "SHELL": _wrap_json_errors(_parse_maybe_json),
    "STOPSIGNAL": _parse_string,
    "USER": _parse_string,
    "VOLUME": _wrap_json_errors(_parse_maybe_json_to_list),
    "WORKDIR": _parse_string,
}
INSTRUCTIONS = tuple(sorted(_DISPATCH))


# -- heredocs ---------------------------------------------------------------------------------------------------
# BuildKit finds heredocs with its shell lexer (frontend/dockerfile/shell, ``NewLex('\\')`` whatever the file's
# escape character, no variables set and ``SkipUnsetEnv``): the logical line is split into words with quotes and
# escapes kept (a line the lexer fails on, such as one with an unclosed ``${``, has no heredocs at all), each word
# matching ``^(\d*)<<(-?)([^<]*)$`` is a candidate, and its rest is lexed again, once with quotes removed (it must
# give exactly one word, the name: ``<<''`` gives none and is no heredoc) and once with quotes kept (a quote in
# one but not the other makes the body unexpanded). A lexer error on the rest fails the whole file.
_HEREDOC_WORD = re.compile(r"([0-9]*)<<(-?)([^<]*)", re.S)
_SPECIAL_PARAMS = frozenset("@*#?-$!0")


class _LexError(Exception):
    pass


class _Words:
    """Words as the lexer builds them, each with the source span it came from: a space ends a word, a quoted
    part (even an empty one) joins the word it is in."""

    __slots__ = ("out", "chars", "in_word", "start", "end")

    def __init__(self):
        self.out: list[tuple[int, int, str]] = []
        self.chars: list[str] = []
        self.in_word = False
        self.start = self.end = 0

    def raw(self, text: str, a: int, b: int) -> None:
        if not self.in_word:
            self.start = a
        self.chars.append(text)
        self.in_word = True
        self.end = b

    def char(self, ch: str, a: int, b: int) -> None:
        if not _is_space(ch):
            self.raw(ch, a, b)
        elif self.in_word and any(self.chars):  # an empty quoted part alone does not end a word
            self.flush()

    def expansion(self, text: str, a: int, b: int) -> None:
        """A ``$`` expansion: split on the spaces it holds (offsets inside it map one to one when it is as
        long as the source it came from)."""
        exact = len(text) == b - a
        for k, ch in enumerate(text):
            self.char(ch, a + k if exact else a, a + k + 1 if exact else b)

    def flush(self) -> None:
        word = "".join(self.chars)
        if word:
            self.out.append((self.start, self.end, word))
        self.chars = []
        self.in_word = False

    def done(self) -> list[tuple[int, int, str]]:
        self.flush()
        return self.out


def _lex(text: str, raw_quotes: bool, raw_escapes: bool) -> list[tuple[int, int, str]]:
    """BuildKit's shell lexer over ``text`` with no variables set: the words with their spans, or ``_LexError``.

    BuildKit's lexer recurses into every ``${name<op>word}`` and ``"..."``; here a stack of open parts does, so
    that ``${a:-${a:-...}}`` thousands deep is read like any other line. A part is ``[kind, pieces, prefix,
    start]``: ``top`` (the line, to its end), ``sub`` (the word of ``${name<op>``, to ``}``; ``prefix`` is
    ``${name<op>``) or ``dq`` (a double-quoted string, to ``"``)."""
    s, n = text, len(text)
    i = 1 if text.startswith("\ufeff") else 0  # Go's text/scanner skips a leading BOM
    words = _Words()
    stack: list[list] = [["top", [], "", 0]]

    def deliver(piece: str, a: int, b: int, quoted: bool) -> None:
        """A finished ``$`` expansion or quoted string joins the part it is in (and, at the top, the words)."""
        top = stack[-1]
        top[1].append(piece)
        if top[0] == "top":
            (words.raw if quoted else words.expansion)(piece, a, b)

    try:
        while True:
            kind, pieces = stack[-1][0], stack[-1][1]
            if i >= n:
                if kind == "top":
                    return words.done()
                if kind == "dq":
                    raise _LexError("unexpected end of statement while looking for matching double-quote")
                raise _LexError("unexpected end of statement while looking for matching }")
            ch = s[i]
            if kind == "sub" and ch == "}":
                i += 1
                _, pieces, prefix, start = stack.pop()
                deliver(prefix + "".join(pieces) + "}", start, i, quoted=False)
                continue
            if kind == "dq" and ch == '"':
                i += 1
                _, pieces, _, start = stack.pop()
                deliver("".join(pieces) + ('"' if raw_quotes else ""), start, i, quoted=True)
                continue
            if ch == "$":
                i = _lex_dollar(s, i, stack, deliver)
                continue
            if kind == "dq":  # inside "...": a backslash escapes only ", $ and itself (and stays when kept raw)
                i += 1
                if ch == "\\":
                    if raw_escapes:
                        pieces.append(ch)
                    if i < n and s[i] in '"$\\':
                        ch = s[i]
                        i += 1
                pieces.append(ch)
                continue
            if ch == "'":  # every character as it is, to the next '
                close = s.find("'", i + 1)
                if close < 0:
                    i = n
                    raise _LexError("unexpected end of statement while looking for matching single-quote")
                a, i = i, close + 1
                deliver(s[a:i] if raw_quotes else s[a + 1 : close], a, i, quoted=True)
                continue
            if ch == '"':
                stack.append(["dq", ['"'] if raw_quotes else [], "", i])
                i += 1
                continue
            a = i
            i += 1
            if ch == "\\":
                if raw_escapes:
                    pieces.append(ch)
                    if kind == "top":
                        words.raw(ch, a, i)
                if i >= n:
                    continue  # a backslash at the end: the line ends (a part still open fails above)
                ch = s[i]
                i += 1
                if kind == "top":
                    words.raw(ch, a, i)
            elif kind == "top":
                words.char(ch, a, i)
            pieces.append(ch)
    except _LexError:
        # an error inside ${...} at the end of the text is BuildKit's "missing '}'"
        if i >= n and any(part[0] == "sub" for part in stack):
            raise _LexError("syntax error: missing '}'") from None
        raise


def _lex_dollar(s: str, i: int, stack: list[list], deliver) -> int:
    """``$name``, ``${name}`` (kept as written: no variable is set) or the start of ``${name<op>word}`` (a ``sub``
    part pushed on the stack); BuildKit's errors. Returns the position after what was read."""
    n, a = len(s), i
    i += 1
    if i >= n or s[i] != "{":
        i = _name_end(s, i)
        deliver("$" + s[a + 1 : i], a, i, quoted=False)
        return i
    i += 1
    if i >= n:
        raise _LexError("syntax error: missing '}'")
    if s[i] in "{}:":
        raise _LexError("syntax error: bad substitution")
    name_start, i = i, _name_end(s, i)
    name = s[name_start:i]
    op = s[i] if i < n else ""
    i += 1 if op else 0
    if op == "}":
        deliver("${" + name + "}", a, i, quoted=False)
        return i
    if op == ":":  # the next character, whatever it is, is part of the operator (Go's fallthrough)
        op += s[i] if i < n else "\ufffd"  # Go's string(scanner.EOF)
        i += 1 if i < n else 0
    elif op not in ("+", "-", "?"):
        raise _LexError(f"unsupported modifier ({op or chr(0xfffd)}) in substitution")
    stack.append(["sub", [], "${" + name + op, a])
    return i


def _name_end(s: str, i: int) -> int:
    """The end of a variable name at ``i``: a run of digits, one special parameter, or letters, digits and ``_``."""
    n = len(s)
    if i >= n:
        return i
    if s[i].isdecimal():
        while i < n and s[i].isdecimal():
            i += 1
        return i
    if s[i] in _SPECIAL_PARAMS:
        return i + 1
    while i < n and (s[i].isalpha() or s[i].isdecimal() or s[i] == "_"):
        i += 1
    return i


def _heredoc_of_word(word: str) -> tuple[int, bool, str, bool] | None:
    """BuildKit's ParseHeredoc: (fd, chomp, name, expand) of a heredoc word, None when it is no heredoc;
    ``_LexError`` when its rest does not lex."""
    m = _HEREDOC_WORD.fullmatch(word)
    if m is None or not m.group(3):
        return None
    rest = m.group(3)
    try:
        names = _lex(rest, raw_quotes=False, raw_escapes=False)
        if len(names) != 1:
            return None
        raws = _lex(rest, raw_quotes=True, raw_escapes=False)
    except _LexError as err:
        import json  # only for this error's message (start-up time)

        raise _LexError(f"failed to process {json.dumps(rest, ensure_ascii=False)}: {err}") from None
    if len(raws) != 1:
        raise _LexError(f"internal lexing of heredoc produced inconsistent results: {rest}")
    name, raw = names[0][2], raws[0][2]
    expand = name.count("'") + name.count('"') == raw.count("'") + raw.count('"')
    return int(m.group(1) or 0), m.group(2) == "-", name, expand


def _heredocs_in(logical: LogicalLine, line: int) -> list[Heredoc]:
    """The heredocs BuildKit opens on a logical line (``line`` is where the instruction starts, for errors)."""
    if "<<" not in logical.text:  # no heredoc word can be there: skip the lexer (a third of parse time)
        return []
    try:
        words = _lex(logical.text, raw_quotes=True, raw_escapes=True)
    except _LexError:  # BuildKit ignores the lexer's error here: the line has no heredocs
        return []
    docs: list[Heredoc] = []
    for ws, we, word in words:
        try:
            found = _heredoc_of_word(word)
        except _LexError as err:
            raise ParseError(str(err), line) from None
        if found is None:
            continue
        fd, chomp, name, expand = found
        s, e = logical.span(ws, we)
        docs.append(Heredoc(start=s, end=e, name=name, fd=fd, chomp=chomp, expand=expand))
    return docs
