"""DL3045: `COPY` to a relative destination without `WORKDIR` set."""

from __future__ import annotations

import re

from ..engine.registry import register
from ..engine.rule import StageRule

_WINDOWS_ABSOLUTE = re.compile(r"^[A-Za-z]:[\\/]")


def destination(ins) -> tuple[str, object] | None:
    """The destination of a COPY (its last argument) and the node to report."""
    if ins.json:
        return (ins.value[-1], ins) if len(ins.value) >= 2 else None
    if len(ins.words) < 2:
        return None
    word = ins.words[-1]
    return word.text, word


@register
class DL3045(StageRule):
    code = "DL3045"
    level = "warning"
    message = "`COPY` to a relative destination without `WORKDIR` set."
    name = "copy-relative-without-workdir"
    needs_instructions = ("COPY",)

    def __init__(self, ctx):
        super().__init__(ctx)
        self.workdir: dict[int, bool] = {}  # stage index (-1 before the first FROM) -> a WORKDIR is set
        self.onbuild_workdir: dict[int, bool] = {}  # an ONBUILD WORKDIR ran before (for ONBUILD COPY)

    def start_stage(self, stage):
        # a stage built FROM another starts with that stage's WORKDIR
        self.workdir[stage.index] = stage.parent is not None and self.workdir.get(stage.parent.index, False)

    def check(self, ins):
        key = ins.stage.index if ins.stage is not None else -1
        if ins.keyword == "WORKDIR":
            if ins.parent is None:
                self.workdir[key] = True
            else:
                self.onbuild_workdir[key] = True
            return
        if ins.keyword != "COPY":
            return
        if self.workdir.get(key, False) or (ins.parent is not None and self.onbuild_workdir.get(key, False)):
            return
        found = destination(ins)
        if found is None:
            return
        dest, node = found
        dest = dest.strip("\"'")
        if dest.startswith("/") or dest.startswith("$") or _WINDOWS_ABSOLUTE.match(dest):
            return
        yield self.hit(node)
