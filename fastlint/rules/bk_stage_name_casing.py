"""StageNameCasing (BuildKit): stage names should be lowercase."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import Edit, InstructionRule
from .lib.buildkit import BuildKitCheck


@register
class StageNameCasing(BuildKitCheck, InstructionRule):
    code = "StageNameCasing"
    message = "Stage names should be lowercase"
    fix_safety = "safe"

    def check(self, ins):
        # BuildKit: any FROM with three words whose third is not all lowercase (instructions.isLowerCaseStageName)
        if ins.keyword != "FROM" or not self.top_level(ins) or len(ins.value) != 3 or len(ins.words) != 3:
            return
        name = ins.value[2]
        if name == name.lower():
            return
        word = ins.words[2]
        # stage names are looked up without case (FROM x, COPY --from=x), so lowercasing the name alone is safe
        fix = self.fix(Edit(word.start, word.end, name.lower()), description=f"rename the stage {name.lower()}")
        yield self.check_hit(ins, f"Stage name '{name}' should be lowercase", fix)
