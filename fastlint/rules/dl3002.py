"""DL3002: Last USER should not be root."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import FileRule


def is_root(user: str) -> bool:
    """``root`` or uid 0, with or without a group (``root:root``, ``0:0``)."""
    name = user.strip().strip("\"'").split(":", 1)[0]
    return name in ("root", "0")


@register
class DL3002(FileRule):
    code = "DL3002"
    level = "warning"
    message = "Last USER should not be root"
    name = "last-user-root"
    needs_instructions = ("USER",)

    def __init__(self, ctx):
        super().__init__(ctx)
        self.last_user: dict[int, object] = {}  # stage index -> its last USER instruction

    def check(self, ins):
        if ins.keyword == "USER" and ins.parent is None and ins.stage is not None and ins.value:
            self.last_user[ins.stage.index] = ins

    def finish(self):
        """Only the stage that becomes the image matters (hadolint issue 405: a builder stage may run as root).
        Its user is its own last USER, else the one it inherits from the stage it is built on."""
        stage = self.ctx.final_stage
        while stage is not None:
            ins = self.last_user.get(stage.index)
            if ins is not None:
                if is_root(ins.value[0]):
                    yield self.hit(ins)
                return
            stage = stage.parent
