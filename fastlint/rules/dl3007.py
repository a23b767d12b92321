"""DL3007: Using latest is prone to errors if the image will ever update."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule


@register
class DL3007(InstructionRule):
    code = "DL3007"
    level = "warning"
    message = ("Using latest is prone to errors if the image will ever update. Pin the version explicitly to a "
               "release tag")
    name = "latest-tag"

    def check(self, ins):
        if ins.keyword != "FROM" or ins.stage is None:
            return
        image = ins.stage.image
        if image is not None and ins.stage.parent is None and image.tag == "latest" and image.digest is None:
            yield self.hit(ins.words[0] if ins.words else ins)
