"""FL405: a frozen install (``npm ci``, ``yarn --frozen-lockfile``/``--immutable``, ``pnpm install
--frozen-lockfile``) where its lockfile is not: not in the build context, or not copied before the install."""

from __future__ import annotations

import posixpath

from ..engine.registry import register
from ..engine.rule import FileRule
from .lib.context import BuildContext, StageFiles
from .lib.npm import ALL_LOCKFILES, NEEDS, frozen_text, install_dir, npm_install
from .lib.run import command_spot, commands
from .lib.stages import chain

def _put_by_run(stage, ins, before: list, where: str, wanted) -> bool:
    """A RUN of the stage's chain (or an earlier command of this one) names the lockfile where the install runs
    (``cp package.json yarn.lock /prod/ && yarn --cwd /prod install --frozen-lockfile``): it is taken to put it
    there."""
    runs = [c for s in chain(stage) for i in s.instructions if i.keyword == "RUN" and i is not ins
            and i.start < ins.start for c, _ in commands(i)] + before
    for cmd in runs:
        words = [w.text for w in cmd.args]
        if not any(posixpath.basename(w.rstrip("/")) in wanted for w in words):
            continue
        targets = [w for w in words if not w.startswith("-")]
        if targets and posixpath.normpath(targets[-1]) in (where, *(posixpath.join(where, n) for n in wanted)):
            return True
    return False


@register
class FL405(FileRule):
    code = "FL405"
    level = "error"
    message = "A frozen install (npm ci, --frozen-lockfile, --immutable) without its lockfile"
    name = "frozen-install-without-lockfile"
    docs_examples_partial = True  # the examples need the build context of a case (its package.json, lockfile)

    def finish(self):
        context = BuildContext(self.ctx.path)
        if not context.known:
            return
        df = self.ctx.df
        for stage in df.stages:
            for ins in stage.instructions:
                if ins.keyword != "RUN":
                    continue
                files = None
                before: list = []  # the commands of this RUN before the install
                for cmd, script in commands(ins):
                    inst = npm_install(cmd)
                    before.append(cmd)
                    if inst is None or not inst.ci:
                        continue
                    files = files or StageFiles(df, stage, context, until=ins)
                    where = install_dir(cmd, files.workdir, files.env)
                    wanted = NEEDS[inst.tool]
                    present = [files.has_file(posixpath.join(where, name), context) for name in wanted]
                    if True in present or None in present or _put_by_run(stage, ins, before[:-1], where, wanted):
                        continue
                    yield self._hit(context, inst, script, cmd, wanted, where)

    def _hit(self, context, inst, script, cmd, wanted, where):
        said = frozen_text(inst)
        in_context = [n for n in wanted if context.exists(n)]
        others = [n for n in ALL_LOCKFILES if n not in wanted and context.exists(n)]
        classic = inst.tool == "yarn" and not inst.cmd.has_flag("immutable") and \
            context.project.manager.value.flavor != "berry"
        if in_context:
            message = (f"`{said}` runs in {where}, where {in_context[0]} was never copied: copy it with "
                       f"package.json before the install")
        else:
            lockfiles = " or ".join(wanted)
            message = f"`{said}` needs {lockfiles}, and the build context has none"
            hidden = [n for n in wanted if context.excluded(n)]
            if hidden:
                message += f" ({hidden[0]} is excluded by {context.ignore_name()})"
            elif others:
                message += f" (it has {others[0]}: install with the manager that wrote it)"
            elif inst.tool == "npm":
                message += ": npm ci stops with EUSAGE; commit a lockfile, or install with `npm install`"
        hit = self.hit(command_spot(script, cmd), message)
        if classic and not in_context:
            hit.level = "warning"  # yarn classic ignores --frozen-lockfile without a yarn.lock: unlocked install
            hit.message = message.split(", and the build context")[0] + \
                ", and the build context has none: yarn classic then installs unlocked versions"
        return hit
