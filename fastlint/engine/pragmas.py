"""Inline pragmas, read from the comments of the syntax tree.

* ``# fastlint: ignore=FL401,DL3008`` / ``# hadolint ignore=DL3008``: on the comment lines directly above an
  instruction, turn those rules off for that instruction (all its lines).
* ``# fastlint: global ignore=FL404`` / ``# hadolint global ignore=DL3008``: anywhere, for the whole file.
* ``# fastlint: service=fast-validation-service``: the service the file belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..parser.tree import Dockerfile

_PRAGMA = re.compile(
    r"^(?:fastlint:?|hadolint)\s+(global\s+)?(ignore|service|shell)\s*=\s*(.*?)\s*$", re.IGNORECASE
)


@dataclass
class Pragmas:
    global_ignore: list[str] = field(default_factory=list)
    # (first offset, last offset, codes) of each instruction with an ignore pragma above it
    spans: list[tuple[int, int, list[str]]] = field(default_factory=list)
    service: str | None = None
    shell: str | None = None


def _codes(value: str) -> list[str]:
    return [c.strip().upper() for c in re.split(r"[,\s]+", value) if c.strip()]


def read_pragmas(df: Dockerfile) -> Pragmas:
    result = Pragmas()
    pending: dict[int, list[str]] = {}  # line -> codes of a pragma comment on that line
    for c in df.comments:
        m = _PRAGMA.match(c.text)
        if not m:
            continue
        is_global, kind, value = m.group(1), m.group(2).lower(), m.group(3)
        if kind == "service":
            result.service = value.split()[0] if value else None
        elif kind == "shell":
            result.shell = value
        elif is_global:
            result.global_ignore += _codes(value)
        elif not c.inside:
            pending[c.line] = _codes(value)
    if pending:
        comment_lines = {c.line for c in df.comments if not c.inside}
        for ins in df.instructions:
            codes: list[str] = []
            line = ins.line - 1
            while line in comment_lines:  # the block of comment lines directly above the instruction
                codes += pending.get(line, [])
                line -= 1
            if codes:
                result.spans.append((ins.start, ins.end, codes))
    return result


def suppressed(code: str, offset: int, line_file: bool, pragmas: Pragmas) -> bool:
    """True when a pragma turns ``code`` off at ``offset`` (only global pragmas apply to other files' lines)."""
    from .registry import matches

    if matches(code, pragmas.global_ignore):
        return True
    if line_file:
        return False
    for start, end, codes in pragmas.spans:
        if start <= offset < end and matches(code, codes):
            return True
    return False
