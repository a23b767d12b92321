"""FL410: a dependency's installed version is known not to run on the Node.js major of the image's base (the table
``fastlint/project/node_compat.json``, each row with its evidence)."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import FileRule
from .lib.context import BuildContext
from .lib.stages import chain


@register
class FL410(FileRule):
    code = "FL410"
    level = "error"
    message = "A dependency's version does not run on the base image's Node.js"
    name = "dependency-node-version"
    docs_examples_partial = True  # the examples need the build context of a case (its package.json)

    def finish(self):
        final = self.ctx.final_stage
        if final is None:
            return
        context = BuildContext(self.ctx.path)
        if not context.known:
            return  # (before any import of fastlint.project: the lint path of a lone Dockerfile stays small)
        base = chain(final)[0]
        ref = base.resolved or ""
        from ..project.compat import image_node_major

        major = image_node_major(ref)
        if major is None:
            return  # not an official node image with a major in its tag (node:lts, alpine + apk nodejs)
        spot = base.from_.words[0] if base.from_ is not None and base.from_.words else base.from_
        for found in context.project.breakages(major):
            b = found.value
            yield self.hit(spot, f"{b.describe(found.where)} ({ref}): {b.remedy}")
