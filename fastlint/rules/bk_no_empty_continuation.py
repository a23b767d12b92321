"""NoEmptyContinuation (BuildKit): empty continuation lines will become errors in a future release."""

from __future__ import annotations

import re

from ..engine.registry import register
from ..engine.rule import Edit, FileRule
from .lib.buildkit import BuildKitCheck

_WARNING = re.compile(r"^line (\d+): empty continuation line$")


@register
class NoEmptyContinuation(BuildKitCheck, FileRule):
    code = "NoEmptyContinuation"
    message = "Empty continuation lines will become errors in a future release"
    check_scope = "file"
    fix_safety = "safe"

    def finish(self):
        df = self.ctx.df
        empty = [int(m.group(1)) for m in map(_WARNING.match, df.warnings) if m]
        if not empty:
            return
        for ins in df.instructions:
            lines = [n for n in empty if ins.line < n <= ins.end_line]
            if not lines:
                continue
            # BuildKit reports the instruction's last line (before any heredoc body)
            last = ins.heredocs[0].body_line - 1 if ins.heredocs else ins.end_line
            start, end = df.source.line_span(last)
            # the parser drops empty continuation lines: deleting them leaves the same instruction
            edits = [Edit(df.source.line_starts[n - 1], df.source.line_starts[n] if n < df.source.line_count
                          else len(df.text), "") for n in lines]
            fix = self.fix(*edits, description="delete the empty continuation lines")
            yield self.check_hit(_Span(start, end), "Empty continuation line", fix)


class _Span:
    def __init__(self, start: int, end: int):
        self.start, self.end = start, end
