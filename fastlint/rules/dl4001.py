"""DL4001: Either use Wget or Curl but not both."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import StageRule
from ..parser.shell import command_node, run_commands


@register
class DL4001(StageRule):
    code = "DL4001"
    level = "warning"
    message = "Either use Wget or Curl but not both"
    name = "wget-and-curl"
    needs_instructions = ("RUN",)
    needs_words = ("wget",)

    def __init__(self, ctx):
        super().__init__(ctx)
        self.seen: dict[tuple[int, bool], set[str]] = {}  # (stage, inside ONBUILD) -> tools used so far

    def check(self, ins):
        if ins.keyword != "RUN":
            return
        key = (ins.stage.index if ins.stage is not None else -1, ins.parent is not None)
        seen = self.seen.setdefault(key, set())
        used = [c for c in run_commands(ins) if c.is_("curl", "wget")]
        if not used:
            return
        seen.update(c.name.rsplit("/", 1)[-1] for c in used)
        if len(seen) >= 2:
            yield self.hit(command_node(ins, used[-1]))
