"""DL3059: Multiple consecutive `RUN` instructions. Consider consolidation.

Two RUNs in a row, each with a single command and the same flags, could be one layer. Only the stages whose
layers make the image are judged: the final stage (or the policy's target) and the stages it is built FROM. A
build stage's layers are thrown away after its files are copied out, and separate RUNs there are separate cache
steps, which is what a build stage wants (hadolint issue 1056).
"""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import FileRule
from ..parser.shell import run_commands


@register
class DL3059(FileRule):
    code = "DL3059"
    level = "info"
    message = "Multiple consecutive `RUN` instructions. Consider consolidation."
    name = "consecutive-run"
    needs_instructions = ("RUN",)

    def __init__(self, ctx):
        super().__init__(ctx)
        self.previous: tuple[list, int] | None = None  # (flags, command count) of the RUN just before
        final = ctx.final_stage
        self.image_stages: set[int] = set()
        while final is not None:
            self.image_stages.add(final.index)
            final = final.parent

    def check(self, ins):
        if ins.parent is not None:  # the RUN inside ONBUILD: the ONBUILD already broke the sequence
            return
        if ins.keyword != "RUN":
            self.previous = None
            return
        if ins.stage is not None and ins.stage.index not in self.image_stages:
            self.previous = None
            return
        flags = [(f.name, f.value) for f in ins.flags]
        count = len(run_commands(ins))
        previous, self.previous = self.previous, (flags, count)
        if previous is None or previous[0] != flags or count > 1 or previous[1] > 1:
            return
        yield self.hit(ins)
