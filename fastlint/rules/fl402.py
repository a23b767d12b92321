"""FL402: the dependency manifests are not copied on their own before the install."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import FileRule
from .fl401 import is_install_file
from .fl_common import chain, command_spot, commands, copy_sources, npm_install

MANIFESTS = ("package.json", "package*.json", "package*", "yarn.lock", "pnpm-lock.yaml", "npm-shrinkwrap.json",
             "package-lock.json")


def manifest_copy(ins) -> bool:
    """COPY/ADD of install files only, package.json among them (from the context or from another stage)."""
    if ins.keyword not in ("COPY", "ADD"):
        return False
    sources = copy_sources(ins)
    if not sources or not all(is_install_file(w.text) for w in sources):
        return False
    return any(w.text.rstrip("/").rsplit("/", 1)[-1] in MANIFESTS for w in sources)


def bind_mounts_manifest(ins) -> bool:
    """``RUN --mount=type=bind,source=package.json,...``: the manifests are bound, not copied."""
    for f in ins.flags:
        if f.name == "mount" and f.value and "bind" in f.value:
            parts = dict(p.split("=", 1) for p in f.value.split(",") if "=" in p)
            src = parts.get("source", parts.get("src", ""))
            if src.rsplit("/", 1)[-1] in MANIFESTS:
                return True
    return False


@register
class FL402(FileRule):
    code = "FL402"
    level = "warning"
    message = "Dependency manifests (package.json, package-lock.json) not copied on their own before the install"
    name = "copy-manifests-first"

    def finish(self):
        for stage in self.ctx.df.stages:
            before = [ins for s in chain(stage)[:-1] for ins in s.instructions]
            for ins in stage.instructions:
                if ins.keyword == "RUN" and not bind_mounts_manifest(ins):
                    installs = [(c, s) for c, s in commands(ins) if npm_install(c)]
                    if installs and not any(manifest_copy(b) for b in before):
                        cmd, script = installs[0]
                        yield self.hit(command_spot(script, cmd),
                                       "The dependency install runs without package.json and the lockfile copied "
                                       "on their own first (COPY package*.json ./ before it), so its layer is "
                                       "rebuilt whenever any file changes")
                before.append(ins)
