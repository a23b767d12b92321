"""ReservedStageName (BuildKit): reserved words should not be used as stage names."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import FileRule
from .lib.buildkit import BuildKitCheck, go_quote
from .lib.twins import RESERVED


@register
class ReservedStageName(BuildKitCheck, FileRule):
    code = "ReservedStageName"
    message = "Reserved words should not be used as stage names"
    check_scope = "file"
    same_as = "DL3063"
    off_with = ("DL3063",)

    def finish(self):
        for stage in self.ctx.df.stages:
            if stage.name and stage.name.lower() in RESERVED:
                yield self.check_hit(stage.from_, "Stage name should not use the same name as reserved stage "
                                                  f"{go_quote(stage.name.lower())}")
