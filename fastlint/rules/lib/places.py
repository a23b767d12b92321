"""Where an edit can insert a line: before the comment lines above an instruction, just after an instruction,
at the end of a stage, before a stage's trailing CMD/ENTRYPOINT."""

from __future__ import annotations

from ...engine.rule import Edit


# -- editing -----------------------------------------------------------------------------------------------------
def line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def before_comments(df, ins) -> int:
    """The offset where a new line can go in front of an instruction: above the comment lines directly above it."""
    text = df.text
    pos = line_start(text, ins.start if ins.start <= ins.keyword_start else ins.keyword_start)
    while pos > 0:
        prev = line_start(text, pos - 1)
        if text[prev:pos].lstrip().startswith("#") and not _is_directive_line(df, prev):
            pos = prev
        else:
            break
    return pos


def _is_directive_line(df, offset: int) -> bool:
    return any(d.start <= offset < d.end for d in df.directives)


def after_instruction(df, ins) -> tuple[int, str]:
    """(offset, prefix) to insert a new line after an instruction: just after its last line; ``prefix`` is a
    newline when the file does not end with one."""
    text = df.text
    end = ins.end
    if ins.heredocs:
        end = max(end, max(h.terminator_end for h in ins.heredocs))
    nl = text.find("\n", max(end - 1, ins.keyword_end))
    if nl == -1:
        return len(text), "\n"
    return nl + 1, ""


def open_continuation(df) -> int | None:
    """The offset of the escape character that leaves the file's last instruction open at the end of the file
    (``RUN a \\`` followed by nothing but blank and comment lines), else None. A line added after it would
    join that instruction (``RUN a USER nodejs``)."""
    if not df.instructions or df.instructions[-1].heredocs:
        return None
    start = df.instructions[-1].keyword_start
    offset = len(df.text)
    for line in reversed(df.text[start:].splitlines(keepends=True)):
        offset -= len(line)
        body = line.strip()
        if body and not body.startswith("#"):
            kept = line.rstrip()
            return offset + len(kept) - 1 if kept.endswith(df.escape) else None
    return None


def insert_lines(df, at: int, prefix: str, text: str):
    """The edit that inserts ``prefix + text`` (whole lines) at ``at`` (from ``after_instruction`` and the like).
    When the file ends in an open line continuation before ``at``, the same edit removes its escape character
    (at the end of the file it continues nothing), so that the new lines do not join the last instruction."""
    esc = open_continuation(df)
    if esc is not None and esc < at:
        return Edit(esc, at, df.text[esc + 1:at] + prefix + text)
    return Edit(at, at, prefix + text)


def stage_end(df, stage) -> tuple[int, str]:
    """Where a line can be appended to a stage: after its last instruction."""
    last = stage.instructions[-1] if stage.instructions else stage.from_
    return after_instruction(df, last)


def trailing_insert_point(df, stage) -> tuple[int, str]:
    """Where to insert USER/HEALTHCHECK/EXPOSE in a stage: before the trailing CMD/ENTRYPOINT (and the metadata
    around them), else after the stage's last instruction."""
    first = None
    for ins in stage.instructions:
        if ins.keyword in ("CMD", "ENTRYPOINT"):
            if first is None:
                first = ins
        elif ins.keyword in ("RUN", "COPY", "ADD", "WORKDIR", "USER", "ONBUILD"):
            first = None
    if first is not None:
        return before_comments(df, first), ""
    return stage_end(df, stage)


def comments_inside(df, ins) -> str:
    """The comment lines inside an instruction's continuation, each a line of its own, as a fix that removes the
    instruction writes them back in its place (BuildKit drops them from the instruction; the author wrote them)."""
    text = df.text
    out = []
    for c in df.comments:
        if c.inside and ins.start <= c.start < ins.end:
            line = text[c.start:c.end].lstrip(" \t")
            out.append(line if line.endswith("\n") else line + "\n")
    return "".join(out)

