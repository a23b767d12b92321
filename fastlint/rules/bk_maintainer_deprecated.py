"""MaintainerDeprecated (BuildKit): the MAINTAINER instruction is deprecated, use a label for the author."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.buildkit import BuildKitCheck
from .lib.twins import authors_label


@register
class MaintainerDeprecated(BuildKitCheck, InstructionRule):
    code = "MaintainerDeprecated"
    message = "The MAINTAINER instruction is deprecated, use a label instead to define an image author"
    needs_instructions = ("MAINTAINER",)
    fix_safety = "safe"
    same_as = "DL4000"
    off_with = ("DL4000",)

    def check(self, ins):
        if ins.keyword != "MAINTAINER" or not self.top_level(ins):
            return
        edit = authors_label(ins)
        fix = self.fix(edit, description="replace with the OCI authors label") if edit else None
        yield self.check_hit(ins, "Maintainer instruction is deprecated in favor of using label", fix)
