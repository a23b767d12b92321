"""RedundantTargetPlatform (BuildKit): FROM --platform=$TARGETPLATFORM is the default."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.buildkit import BuildKitCheck, LexError, expand, file_meta_args
from .lib.twins import drop_platform


@register
class RedundantTargetPlatform(BuildKitCheck, InstructionRule):
    code = "RedundantTargetPlatform"
    message = "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior"
    fix_safety = "safe"
    same_as = "DL3065"
    off_with = ("DL3065",)

    def check(self, ins):
        if ins.keyword != "FROM" or not self.top_level(ins):
            return
        flag = ins.flag("platform")
        if flag is None or not flag.value:
            return
        env, _, ok = file_meta_args(self.ctx)
        try:
            result = expand(flag.value, env, self.ctx.df.escape)
        except LexError:
            return
        # only TARGETPLATFORM substituted, and nothing else around it
        if list(result.matched) != ["TARGETPLATFORM"] or result.unmatched or result.text != env["TARGETPLATFORM"]:
            return
        edit = drop_platform(self.ctx.df.text, ins, flag)
        fix = self.fix(edit, description="remove --platform") if edit else None
        yield self.check_hit(ins, f"Setting platform to predefined {flag.value} in FROM is redundant as this is the "
                                  "default behavior", fix)
