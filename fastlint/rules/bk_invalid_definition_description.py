"""InvalidDefinitionDescription (BuildKit, experimental): a comment right above a named stage or an ARG should
describe it as ``# <name> <description>``."""

from __future__ import annotations

from ..engine.checks import previous_comments
from ..engine.registry import register
from ..engine.rule import FileRule
from .lib.buildkit import BuildKitCheck


@register
class InvalidDefinitionDescription(BuildKitCheck, FileRule):
    code = "InvalidDefinitionDescription"
    # BuildKit's description goes on: "If this is not intended to be a description comment, add an empty line or
    # comment between the instruction and the comment." (the catalogue page says it)
    message = "Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`"
    default_enabled = False  # experimental: a file enables it with # check=experimental=

    def finish(self):
        df = self.ctx.df
        prev = previous_comments(df)
        for ins in df.instructions:
            comments = prev.get(ins.index)
            if not comments:
                continue
            if ins.keyword == "FROM" and ins.stage is not None and ins.stage.name:
                keys, what = [ins.stage.name.lower()], "FROM"
            elif ins.keyword == "ARG" and ins.pairs:
                keys, what = [p.key for p in ins.pairs], "ARG"
            else:
                continue
            if comments[-1].split(" ")[0] in keys:
                continue
            example = keys[0] if len(keys) == 1 else "<arg_key>"
            yield self.check_hit(ins, f"Comment for {what} should follow the format: `# {example} <description>`")
