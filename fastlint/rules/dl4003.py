"""DL4003: Multiple `CMD` instructions found."""

from __future__ import annotations

from ..engine.pragmas import pragma_block_start
from ..engine.registry import register
from ..engine.rule import Edit, StageRule


class LastOneWins(StageRule):
    """CMD and ENTRYPOINT: within a stage only the last one takes effect, so each one after the first is
    reported, with a fix that deletes the one before it (safe: the image's configuration is the same), and the
    comment block above it when that block holds an ignore pragma (left behind, it would apply to the next
    instruction)."""

    keyword = ""
    fix_safety = "safe"

    def __init__(self, ctx):
        super().__init__(ctx)
        self.previous = None

    def start_stage(self, stage):
        self.previous = None

    def check(self, ins):
        if ins.keyword != self.keyword or ins.parent is not None:
            return
        previous, self.previous = self.previous, ins
        if previous is None:
            return
        fix = self.fix(Edit(pragma_block_start(self.ctx.df, previous), previous.end, ""),
                       description=f"delete the earlier {self.keyword} (line {previous.line})")
        yield self.hit(ins, fix=fix)


@register
class DL4003(LastOneWins):
    code = "DL4003"
    level = "warning"
    message = ("Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will "
               "take effect")
    name = "multiple-cmd"
    keyword = "CMD"
