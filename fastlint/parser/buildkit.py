"""The syntax tree as BuildKit's parser reports it (the ``fastlint parse --format json`` contract of the SPEC)."""

from __future__ import annotations

from .tree import Dockerfile


def to_buildkit(df: Dockerfile) -> list[dict]:
    """One dict per instruction, in file order, field for field what BuildKit's parser gives."""
    out = []
    for ins in df.instructions:
        target = ins.sub if ins.sub is not None else ins
        out.append(
            {
                "instruction": ins.keyword,
                "sub_instruction": ins.sub.keyword if ins.sub is not None else None,
                "line": ins.line,
                "end_line": ins.end_line,
                "flags": [f.raw for f in ins.flags],
                "value": list(ins.value),
                "json": target.json,
                "heredocs": [{"name": h.name, "content": h.content} for h in target.heredocs],
            }
        )
    return out
