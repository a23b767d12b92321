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

Each ignore pragma is a ``Suppression``: the pipeline's pragma step (``pipeline.finalize``) records in it which
of its IDs turned a finding off, so that one that turned nothing off can be reported (FL001, ruff's RUF100).
"""

from __future__ import annotations

import re

from ..parser.tree import Dockerfile
from .ids import matches, parse_list

_PRAGMA = re.compile(
    r"^(?:fastlint:?|hadolint)\s+(global\s+|stage\s+)?(ignore|service|shell)\s*=\s*(.*?)\s*$", re.IGNORECASE
)


class Suppression:
    """One ignore pragma: where its comment is (``start``/``end`` in a Dockerfile's text; ``line``, ``column``,
    ``end_column`` in any file), its ``scope`` (``""``, ``global``, ``stage``), its IDs (canonical), and
    ``used``: the IDs of its list that turned a finding off in this run (recorded by ``pipeline.finalize``)."""

    __slots__ = ("start", "end", "line", "column", "end_column", "scope", "codes", "used", "unused", "unknown")

    def __init__(self, codes: list[str], scope: str = "", start: int = 0, end: int = 0, line: int = 0,
                 column: int = 0, end_column: int = 0):
        self.codes = codes
        self.scope = scope
        self.start, self.end = start, end
        self.line, self.column, self.end_column = line, column, end_column
        self.used: set[str] = set()
        self.unused: list[str] = []  # after the run (``pipeline.review_suppressions``): IDs that turned nothing off
        self.unknown: list[str] = []  # IDs that name no rule

    def patterns_for(self, code: str) -> list[str]:
        """The IDs of the list that match ``code``."""
        return [p for p in self.codes if matches(code, [p])]


class Pragmas:
    """A Dockerfile's pragmas: the ignore pragmas (``suppressions``), each applying to the whole file
    (``global_ignore``), to a span of the text (``spans``: the instruction below it) or to a stage
    (``stage_spans``); the ``service`` and ``shell`` it names."""

    def __init__(self):
        self.suppressions: list[Suppression] = []
        self.global_ignore: list[Suppression] = []
        self.spans: list[tuple[int, int, Suppression]] = []
        self.stage_spans: list[tuple[int, int, Suppression]] = []
        self.service: str | None = None
        self.shell: str | None = None



class Pragma:
    """One pragma comment: ``scope`` is ``""`` (the next instruction or line), ``global`` or ``stage``; ``kind`` is
    ``ignore``, ``service`` or ``shell``; ``value`` the text after ``=``; ``codes`` the IDs of an ignore list."""

    __slots__ = ("scope", "kind", "value", "codes")

    def __init__(self, scope: str, kind: str, value: str, codes: list[str] | None):
        self.scope = scope
        self.kind = kind
        self.value = value
        self.codes = codes


def prefixes_of(policy) -> tuple[str, ...]:
    """The rule prefixes a file's policy declares (its ``custom_rules``' prefix): IDs in that file's pragmas."""
    if policy is None or policy.custom_rules is None:
        return ()
    return (policy.custom_rules.prefix,)


def parse_pragma(text: str, prefixes: tuple[str, ...] = ()) -> Pragma | None:
    """The pragma a comment's text (after ``#``) holds, or None. An ignore list with anything that is not a rule
    ID (``fastlint.engine.ids``; ``prefixes``: the file's policy's, ``prefixes_of``) is no pragma at all, as in
    hadolint."""
    m = _PRAGMA.match(text)
    if not m:
        return None
    scope, kind, value = (m.group(1) or "").strip().lower(), m.group(2).lower(), m.group(3)
    if kind == "ignore":
        codes = parse_list(value, prefixes)
        if codes is None:
            return None
        return Pragma(scope, kind, value, codes)
    return Pragma(scope, kind, value, None)


def ignore_list_in(line: str, prefixes: tuple[str, ...] = ()) -> tuple[Pragma, int, int] | None:
    """The ignore pragma in a line of text (a comment line, or a YAML line ending in one) and where its list of
    IDs is in the line (``[start, end)``, a trailing ``# comment`` left out), or None: for an editor that shows a
    rule's docs on an ID of the list, or adds an ID to it."""
    at = line.find("#")
    while at != -1:
        p = parse_pragma(line[at + 1:].strip(), prefixes)
        if p is not None and p.kind == "ignore":
            start = line.rfind(p.value)
            return p, start, start + len(p.value.split("#", 1)[0].rstrip())
        at = line.find("#", at + 1)
    return None


def read_pragmas(df: Dockerfile, prefixes: tuple[str, ...] = ()) -> Pragmas:
    result = Pragmas()
    pending: dict[int, Suppression] = {}  # line -> the ignore pragma of the comment on that line
    stage_pending: list[tuple[int, Suppression]] = []  # (offset, pragma) of stage pragmas
    for c in df.comments:
        p = parse_pragma(c.text, prefixes)
        if p is None:
            continue
        scope, kind, value, codes = p.scope, p.kind, p.value, p.codes
        if kind == "service":
            result.service = value.split()[0] if value else None
            continue
        if kind == "shell":
            result.shell = value.split("#", 1)[0].strip() or None
            continue
        if not scope and c.inside:  # inside an instruction's continuation lines: no line pragma
            continue
        line, column = df.source.line_col(c.start)
        end_line, end_column = df.source.line_col(c.end)
        s = Suppression(codes, scope, c.start, c.end, line, column, end_column if end_line == line else column)
        result.suppressions.append(s)
        if scope == "global":
            result.global_ignore.append(s)
        elif scope == "stage":
            stage_pending.append((c.start, s))
        else:
            pending[c.line] = s
    for offset, s in stage_pending:
        result.stage_spans.append((*_stage_span_after(df, offset), s))
    if pending:
        comment_lines = {c.line for c in df.comments if not c.inside}
        for ins in df.instructions:
            line = ins.line - 1
            while line in comment_lines:  # the block of comment lines directly above the instruction
                if line in pending:
                    result.spans.append((ins.start, ins.end, pending[line]))
                line -= 1
    return result


def is_file_pragma(text: str) -> bool:
    """A comment's text that is a pragma for the whole file: ``global ignore=``, ``service=`` or ``shell=``."""
    m = _PRAGMA.match(text)  # the pragma's shape, whatever its list holds: such a comment is the file's, not a line's
    if not m:
        return False
    scope, kind = (m.group(1) or "").strip().lower(), m.group(2).lower()
    return kind in ("service", "shell") or (kind == "ignore" and scope == "global")


def pragma_block_start(df: Dockerfile, ins, prefixes: tuple[str, ...] = ()) -> int:
    """Where the block of comment lines directly above ``ins`` starts, when that block holds an ignore pragma
    (the pragma applies to ``ins``: a fix that deletes ``ins`` must delete the block too, or the pragma would
    apply to the next instruction); else where ``ins`` starts."""
    by_line = {c.line: c for c in df.comments if not c.inside}
    line, start, holds_pragma = ins.line - 1, ins.start, False
    while line in by_line:
        comment = by_line[line]
        p = parse_pragma(comment.text, prefixes)
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


def suppressions_of(code: str, offset: int, line_file: bool, pragmas: Pragmas) -> list[Suppression]:
    """The ignore pragmas that turn ``code`` off at ``offset`` (only global pragmas apply to other files'
    lines); none: the finding stays."""
    found = [s for s in pragmas.global_ignore if s.patterns_for(code)]
    if not line_file:
        found += [s for start, end, s in pragmas.spans if start <= offset < end and s.patterns_for(code)]
        found += [s for start, end, s in pragmas.stage_spans if start <= offset < end and s.patterns_for(code)]
    return found


def unknown_in_pragmas(df: Dockerfile, policy=None) -> list[tuple[int, str]]:
    """(line, ID) of each ID of an ignore pragma that names no rule (a typo: it turns nothing off); ``policy``:
    its data rules count."""
    from .index import names_a_rule

    return [(s.line, p) for s in read_pragmas(df, prefixes_of(policy)).suppressions for p in s.codes
            if not names_a_rule(p, policy)]
