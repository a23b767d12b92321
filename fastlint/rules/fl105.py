"""FL105: build tools installed in the production stage."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import FileRule
from ..parser.tree import Node
from .lib.packages import package_ops
from .lib.run import commands
from .lib.stages import chain, describe

# The standard's build tools, with the same tools under their other distributions' names.
BUILD_TOOLS = frozenset({
    "build-base", "build-essential", "gcc", "g++", "make", "cmake", "clang", "python3", "python", "python2",
    "git", "musl-dev", "libc-dev", "libc6-dev", "linux-headers", "autoconf", "automake", "libtool",
})


@register
class FL105(FileRule):
    code = "FL105"
    level = "error"
    message = "Build tools installed in the production stage"
    name = "no-build-tools"

    def finish(self):
        final = self.ctx.final_stage
        if final is None:
            return
        installed: dict[str, tuple[Node, object, str | None]] = {}  # package -> (where, stage, virtual name)
        for stage in chain(final):
            for ins in stage.instructions:
                if ins.keyword != "RUN":
                    continue
                for cmd, script in commands(ins):
                    op = package_ops(cmd)
                    if op is None:
                        continue
                    if op.op == "add":
                        for name, word in op.names:
                            if name in BUILD_TOOLS:
                                installed[name] = (Node(*script.word_span(word)), stage, op.virtual)
                    else:
                        removed = {n for n, _ in op.names}
                        for name, (_, _, virtual) in list(installed.items()):
                            if name in removed or (virtual and virtual in removed):
                                del installed[name]
        for name, (spot, stage, _) in sorted(installed.items(), key=lambda kv: kv[1][0].start):
            where = "the production stage" if stage is final else \
                f"stage {describe(stage)}, which the production stage is built FROM"
            yield self.hit(spot, f"Build tool '{name}' is installed in {where}; install build tools in the builder "
                                 f"stage only")
