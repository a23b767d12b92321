"""DL3026: Use only an allowed registry in the FROM image."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from ..parser.shell import run_mounts
from ..parser.stages import ImageRef

DOCKER_HUB = ("docker.io", "index.docker.io", "registry-1.docker.io", "hub.docker.com")


def registry_allowed(registry: str | None, allowed: list[str]) -> bool:
    """``allowed`` holds registry names, ``*`` (any) or ``*.example.com`` (any subdomain). An image without a
    registry comes from Docker Hub, which any of its names allows (docker.io, hub.docker.com, ...)."""
    pats = [a.strip().lower() for a in allowed if a.strip()]
    if not pats or "*" in pats:
        return True
    reg = (registry or "docker.io").lower()
    names = DOCKER_HUB if reg in DOCKER_HUB else (reg,)
    for p in pats:
        for name in names:
            if p == name or (p.startswith("*.") and name.endswith(p[1:])):
                return True
    return False


@register
class DL3026(InstructionRule):
    code = "DL3026"
    level = "error"
    message = "Use only an allowed registry in the FROM image"
    name = "allowed-registry"

    def check(self, ins):
        allowed = self.policy.trusted_registries
        if not allowed or ins.parent is not None:
            return
        if ins.keyword == "FROM":
            stage = ins.stage
            if stage is None or stage.parent is not None or stage.unresolved:
                return  # an earlier stage, or an image chosen by a build argument without a default
            image = stage.image
            if image is not None and not registry_allowed(image.registry, allowed):
                yield self.hit(ins.words[0] if ins.words else ins)
        elif ins.keyword == "COPY":
            flag = ins.flag("from")
            if flag is not None and flag.value and self._is_image(ins, flag.value):
                if not registry_allowed(ImageRef.parse(flag.value).registry, allowed):
                    yield self.hit(flag)
        elif ins.keyword == "RUN":
            for m in run_mounts(ins):
                ref = m.get("from")
                if ref and self._is_image(ins, ref) and not registry_allowed(ImageRef.parse(ref).registry, allowed):
                    yield self.hit(ins.flag("mount") or ins)
                    return

    def _is_image(self, ins, ref: str) -> bool:
        """``--from`` names an image, not a stage (by name or index) and not a build argument."""
        if "$" in ref or ref.isdigit():
            return False
        return self.ctx.df.stage_named(ref) is None
