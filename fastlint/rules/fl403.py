"""FL403: ``npm install`` instead of ``npm ci``; ``npm ci`` without ``--ignore-scripts`` in the dependencies stage."""

from __future__ import annotations

from fnmatch import fnmatch

from ..engine.registry import register
from ..engine.rule import Edit, InstructionRule
from ..parser.tree import Node
from .lib.npm import NEEDS, npm_install
from .lib.run import command_spot, commands
from .lib.files import copy_sources
from .lib.stages import chain_instructions, policy_stage

LOCKFILES = ("package-lock.json", "npm-shrinkwrap.json")


def lockfile_left_behind(ins) -> bool:
    """True when package.json reaches the install without a lockfile: a COPY/ADD before it (in the stage and the
    stages it is built on) names package.json, and every source copied names a file that is not a lockfile
    (``COPY package.json ./``). A folder, a ``.``, a pattern that matches a lockfile or a copy from another stage
    may bring one: then False."""
    manifest = False
    for earlier in chain_instructions(ins.stage):
        if earlier is ins:
            break
        if earlier.keyword not in ("COPY", "ADD"):
            continue
        if any(f.name.lower() == "from" for f in earlier.flags):
            return False
        for word in copy_sources(earlier):
            name = word.text.rstrip("/").rsplit("/", 1)[-1]
            if not name or name in (".", "..") or word.text.endswith("/") or "." not in name.lstrip("."):
                return False  # a folder, or a name that may be one
            if any(fnmatch(lock, name) for lock in LOCKFILES):
                return False
            manifest = manifest or fnmatch("package.json", name)
    return manifest


@register
class FL403(InstructionRule):
    code = "FL403"
    level = "warning"
    message = "Use `npm ci` (and `--ignore-scripts` in the dependencies stage) instead of `npm install`"
    name = "npm-ci"
    fix_safety = "unsafe"
    needs_instructions = ("RUN",)

    def _context(self):
        """The build context (``lib.context.BuildContext``), read once per file."""
        if not hasattr(self, "_build_context"):
            from .lib.context import BuildContext

            self._build_context = BuildContext(self.ctx.path)
        return self._build_context

    def _no_npm_lockfile(self) -> bool:
        """The build context is known (a Dockerfile beside a package.json) and has no npm lockfile."""
        context = self._context()
        return context.known and not (context.exists("package-lock.json") or context.exists("npm-shrinkwrap.json"))

    def _stale_lockfile(self) -> bool:
        """The context's npm lockfile is out of sync with package.json: `npm ci` would stop the build, and FL406
        reports the lockfile (at this same command), so this rule says nothing and offers no `npm ci`."""
        context = self._context()
        if not context.known:
            return False
        sync = context.project.lock_sync
        return sync.in_sync is False and sync.lockfile.kind == "npm" and not sync.lockfile.file.startswith("..")

    def _unlocked(self, inst, script):
        """``yarn install`` / ``pnpm install`` where the build context has no lockfile of that manager: every build
        resolves the versions again, as ``npm install`` without package-lock.json does (no fix: only the service's
        author can commit the lockfile)."""
        context = self._context()
        lockfile = NEEDS[inst.tool][0]
        if not context.known or context.exists(lockfile):
            return None
        manager = context.project.manager.value
        frozen = manager.frozen_install if manager.name == inst.tool else \
            "yarn install --frozen-lockfile" if inst.tool == "yarn" else "pnpm install --frozen-lockfile"
        said = f"{inst.tool} install" if inst.sub is not None else inst.tool
        spot = Node(*script.word_span(inst.sub)) if inst.sub is not None else command_spot(script, inst.cmd)
        return self.hit(spot, f"`{said}` without a lockfile in the build context: every "
                                                       f"build resolves the versions again; commit the {lockfile} it "
                                                       f"writes (then `{frozen}`)")

    def check(self, ins):
        if ins.keyword != "RUN" or ins.parent is not None or ins.stage is None:
            return
        first = self.policy.stages[0] if self.policy.stages else None
        # the dependencies stage; in a file without one, the stages that install dependencies play its part
        has_deps = first is not None and self.ctx.df.stage_named(first) is not None
        in_deps = first is not None and (policy_stage(self.policy, ins.stage) == first or not has_deps)
        for cmd, script in commands(ins):
            inst = npm_install(cmd)
            if inst is not None and inst.tool != "npm" and not inst.ci:
                hit = self._unlocked(inst, script)
                if hit is not None:
                    yield hit
            if inst is None or inst.tool != "npm":
                continue
            sub = inst.sub
            spot = Node(*script.word_span(sub))
            scripts_off = cmd.has_flag("ignore-scripts")
            exact = not ins.json and spot.end - spot.start == sub.end - sub.start
            if not inst.ci:
                if self._no_npm_lockfile():  # npm ci would stop the build (FL405): the lockfile is what is missing
                    yield self.hit(spot, f"`npm {sub.text}` without a lockfile in the build context: every build "
                                         "resolves the versions again; commit a package-lock.json (then `npm ci`)")
                    continue
                if self._stale_lockfile():  # FL406's finding: update the lockfile first; no npm ci to offer
                    continue
                text = "ci" + ("" if scripts_off or not in_deps else " --ignore-scripts")
                no_lock = lockfile_left_behind(ins)
                fix = self.fix(Edit(spot.start, spot.end, text), description="use npm ci") \
                    if exact and not no_lock else None
                why = "; no fix: package.json is copied without package-lock.json, and `npm ci` needs it" \
                    if no_lock else ""
                yield self.hit(spot, f"`npm {sub.text}` resolves versions again and may rewrite the lockfile; use "
                                     f"`npm {text}`{why}", fix=fix)
            elif in_deps and not scripts_off:
                fix = self.fix(Edit(spot.end, spot.end, " --ignore-scripts"),
                               description="add --ignore-scripts") if exact else None
                where = "the dependencies stage" if has_deps else "the stage that installs the dependencies"
                yield self.hit(spot, f"`npm {sub.text}` in {where} runs the packages' install scripts; add "
                                     f"--ignore-scripts", fix=fix)
