"""FL407: COPY/ADD of a path that neither the build context nor the named stage provides."""

from __future__ import annotations

import posixpath

from ..engine.registry import register
from ..engine.rule import FileRule
from .lib.context import BuildContext, StageFiles, substitute
from .lib.files import copy_sources
from .lib.images import normalize_image
from .lib.npm import npm_install
from .lib.run import commands
from .lib.stages import chain, from_stage

# Public images whose working folders (WORKDIR /app, /usr/src/app ...) start empty: what is there, the file put
# there. Paths outside the stage's WORKDIR are never judged (the image may have them).
KNOWN_BASES = frozenset({"node", "alpine", "debian", "ubuntu", "busybox", "amazonlinux", "buildpack-deps",
                         "scratch", "python", "golang", "distroless"})
INSTALL_MAKES = ("node_modules", "package-lock.json", "yarn.lock", "pnpm-lock.yaml", ".yarn", ".pnp.cjs",
                 ".pnp.loader.mjs")
# Commands whose effect on the stage's working folder is known: they make nothing there that they do not name
# (a RUN that names the path is taken to make it). Any other program may make anything: the COPY is not judged.
FOLLOWED = frozenset({"apk", "apt-get", "apt", "yum", "dnf", "microdnf", "zypper", "addgroup", "adduser", "groupadd",
                      "useradd", "usermod", "chown", "chmod", "rm", "echo", "true", "false", "set", "export",
                      "corepack", "printf", "cd", "test", "[", "sleep", "update-ca-certificates", "ls", "cat", "id",
                      "which", "command", "mkdir", "cp", "mv", "ln", "touch", "wget", "curl"})


def _is_wild(text: str) -> bool:
    return any(ch in text for ch in "*?[")


@register
class FL407(FileRule):
    code = "FL407"
    level = "error"
    message = "COPY of a path that neither the build context nor the named stage provides"
    name = "copy-source-missing"
    docs_examples_partial = True  # the examples need the build context of a case (its package.json, lockfile)

    def finish(self):
        context = BuildContext(self.ctx.path)
        if not context.known:
            return
        df = self.ctx.df
        for stage in df.stages:
            env: dict[str, str] = {}
            for ins in stage.instructions:
                if ins.keyword in ("ENV", "ARG"):
                    for p in ins.pairs:
                        env[p.key] = substitute(p.value, env) or p.value if p.value is not None else \
                            env.get(p.key, "")
                if ins.keyword not in ("COPY", "ADD") or ins.heredocs:
                    continue
                src = ins.flag("from")
                if src is not None:
                    yield from self._from_stage(df, stage, ins, src.value or "", context)
                else:
                    yield from self._from_context(ins, context, env)

    # -- the build context ------------------------------------------------------------------------------------
    def _from_context(self, ins, context, env):
        words = copy_sources(ins)
        resolved = []
        for w in words:
            text = substitute(w.text, {**env})
            if text is None or "://" in text or text.startswith("git@"):
                return  # a variable without a value, or a URL (ADD): not judged
            resolved.append((w, text))
        missing_plain = [(w, t) for w, t in resolved if not _is_wild(t) and not context.matches(t)]
        for w, t in missing_plain:
            if context.excluded(t):
                yield self.hit(w, f"{ins.keyword} source '{t}' is excluded by {context.ignore_name()}: the build does "
                                  f"not see it and stops here")
                continue
            yield self.hit(w, f"{ins.keyword} source '{t}' is not in the build context ({context.folder.as_posix() or '.'}"
                              f"/{t.lstrip('./')} does not exist): the build stops here")
        wild = [(w, t) for w, t in resolved if _is_wild(t)]
        if wild and len(wild) == len(resolved) and not any(context.matches(t) for _, t in wild):
            w, t = wild[0]
            yield self.hit(w, f"{ins.keyword} source '{t}' matches nothing in the build context: with no source "
                              f"file the build stops here")

    # -- another stage --------------------------------------------------------------------------------------------
    def _from_stage(self, df, stage, ins, name, context):
        source_stage = from_stage(df, stage, name)
        if source_stage is None:
            return  # an external image, or a stage DL3022/DL3023 report
        root = chain(source_stage)[0]
        if root.image is None or root.unresolved:
            return
        base = normalize_image(root.image)[0].rsplit("/", 1)[-1]
        if base not in KNOWN_BASES:
            return
        files = StageFiles(df, source_stage, context)
        workdirs = self._workdirs(source_stage, files)
        for w in copy_sources(ins):
            text = substitute(w.text, files.env)
            if text is None or _is_wild(text):
                continue
            path = posixpath.normpath(posixpath.join(files.workdir, text))
            wd = next((d for d in workdirs if path.startswith(d.rstrip("/") + "/")), None)
            if wd is None or path == wd:
                continue  # outside the stage's own folders: the image may have it
            top = path[len(wd.rstrip("/")) + 1:].split("/", 1)[0]
            if self._provided(source_stage, files, context, wd, top, path):
                continue
            why = self._why_missing(context, top)
            yield self.hit(w, f"COPY --from={name} '{text}': the {name} stage never makes {path}{why}")

    def _workdirs(self, stage, files) -> list[str]:
        out, wd = [], "/"
        for ins in [i for s in chain(stage) for i in s.instructions]:
            if ins.keyword == "WORKDIR" and ins.value:
                wd = posixpath.normpath(posixpath.join(wd, substitute(ins.value[0], files.env) or ins.value[0]))
                if wd != "/":
                    out.append(wd)
        return out

    def _provided(self, stage, files, context, wd, top, path) -> bool:
        if files.unknown or files.has_file(path, context) is not False:
            return True
        if any(dest == posixpath.join(wd, top) or dest.startswith(posixpath.join(wd, top) + "/") or
               (path.startswith(dest.rstrip("/") + "/") and rel is None) for dest, rel, _ in files.copies):
            return True
        for ins in [i for s in chain(stage) for i in s.instructions]:
            if ins.keyword != "RUN":
                continue
            text = ins.args_text or ""
            if top in text:
                return True  # the RUN names it: it may make it
            for cmd, _ in commands(ins):
                if npm_install(cmd) is not None:
                    if top in INSTALL_MAKES:
                        return True  # an install makes node_modules and, unless frozen, writes the lockfile
                    continue
                if cmd.base in ("npm", "pnpm", "yarn", "bun"):
                    if self._script_makes(context, cmd, top):
                        return True
                    continue
                if cmd.base not in FOLLOWED:
                    return True  # a program fastlint does not follow (mvn, make, a script): it may make anything
        return False

    def _script_makes(self, context, cmd, top) -> bool:
        """``npm run X`` (``yarn X``, ``pnpm X``): the package.json script X, when it is the build, makes its
        output folder; any other script is not known and may make anything."""
        words = [a.text for a in cmd.args if not a.text.startswith("-")]
        if cmd.base in ("npm", "pnpm", "yarn") and words[:1] in (["run"], ["run-script"]):
            words = words[1:]
        elif cmd.base in ("npm",) and words[:1] not in (["start"], ["test"]):
            return False
        if not words:
            return False
        script = words[0]
        if script in ("install", "ci", "i", "add", "prune", "cache", "config"):
            return False
        project = context.project
        if script not in project.scripts:
            return False
        build = project.build if script == "build" else None
        if build is None or build.value.output is None:
            return True
        return build.value.output.value.split("/", 1)[0] == top

    def _why_missing(self, context, top) -> str:
        project = context.project
        build = project.build
        if top in ("dist", "build", "lib", "out") and build is None:
            return f": package.json has no build script, so nothing makes {top}/"
        if build is not None and build.value.output is not None and build.value.output.value.split("/")[0] != top:
            return (f": the build writes {build.value.output.value}/ ({build.value.output.where}), "
                    f"and no instruction of the stage makes {top}")
        return " (no COPY brings it and no RUN names it)"
