"""FL001: an ignore pragma that turns nothing off (ruff's RUF100)."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import Edit, FileRule, Hit


@register
class FL001(FileRule):
    code = "FL001"
    level = "warning"
    message = "Unused suppression: an ignore pragma that turns nothing off"
    name = "unused-suppression"
    fix_safety = "safe"
    kinds = ("dockerfile", "kubernetes", "github", "gitlab")

    def check_suppressions(self, suppressions):
        """Engine hook: after every other rule ran on the file, each ignore pragma with the IDs of its list that
        turned nothing off (``unused``: the rule ran and kept its finding) or that name no rule (``unknown``)."""
        df = self.ctx.df
        for s in suppressions:
            if not s.unused and not s.unknown:
                continue
            parts = []
            if s.unused:
                parts.append("unused: " + ", ".join(s.unused))
            if s.unknown:
                parts.append("unknown: " + ", ".join(s.unknown))
            message = f"Unused suppression ({'; '.join(parts)})"
            if df is None:  # a YAML file: a place by line and column
                yield Hit(0, 0, message, line=s.line, column=s.column, end_line=s.line, end_column=s.end_column)
                continue
            fix = None
            if len(s.unused) == len(s.codes):  # the whole pragma turns nothing off: its line goes
                starts = df.source.line_starts
                end = starts[s.line] if s.line < len(starts) else len(df.text)
                line = df.text[starts[s.line - 1]:end]
                # the first line after the parser directives: a directive-like comment below it (# escape=`) would
                # become a directive once it is gone, so it becomes an empty line (which ends the directives too)
                keep = line[len(line.rstrip("\r\n")):] if _ends_directives(df, s.line, starts, end) else ""
                fix = self.fix(Edit(starts[s.line - 1], end, keep), description="remove the pragma")
            yield Hit(s.start, min(s.end, df.source.line_span(s.line)[1]), message, fix)  # the comment's line


def _ends_directives(df, line: int, starts, end: int) -> bool:
    """True when the pragma's line is the first after the file's parser directives and removing it would make
    the next comment line a directive."""
    if len(df.directives) != line - 1:
        return False
    from ..parser import parse

    return len(parse(df.text[:starts[line - 1]] + df.text[end:]).directives) > len(df.directives)
