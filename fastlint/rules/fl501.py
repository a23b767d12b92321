"""FL501: the production stage has no HEALTHCHECK."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import FileRule
from .lib.health import healthcheck_text
from .lib.places import insert_lines, trailing_insert_point


@register
class FL501(FileRule):
    code = "FL501"
    level = "error"
    message = "No HEALTHCHECK in the production stage"
    name = "missing-healthcheck"
    fix_safety = "safe"

    def __init__(self, ctx):
        super().__init__(ctx)
        self.has_healthcheck: set[int] = set()  # indexes of stages with a HEALTHCHECK (NONE counts as none)
        self.mentions: set[int] = set()  # indexes of stages with any HEALTHCHECK instruction (NONE included)

    def check(self, ins):
        if ins.keyword == "HEALTHCHECK" and ins.parent is None and ins.stage is not None:
            self.mentions.add(ins.stage.index)
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
            if stage.index in self.mentions:
                break  # HEALTHCHECK NONE: it turns off what the stage inherited
            stage = stage.parent
        yield self.hit(final.from_, f"No HEALTHCHECK in the production stage '{final.label}'", fix=self._fix(final))

    def _fix(self, final):
        """The standard's health check for the service (known from the matrix), before the final CMD. Safe: it
        adds only metadata the standard asks for (FL504 then checks the probe is in the image)."""
        service = self.ctx.service
        if service is None or final.index in self.mentions:
            return None
        at, prefix = trailing_insert_point(self.ctx.df, final)
        text = (f"HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 {self.ctx.df.escape}\n"
                f"    {healthcheck_text(service)}\n")
        return self.fix(insert_lines(self.ctx.df, at, prefix, text),
                        description=f"add the {service.type} health check of {service.name}")
