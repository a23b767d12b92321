"""FL501: the production stage has no HEALTHCHECK."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import FileRule


@register
class FL501(FileRule):
    code = "FL501"
    level = "error"
    message = "No HEALTHCHECK in the production stage"
    name = "missing-healthcheck"

    def __init__(self, ctx):
        super().__init__(ctx)
        self.has_healthcheck: set[int] = set()  # indexes of stages with a HEALTHCHECK (NONE counts as none)

    def check(self, ins):
        if ins.keyword == "HEALTHCHECK" and ins.parent is None and ins.stage is not None:
            if ins.value and ins.value[0].upper() != "NONE":
                self.has_healthcheck.add(ins.stage.index)
            else:
                self.has_healthcheck.discard(ins.stage.index)

    def finish(self):
        final = self.ctx.final_stage
        if final is None:
            return
        # a HEALTHCHECK is inherited from the stage the final stage builds on
        stage = final
        while stage is not None:
            if stage.index in self.has_healthcheck:
                return
            stage = stage.parent
        yield self.hit(final.from_, f"No HEALTHCHECK in the production stage '{final.label}'")
