"""FL409: the base image's Node.js major is outside what the service asks for (``engines.node``, ``.nvmrc``,
``.node-version``)."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import FileRule
from .lib.context import BuildContext
from .lib.stages import chain

@register
class FL409(FileRule):
    code = "FL409"
    level = "warning"
    message = "The base image's Node.js is not a version the service asks for"
    name = "node-version"
    docs_examples_partial = True  # the examples need the build context of a case (its package.json, .nvmrc)

    def finish(self):
        final = self.ctx.final_stage
        if final is None:
            return
        context = BuildContext(self.ctx.path)
        if not context.known:
            return
        wanted = context.project.node_version
        if wanted is None:
            return
        base = chain(final)[0]
        ref = base.resolved or ""
        from ..project.compat import image_node_major
        from ..project.manager import node_major_range

        major = image_node_major(ref)
        if major is None:
            return  # not an official node image with a major in its tag (node:lts, alpine + apk nodejs)
        low, high = node_major_range(wanted.value)
        if high is not None and major > high:
            why = f"newer than the {high} the service supports"
        elif low is not None and major < low:
            why = f"older than the {low} it needs"
        else:
            return
        spot = base.from_.words[0] if base.from_ is not None and base.from_.words else base.from_
        yield self.hit(spot, f"{ref} has Node {major}, {why} ({wanted.where}: {wanted.value}): "
                                        "test the service on it, then widen the range")
