"""Hover: the docs of a rule (its catalogue page without the cases, as ``fastlint rule ID`` prints it), on a rule
ID in a pragma comment (``# fastlint: ignore=DL3008``, ``# hadolint ignore=...``) or on a finding's range."""

from __future__ import annotations

import re

from lsprotocol import types

from ..engine.ids import is_rule_id
from ..engine.pragmas import ignore_list_in
from .diagnostics import docs_uri, finding_range
from .linting import Result
from .positions import LineIndex

_TOKEN = re.compile(r"[^,\s]+")


def rule_docs(code: str) -> str | None:
    """A rule's docs in Markdown: its catalogue page (without the cases), its level and fix safety, and a link
    to the page; a ShellCheck code's: a link to ShellCheck's page of that code, then the SC page."""
    from ..catalogue import load
    from ..engine.registry import all_rules

    code = code.strip()
    rules = all_rules()
    head = ""
    doc = load(code)
    if doc is None and code[:2].upper() == "SC" and code[2:].isdigit():
        head = f"**{code.upper()}** is reported by ShellCheck on RUN instructions: [{code.upper()}]({docs_uri(code.upper())})\n\n"
        code, doc = "SC", load("SC")
    cls = rules.get(doc.code if doc is not None else code.upper())
    if doc is None:
        return None if cls is None else f"**{code}**: {cls.message}\n\nLevel: {cls.level}"
    text = doc.docs_text().strip()
    if cls is not None:
        text = text.replace("\n", f"\n\nLevel: {cls.level} · Fix: {cls.fix_safety or 'no fix'}\n", 1)
    return f"{head}{text}\n\n[{doc.code} in the rule catalogue]({docs_uri(doc.code)})\n"


def pragma_rule_at(line_text: str, column: int) -> tuple[str, int, int] | None:
    """(ID, start, end) of the rule ID under ``column`` (code points) in a pragma comment's ignore list."""
    found = ignore_list_in(line_text)
    if found is None:
        return None
    for t in _TOKEN.finditer(line_text, found[1], found[2]):
        if t.start() <= column <= t.end() and is_rule_id(t.group(0)):
            return t.group(0), t.start(), t.end()
    return None


def hover(result: Result, position: types.Position, encoding: str, markdown: bool = True) -> types.Hover | None:
    index = LineIndex(result.text, encoding)
    offset = index.offset(position.line, position.character)
    line = min(position.line, len(index.starts) - 1)
    start = index.starts[line]
    found = pragma_rule_at(result.text[start:index.line_end(line)], offset - start)
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
    docs = [d for d in (rule_docs(c) for c in codes) if d]
    if not docs:
        return None
    text = "\n\n---\n\n".join(docs)
    kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
    return types.Hover(contents=types.MarkupContent(kind=kind, value=text), range=rng)
