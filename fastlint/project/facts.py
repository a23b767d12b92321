"""What every answer of ``fastlint.project`` carries: the value and where it was read (file and line), so that a
rule or the migration can cite it ("package.json:14", "docker-compose.yml:9")."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Fact(Generic[T]):
    """A value read from the service's files. ``file`` is relative to the service folder ("" when the value is
    fastlint's own default or table), ``line`` is 1-based (0: the file as a whole), ``how`` says in a few words
    how it was read ("EXPOSE", "scripts.build", "process.env.PORT || N")."""

    value: T
    file: str = ""
    line: int = 0
    how: str = ""

    @property
    def where(self) -> str:
        """``file:line`` (or ``file``, or ``how`` for fastlint's own defaults) for messages."""
        if not self.file:
            return self.how or "fastlint's default"
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        return f"{self.value} ({self.where})"


def line_of(text: str, offset: int) -> int:
    """The 1-based line of a character offset."""
    return text.count("\n", 0, max(0, offset)) + 1


def json_key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line of every object key of a JSON text, by its path (``("dependencies", "express")``). A small scanner
    (no second parse): strings, objects and arrays; array items take their index as a path part."""
    lines: dict[tuple[str, ...], int] = {}
    stack: list[list] = []  # [kind, path, pending key or index]
    i, n, line = 0, len(text), 1
    path: tuple[str, ...] = ()
    expect_key = False
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
        elif ch == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            raw = text[i:j + 1]
            if expect_key:
                try:
                    key = json.loads(raw)
                except ValueError:
                    key = raw.strip('"')
                stack[-1][2] = key
                lines.setdefault(path + (key,), line)
                expect_key = False
            line += raw.count("\n")
            i = j
        elif ch in "{[":
            if stack:
                parent = stack[-1]
                path = path + (str(parent[2]),) if parent[2] is not None else path
            stack.append(["{" if ch == "{" else "[", path, None if ch == "{" else 0])
            expect_key = ch == "{"
        elif ch in "}]":
            if stack:
                stack.pop()
            path = stack[-1][1] if stack else ()
            expect_key = False
        elif ch == ",":
            if stack and stack[-1][0] == "{":
                expect_key = True
            elif stack:
                stack[-1][2] += 1
        i += 1
    return lines


def read_json(path) -> tuple[object, str] | tuple[None, str]:
    """(parsed JSON or None when it cannot be read or parsed, the text)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None, ""
    try:
        return json.loads(text), text
    except ValueError:
        return None, text
