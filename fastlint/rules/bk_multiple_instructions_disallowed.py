"""MultipleInstructionsDisallowed (BuildKit): multiple CMD, ENTRYPOINT or HEALTHCHECK instructions in a stage."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import StageRule
from .bk_common import BuildKitCheck

_ONCE = ("CMD", "ENTRYPOINT", "HEALTHCHECK")


@register
class MultipleInstructionsDisallowed(BuildKitCheck, StageRule):
    code = "MultipleInstructionsDisallowed"
    message = "Multiple instructions of the same type should not be used in the same stage"
    # DL4003/DL4004/DL3012 report the later instruction of the pair, this check the earlier one
    twins = {"DL4003": ("CMD",), "DL4004": ("ENTRYPOINT",), "DL3012": ("HEALTHCHECK",)}

    def __init__(self, ctx):
        super().__init__(ctx)
        self.last: dict[str, object] = {}

    def start_stage(self, stage):
        self.last = {}  # per stage: a stage built on another does not inherit these

    def check(self, ins):
        if ins.keyword not in _ONCE or not self.top_level(ins) or ins.stage is None:
            return
        previous = self.last.get(ins.keyword)
        self.last[ins.keyword] = ins
        if previous is None:
            return
        # BuildKit reports where the overridden one is, with the later one's name and its `# check=` comments
        yield self.check_hit(previous, f"Multiple {ins.keyword_raw} instructions should not be used in the same "
                                       "stage because only the last one will be used",
                             governing=ins.start, twin_at=ins.start)
