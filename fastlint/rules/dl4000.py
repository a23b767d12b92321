"""DL4000: MAINTAINER is deprecated."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.twins import authors_label


@register
class DL4000(InstructionRule):
    code = "DL4000"
    level = "error"
    message = "MAINTAINER is deprecated"
    name = "maintainer-deprecated"
    fix_safety = "safe"
    needs_instructions = ("MAINTAINER",)

    def check(self, ins):
        if ins.keyword != "MAINTAINER":
            return
        edit = authors_label(ins)
        fix = self.fix(edit, description="replace with the OCI authors label") if edit else None
        yield self.hit(ins, fix=fix)
