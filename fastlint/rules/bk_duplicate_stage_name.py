"""DuplicateStageName (BuildKit): stage names should be unique."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import FileRule
from .lib.buildkit import BuildKitCheck, go_quote


@register
class DuplicateStageName(BuildKitCheck, FileRule):
    code = "DuplicateStageName"
    message = "Stage names should be unique"
    check_scope = "file"  # BuildKit checks the stage names with the file's configuration only
    same_as = "DL3024"
    off_with = ("DL3024",)

    def finish(self):
        seen: set[str] = set()
        for stage in self.ctx.df.stages:
            if not stage.name:
                continue
            name = stage.name.lower()  # BuildKit lowercases stage names when it reads FROM
            if name in seen:
                yield self.check_hit(stage.from_, f"Duplicate stage name {go_quote(name)}, stage names should be unique")
            seen.add(name)
