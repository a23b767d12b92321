"""Positions: Python string offsets (code points, what fastlint's offsets are) to LSP positions and back.

LSP counts lines split at ``\\n``, ``\\r\\n`` or ``\\r`` (nothing else: not Python's ``splitlines``, which also
splits at form feeds and U+2028) and characters in the code units of the position encoding agreed at
``initialize``: UTF-16 unless the client offers another one. fastlint's Dockerfile findings carry offsets (its
lines split at ``\\n`` only, as BuildKit's); a YAML file's findings carry 1-based lines and columns in code points.
"""

from __future__ import annotations

import bisect
import re

_BREAK = re.compile(r"\r\n|\r|\n")


def units(text: str, encoding: str = "utf-16") -> int:
    """How many code units ``text`` is in the encoding (``utf-16``, ``utf-8`` or ``utf-32``)."""
    if encoding == "utf-32" or text.isascii():
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class LineIndex:
    """The lines of a text as LSP counts them, for turning offsets into positions and back."""

    def __init__(self, text: str, encoding: str = "utf-16"):
        self.text = text
        self.encoding = encoding
        self.starts = [0] + [m.end() for m in _BREAK.finditer(text)]

    def line_end(self, line: int) -> int:
        """The offset where a line's text ends (before its line break)."""
        if line + 1 < len(self.starts):
            end = self.starts[line + 1]
            return end - 2 if self.text.startswith("\r\n", end - 2) else end - 1
        return len(self.text)

    def position(self, offset: int) -> tuple[int, int]:
        """(line, character) of an offset, 0-based, the character in code units."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        offset = min(offset, self.line_end(line))  # inside a line break: its line's end
        return line, units(self.text[self.starts[line]:offset], self.encoding)

    def offset(self, line: int, character: int) -> int:
        """The offset of a position (past a line's end: the line's end; past the last line: the text's end)."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[line], self.line_end(line)
        if self.encoding == "utf-32" or self.text[start:end].isascii():
            return min(start + max(character, 0), end)
        count, i = 0, start
        while i < end and count < character:
            count += units(self.text[i], self.encoding)
            i += 1
        return i

    def at_line_col(self, line: int, column: int) -> tuple[int, int]:
        """The position of a 1-based line and column counted in code points (a YAML file's findings)."""
        if line < 1:
            return 0, 0
        line0 = min(line - 1, len(self.starts) - 1)
        start = self.starts[line0]
        offset = min(start + max(column - 1, 0), self.line_end(line0))
        return self.position(offset)
