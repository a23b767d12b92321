"""InvalidDefaultArgInFrom (BuildKit): the global ARGs' defaults give an empty or invalid base image name."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import FileRule
from .lib.buildkit import BuildKitCheck, LexError, expand, file_meta_args, valid_reference


@register
class InvalidDefaultArgInFrom(BuildKitCheck, FileRule):
    code = "InvalidDefaultArgInFrom"
    message = "Default value for global ARG results in an empty or invalid base image name"
    check_scope = "file"

    def finish(self):
        df = self.ctx.df
        env, _, ok = file_meta_args(self.ctx)  # the defaults alone, as if no --build-arg were given
        if not ok:
            return
        for stage in df.stages:
            try:
                result = expand(stage.base, env, df.escape).text
            except LexError:
                return  # BuildKit stops the check (and fails the build later)
            if not valid_reference(result):
                yield self.check_hit(stage.from_, f"Default value for ARG {stage.base} results in empty or invalid "
                                                  "base image name")
