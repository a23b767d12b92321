"""FL102: a standard stage is not built on the base image the policy names for it."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from ..parser.stages import ImageRef
from .lib.images import same_image
from .lib.port import switch_base
from .lib.stages import chain, role


@register
class FL102(InstructionRule):
    code = "FL102"
    level = "error"
    message = "The stage's base image is not the one the policy names for it"
    name = "stage-base-image"
    fix_safety = "unsafe"

    def check(self, ins):
        if ins.keyword != "FROM" or ins.stage is None or ins.parent is not None:
            return
        stage = ins.stage
        name = role(self.ctx, stage)
        wanted = self.policy.bases.get(name) if name else None
        if not wanted:
            return
        root = chain(stage)[0]
        if root.unresolved or root.image is None:
            return  # chosen by a build argument without a default, or scratch: nothing to judge
        wanted_ref = ImageRef.parse(wanted)
        if same_image(root.image, wanted_ref):
            return
        word = ins.words[0] if ins.words else ins
        label = f"'{stage.name}'" if stage.name else f"{stage.index} (the {name} stage: it becomes the image)"
        if root is not stage:
            yield self.hit(word, f"Stage {label} is built on '{root.resolved}' (through stage "
                                 f"'{root.name or root.index}'); the policy's base for it is '{wanted}'")
            return
        fix = refused = None
        # (no fix to an untagged policy base: `FROM node` would not meet it either, only a pinned tag does)
        if ins.words and stage.base == stage.resolved and same_image(wanted_ref, wanted_ref):
            fix, refused = switch_base(self, stage, word, wanted, f"use the policy's base {wanted}")
        why = f"; no fix: {refused}" if refused else ""
        yield self.hit(word, f"Stage {label} is built on '{root.resolved}'; the policy's base for it is "
                             f"'{wanted}'{why}", fix=fix)
