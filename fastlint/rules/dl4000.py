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

    def check(self, ins):
        if ins.keyword != "MAINTAINER":
            return
        edit = authors_label(ins)
        fix = self.fix(edit, description="replace with the OCI authors label") if edit else None
        yield self.hit(ins, fix=fix)


def authors_label(ins) -> Edit | None:
    """MAINTAINER rewritten as the OCI authors label (also MaintainerDeprecated's fix)."""
    if not ins.value:
        return None
    return Edit(ins.keyword_start, ins.args_end, "LABEL org.opencontainers.image.authors=" + json.dumps(ins.value[0]))
