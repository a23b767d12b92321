"""DL3000: Use absolute WORKDIR."""

from __future__ import annotations

import posixpath

from ..engine.registry import register
from ..engine.rule import Edit, InstructionRule
from .lib.files import drop_quotes


def is_absolute(path: str) -> bool:
    """Absolute for WORKDIR: ``/...``, a variable (``$HOME/x``: unknown, given the benefit of the doubt), or a
    Windows drive (``C:\\``, ``C:/``)."""
    p = drop_quotes(path)
    return p.startswith(("/", "$")) or (len(p) >= 2 and p[0].isalpha() and p[1] == ":")


@register
class DL3000(InstructionRule):
    code = "DL3000"
    level = "error"
    message = "Use absolute WORKDIR"
    name = "absolute-workdir"
    fix_safety = "safe"
    needs_instructions = ("WORKDIR",)

    def check(self, ins):
        if ins.keyword != "WORKDIR" or not ins.value or not ins.words:
            return
        if is_absolute(ins.value[0]):
            return
        yield self.hit(ins.words[0], fix=self._fix(ins))

    def _fix(self, ins):
        """The same directory written absolute, when the directory it is relative to is known: the last WORKDIR
        before it in the stage or in the stages it builds on, or ``/`` for a stage built from scratch. Safe:
        Docker resolves a relative WORKDIR against exactly that directory, so the image is the same."""
        if ins.parent is not None or ins.stage is None or len(ins.words) != 1:
            return None
        rel = drop_quotes(ins.value[0])
        if "$" in rel or "\\" in rel or not rel:
            return None
        base = workdir_before(ins)
        if base is None:
            return None
        path = posixpath.normpath(posixpath.join(base, rel))
        word = ins.words[0]
        quote = word.raw[0] if word.raw[:1] in ("'", '"') and word.raw[-1:] == word.raw[:1] else ""
        if not quote and any(ch.isspace() for ch in path):
            quote = '"'
        return self.fix(Edit(word.start, word.end, f"{quote}{path}{quote}"),
                        description=f"write the WORKDIR as the absolute path {path}")


def workdir_before(ins) -> str | None:
    """The absolute working directory in effect just before ``ins`` (None when unknown: an image's own WORKDIR,
    or a variable)."""
    stage = ins.stage
    index = stage.instructions.index(ins) if ins in stage.instructions else len(stage.instructions)
    return _stage_workdir(stage, index, 0)


def _stage_workdir(stage, upto: int, depth: int) -> str | None:
    if depth > 64:
        return None
    parts: list[str] = []
    for i in reversed(stage.instructions[:upto]):
        if i.keyword != "WORKDIR" or i.parent is not None or not i.value:
            continue
        p = drop_quotes(i.value[0])
        if "$" in p or "\\" in p or (len(p) >= 2 and p[1] == ":"):
            return None
        parts.append(p)
        if p.startswith("/"):
            break
    else:
        if stage.parent is not None:
            base = _stage_workdir(stage.parent, len(stage.parent.instructions), depth + 1)
        elif stage.resolved.lower() == "scratch":
            base = "/"
        else:
            return None  # the base image may set its own WORKDIR
        if base is None:
            return None
        parts.append(base)
    path = "/"
    for p in reversed(parts):
        path = posixpath.join(path, p)
    return posixpath.normpath(path)
