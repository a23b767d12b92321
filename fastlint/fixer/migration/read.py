"""Step 1: read the service: the legacy Dockerfile (every instruction sorted: carried over, replaced by the
template, or kept as a comment), its ``package.json``, its ``.proto`` files, its place in the service matrix.
Everything the later steps know about the service is read here; nothing after this step reads a file."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

from ...engine.config import Policy
from ...engine.pragmas import prefixes_of, read_pragmas
from ...engine.rule import Context
from ...engine.runner import service_of
from ...parser.tree import Dockerfile, Instruction
from .model import MigrationError
from .vocabulary import (APT_TO_APK, DISTRO_NODE_NEEDS, FILE_COMMANDS, HOUSEKEEPING, NPM_TOOLS, PKG_MANAGERS, PROBE_DOWNLOAD, SAME_IN_ALPINE, USER_COMMANDS, is_distro_node,
                         installed_packages, is_archive, is_build_input, is_build_tool, is_output, is_secret,
                         norm_source, pair_text)


def read_project(folder: Path, dockerfile: str):
    """The service's folder as ``fastlint.project`` reads it; a Dockerfile without a readable package.json beside it
    is not a Node.js service (``MigrationError``, not a refusal: the other fixes still apply)."""
    from ...project import Project

    project = Project(folder, dockerfile)
    if project.package_error is not None:
        hint = " (use --no-template to apply the other fixes only)" if "no package.json" in project.package_error \
            else ""
        what = ": the template builds a Node.js service" if "no package.json" in project.package_error else ""
        raise MigrationError(project.package_error + what + hint, untouched=False)
    return project


def _one_line(scripts) -> str:
    """A RUN's script on one line (its continuation lines joined)."""
    text = " ".join(s.text for s in scripts) if scripts else ""
    text = re.sub(r"\s*\\\r?\n\s*", " ", text)
    return re.sub(r"(&&|\|\||;)\s+", r"\1 ", text).strip()


class LegacyReader:
    """Walks the legacy Dockerfile once and sorts every instruction: carried over, replaced by the template, or
    kept as a comment."""

    def __init__(self, df: Dockerfile, path: str, policy: Policy, project, folder: Path):
        self.df, self.path, self.policy, self.folder = df, path, policy, folder
        self.project = project  # fastlint.project.Project: everything read from the service's other files
        self.package = project.package
        self.scripts = project.scripts
        self.protos = project.proto_files  # the service's .proto files (a protobuf generation step in the build)
        pragmas = read_pragmas(df, prefixes_of(policy))
        self.service = service_of(path, df, policy, pragmas.service)
        ctx = Context(df, policy, self.service, path)
        final = ctx.final_stage
        self.image_stages = set()  # indexes of the stages the image is made of (the final stage's FROM chain)
        s = final
        while s is not None:
            self.image_stages.add(s.index)
            s = s.parent
        self.warnings: list[tuple[int, str]] = []
        self.kept_blocks: list[str] = []
        self.kept_lines: list[int] = []
        self.extra_lines: list[str] = []
        self.extra_copy: list[str] = []
        self.copy_lines: list[str] = []  # COPY --from=builder lines the template has no slot for
        self._copies: list[tuple[list[str], str, int]] = []  # (sources, absolute destination, line)
        self.runtime_packages: list[str] = []
        self.dropped_tools: dict[str, int] = {}
        self.env: dict[str, str] = {}
        self.exposed: list[tuple[str, int]] = []
        self.health: Instruction | None = None
        self.cmd: Instruction | None = None
        self.entrypoint: Instruction | None = None
        self.workdir = "/"
        self.had_workdir = False
        self.file_runs: list[tuple[str, int]] = []  # (script, line): RUNs of the image that only make files
        self.made_files: set[str] = set()  # paths (relative to the workdir) those RUNs make
        self.runtime_dirs: list[str] = []  # absolute folders the image made outside the workdir (mkdir)
        self.legacy_base: str | None = None  # the image stage's FROM

    def warn(self, line: int, message: str) -> None:
        self.warnings.append((line, message))

    @property
    def app_dir(self) -> str:
        """Where the legacy image kept the service: its WORKDIR, /app when it set none (or /)."""
        return self.workdir if self.had_workdir and self.workdir != "/" else "/app"

    # -- walking -----------------------------------------------------------------------------------------------
    def read(self) -> None:
        for ins in self.df.instructions:
            if ins.stage is None:  # global ARGs only feed FROM lines, which the template replaces
                for p in ins.pairs:
                    if is_secret(p.key, p.value, "ARG"):
                        self.warn(ins.line, f"ARG {p.key} looks like a secret: not carried over")
                continue
            in_image = ins.stage.index in self.image_stages
            handler = self.HANDLERS.get(ins.keyword)
            if ins.keyword == "FROM":
                if in_image:
                    self.workdir, self.env = "/", {}
                    if ins.value and self.legacy_base is None:
                        self.legacy_base = ins.value[0]
                continue
            if handler is None:
                self.keep(ins, f"{ins.keyword} has no place in the template")
                continue
            handler(self, ins, in_image)

    def keep(self, ins: Instruction, why: str, text: str | None = None) -> None:
        """Keep an instruction as a commented block at the end of the new file, with the comments above it."""
        src = self.df.source.text
        body = text if text is not None else src[ins.start:ins.end]
        lines = [c.text for c in self._comments_above(ins)]
        block = [f"# fastlint: kept from line {ins.line} of the original ({why}); review and place it by hand:"]
        block += [f"# # {c}" if c else "#" for c in lines]
        block += [f"# {line}".rstrip() for line in body.rstrip("\r\n").replace("\r\n", "\n").split("\n")]
        self.kept_blocks.append("\n".join(block))
        self.kept_lines.append(ins.line)
        self.warn(ins.line, f"{ins.keyword} not placed by the template ({why}): kept as a comment at the end")

    def _comments_above(self, ins: Instruction):
        by_line = {c.line: c for c in self.df.comments if not c.inside}
        out = []
        line = ins.line - 1
        while line in by_line:
            out.append(by_line[line])
            line -= 1
        return list(reversed(out))

    # -- instructions ------------------------------------------------------------------------------------------
    def _env(self, ins: Instruction, in_image: bool) -> None:
        kept, secret = [], []
        for p in ins.pairs:
            if is_secret(p.key, p.value, "ENV"):
                secret.append(p.key)
                continue
            if in_image:
                self.env[p.key] = p.value or ""
            if in_image and p.key == "NODE_ENV" and (p.value or "") == "production":
                continue  # the template sets it
            if p.key == "GRPC_HEALTH_PROBE_VERSION":
                self.warn(ins.line, f"ENV {p.key} dropped: the template's runtime-tools stage pins grpc_health_probe "
                                    "(its build argument of that name)")
                continue
            kept.append(pair_text(p))
        for key in secret:
            self.warn(ins.line, f"ENV {key} looks like a secret: removed, not copied (pass it at run time, "
                                "e.g. from a Kubernetes Secret)")
        if not kept:
            return
        line = "ENV " + " ".join(kept)
        if in_image:
            self.extra_lines.append(line)
        else:
            self.keep(ins, "ENV of a build stage; the template's build stages take none", text=line)

    def _arg(self, ins: Instruction, in_image: bool) -> None:
        kept = []
        for p in ins.pairs:
            if is_secret(p.key, p.value, "ARG"):
                self.warn(ins.line, f"ARG {p.key} looks like a secret: not carried over (build secrets belong "
                                    "in `RUN --mount=type=secret`, not in ARG)")
                continue
            kept.append(p.key if p.value is None else pair_text(p))
        if not kept:
            return
        if in_image:
            self.extra_lines.extend(f"ARG {k}" for k in kept)
        else:
            self.keep(ins, "ARG of a build stage; the template's build stages take none", text="ARG " + " ".join(kept))

    def _label(self, ins: Instruction, in_image: bool) -> None:
        if ins.pairs:
            self.extra_lines.append("LABEL " + " ".join(pair_text(p) for p in ins.pairs))

    def _maintainer(self, ins: Instruction, in_image: bool) -> None:
        if ins.value:
            self.extra_lines.append("LABEL org.opencontainers.image.authors=" + json.dumps(ins.value[0]))

    def _workdir(self, ins: Instruction, in_image: bool) -> None:
        if not in_image or not ins.value:
            return
        target = ins.value[0]
        for k, v in self.env.items():
            target = target.replace("${" + k + "}", v).replace("$" + k, v)
        self.workdir = posixpath.normpath(posixpath.join(self.workdir, target))
        self.had_workdir = True

    def _expose(self, ins: Instruction, in_image: bool) -> None:
        for word in ins.value:
            self.exposed.append((word, ins.line))

    def _healthcheck(self, ins: Instruction, in_image: bool) -> None:
        if in_image:
            self.health = ins

    def _cmd(self, ins: Instruction, in_image: bool) -> None:
        if in_image:
            self.cmd = ins

    def _entrypoint(self, ins: Instruction, in_image: bool) -> None:
        if in_image:
            self.entrypoint = ins
            self.cmd = None  # ENTRYPOINT resets an inherited CMD

    def _user(self, ins: Instruction, in_image: bool) -> None:
        pass  # the template's non-root user replaces it

    def _run(self, ins: Instruction, in_image: bool) -> None:
        from ...parser.shell import run_scripts

        scripts = run_scripts(ins)
        commands = [c for s in scripts for c in s.commands]
        if not commands or not all(s.ok for s in scripts):
            self.keep(ins, "a RUN the template has no place for")
            return
        names = {c.name.rsplit("/", 1)[-1] for c in commands}
        if names <= PROBE_DOWNLOAD and re.search(r"grpc[_-]health[_-]probe", ins.args_text):
            self.warn(ins.line, "RUN that downloads grpc_health_probe dropped: the template's runtime-tools stage "
                                "installs it (pinned, its checksum checked, for the target architecture)")
            return
        packages: list[str] = []
        for c in commands:
            if c.is_(*PKG_MANAGERS):
                packages += installed_packages(c)
        if names & NPM_TOOLS:
            extra = self._npm_leftovers(commands)
            others = sorted(n for n in names - NPM_TOOLS - PKG_MANAGERS - HOUSEKEEPING - USER_COMMANDS
                            - {"update-ca-certificates", "rimraf"})
            if in_image and packages:
                self._packages(packages, ins.line)
            if extra or others:
                self.keep(ins, f"runs {', '.join(extra + [f'`{o}`' for o in others])}, which the template does not")
            return
        if names <= (PKG_MANAGERS | HOUSEKEEPING | USER_COMMANDS) and (names & (PKG_MANAGERS | USER_COMMANDS)):
            if in_image:
                self._packages(packages, ins.line)
                self._folders(commands)
            elif packages:
                tools = [p for p in packages if is_build_tool(p)]
                others = [p for p in packages if not is_build_tool(p)]
                if tools:
                    self.warn(ins.line, f"build tools {', '.join(tools)} of a build stage not carried over (the "
                                        "template compiles native modules in its dependencies stage)")
                if others:
                    self.keep(ins, f"packages {', '.join(others)} installed in a build stage")
            return
        if in_image and names <= FILE_COMMANDS:
            if self._folders(commands, only=True):
                return  # folders of the workdir (the template's WORKDIR makes them) or made in production
            made = self._made(commands)
            if made is not None:
                self.file_runs.append((_one_line(scripts), ins.line))
                self.made_files |= made
                self.warn(ins.line, "RUN carried into the builder (after the build): it makes "
                                    f"{', '.join(sorted(made)) or 'files'} from the sources")
                return
        self.keep(ins, "a RUN the template has no place for")

    def _folders(self, commands, only: bool = False) -> bool:
        """``mkdir`` of the workdir (the template's WORKDIR makes it) and of folders outside it (made in
        production and given to the user). With ``only``: True when the RUN does nothing else."""
        found = False
        for c in commands:
            if c.name != "mkdir":
                if only and c.name not in ("chown", "chmod", "true", ":"):
                    return False
                continue
            for word in c.args_no_flags():
                path = self._expand(word)
                if not path.startswith("/"):
                    if only:
                        return False
                    continue
                path = posixpath.normpath(path)
                found = True
                workdir = self.app_dir
                makes_workdir = workdir == path or workdir.startswith(path.rstrip("/") + "/")
                if not makes_workdir and path not in self.runtime_dirs:
                    self.runtime_dirs.append(path)
        return found

    def _made(self, commands) -> set[str] | None:
        """What a RUN of file commands makes, relative to the workdir (``cp a b``: b), or None when it touches
        an absolute path (the template cannot tell where that lands)."""
        made: set[str] = set()
        for c in commands:
            args = c.args_no_flags()
            if any(self._expand(a).startswith("/") for a in args if c.name != "sed"):
                return None
            if c.name in ("cp", "mv", "ln") and len(args) >= 2:
                made.add(posixpath.normpath(args[-1]))
            elif c.name in ("touch", "mkdir"):
                made |= {posixpath.normpath(a) for a in args}
        return made

    def _expand(self, word: str) -> str:
        for k, v in self.env.items():
            word = word.replace("${" + k + "}", v).replace("$" + k, v)
        return word

    def _npm_leftovers(self, commands) -> list[str]:
        """The npm scripts a build RUN runs that the template does not (install, build, proto and their
        hooks are the template's)."""
        covered = {"build", "prebuild", "postbuild", "install", "preinstall", "postinstall", "prepare"}
        covered |= {k for k in self.scripts if "proto" in k}
        build = str(self.scripts.get("build", ""))
        extra = []
        for c in commands:
            if not c.is_("npm", "yarn", "pnpm"):
                continue
            rest = c.args_no_flags()
            if not rest:
                continue
            if rest[0] in ("run", "run-script") and len(rest) > 1:
                script = rest[1]
                if script not in covered and f"run {script}" not in build:
                    extra.append(f"`{c.name} run {script}`")
            elif rest[0] in ("test", "t") or (c.is_("yarn") and rest[0] in self.scripts and rest[0] != "build"
                                               and rest[0] not in covered):
                extra.append(f"`{c.name} {rest[0]}`")
        return extra

    def _packages(self, packages: list[str], line: int) -> None:
        tools = []
        if any(is_distro_node(p) for p in packages):
            dropped = [p for p in packages if is_distro_node(p) or p in DISTRO_NODE_NEEDS]
            self.warn(line, f"OS packages {', '.join(dropped)} not carried over: the policy's node image has its "
                            "own node, npm and yarn (with full ICU)")
            packages = [p for p in packages if p not in dropped]
        for pkg in packages:
            if is_build_tool(pkg):
                tools.append(pkg)
                continue
            apk = APT_TO_APK.get(pkg, pkg)
            if apk not in SAME_IN_ALPINE and pkg not in APT_TO_APK:
                self.warn(line, f"OS package {pkg} carried over under the same name; check that Alpine has it")
            if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._+-]*", apk):
                self.warn(line, f"OS package {pkg!r} is not a plain package name: not carried over")
                continue
            if apk not in self.runtime_packages:
                self.runtime_packages.append(apk)
        if tools:
            self.warn(line, f"build tools {', '.join(tools)} dropped from production (FL105); the template "
                            "compiles nothing there")

    def _copy(self, ins: Instruction, in_image: bool) -> None:
        self._copy_or_add(ins, in_image)

    def _add(self, ins: Instruction, in_image: bool) -> None:
        self._copy_or_add(ins, in_image)

    def _copy_or_add(self, ins: Instruction, in_image: bool) -> None:
        words = list(ins.value)
        if ins.heredocs or len(words) < 2:
            self.keep(ins, f"a {ins.keyword} the template has no place for")
            return
        sources, dest = words[:-1], words[-1]
        source_stage = ins.flag_value("from")
        if source_stage is not None:
            if all(is_build_input(s) or is_output(s) for s in sources):
                return  # build output and node_modules: the template copies them from the builder
            self.keep(ins, f"copies from {source_stage}, a stage the template does not have")
            return
        if ins.keyword == "ADD" and any(re.match(r"^[a-z]+://", s) or is_archive(s) for s in sources):
            self.keep(ins, "ADD of a URL or an archive")
            return
        probes = [s for s in sources if re.fullmatch(r"grpc[_-]health[_-]probe[\w.-]*", posixpath.basename(s.rstrip("/")))]
        if probes:
            self.warn(ins.line, f"{ins.keyword} of {', '.join(probes)} dropped: the template's runtime-tools stage "
                                "installs grpc_health_probe (pinned, its checksum checked, for the target architecture)")
            sources = [s for s in sources if s not in probes]
        assets = [s for s in sources if not is_build_input(s)]
        if not assets:
            return  # sources and manifests: the builder's `COPY . .` has them
        if not in_image:
            return  # the builder has the whole context
        for s in assets:
            if norm_source(s) in (".env",) or norm_source(s).startswith(".env."):
                self.warn(ins.line, f"{ins.keyword} {s}: .env files hold secrets; not carried over")
                assets = [a for a in assets if a != s]
        if not assets:
            return
        for k, v in self.env.items():
            dest = dest.replace("${" + k + "}", v).replace("$" + k, v)
        absolute = posixpath.join(self.workdir, dest)
        if dest.endswith("/") and not absolute.endswith("/"):
            absolute += "/"
        self._copies.append(([norm_source(a) for a in assets], absolute, ins.line))


    HANDLERS = {
        "ENV": _env,
        "ARG": _arg,
        "LABEL": _label,
        "MAINTAINER": _maintainer,
        "WORKDIR": _workdir,
        "EXPOSE": _expose,
        "HEALTHCHECK": _healthcheck,
        "CMD": _cmd,
        "ENTRYPOINT": _entrypoint,
        "USER": _user,
        "RUN": _run,
        "COPY": _copy,
        "ADD": _add,
        "COPY_OR_ADD": _copy_or_add,
    }
