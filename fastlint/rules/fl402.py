"""FL402: the dependency manifests (package.json and its lockfile) are not copied on their own before the
install."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import FileRule
from ..parser.tree import Node
from .lib.files import copy_sources
from .lib.npm import NEEDS, is_install_file, npm_install
from .lib.run import commands
from .lib.stages import chain

LOCKFILES = ("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml")
WILDCARDS = ("package*.json", "package*", "package*.json*")


def _base(source: str) -> str:
    return source.rstrip("/").rsplit("/", 1)[-1]


def manifest_copy(ins) -> bool:
    """COPY/ADD of install files only (manifests, lockfiles, package-manager settings), package.json among them."""
    if ins.keyword not in ("COPY", "ADD"):
        return False
    sources = copy_sources(ins)
    if not sources or not all(is_install_file(w.text) for w in sources):
        return False
    return any(_base(w.text) in ("package.json",) + WILDCARDS for w in sources)


def has_lockfile(ins) -> bool:
    return any(_base(w.text) in LOCKFILES + WILDCARDS for w in copy_sources(ins))


def brings_manifest(ins) -> bool:
    """A COPY/ADD from the build context that can bring package.json along with other files (``COPY . .``)."""
    if ins.keyword not in ("COPY", "ADD") or ins.flag("from") is not None:
        return False
    for w in copy_sources(ins):
        b = _base(w.text)
        if w.text in (".", "./", "*", "/") or b in ("package.json",) + WILDCARDS or "*" in b:
            return True
    return False


def bind_mounts_manifest(ins) -> bool:
    """``RUN --mount=type=bind,source=package.json,...``: the manifests are bound, not copied."""
    for f in ins.flags:
        if f.name == "mount" and f.value and "bind" in f.value:
            parts = dict(p.split("=", 1) for p in f.value.split(",") if "=" in p)
            src = parts.get("source", parts.get("src", ""))
            if _base(src) in ("package.json",) + LOCKFILES + WILDCARDS:
                return True
    return False


@register
class FL402(FileRule):
    code = "FL402"
    level = "warning"
    message = "Dependency manifests (package.json, package-lock.json) not copied on their own before the install"
    name = "copy-manifests-first"

    def _context(self):
        """The build context (``lib.context.BuildContext``), read once per file."""
        if not hasattr(self, "_build_context"):
            from .lib.context import BuildContext

            self._build_context = BuildContext(self.ctx.path)
        return self._build_context

    def finish(self):
        reported: set[int] = set()
        for stage in self.ctx.df.stages:
            before = [ins for s in chain(stage)[:-1] for ins in s.instructions]
            for ins in stage.instructions:
                if ins.keyword == "RUN" and not bind_mounts_manifest(ins):
                    installs = [(c, s) for c, s in commands(ins) if npm_install(c)]
                    if installs:
                        hit = self._judge(before, installs[0], reported)
                        if hit is not None:
                            yield hit
                before.append(ins)

    def _judge(self, before, install, reported):
        manifests = [b for b in before if manifest_copy(b)]
        if manifests:
            if any(has_lockfile(b) for b in manifests):
                return None
            copy = manifests[-1]
            if copy.index in reported:
                return None
            reported.add(copy.index)
            sources = copy_sources(copy)
            tool = npm_install(install[0]).tool
            context = self._context()
            if context.known and not any(context.exists(n) for n in NEEDS[tool]):
                return None  # no lockfile to copy: FL403 reports the unlocked install, at the install
            if tool != "npm":  # yarn's or pnpm's lockfile, which package*.json does not match
                lockfile = NEEDS[tool][0]
                return self.hit(Node(sources[0].start, sources[-1].end),
                                f"package.json is copied without its lockfile ({lockfile}): the install resolves "
                                f"versions again on every build; COPY package.json {lockfile} ./")
            return self.hit(Node(sources[0].start, sources[-1].end),
                            "package.json is copied without its lockfile (package-lock.json): the install resolves "
                            "versions again on every build; COPY package*.json ./")
        bulk = [b for b in before if brings_manifest(b)]
        if bulk:
            copy = bulk[0]
            if copy.index in reported:
                return None
            reported.add(copy.index)
            sources = copy_sources(copy)
            return self.hit(Node(sources[0].start, sources[-1].end),
                            f"package.json reaches the install (line {install[1].ins.line}) only with the rest of "
                            f"the files: COPY package*.json ./ on its own first, so the install stays cached until "
                            f"the dependencies change")
        return None  # nothing copied from the context: the sources came another way (git clone, a parent image)
