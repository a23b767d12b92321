"""FromPlatformFlagConstDisallowed (BuildKit): FROM --platform should not use a constant value."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.buildkit import BuildKitCheck, LexError, expand, file_meta_args, go_quote, parse_platform


@register
class FromPlatformFlagConstDisallowed(BuildKitCheck, InstructionRule):
    code = "FromPlatformFlagConstDisallowed"
    message = "FROM --platform flag should not use a constant value"
    same_as = "DL3029"
    off_with = ("DL3029",)

    def check(self, ins):
        if ins.keyword != "FROM" or not self.top_level(ins) or ins.stage is None:
            return
        flag = ins.flag("platform")
        if flag is None or not flag.value:
            return
        env, _, _ = file_meta_args(self.ctx)
        try:
            result = expand(flag.value, env, self.ctx.df.escape)
        except LexError:
            return
        if result.matched or result.unmatched:
            return  # a variable: not a constant
        platform = parse_platform(result.text)
        if platform is None:
            return  # BuildKit fails the build on it later
        name = (ins.stage.name or "").lower()
        if platform[0] in name or platform[1] in name:
            return  # the stage says which platform it is for
        yield self.check_hit(ins, f"FROM --platform flag should not use constant value {go_quote(result.text)}")
