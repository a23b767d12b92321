"""DL3065: Setting `FROM --platform` to predefined `$TARGETPLATFORM` in is redundant as this is the default
behavior."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import Edit, InstructionRule


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


def drop_platform(text: str, ins, flag) -> Edit | None:
    """Remove the flag (and the blank after it). Safe: a stage is built for the target platform anyway, so the
    image is the same. (Also RedundantTargetPlatform's fix.)"""
    if sum(1 for f in ins.flags if f.name == "platform") != 1:
        return None
    end = flag.end
    while end < len(text) and text[end] in " \t":
        end += 1
    return Edit(flag.start, end, "")
