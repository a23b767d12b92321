"""ACME001: every image a build pulls comes from ACME's registry; Docker Hub's through its mirror."""

from fastlint.engine.rule import Edit, InstructionRule
from fastlint.parser.shell import run_mounts
from fastlint.parser.stages import ImageRef

REGISTRY = "registry.acme.io"
MIRROR = f"{REGISTRY}/dockerhub/"  # Docker Hub, mirrored: registry.acme.io/dockerhub/library/node:20
DOCKER_HUB = ("docker.io", "index.docker.io", "registry-1.docker.io")


class ACME001(InstructionRule):
    code = "ACME001"
    level = "error"
    message = "Images come from registry.acme.io"
    name = "acme-registry-only"
    fix_safety = "unsafe"

    def check(self, ins):
        if ins.keyword == "FROM":  # a stage's base image
            stage = ins.stage
            image = stage.image if stage is not None else None  # None for scratch and for an earlier stage
            if image is None or stage.unresolved or not self.pulled(image):  # unresolved: an ARG without default
                return
            word = ins.words[0]
            as_written = word.text == word.raw and "$" not in word.raw  # no quotes, no variable: the fix edits it
            yield self.hit(word, fix=self.mirror(image, word.start, word.end) if as_written else None)
        elif ins.keyword == "COPY":  # COPY --from=IMAGE copies out of an image, not out of a stage
            flag = ins.flag("from")
            if flag is None or not self.is_image(flag.value) or not self.pulled(ImageRef.parse(flag.value)):
                return
            as_written = flag.end - flag.start == len(flag.raw) and flag.raw.endswith(flag.value)  # no quotes
            fix = self.mirror(ImageRef.parse(flag.value), flag.end - len(flag.value), flag.end) if as_written else None
            yield self.hit(flag, fix=fix)
        elif ins.keyword == "RUN":  # RUN --mount=from=IMAGE mounts an image
            for mount in run_mounts(ins):
                ref = mount.get("from")
                if self.is_image(ref) and self.pulled(ImageRef.parse(ref)):
                    yield self.hit(ins.flag("mount") or ins)
                    return

    def is_image(self, ref):
        """``--from`` names an image: not a stage (by name or number) nor a build argument."""
        return bool(ref) and "$" not in ref and not ref.isdigit() and self.ctx.df.stage_named(ref) is None

    @staticmethod
    def pulled(image):
        """The image comes from another registry than ACME's."""
        return (image.registry or "").lower() != REGISTRY

    def mirror(self, image, start, end):
        """The fix for a Docker Hub image: the same name on ACME's mirror (other registries have no mirror)."""
        if "$" in image.raw or (image.registry or "docker.io").lower() not in DOCKER_HUB:
            return None
        name = image.raw.split("/", 1)[1] if image.registry else image.raw  # without docker.io/
        mirrored = MIRROR + (name if "/" in image.repository else f"library/{name}")
        return self.fix(Edit(start, end, mirrored), description=f"pull {mirrored} from the mirror")
