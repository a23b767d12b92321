"""DL3012: Multiple HEALTHCHECK instructions."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import Edit, StageRule
from .lib.places import comments_inside


@register
class DL3012(StageRule):
    code = "DL3012"
    level = "error"
    message = "Multiple `HEALTHCHECK` instructions"
    name = "multiple-healthchecks"
    fix_safety = "safe"
    needs_instructions = ("HEALTHCHECK",)

    def start_file(self, df):
        self.previous = None

    def start_stage(self, stage):
        self.previous = None

    def check(self, ins):
        if ins.keyword != "HEALTHCHECK" or ins.parent is not None:
            return
        prev, self.previous = self.previous, ins
        if prev is None:
            return
        # only the last HEALTHCHECK of a stage takes effect: removing the earlier one leaves the image the same (the
        # comment lines inside it stay)
        fix = self.fix(Edit(prev.start, prev.end, comments_inside(self.ctx.df, prev)),
                       description="remove the earlier, overridden HEALTHCHECK")
        yield self.hit(ins, fix=fix)
