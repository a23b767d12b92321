"""FL202: a base image not pinned by digest (off by default)."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule


@register
class FL202(InstructionRule):
    code = "FL202"
    level = "info"
    message = "Base image not pinned by digest"
    name = "base-image-digest"
    default_enabled = False

    def check(self, ins):
        if ins.keyword != "FROM" or ins.stage is None or ins.parent is not None:
            return
        stage = ins.stage
        if stage.parent is not None or stage.image is None or stage.unresolved:
            return
        if stage.image.digest is None:
            word = ins.words[0] if ins.words else ins
            yield self.hit(word, f"Base image '{stage.resolved}' is not pinned by digest "
                                 f"(pin it as {stage.resolved}@sha256:...)")
