"""Step 1: read the service: the legacy Dockerfile (every instruction sorted: carried over, replaced by the
template, or kept as a comment), its ``package.json``, its ``.proto`` files, its place in the service matrix.
Everything the later steps know about the service is read here; nothing after this step reads a file."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

from ...engine.config import Policy
from ...engine.pragmas import read_pragmas
from ...engine.rule import Context
from ...engine.runner import service_of
from ...parser.tree import Dockerfile, Instruction
from .model import MigrationError
from .vocabulary import (APT_TO_APK, HOUSEKEEPING, NPM_TOOLS, PKG_MANAGERS, SAME_IN_ALPINE, USER_COMMANDS,
                         installed_packages, is_archive, is_build_input, is_build_tool, is_output, is_secret,
                         norm_source, pair_text)


def read_package(folder: Path) -> dict:
    f = folder / "package.json"
    try:
        raw = f.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MigrationError(f"no package.json in {folder.as_posix() or '.'}: the template builds a Node.js "
                             "service (use --no-template to apply the other fixes only)") from None
    except (OSError, UnicodeDecodeError) as err:
        raise MigrationError(f"{f}: cannot read: {getattr(err, 'strerror', None) or err}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as err:
        raise MigrationError(f"{f}:{err.lineno}: invalid JSON: {err.msg}") from None
    if not isinstance(data, dict):
        raise MigrationError(f"{f}:1: not a package.json (the top level is not an object)")
    return data


class LegacyReader:
    """Walks the legacy Dockerfile once and sorts every instruction: carried over, replaced by the template, or
    kept as a comment."""

    def __init__(self, df: Dockerfile, path: str, policy: Policy, package: dict, folder: Path):
        self.df, self.path, self.policy, self.package, self.folder = df, path, policy, package, folder
        self.scripts = package.get("scripts") if isinstance(package.get("scripts"), dict) else {}
        # the service's .proto files (a protobuf generation step in the build)
        self.protos = [p for p in folder.rglob("*.proto") if "node_modules" not in p.parts]
        pragmas = read_pragmas(df)
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
        self.env_lines: dict[str, int] = {}
        self.exposed: list[tuple[str, int]] = []
        self.health: Instruction | None = None
        self.cmd: Instruction | None = None
        self.entrypoint: Instruction | None = None
        self.workdir = "/"
        self.had_workdir = False

    def warn(self, line: int, message: str) -> None:
        self.warnings.append((line, message))

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
                self.env_lines[p.key] = ins.line
            if in_image and p.key == "NODE_ENV" and (p.value or "") == "production":
                continue  # the template sets it
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
        packages: list[str] = []
        for c in commands:
            if c.is_(*PKG_MANAGERS):
                packages += installed_packages(c)
        if names & NPM_TOOLS:
            extra = self._npm_leftovers(commands)
            if extra:
                self.keep(ins, f"runs {', '.join(extra)}, which the template does not")
            return
        if names <= (PKG_MANAGERS | HOUSEKEEPING | USER_COMMANDS) and (names & (PKG_MANAGERS | USER_COMMANDS)):
            if in_image:
                self._packages(packages, ins.line)
            elif packages:
                tools = [p for p in packages if is_build_tool(p)]
                others = [p for p in packages if not is_build_tool(p)]
                if tools:
                    self.warn(ins.line, f"build tools {', '.join(tools)} of a build stage not carried over (the "
                                        "template installs with --ignore-scripts, so no native addon is compiled)")
                if others:
                    self.keep(ins, f"packages {', '.join(others)} installed in a build stage")
            return
        self.keep(ins, "a RUN the template has no place for")

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
