"""FL504: the health check runs a program that is not in the production stage."""

from __future__ import annotations

import re

from ..engine.registry import register
from ..engine.rule import FileRule
from .lib.files import copy_dest, copy_sources
from .lib.health import health_commands, healthcheck
from .lib.images import normalize_image
from .lib.packages import package_ops
from .lib.run import commands
from .lib.stages import chain, chain_instructions

SHELL_BUILTINS = frozenset({"exit", "true", "false", "test", "[", "[[", "echo", ":", "printf", "kill", "cd", "set",
                            "exec", "command", "type", "read", "return", "trap", "wait", "eval", "."})
BUSYBOX = frozenset({"sh", "ash", "busybox", "wget", "nc", "cat", "grep", "ps", "pgrep", "ls", "stat", "timeout",
                     "netstat", "head", "tail", "sleep", "env", "id", "whoami", "ping"})
DEBIAN_BASE = frozenset({"sh", "bash", "dash", "cat", "grep", "ls", "stat", "timeout", "head", "tail", "sleep",
                         "env", "id", "whoami"})
NODE = frozenset({"node", "npm", "npx", "yarn", "corepack"})
# packages whose program has another name
PACKAGE_PROGRAMS = {"netcat-openbsd": "nc", "busybox-extras": "nc", "procps": "ps", "nodejs": "node"}
# Amazon Linux 2023 names each Node.js major (its user guide, "Node.js in AL2023"): `nodejs20` has that major's
# node (`node-20`, and `node` through alternatives: the active one), `nodejs20-npm` its npm (`npm-20`, `npm`);
# Node.js 18 was `nodejs` and `nodejs-npm`
AL2023_NODE = re.compile(r"nodejs(\d*)(-npm)?")
PATH_DIRS = ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")


def base_image(stage) -> tuple[str, str] | None:
    """The last part of the name and the tag of the image the stage's chain starts from; None when unknown."""
    root = chain(stage)[0]
    if root.image is None or root.unresolved:
        return None
    name, tag, _ = normalize_image(root.image)
    return name.rsplit("/", 1)[-1], (tag or "latest").lower()


def package_programs(package: str, image: tuple[str, str] | None) -> set[str]:
    """The programs a package installs, by the names a health check runs them."""
    found = AL2023_NODE.fullmatch(package)
    if found and image is not None and image[0] == "amazonlinux" and image[1].startswith("2023"):
        major, npm = found.groups()
        program = "npm" if npm else "node"
        return {program, f"{program}-{major}"} if major else {program}
    return {PACKAGE_PROGRAMS.get(package, package)}


def image_programs(stage) -> frozenset[str] | None:
    """The programs the stage's base image is known to have as part of what it is (the OS's own tools, node in
    node images); None for an image fastlint does not know. Extras of the full Debian images (curl, wget, git,
    from buildpack-deps) do not count: the standard's alpine bases do not have them, so a health check that
    relies on them breaks with the move to the standard."""
    image = base_image(stage)
    if image is None:
        return None
    base, tag = image
    if base == "node":
        return (BUSYBOX if "alpine" in tag else DEBIAN_BASE) | NODE
    if base == "alpine":
        return BUSYBOX
    if base in ("debian", "ubuntu", "buildpack-deps"):
        return DEBIAN_BASE
    if base == "amazonlinux":  # curl (curl-minimal on 2023) is part of the image; wget is not
        return DEBIAN_BASE | {"curl"}
    return None


def _lands_at(dest: str, source: str, program: str, wanted_path: str | None, workdir: str) -> bool:
    """A COPY of ``source`` to ``dest`` puts ``program`` at a place the health check finds it."""
    base = source.rstrip("/").rsplit("/", 1)[-1]
    if dest.endswith("/") or dest in PATH_DIRS:
        target = dest.rstrip("/") + "/" + base
    else:
        target = dest
    if not target.startswith("/"):
        target = workdir.rstrip("/") + "/" + target.lstrip("./")
    if wanted_path is not None:
        return target == wanted_path
    return target.rsplit("/", 1)[-1] == program and target.rsplit("/", 1)[0] in PATH_DIRS


@register
class FL504(FileRule):
    code = "FL504"
    level = "error"
    message = "The health check's program is not in the production stage"
    name = "healthcheck-binary"

    def finish(self):
        final = self.ctx.final_stage
        if final is None:
            return
        stages = chain(final)
        ins = healthcheck(stages)
        if ins is None:
            return
        known = image_programs(final)
        if known is None:
            return  # an image fastlint does not know: it may have the program
        for cmd in health_commands(self.ctx.df, ins):
            program = cmd.base
            path = cmd.name.text if cmd.name.text.startswith("/") else None
            if program in SHELL_BUILTINS or "$" in cmd.name.text:
                continue
            if program in known and (path is None or path.rsplit("/", 1)[0] in PATH_DIRS):
                continue
            if self._provided(stages, program, path, base_image(final)):
                continue
            if path is not None and self._from_context(final, path):
                continue
            hint = "copy it from the runtime-tools stage (COPY --from=runtime-tools ...)" \
                if program == "grpc_health_probe" else "install it or copy it from the runtime-tools stage"
            yield self.hit(cmd.name, f"The health check runs '{cmd.name.text}', which is not in the production "
                                     f"stage; {hint}")

    def _from_context(self, final, path: str) -> bool:
        """A program at an absolute path that a COPY of a folder of the build context brings (``COPY . .`` of a
        service whose ``bin/healthcheck.js`` is in the context); only where the context can be known."""
        from .lib.context import BuildContext, StageFiles

        context = BuildContext(self.ctx.path)
        if not context.known:
            return False
        return StageFiles(self.ctx.df, final, context).has_file(path, context) is True

    def _provided(self, stages, program: str, path: str | None, image) -> bool:
        present = False
        wd = "/"
        for ins in chain_instructions(stages[-1]):
            if ins.keyword == "WORKDIR" and ins.value:
                wd = ins.value[0] if ins.value[0].startswith("/") else wd.rstrip("/") + "/" + ins.value[0]
            elif ins.keyword in ("COPY", "ADD"):
                dest = copy_dest(ins)
                if dest is not None and any(_lands_at(dest.text, s.text, program, path, wd)
                                            for s in copy_sources(ins)):
                    present = True
            elif ins.keyword == "RUN":
                for cmd, _ in commands(ins):
                    op = package_ops(cmd)
                    if op is not None:
                        names = set().union(*(package_programs(n, image) for n, _ in op.names))
                        if program in names and path is None:
                            present = op.op == "add"
                        continue
                    for w in cmd.args:
                        t = w.text
                        if (path is not None and t == path) or (path is None and t.endswith("/" + program)
                                                                 and t.rsplit("/", 1)[0] in PATH_DIRS):
                            present = True
        return present
