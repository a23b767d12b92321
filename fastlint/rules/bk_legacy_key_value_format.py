"""LegacyKeyValueFormat (BuildKit): ENV and LABEL in the legacy ``key value`` form."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import Edit, InstructionRule
from .lib.buildkit import BuildKitCheck


@register
class LegacyKeyValueFormat(BuildKitCheck, InstructionRule):
    code = "LegacyKeyValueFormat"
    message = "Legacy key/value format with whitespace separator should not be used"
    needs_instructions = ("ENV", "LABEL")
    fix_safety = "safe"

    def check(self, ins):
        if ins.keyword not in ("ENV", "LABEL") or len(ins.pairs) != 1:
            return
        pair = ins.pairs[0]
        text = self.ctx.df.text
        if "=" in text[pair.key_end:pair.value_start]:
            return  # key=value
        name = ins.keyword_raw
        for site, _ in self.sites(ins, in_stage=False):  # the instruction, or an ONBUILD ENV in a stage built on it
            yield self.check_hit(site, f'"{name} key=value" should be used instead of legacy "{name} key value" '
                                       "format", self._fix(ins, pair, text))

    def _fix(self, ins, pair, text: str):
        """``ENV key value`` -> ``ENV key=value``, the value quoted when it has blanks. Safe: the value is the same
        string (a multi-line value keeps its continuations; the indentation of its lines stays in the value, as
        it was). A value that is one quoted string keeps its quotes. No fix when the value has other quotes, escapes
        or a comment line, whose reading would change."""
        raw = text[pair.value_start:pair.value_end]
        gap = text[pair.key_end:pair.value_start]
        esc = self.ctx.df.escape
        if "#" in gap or (ins.comments and any(pair.value_start <= c.start < pair.value_end for c in ins.comments)):
            return None
        if _one_quoted_word(raw, esc) and "\n" not in gap:
            # a value that is one quoted string reads the same after "=": LABEL maintainer "A B" -> maintainer="A B"
            return self.fix(Edit(pair.key_end, pair.value_start, "="),
                            description=f"write {ins.keyword_raw} {pair.key}=...")
        if not raw or any(c in raw for c in "\"'") or esc in raw.replace(esc + "\n", ""):
            return None
        joined = pair.value or ""
        quote = '"' if any(c.isspace() for c in joined) or "\n" in raw else ""
        # the blank between key and value goes; a line continuation in it stays, at the start of its line
        continuation = (esc + "\n") if "\n" in gap else ""
        edits = [Edit(pair.key_end, pair.value_start, "=" + continuation + quote)]
        if quote:
            edits.append(Edit(pair.value_end, pair.value_end, quote))
        return self.fix(*edits, description=f"write {ins.keyword_raw} {pair.key}=...")


def _one_quoted_word(raw: str, escape: str) -> bool:
    """``"..."`` or ``'...'`` on one line, with no quote of its kind nor escape character inside."""
    if len(raw) < 2 or raw[0] not in "\"'" or raw[-1] != raw[0] or "\n" in raw:
        return False
    inner = raw[1:-1]
    return raw[0] not in inner and escape not in inner
