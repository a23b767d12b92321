"""DL4003: Multiple `CMD` instructions found."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import Edit, StageRule


class LastOneWins(StageRule):
    """CMD and ENTRYPOINT: within a stage only the last one takes effect, so each one after the first is
    reported, with a fix that deletes the one before it (safe: the image's configuration is the same)."""

    keyword = ""
    fix_safety = "safe"

    def __init__(self, ctx):
        super().__init__(ctx)
        self.previous = None

    def start_stage(self, stage):
        self.previous = None

    def check(self, ins):
        if ins.keyword != self.keyword or ins.parent is not None:
            return
        previous, self.previous = self.previous, ins
        if previous is None:
            return
        fix = self.fix(Edit(self._pragma_start(previous), previous.end, ""),
                       description=f"delete the earlier {self.keyword} (line {previous.line})")
        yield self.hit(ins, fix=fix)

    def _pragma_start(self, ins) -> int:
        """Where the deletion starts: the instruction, with the ignore pragmas directly above it (they belong to
        it; left behind, they would apply to the next instruction)."""
        from ..parser.tree import Comment

        items = self.ctx.df.items
        index = next((i for i, n in enumerate(items) if n is ins), None)
        start = ins.start
        while index:
            index -= 1
            node = items[index]
            words = node.text.lower().replace(":", " ").split() if isinstance(node, Comment) else []
            if len(words) < 2 or words[0] not in ("hadolint", "fastlint") or not words[1].startswith("ignore"):
                break
            start = node.start
        return start


@register
class DL4003(LastOneWins):
    code = "DL4003"
    level = "warning"
    message = ("Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will "
               "take effect")
    name = "multiple-cmd"
    keyword = "CMD"
