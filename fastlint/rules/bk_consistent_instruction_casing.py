"""ConsistentInstructionCasing (BuildKit): all instructions should use the same casing (upper or lower)."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import Edit, FileRule
from .lib.buildkit import BuildKitCheck


@register
class ConsistentInstructionCasing(BuildKitCheck, FileRule):
    code = "ConsistentInstructionCasing"
    message = "All commands within the Dockerfile should use the same casing (either upper or lower)"
    check_scope = "file"
    fix_safety = "safe"

    def finish(self):
        # BuildKit counts and checks each stage's FROM and the instructions of the stages: the ARGs before the
        # first FROM are neither counted nor checked, nor the instruction inside ONBUILD
        instructions = []
        for stage in self.ctx.df.stages:
            instructions.append(stage.from_)
            instructions += [i for i in stage.instructions if i.parent is None]
        lower = sum(1 for i in instructions if i.keyword_raw == i.keyword_raw.lower())
        upper = sum(1 for i in instructions if i.keyword_raw == i.keyword_raw.upper())
        majority_lower = lower > upper
        for ins in instructions:
            name = ins.keyword_raw
            wanted = name.lower() if majority_lower else name.upper()
            if name == wanted:
                continue
            casing = "lowercase" if majority_lower else "uppercase"
            fix = self.fix(Edit(ins.keyword_start, ins.keyword_end, wanted), description=f"write {wanted}")
            yield self.check_hit(ins, f"Command '{name}' should match the case of the command majority ({casing})",
                                 fix)
