"""ACME004: no stage is built on ``latest``."""

from fastlint.engine.rule import InstructionRule


class ACME004(InstructionRule):
    code = "ACME004"
    level = "warning"
    message = "A stage is built on `latest` (or on no tag)"
    name = "acme-no-latest"

    def check(self, ins):
        stage = ins.stage
        if ins.keyword != "FROM" or stage is None or stage.unresolved:
            return
        image = stage.image  # None for scratch and for an earlier stage
        if image is not None and image.digest is None and image.tag in (None, "latest"):
            yield self.hit(ins.words[0] if ins.words else ins)
