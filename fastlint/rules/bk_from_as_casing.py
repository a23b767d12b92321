"""FromAsCasing (BuildKit): the 'as' keyword should match the case of the 'from' keyword."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import Edit, InstructionRule
from .lib.buildkit import BuildKitCheck


@register
class FromAsCasing(BuildKitCheck, InstructionRule):
    code = "FromAsCasing"
    message = "The 'as' keyword should match the case of the 'from' keyword"
    fix_safety = "safe"

    def check(self, ins):
        if ins.keyword != "FROM" or not self.top_level(ins) or len(ins.value) < 3 or len(ins.words) < 3:
            return
        kw, as_word = ins.keyword_raw, ins.value[1]
        # a FROM in mixed case is ConsistentInstructionCasing's business, not this check's
        if kw == kw.lower():
            wanted = as_word.lower()
        elif kw == kw.upper():
            wanted = as_word.upper()
        else:
            return
        if as_word == wanted:
            return
        word = ins.words[1]
        fix = self.fix(Edit(word.start, word.end, wanted), description=f"write {wanted}")
        yield self.check_hit(ins, f"'{as_word}' and '{kw}' keywords' casing do not match", fix)
