"""DL3044: Do not refer to an environment variable within the same `ENV` statement where it is defined."""

from __future__ import annotations

import re

from ..engine.registry import register
from ..engine.rule import InstructionRule


_IDENT = re.compile(r"[A-Za-z0-9_]+")
# every ``$name`` (the whole run of name characters after the ``$``) and every ``${...}`` content, overlapping
_REFERENCES = re.compile(r"\$([A-Za-z0-9_]+)|(?=\$\{([^}]*)\})")


def references(text: str) -> set[str]:
    """The names ``text`` refers to, as ``refers_to`` reads them (for names made of ``[A-Za-z0-9_]``)."""
    return {m.group(1) or m.group(2) for m in _REFERENCES.finditer(text) if m.group(1) or m.group(2)}


def refers_to(name: str, text: str) -> bool:
    """``${name}`` or ``$name`` not followed by a character that would continue the name (``$BLAFOO`` is not
    ``$BLA``)."""
    return f"${{{name}}}" in text or re.search(r"\$" + re.escape(name) + r"(?![A-Za-z0-9_])", text) is not None


@register
class DL3044(InstructionRule):
    code = "DL3044"
    level = "error"
    message = "Do not refer to an environment variable within the same `ENV` statement where it is defined."
    name = "env-self-reference"
    needs_instructions = ("ENV",)

    def __init__(self, ctx):
        super().__init__(ctx)
        self.defined: set[str] = set()  # names an earlier ENV or ARG defined (anywhere before, as hadolint)

    def check(self, ins):
        if ins.keyword == "ARG":
            self.defined.update(p.key for p in ins.pairs)
            return
        if ins.keyword != "ENV":
            return
        pairs = ins.pairs
        keys = [p.key for p in pairs]
        # which pairs refer to each name, read once per value: the test per key stays linear in a long ENV
        referring: dict[str, list[int]] = {}
        for j, q in enumerate(pairs):
            for name in references(q.value or ""):
                referring.setdefault(name, []).append(j)
        bad = None
        for i, key in enumerate(keys):
            if key in self.defined:
                continue
            # a value that refers to a name defined by another pair of the same ENV gets the old value (or
            # nothing), not the one defined here: BuildKit expands the whole ENV line before setting any of it
            if _IDENT.fullmatch(key):
                others = [j for j in referring.get(key, ())[:2] if j != i]
            else:  # a key with other characters (``a-b``): the plain test
                others = [j for j, q in enumerate(pairs) if j != i and refers_to(key, q.value or "")]
            if others:
                bad = pairs[others[0]]
                break
        self.defined.update(keys)
        if bad is not None:
            yield self.hit(bad)
