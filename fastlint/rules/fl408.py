"""FL408: ``npm run X`` (``pnpm run X``, ``npm start``/``npm test``) where package.json has no script X."""

from __future__ import annotations

import posixpath
import shlex

from ..engine.registry import register
from ..engine.rule import FileRule
from .lib.context import BuildContext, StageFiles
from .lib.run import command_spot, commands

NPM_BUILTIN_RUN = frozenset({"env"})  # `npm run env` lists the environment without a script
SKIP_FLAGS = ("if-present", "w", "workspace", "workspaces", "ws", "prefix", "C", "dir", "filter", "recursive", "r")


def script_of(cmd) -> tuple[str, object] | None:
    """(script name, the word that names it) a command runs, for npm and pnpm, or None."""
    if not (cmd.is_("npm") or cmd.is_("pnpm")) or cmd.has_flag(*SKIP_FLAGS):
        return None
    words = [a for a in cmd.args if not a.text.startswith("-")]
    if not words:
        return None
    sub = words[0].text
    if sub in ("run", "run-script", "rum", "urn"):
        return (words[1].text, words[1]) if len(words) > 1 else None
    if cmd.is_("npm") and sub in ("start", "test", "t", "tst", "stop", "restart"):
        return ({"t": "test", "tst": "test"}.get(sub, sub), words[0])
    return None


@register
class FL408(FileRule):
    code = "FL408"
    level = "error"
    message = "`npm run X` where package.json has no script X"
    name = "npm-run-missing-script"
    docs_examples_partial = True  # the examples need the build context of a case (its package.json, lockfile)

    def finish(self):
        context = BuildContext(self.ctx.path)
        if not context.known:
            return
        df = self.ctx.df
        for stage in df.stages:
            for ins in stage.instructions:
                if ins.keyword == "RUN":
                    for cmd, script in commands(ins):
                        found = script_of(cmd)
                        if found:
                            yield from self._judge(df, stage, ins, context, found, command_spot(script, cmd))
                elif ins.keyword in ("CMD", "ENTRYPOINT") and ins.value:
                    yield from self._start_command(df, stage, ins, context)

    def _start_command(self, df, stage, ins, context):
        """CMD / ENTRYPOINT, exec form (behind tini or dumb-init) or shell form."""
        from ..parser.shell import parse_shell

        if not ins.json:
            for cmd in parse_shell(ins.args_text or "").commands:
                found = script_of(cmd)
                if found:
                    yield from self._judge(df, stage, ins, context, (found[0], None), ins)
            return
        words = list(ins.value)
        if words and words[0] in ("tini", "dumb-init", "/sbin/tini", "/usr/bin/dumb-init", "/tini"):
            words = words[1:]
            if words and words[0] == "--":
                words = words[1:]
        text = " ".join(shlex.quote(w) for w in words)
        script = parse_shell(text)
        for cmd in script.commands:
            found = script_of(cmd)
            if found:
                yield from self._judge(df, stage, ins, context, (found[0], None), ins)

    def _judge(self, df, stage, ins, context, found, where):
        name, _ = found
        if name in NPM_BUILTIN_RUN:
            return
        files = StageFiles(df, stage, context, until=ins if ins.keyword == "RUN" else None)
        manifest = posixpath.join(files.workdir, "package.json")
        source = self._source(files, manifest, context)
        if source is None:
            return  # no package.json from the context at the working folder: not judged
        from ..project import Project

        project = context.project if source == "package.json" else Project(context.folder / posixpath.dirname(source))
        if name in project.scripts:
            return
        if name == "start" and (files.has_file(posixpath.join(files.workdir, "server.js"), context) is not False):
            return  # npm start runs `node server.js` when there is no start script
        if name in ("stop", "restart"):
            return
        known = ", ".join(sorted(project.scripts)) or "none"
        yield self.hit(where, f"`{'npm run ' + name if name not in ('start', 'test') else 'npm ' + name}`: "
                              f"{source} has no script '{name}' (its scripts: {known}); npm stops with "
                              f"\"Missing script\"")

    def _source(self, files, manifest, context) -> str | None:
        """The context path of the package.json at ``manifest``, or None when it is not (known to be) there."""
        for dest, rel, is_dir in reversed(files.copies):
            if rel is None and (manifest == dest or manifest.startswith(dest.rstrip("/") + "/")):
                return None
            if not is_dir and dest == manifest:
                return rel
            if is_dir and manifest.startswith(dest.rstrip("/") + "/"):
                inner = posixpath.join(rel, manifest[len(dest.rstrip("/")) + 1:]) if rel != "." else \
                    manifest[len(dest.rstrip("/")) + 1:]
                if context.exists(inner):
                    return posixpath.normpath(inner)
        return None
