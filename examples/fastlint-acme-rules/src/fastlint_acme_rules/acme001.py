"""ACME001: base images come from ACME's registry; Docker Hub's through its mirror."""

from fastlint.engine.rule import Edit, StageRule

REGISTRY = "registry.acme.io"
MIRROR = f"{REGISTRY}/dockerhub/"  # Docker Hub, mirrored: registry.acme.io/dockerhub/library/node:20
DOCKER_HUB = ("docker.io", "index.docker.io", "registry-1.docker.io")


class ACME001(StageRule):
    code = "ACME001"
    level = "error"
    message = "Base images come from registry.acme.io"
    name = "acme-registry-only"
    fix_safety = "unsafe"

    def start_stage(self, stage):
        image = stage.image  # None for scratch and for an earlier stage
        if image is None or stage.unresolved or (image.registry or "").lower() == REGISTRY:
            return
        ins = stage.from_
        word = ins.words[0] if ins.words else None
        fix = None
        if word is not None and (image.registry is None or image.registry.lower() in DOCKER_HUB) \
                and word.text == word.raw and "$" not in word.raw:
            name = word.raw.split("/", 1)[1] if image.registry else word.raw  # without docker.io/
            mirrored = MIRROR + (name if "/" in image.repository else f"library/{name}")
            fix = self.fix(Edit(word.start, word.end, mirrored), description=f"pull {mirrored} from the mirror")
        yield self.hit(word if word is not None else ins, fix=fix)
