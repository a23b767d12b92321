"""WorkdirRelativePath (BuildKit): a relative WORKDIR before any absolute one in the build."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.buildkit import BuildKitCheck, LexError, UsesBaseImages, expand, go_quote, stage_scopes


@register
class WorkdirRelativePath(BuildKitCheck, UsesBaseImages, InstructionRule):
    code = "WorkdirRelativePath"
    message = ("Relative workdir without an absolute workdir declared within the build can have unexpected results "
               "if the base image changes")
    needs_instructions = ("WORKDIR",)
    same_as = "DL3000"
    off_with = ("DL3000",)

    def check(self, ins):
        if ins.keyword != "WORKDIR" or not ins.value:
            return
        for site, key in self.sites(ins):  # the WORKDIR, or an ONBUILD WORKDIR in a stage built on it
            scope = stage_scopes(self.ctx).get(key)
            if scope is None or scope.workdir_set:  # only the first WORKDIR of a stage chain: fixing it fixes the rest
                continue
            try:
                result = expand(ins.value[0], scope.env, self.ctx.df.escape)
            except LexError:
                continue
            if result.unmatched and not scope.known:
                continue  # a variable the base image may set: its value is not known here
            if result.text.startswith("/"):
                continue
            yield self.check_hit(site, f"Relative workdir {go_quote(result.text)} can have unexpected results if the "
                                       "base image changes", about=ins.keyword_start)
