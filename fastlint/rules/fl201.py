"""FL201: a base image that is not on the policy's allow list, or not pinned to a tag the policy accepts."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from ..parser.stages import ImageRef
from .lib.images import normalize_image, same_image
from .lib.port import switch_base
from .lib.stages import role


def allowed_images(policy) -> list[str]:
    """The bases of the policy's stages, then its extra allowed images, without repeats."""
    return list(dict.fromkeys(list(policy.bases.values()) + list(policy.allowed_images)))


def accepted(image: ImageRef, allowed: list[str]) -> bool:
    """An allowed entry with a tag (or digest) accepts exactly that; an entry without one accepts any pinned
    tag of that image (not ``latest``, not an untagged reference)."""
    for entry in allowed:
        if same_image(image, ImageRef.parse(entry)):
            return True
    return False


@register
class FL201(InstructionRule):
    code = "FL201"
    level = "error"
    message = "Base image not on the policy's allow list or not pinned to a tag the policy accepts"
    name = "base-image-allow-list"
    fix_safety = "unsafe"

    def check(self, ins):
        if ins.keyword != "FROM" or ins.stage is None or ins.parent is not None:
            return
        stage = ins.stage
        if stage.parent is not None or stage.image is None or stage.unresolved:
            return  # another stage, scratch, or chosen by a build argument without a default
        allowed = allowed_images(self.policy)
        image = stage.image
        if accepted(image, allowed):
            return
        word = ins.words[0] if ins.words else ins
        _, tag, digest = normalize_image(image)
        if tag in (None, "latest") and digest is None:
            why = "is not pinned (latest or no tag)"
        else:
            why = "is not on the policy's allow list"
        replacement = self._replacement(stage, image, allowed)
        fix = refused = None
        if replacement and ins.words and stage.base == stage.resolved:
            fix, refused = switch_base(self, stage, word, replacement, f"use {replacement}")
        hint = f"; use {replacement}" if replacement else f" ({', '.join(allowed)})"
        hint += f"; no fix: {refused}" if refused else ""
        yield self.hit(word, f"Base image '{stage.resolved}' {why}{hint}", fix=fix)

    def _replacement(self, stage, image, allowed) -> str | None:
        """The policy's base for the stage's name; else the one allowed image of the same repository."""
        name = role(self.ctx, stage)
        if name and self.policy.bases.get(name):
            return self.policy.bases[name]
        repo = normalize_image(image)[0]
        same = {e for e in allowed if normalize_image(ImageRef.parse(e))[0] == repo
                and ImageRef.parse(e).tag is not None}
        if len(same) == 1:
            return same.pop()
        return None
