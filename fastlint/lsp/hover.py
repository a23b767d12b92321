"""Hover: the docs of a rule (``api.rule_docs``: its catalogue page without the cases, as ``fastlint rule ID``
prints it; a rule package's page, a data rule's definition), on a rule ID in a pragma comment
(``# fastlint: ignore=DL3008``, ``# hadolint ignore=...``) or on a finding's range."""

from __future__ import annotations

import re

from lsprotocol import types

from ..engine.ids import looks_like_id
from ..engine.pragmas import ignore_list_in, prefixes_of
from .diagnostics import docs_uri, finding_range
from .linting import Result
from .positions import LineIndex

_TOKEN = re.compile(r"[^,\s]+")


def pragma_rule_at(line_text: str, column: int, prefixes: tuple[str, ...] = ()) -> tuple[str, int, int] | None:
    """(ID, start, end) of the rule ID under ``column`` (code points) in a pragma comment's ignore list
    (``prefixes``: the document's policy's, ``pragmas.prefixes_of``)."""
    found = ignore_list_in(line_text, prefixes)
    if found is None:
        return None
    for t in _TOKEN.finditer(line_text, found[1], found[2]):
        if t.start() <= column <= t.end() and looks_like_id(t.group(0)):
            return t.group(0), t.start(), t.end()
    return None


def hover(result: Result, position: types.Position, encoding: str, rule_docs,
          markdown: bool = True) -> types.Hover | None:
    """The docs (``rule_docs(code)``: what ``fastlint rule`` prints, or None) of the rule under ``position``."""
    index = LineIndex(result.text, encoding)
    offset = index.offset(position.line, position.character)
    line = min(position.line, len(index.starts) - 1)
    start = index.starts[line]
    found = pragma_rule_at(result.text[start:index.line_end(line)], offset - start, prefixes_of(result.policy))
    codes: list[str] = []
    rng = None
    if found is not None:
        code, a, b = found
        codes = [code]
        rng = types.Range(types.Position(*index.position(start + a)), types.Position(*index.position(start + b)))
    else:
        here = (position.line, position.character)
        for f in result.findings:
            if f.file != result.name:
                continue
            r = finding_range(f, index, result.kind)
            if (r.start.line, r.start.character) <= here <= (r.end.line, r.end.character) and f.code not in codes:
                codes.append(f.code)
                rng = rng or r
    docs = [with_link(d, c) for c, d in ((c, rule_docs(c)) for c in codes) if d]
    if not docs:
        return None
    text = "\n\n---\n\n".join(docs)
    kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
    return types.Hover(contents=types.MarkupContent(kind=kind, value=text), range=rng)


def with_link(docs: str, code: str) -> str:
    uri = docs_uri(code)
    return f"{docs.rstrip()}\n\n[{code}'s docs]({uri})\n" if uri else docs
