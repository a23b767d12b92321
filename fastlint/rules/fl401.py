"""FL401: source copied before the dependency install, so every source change re-runs the install."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import FileRule
from .fl_common import Spot, chain, commands, copy_sources, npm_install

# Files a dependency install may need besides the manifests: copying them first keeps the install cached.
INSTALL_FILES = frozenset({
    "package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
    "pnpm-workspace.yaml", ".npmrc", ".yarnrc", ".yarnrc.yml", ".yarn", ".pnpmfile.cjs", "lerna.json",
    "patches", ".nvmrc", ".node-version",
})


def is_install_file(source: str) -> bool:
    """A manifest, lockfile or package-manager setting (``package*.json`` included)."""
    name = source.rstrip("/").rsplit("/", 1)[-1]
    if name in INSTALL_FILES:
        return True
    return (name.startswith("package") and name.endswith(".json")) or name.endswith(".lock")


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
                            yield self.hit(Spot(sources[0].start, sources[-1].end),
                                           f"'{names}' is copied before the dependency install (line {ins.line}): "
                                           f"any change to it re-runs the install; copy package*.json first, "
                                           f"install, then copy the source")
                before.append(ins)
