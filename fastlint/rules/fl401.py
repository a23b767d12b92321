"""FL401: source copied before the dependency install, so every source change re-runs the install."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import FileRule
from ..parser.tree import Node
from .lib.files import copy_sources
from .lib.npm import is_install_file, npm_install
from .lib.run import commands
from .lib.stages import chain


def context_copy(ins) -> bool:
    return ins.keyword in ("COPY", "ADD") and ins.flag("from") is None


@register
class FL401(FileRule):
    code = "FL401"
    level = "warning"
    message = "Source copied before the dependency install: every change busts the install's cache"
    name = "copy-source-after-install"

    def finish(self):
        reported: set[int] = set()
        for stage in self.ctx.df.stages:
            before = [ins for s in chain(stage)[:-1] for ins in s.instructions]
            for ins in stage.instructions:
                if ins.keyword == "RUN" and any(npm_install(c) for c, _ in commands(ins)):
                    for copy in before:
                        if not context_copy(copy) or copy.index in reported:
                            continue
                        sources = [w for w in copy_sources(copy) if not is_install_file(w.text)]
                        if sources:
                            reported.add(copy.index)
                            names = " ".join(w.text for w in sources)
                            yield self.hit(Node(sources[0].start, sources[-1].end),
                                           f"'{names}' is copied before the dependency install (line {ins.line}): "
                                           f"any change to it re-runs the install; copy package*.json first, "
                                           f"install, then copy the source")
                before.append(ins)
