"""FL406: the lockfile the install uses is out of sync with package.json."""

from __future__ import annotations

import posixpath

from ..engine.registry import register
from ..engine.rule import FileRule
from .lib.context import BuildContext, StageFiles
from .lib.npm import NEEDS, frozen_text, install_dir, npm_install
from .lib.run import command_spot, commands


@register
class FL406(FileRule):
    code = "FL406"
    level = "error"
    message = "The lockfile is out of sync with package.json"
    name = "lockfile-out-of-sync"
    docs_examples_partial = True  # the examples need the build context of a case (its package.json, lockfile)

    def finish(self):
        context = BuildContext(self.ctx.path)
        if not context.known:
            return
        sync = context.project.lock_sync
        if sync.in_sync is not False or sync.lockfile.file.startswith(".."):
            return  # no lockfile, in sync, unreadable, or a workspace root's (not in this context)
        lock = sync.lockfile
        df = self.ctx.df
        for stage in df.stages:
            for ins in stage.instructions:
                if ins.keyword != "RUN":
                    continue
                files = None
                for cmd, script in commands(ins):
                    inst = npm_install(cmd)
                    if inst is None or inst.tool != lock.manager or lock.path.name not in NEEDS[inst.tool]:
                        continue
                    files = files or StageFiles(df, stage, context, until=ins)
                    where = install_dir(cmd, files.workdir, files.env)
                    if files.has_file(posixpath.join(where, lock.path.name), context) is not True or \
                            files.has_file(posixpath.join(where, "package.json"), context) is False:
                        continue
                    first = sync.mismatches[0]
                    cite = f" (package.json:{first.package_line})" if first.package_line else ""
                    detail = sync.summary(limit=2) + cite
                    if inst.ci:
                        message = f"`{frozen_text(inst)}` stops: {detail}; update {lock.file} and commit it"
                        yield self.hit(command_spot(script, cmd), message)
                    else:
                        hit = self.hit(command_spot(script, cmd),
                                       f"{detail}: `{inst.tool} {inst.sub.text if inst.sub else 'install'}` resolves "
                                       f"those again, so the image does not get what {lock.file} locks")
                        hit.level = "warning"
                        yield hit
