"""FL102: a standard stage is not built on the base image the policy names for it."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from ..parser.stages import ImageRef
from .fl_common import chain, normalize_image, policy_stage
from .fl_port import switch_base


def same_image(actual: ImageRef, wanted: ImageRef) -> bool:
    """True when ``actual`` is the image ``wanted`` names: same name and tag; a digest in ``wanted`` must match,
    a digest in ``actual`` alone only pins the wanted tag further."""
    a_name, a_tag, a_digest = normalize_image(actual)
    w_name, w_tag, w_digest = normalize_image(wanted)
    if a_name != w_name:
        return False
    if w_tag is not None and a_tag != w_tag:
        return False
    if w_tag is None and w_digest is None and a_tag in (None, "latest") and a_digest is None:
        return False
    return w_digest is None or a_digest == w_digest


def role(ctx, stage) -> str | None:
    """The policy stage a stage plays: its own name when it is one of the policy's stages; the stage that becomes
    the image plays the policy's last stage (production) whatever its name."""
    name = policy_stage(ctx.policy, stage)
    if name is None and stage is ctx.final_stage and ctx.policy.stages:
        name = ctx.policy.stages[-1]
    return name


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
        if same_image(root.image, ImageRef.parse(wanted)):
            return
        word = ins.words[0] if ins.words else ins
        label = f"'{stage.name}'" if stage.name else f"{stage.index} (the {name} stage: it becomes the image)"
        if root is not stage:
            yield self.hit(word, f"Stage {label} is built on '{root.resolved}' (through stage "
                                 f"'{root.name or root.index}'); the policy's base for it is '{wanted}'")
            return
        fix = refused = None
        if ins.words and stage.base == stage.resolved:
            fix, refused = switch_base(self, stage, word, wanted, f"use the policy's base {wanted}")
        why = f"; no fix: {refused}" if refused else ""
        yield self.hit(word, f"Stage {label} is built on '{root.resolved}'; the policy's base for it is "
                             f"'{wanted}'{why}", fix=fix)
