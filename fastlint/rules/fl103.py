"""FL103: the production stage takes files from the build context (or from a stage that is not a builder or
tools stage) instead of from the builder and runtime-tools stages."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import FileRule
from ..parser.tree import Node
from .lib.files import copy_sources
from .lib.stages import chain, describe, from_stage, policy_stage


def is_url(text: str) -> bool:
    return "://" in text or text.startswith("git@")


@register
class FL103(FileRule):
    code = "FL103"
    level = "error"
    message = "The production stage takes files from the build context instead of the builder stages"
    name = "production-from-stages"

    def finish(self):
        final = self.ctx.final_stage
        if final is None or len(self.ctx.df.stages) < 2:
            return  # a single-stage file has no stage to take files from: FL101 reports the structure
        df = self.ctx.df
        first = self.policy.stages[0] if len(self.policy.stages) > 1 else None
        for stage in chain(final):
            where = "the production stage" if stage is final else \
                f"stage {describe(stage)} (the production stage is built FROM it)"
            for ins in stage.instructions:
                if ins.keyword not in ("COPY", "ADD"):
                    continue
                flag = ins.flag("from")
                sources = copy_sources(ins)
                if flag is None:
                    local = [w for w in sources if not (ins.keyword == "ADD" and is_url(w.text))]
                    if local:
                        names = " ".join(w.text for w in local)
                        yield self.hit(Node(local[0].start, local[-1].end),
                                       f"{where} copies '{names}' from the build context; take files only from "
                                       f"the builder and runtime-tools stages")
                    continue
                src = from_stage(df, stage, flag.value)
                if src is None:
                    yield self.hit(flag, f"{where} copies from the external image '{flag.value}'; take tools from "
                                         f"the runtime-tools stage")
                elif first is not None and policy_stage(self.policy, src) == first:
                    yield self.hit(flag, f"{where} copies from the '{src.name}' stage, which holds every "
                                         f"dependency including devDependencies; copy from the builder stage")
