"""DL3065: Setting `FROM --platform` to predefined `$TARGETPLATFORM` in is redundant as this is the default
behavior."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.twins import drop_platform


@register
class DL3065(InstructionRule):
    code = "DL3065"
    level = "warning"
    message = ("Setting `FROM --platform` to predefined `$TARGETPLATFORM` in is redundant as this is the default "
               "behavior")
    name = "redundant-target-platform"
    fix_safety = "safe"

    def check(self, ins):
        if ins.keyword != "FROM" or ins.parent is not None:
            return
        flag = ins.flag("platform")
        if flag is None or flag.value not in ("$TARGETPLATFORM", "${TARGETPLATFORM}"):
            return
        yield self.hit(flag, fix=self._fix(ins, flag))

    def _fix(self, ins, flag):
        edit = drop_platform(self.ctx.df.text, ins, flag)
        return self.fix(edit, description="remove --platform=$TARGETPLATFORM") if edit else None
