"""Inline pragmas, read from the comments of the syntax tree.

* ``# fastlint: ignore=FL401,DL3008`` / ``# hadolint ignore=DL3008``: on the comment lines directly above an
  instruction, turn those rules off for that instruction (all its lines).
* ``# fastlint: global ignore=FL404`` / ``# hadolint global ignore=DL3008``: anywhere, for the whole file.
* ``# fastlint: stage ignore=DL3011`` / ``# hadolint stage ignore=DL3011``: for the stage of the next FROM (its
  FROM line included), or for the rest of the current stage when no FROM follows.
* As in hadolint, a ``# comment`` may follow the list, and a list with anything that is not a rule ID (or a
  prefix such as ``DL30``) is not a pragma at all: ``ignore=crazy,DL3002`` ignores nothing.
* ``# fastlint: service=fast-validation-service``: the service the file belongs to.
* ``# fastlint: shell=powershell`` / ``# hadolint shell=powershell``: the shell of the RUNs that follow
  (ShellCheck skips a shell it does not know).

``parse_pragma`` is the one grammar of a pragma comment: the Dockerfile engine, the YAML files' engine
(``manifests.py``), DL1001, ShellCheck's shell pragma and the migration all read pragmas with it; the rule IDs in
an ignore list follow ``fastlint.engine.ids``.
"""

from __future__ import annotations

import re

from ..parser.tree import Dockerfile
from .ids import matches, parse_list

_PRAGMA = re.compile(
    r"^(?:fastlint:?|hadolint)\s+(global\s+|stage\s+)?(ignore|service|shell)\s*=\s*(.*?)\s*$", re.IGNORECASE
)


class Pragmas:

    def __init__(
        self,
        global_ignore: list[str] | None = None,
        spans: list[tuple[int, int, list[str]]] | None = None,
        stage_spans: list[tuple[int, int, list[str]]] | None = None,
        service: str | None = None,
        shell: str | None = None,
    ):
        self.global_ignore = [] if global_ignore is None else global_ignore
        self.spans = [] if spans is None else spans
        self.stage_spans = [] if stage_spans is None else stage_spans
        self.service = service
        self.shell = shell




class Pragma:
    """One pragma comment: ``scope`` is ``""`` (the next instruction or line), ``global`` or ``stage``; ``kind`` is
    ``ignore``, ``service`` or ``shell``; ``value`` the text after ``=``; ``codes`` the IDs of an ignore list."""

    __slots__ = ("scope", "kind", "value", "codes")

    def __init__(self, scope: str, kind: str, value: str, codes: list[str] | None):
        self.scope = scope
        self.kind = kind
        self.value = value
        self.codes = codes


def parse_pragma(text: str) -> Pragma | None:
    """The pragma a comment's text (after ``#``) holds, or None. An ignore list with anything that is not a rule
    ID (``fastlint.engine.ids``) is no pragma at all, as in hadolint."""
    m = _PRAGMA.match(text)
    if not m:
        return None
    scope, kind, value = (m.group(1) or "").strip().lower(), m.group(2).lower(), m.group(3)
    if kind == "ignore":
        codes = parse_list(value)
        if codes is None:
            return None
        return Pragma(scope, kind, value, codes)
    return Pragma(scope, kind, value, None)


def ignore_list_in(line: str) -> tuple[Pragma, int, int] | None:
    """The ignore pragma in a line of text (a comment line, or a YAML line ending in one) and where its list of
    IDs is in the line (``[start, end)``, a trailing ``# comment`` left out), or None: for an editor that shows a
    rule's docs on an ID of the list, or adds an ID to it."""
    at = line.find("#")
    while at != -1:
        p = parse_pragma(line[at + 1:].strip())
        if p is not None and p.kind == "ignore":
            start = line.rfind(p.value)
            return p, start, start + len(p.value.split("#", 1)[0].rstrip())
        at = line.find("#", at + 1)
    return None


def read_pragmas(df: Dockerfile) -> Pragmas:
    result = Pragmas()
    pending: dict[int, list[str]] = {}  # line -> codes of a pragma comment on that line
    stage_pending: list[tuple[int, list[str]]] = []  # (offset, codes) of stage pragmas
    for c in df.comments:
        p = parse_pragma(c.text)
        if p is None:
            continue
        scope, kind, value, codes = p.scope, p.kind, p.value, p.codes
        if kind == "service":
            result.service = value.split()[0] if value else None
            continue
        if kind == "shell":
            result.shell = value.split("#", 1)[0].strip() or None
            continue
        if scope == "global":
            result.global_ignore += codes
        elif scope == "stage":
            stage_pending.append((c.start, codes))
        elif not c.inside:
            pending[c.line] = codes
    for offset, codes in stage_pending:
        result.stage_spans.append((*_stage_span_after(df, offset), codes))
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


def is_file_pragma(text: str) -> bool:
    """A comment's text that is a pragma for the whole file: ``global ignore=``, ``service=`` or ``shell=``."""
    m = _PRAGMA.match(text)  # the pragma's shape, whatever its list holds: such a comment is the file's, not a line's
    if not m:
        return False
    scope, kind = (m.group(1) or "").strip().lower(), m.group(2).lower()
    return kind in ("service", "shell") or (kind == "ignore" and scope == "global")


def pragma_block_start(df: Dockerfile, ins) -> int:
    """Where the block of comment lines directly above ``ins`` starts, when that block holds an ignore pragma
    (the pragma applies to ``ins``: a fix that deletes ``ins`` must delete the block too, or the pragma would
    apply to the next instruction); else where ``ins`` starts."""
    by_line = {c.line: c for c in df.comments if not c.inside}
    line, start, holds_pragma = ins.line - 1, ins.start, False
    while line in by_line:
        comment = by_line[line]
        p = parse_pragma(comment.text)
        if p is not None and not p.scope and p.kind == "ignore":
            holds_pragma = True
        start = comment.start
        line -= 1
    return start if holds_pragma else ins.start


def _stage_span_after(df: Dockerfile, offset: int) -> tuple[int, int]:
    """The span a stage pragma at ``offset`` covers: the stage of the next FROM, else the rest of the stage."""
    froms = [ins for ins in df.instructions if ins.keyword == "FROM"]
    nxt = next((i for i, f in enumerate(froms) if f.start > offset), None)
    if nxt is None:
        return offset, len(df.text)
    end = froms[nxt + 1].start if nxt + 1 < len(froms) else len(df.text)
    return froms[nxt].start, end


def suppressed(code: str, offset: int, line_file: bool, pragmas: Pragmas) -> bool:
    """True when a pragma turns ``code`` off at ``offset`` (only global pragmas apply to other files' lines)."""
    if matches(code, pragmas.global_ignore):
        return True
    if line_file:
        return False
    for start, end, codes in pragmas.spans:
        if start <= offset < end and matches(code, codes):
            return True
    for start, end, codes in pragmas.stage_spans:
        if start <= offset < end and matches(code, codes):
            return True
    return False
