"""DL3006: Always tag the version of an image explicitly."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule


@register
class DL3006(InstructionRule):
    code = "DL3006"
    level = "warning"
    message = "Always tag the version of an image explicitly"
    name = "untagged-image"

    def check(self, ins):
        if ins.keyword != "FROM" or ins.stage is None:
            return
        stage = ins.stage
        if stage.parent is not None or stage.image is None:  # another stage, or scratch
            return
        if stage.unresolved:
            # an image chosen by a build argument without a default: nothing to judge (hadolint issue 219)
            return
        image = stage.image
        if image.tag is None and image.digest is None:
            yield self.hit(ins.words[0] if ins.words else ins)
