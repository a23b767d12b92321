"""MultipleInstructionsDisallowed (BuildKit): multiple CMD, ENTRYPOINT or HEALTHCHECK instructions in a stage."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import StageRule
from .lib.buildkit import BuildKitCheck, triggers

# each instruction's hadolint twin, which reports the later instruction of the pair (this check the earlier one)
_ONCE = {"CMD": "DL4003", "ENTRYPOINT": "DL4004", "HEALTHCHECK": "DL3012"}


@register
class MultipleInstructionsDisallowed(BuildKitCheck, StageRule):
    code = "MultipleInstructionsDisallowed"
    message = "Multiple instructions of the same type should not be used in the same stage"
    needs_instructions = ("CMD", "ENTRYPOINT", "HEALTHCHECK")
    same_as = ("DL4003", "DL4004", "DL3012")
    off_with = ("DL4003", "DL4004", "DL3012")

    def __init__(self, ctx):
        super().__init__(ctx)
        self.last: dict[str, object] = {}

    def start_stage(self, stage):
        self.last = {}  # per stage: a stage built on another does not inherit these
        # the ONBUILD triggers of the stage it is built on run first, reported at this stage's FROM (BuildKit)
        for _, trigger in triggers(stage):
            yield from self._used(trigger, stage.from_)

    def check(self, ins):
        if self.top_level(ins) and ins.stage is not None:
            yield from self._used(ins, ins)

    def _used(self, ins, site):
        """``ins`` runs at ``site`` (itself, or the FROM where a trigger runs)."""
        if ins.keyword not in _ONCE:
            return
        previous = self.last.get(ins.keyword)
        self.last[ins.keyword] = site
        if previous is None:
            return
        # BuildKit reports where the overridden one is, with the later one's name and its `# check=` comments
        h = self.check_hit(previous, f"Multiple {ins.keyword_raw} instructions should not be used in the same "
                                     "stage because only the last one will be used", about=ins.keyword_start)
        h.same_as = (_ONCE[ins.keyword],)
        yield h
