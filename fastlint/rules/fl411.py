"""FL411: a dependency install that must run git (a git dependency of package.json, its branch or tag not locked)
in a stage whose image has no git."""

from __future__ import annotations

import posixpath
import re

from ..engine.registry import register
from ..engine.rule import FileRule
from .lib.context import BuildContext, StageFiles
from .lib.images import normalize_image
from .lib.npm import NEEDS, install_dir, npm_install
from .lib.packages import package_ops
from .lib.run import command_spot, commands
from .lib.stages import chain

_SHA = re.compile(r"#(?:commit=)?[0-9a-f]{40}$", re.I)


def has_git(image) -> bool | None:
    """Whether an official base image has git: node's full Debian images do (buildpack-deps), its -alpine and
    -slim ones and alpine do not; None for any other image (not judged)."""
    if image is None:
        return None
    name, tag, _ = normalize_image(image)
    tag = (tag or "latest").lower()
    if name == "alpine":
        return False
    if name == "node":
        return not ("alpine" in tag or "slim" in tag)
    return None


def adds_git(cmd) -> bool:
    """The command installs git (apk add, apt-get install, dnf install ...)."""
    op = package_ops(cmd)
    return op is not None and op.op == "add" and any(name == "git" for name, _ in op.names)


def installs_git(stage, until) -> bool:
    """A RUN of the stage (or the stages it is built on) before ``until`` installs git."""
    runs = [i for s in chain(stage) for i in s.instructions if i.keyword == "RUN"]
    return any(adds_git(cmd) for ins in runs[:runs.index(until)] for cmd, _ in commands(ins))


@register
class FL411(FileRule):
    code = "FL411"
    level = "error"
    message = "A git dependency installed in a stage without git"
    name = "git-dependency-without-git"
    docs_examples_partial = True  # the examples need the build context of a case (its package.json)

    def finish(self):
        context = BuildContext(self.ctx.path)
        if not context.known:
            return  # before fastlint.project is imported: a lone Dockerfile's lint path imports no more
        from ..project.gitdeps import name_and_spec

        # a locked commit (or a lockfile, which locks the commit: the managers then download GitHub's tarball)
        unlocked = [f for f in context.project.git_dependencies if not _SHA.search(f.value)]
        if not unlocked:
            return
        df = self.ctx.df
        for stage in df.stages:
            if has_git(chain(stage)[0].image) is not False:
                continue
            for ins in stage.instructions:
                if ins.keyword != "RUN":
                    continue
                git_before = installs_git(stage, ins)
                for cmd, script in commands(ins):
                    git_before = git_before or adds_git(cmd)  # `apk add git && yarn install`
                    inst = npm_install(cmd)
                    if inst is None or inst.omit_dev and all(f.how == "devDependencies" for f in unlocked):
                        continue
                    if git_before or any(context.exists(name) for name in NEEDS[inst.tool]):
                        continue
                    files = StageFiles(df, stage, context, until=ins)
                    where = install_dir(cmd, files.workdir, files.env)
                    if files.has_file(posixpath.join(where, "package.json"), context) is not True:
                        continue  # not the context's package.json, or not known to be
                    first = unlocked[0]
                    name, spec = name_and_spec(first.value)
                    base = chain(stage)[0].resolved
                    more = f" (and {len(unlocked) - 1} more)" if len(unlocked) > 1 else ""
                    yield self.hit(command_spot(script, cmd),
                                   f"{first.where} asks for {name} from git ({spec}){more}, and {base} has no git: "
                                   f"the install stops (`spawn git ENOENT`); install git in this stage first, or "
                                   f"commit the lockfile (it locks the commit)")
