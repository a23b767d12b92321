"""Edits on offsets: apply a set of non-overlapping edits to the original text, and choose which fixes of a pass
can be applied together.

Everything outside the edits is copied byte for byte: comments, blank lines, the final newline or its absence,
the escape character. One adjustment is made to the *inserted* text only: when the file's lines end with CRLF,
a bare ``\\n`` in an edit's text becomes ``\\r\\n``, so that a fix does not leave a file with mixed line endings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..engine.rule import Edit, Fix


class EditError(ValueError):
    """Edits that cannot be applied (overlapping, or outside the text)."""


def edit_path(edit: Edit) -> str | None:
    """The other file an edit is for (``Edit.path``, when the engine's Edit has it), else None: the Dockerfile."""
    return getattr(edit, "path", None) or None


def line_ending(text: str) -> str:
    """``\\r\\n`` when most of the text's line breaks are CRLF, else ``\\n``."""
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"


def _match_endings(insert: str, eol: str) -> str:
    if eol == "\n" or "\n" not in insert:
        return insert
    return insert.replace("\r\n", "\n").replace("\n", "\r\n")


def conflicts(a: Edit, b: Edit) -> bool:
    """Two edits conflict when their spans intersect, or when both start at the same offset (two insertions at
    one place, or an insertion at the start of a replacement: their order would be a guess)."""
    if a.start == b.start:
        return True
    return a.start < b.end and b.start < a.end


def apply_edits(text: str, edits: list[Edit]) -> str:
    """The text with every edit applied; the edits' offsets are on ``text`` and must not conflict."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    eol = line_ending(text)
    out: list[str] = []
    pos = 0
    prev: Edit | None = None
    for e in ordered:
        if e.start < 0 or e.end < e.start or e.end > len(text):
            raise EditError(f"edit [{e.start}, {e.end}) is outside the text (length {len(text)})")
        if prev is not None and conflicts(prev, e):
            raise EditError(f"edits [{prev.start}, {prev.end}) and [{e.start}, {e.end}) overlap")
        out.append(text[pos:e.start])
        out.append(_match_endings(e.text, eol))
        pos = e.end
        prev = e
    out.append(text[pos:])
    return "".join(out)


@dataclass
class Choice:
    """The fixes of one pass: ``accepted`` can be applied together; ``deferred`` overlap an accepted one and wait
    for the next pass (the text will have moved, and the rule will report them again if still needed);
    ``broken`` have edits that overlap each other or leave the text."""

    accepted: list = field(default_factory=list)
    deferred: list = field(default_factory=list)
    broken: list = field(default_factory=list)


def choose(items: list, text_length: int, fix_of=lambda item: item) -> Choice:
    """Pick non-overlapping fixes, first come first served by offset (the fix whose first edit comes first wins).
    ``items`` are anything ``fix_of`` turns into a ``Fix`` (findings, or fixes themselves). Only edits of the
    Dockerfile itself compete; edits of other files (``Edit.path``) are left to the caller."""
    choice = Choice()
    keyed = []
    for n, item in enumerate(items):
        fix: Fix = fix_of(item)
        own = [e for e in fix.edits if edit_path(e) is None]
        first = min((e.start for e in own), default=text_length)
        keyed.append((first, n, item, own))
    keyed.sort(key=lambda k: (k[0], k[1]))
    taken: list[Edit] = []
    for _, _, item, own in keyed:
        if not _well_formed(own, text_length):
            choice.broken.append(item)
        elif any(conflicts(e, t) for e in own for t in taken):
            choice.deferred.append(item)
        else:
            taken.extend(own)
            choice.accepted.append(item)
    return choice


def _well_formed(edits: list[Edit], text_length: int) -> bool:
    for i, e in enumerate(edits):
        if e.start < 0 or e.end < e.start or e.end > text_length:
            return False
        if any(conflicts(e, o) for o in edits[i + 1:]):
            return False
    return True
