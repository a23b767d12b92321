"""DL3057: `HEALTHCHECK` instruction missing.

Off by default (hadolint's level "ignore"); FL501 checks the production stage. When selected, it decides as
hadolint does: a stage has a health check when it (or a stage it is built FROM) has a HEALTHCHECK
(``HEALTHCHECK NONE`` counts: the choice is explicit), and the stages a checked stage is built on are excused.
Unlike hadolint, a stage that a later stage copies from (``COPY --from``) is excused too: it is a build stage.
"""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import FileRule
from .lib.stages import from_stage


@register
class DL3057(FileRule):
    code = "DL3057"
    level = "info"
    message = "`HEALTHCHECK` instruction missing."
    name = "healthcheck-missing"
    default_enabled = False

    def __init__(self, ctx):
        super().__init__(ctx)
        self.good: set[int] = set()
        self.bad: set[int] = set()
        self.stages: dict[int, object] = {}
        self.current = None

    def check(self, ins):
        if ins.parent is not None:
            return
        if ins.keyword == "FROM" and ins.stage is not None:
            stage = ins.stage
            self.stages[stage.index] = stage
            if stage.parent is not None and stage.parent.index in self.good:
                self.good.add(stage.index)
            else:
                self.bad.add(stage.index)
            self.current = stage
        elif ins.keyword == "COPY" and self.current is not None:
            # a stage that a later stage copies files from is a build stage, not an image: excused
            stage = from_stage(self.ctx.df, self.current, ins.flag_value("from"))
            if stage is not None:
                self.bad.discard(stage.index)
        elif ins.keyword == "HEALTHCHECK" and self.current is not None:
            stage = self.current
            while stage is not None:  # this stage and the stages it is built on
                self.bad.discard(stage.index)
                self.good.add(stage.index)
                stage = stage.parent

    def finish(self):
        for index in sorted(self.bad):
            yield self.hit(self.stages[index].from_)
