"""DL3022: COPY --from should reference a previously defined FROM alias."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule


def looks_like_image(ref: str) -> bool:
    """``--from`` naming an image rather than a stage: a tag, a registry or path, or a digest."""
    return any(ch in ref for ch in ":/@")


@register
class DL3022(InstructionRule):
    code = "DL3022"
    level = "warning"
    message = "`COPY --from` should reference a previously defined `FROM` alias"
    name = "copy-from-undefined"
    needs_instructions = ("COPY",)

    def check(self, ins):
        if ins.keyword != "COPY" or ins.parent is not None:
            return
        flag = ins.flag("from")
        if flag is None or not flag.value:
            return
        ref = flag.value
        if "$" in ref or looks_like_image(ref):
            return
        current = ins.stage.index if ins.stage is not None else -1
        if ref.isdigit():
            if int(ref) <= current:  # a stage index: an earlier stage (its own index is DL3023's)
                return
        else:
            named = self.ctx.df.stage_named(ref)
            if named is not None and named.index <= current:
                return
        yield self.hit(flag)
