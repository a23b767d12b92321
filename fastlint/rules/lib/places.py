"""Where an edit can insert a line: before the comment lines above an instruction, just after an instruction,
at the end of a stage, before a stage's trailing CMD/ENTRYPOINT."""

from __future__ import annotations


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
