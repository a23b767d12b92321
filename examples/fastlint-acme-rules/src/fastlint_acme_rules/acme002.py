"""ACME002: the image says which team owns it."""

from fastlint.engine.rule import FileRule
from fastlint.rules.lib.stages import chain_instructions

LABEL = "team"


class ACME002(FileRule):
    code = "ACME002"
    level = "warning"
    message = "The image has no `team` label"
    name = "acme-team-label"

    def finish(self):
        final = self.ctx.final_stage  # the stage that becomes the image
        if final is None:
            return
        for ins in chain_instructions(final):  # its own instructions and those of the stages it is built FROM
            if ins.keyword == "LABEL" and any(kv.key == LABEL and kv.value for kv in ins.pairs):
                return
        yield self.hit(final.from_)
