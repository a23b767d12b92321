"""ReservedStageName (BuildKit): reserved words should not be used as stage names."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import FileRule
from .bk_common import BuildKitCheck, go_quote
from .dl3063 import RESERVED


@register
class ReservedStageName(BuildKitCheck, FileRule):
    code = "ReservedStageName"
    message = "Reserved words should not be used as stage names"
    check_scope = "file"
    twins = {"DL3063": None}

    def finish(self):
        for stage in self.ctx.df.stages:
            if stage.name and stage.name.lower() in RESERVED:
                yield self.check_hit(stage.from_, "Stage name should not use the same name as reserved stage "
                                                  f"{go_quote(stage.name.lower())}")
