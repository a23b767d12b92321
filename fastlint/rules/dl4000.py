"""DL4000: MAINTAINER is deprecated."""

from __future__ import annotations

import json

from ..engine.registry import register
from ..engine.rule import Edit, InstructionRule


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
        fix = None
        if ins.value:
            label = "LABEL org.opencontainers.image.authors=" + json.dumps(ins.value[0])
            fix = self.fix(Edit(ins.keyword_start, ins.args_end, label),
                           description="replace with the OCI authors label")
        yield self.hit(ins, fix=fix)
