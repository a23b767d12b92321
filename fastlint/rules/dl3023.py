"""DL3023: COPY --from cannot reference its own FROM alias."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule


@register
class DL3023(InstructionRule):
    code = "DL3023"
    level = "error"
    message = "`COPY --from` cannot reference its own `FROM` alias"
    name = "copy-from-self"
    needs_instructions = ("COPY",)

    def check(self, ins):
        if ins.keyword != "COPY" or ins.parent is not None or ins.stage is None:
            return
        flag = ins.flag("from")
        if flag is None or not flag.value:
            return
        stage = ins.stage
        ref = flag.value
        if (stage.name and ref.lower() == stage.name.lower()) or ref == str(stage.index):
            yield self.hit(flag)
