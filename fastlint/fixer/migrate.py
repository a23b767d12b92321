"""The template rewrite: a Dockerfile that breaks the standard's 4-stage structure is rewritten from the template,
carrying over what belongs to the service.

``migrate(text, path, policy)`` reads the legacy Dockerfile and the ``package.json`` beside it, fills the
template's context (``fastlint/policy/template.py`` documents it) and renders the template. What it carries over:

* the service's name, type and port: the service matrix first (``policy.services``, found by folder name or the
  ``# fastlint: service=`` pragma), else EXPOSE / ``ENV PORT`` and what the health check or the dependencies
  say (grpc_health_probe or @grpc/grpc-js: gRPC; curl, express, fastify, koa: HTTP); the health check is the
  one of its type (HTTP keeps the path the old health check probed);
* the start command (ENTRYPOINT + CMD in exec form; ``npm start`` becomes package.json's ``start`` script when it
  is one plain command and there is no ``prestart``/``poststart``, so node runs as PID 1 and gets the signals);
  with no CMD, package.json's ``start`` script; the build command (``npm run build`` when package.json has a
  ``build`` script); the protobuf generation step when the service has ``.proto`` files and a proto script that
  the build does not already run;
* ENV, ARG and LABEL of the image's stages, MAINTAINER as the OCI authors label, the WORKDIR; secrets (the
  same test as FL601) are removed and reported, never copied, not even into comments;
* extra COPY of non-source assets (config, static files): taken from the builder stage, which has the whole
  build context, to the same destination (the template's ``extra_copy`` when the destination is the same path
  under the workdir, else a ``COPY --from=builder`` line added after the template's production COPYs);
* OS packages the image needs at run time (apt/yum names mapped to Alpine's where they differ); build tools
  (python3, make, g++, gcc, git, ``*-dev`` ...) are dropped from production and reported.

What it cannot place (a ``RUN`` that is not a package install or an npm step, VOLUME, SHELL, ENV of a build
stage, ...) is kept at the end of the new file as a commented block under a ``# fastlint:`` note, and reported:
never dropped. Install and build steps, FROM, USER, EXPOSE, HEALTHCHECK and ``COPY`` of sources and manifests
are what the template replaces. File-wide pragmas (``# fastlint: service=``, ``global ignore=``) are carried to
the top of the new file; a CRLF file gets CRLF line endings.

A Dockerfile without a ``package.json`` beside it is not a Node.js service: it is not rewritten
(``MigrationError``, one line); nor is a service whose type or port cannot be found.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..engine.config import Policy
from ..engine.pragmas import is_file_pragma, read_pragmas
from ..engine.rule import Context
from ..engine.runner import service_of
from ..policy.builtin import GRPC_PACKAGES, HTTP_PACKAGES
from ..parser import parse
from ..parser.tree import Dockerfile, Instruction
from .loop import StructuralError

class MigrationError(StructuralError):
    """The file cannot be rewritten from the template; the message is one sentence."""


@dataclass
class Migration:
    text: str  # the rendered Dockerfile
    context: dict  # what was given to the template
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line of the original, message)
    kept: list[int] = field(default_factory=list)  # lines of original instructions kept as comments


# -- what is source, what is a build tool ------------------------------------------------------------------------
# Files and folders the builder gets with `COPY . .` and that never reach production as they are.
_BUILD_INPUTS = {
    ".", "src", "source", "proto", "protos", "test", "tests", "__tests__", "spec", "node_modules", "dist", "build",
    "package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", ".npmrc",
    ".yarnrc", ".yarnrc.yml", ".babelrc", "babel.config.js", "webpack.config.js", "nest-cli.json", "jest.config.js",
    "jest.config.ts", ".eslintrc", ".eslintrc.js", ".eslintrc.json", ".prettierrc", "tsconfig.json",
    "tsconfig.build.json", ".nvmrc", ".git", ".gitignore", ".dockerignore", "Dockerfile",
}
_BUILD_INPUT_PATTERNS = ("package*.json", "tsconfig*.json", "*.ts", "*.tsx", "*.lock", ".eslintrc*")

BUILD_TOOLS = {
    "build-essential", "build-base", "gcc", "g++", "clang", "make", "cmake", "python", "python2", "python3",
    "python-is-python3", "python3-pip", "git", "pkg-config", "pkgconf", "autoconf", "automake", "libtool",
    "binutils", "musl-dev", "libc-dev", "libc6-dev", "linux-headers", "node-gyp", "patch",
}

# Debian/Ubuntu (and yum) names -> Alpine names, where they differ.
APT_TO_APK = {
    "netcat": "netcat-openbsd", "netcat-traditional": "netcat-openbsd", "dnsutils": "bind-tools",
    "iputils-ping": "iputils", "fonts-liberation": "font-liberation", "xz-utils": "xz", "libvips": "vips",
    "libvips42": "vips", "default-mysql-client": "mariadb-client", "mysql-client": "mariadb-client",
    "libpq5": "libpq", "locales": "musl-locales", "gnupg2": "gnupg", "openssh-client": "openssh-client",
    "libssl3": "libssl3", "libssl1.1": "libssl3", "chromium-browser": "chromium", "fonts-noto": "font-noto",
    "fonts-noto-color-emoji": "font-noto-emoji", "libjpeg62-turbo": "libjpeg-turbo", "libpng16-16": "libpng",
    "postgresql-client": "postgresql-client", "procps": "procps", "dumb-init": "dumb-init", "tini": "tini",
    "vim-tiny": "vim", "net-tools": "net-tools", "iproute2": "iproute2",
}
# Names that are the same in Alpine (no warning when carried over).
_SAME_IN_ALPINE = {
    "curl", "wget", "tzdata", "ca-certificates", "bash", "openssl", "jq", "imagemagick", "ghostscript",
    "graphicsmagick", "ffmpeg", "chromium", "unzip", "zip", "gnupg", "less", "vim", "nano", "tini", "dumb-init",
    "rsync", "file", "sqlite", "redis", "poppler-utils", "openssh-client", "ttf-freefont", "mariadb-client",
    "netcat-openbsd", "bind-tools", "iputils", "font-liberation", "xz", "vips", "libpq", "musl-locales", "procps",
    "postgresql-client", "libssl3", "libjpeg-turbo", "libpng", "font-noto", "font-noto-emoji", "net-tools",
    "iproute2", "tar", "gzip", "coreutils", "shadow", "su-exec", "git-lfs",
}

# Commands that may appear in an install or build RUN the template replaces (housekeeping around the real work).
_HOUSEKEEPING = {
    "rm", "echo", "[", "test", "true", ":", "set", "cd", "cp", "mv", "mkdir", "ls", "cat", "printf", "export",
    "chown", "chmod", "ln", "touch", "exit",
}
_USER_COMMANDS = {"adduser", "addgroup", "useradd", "groupadd", "usermod", "groupmod"}
_NPM = {"npm", "yarn", "pnpm", "npx", "tsc", "node-gyp", "corepack"}
_PKG_MANAGERS = {"apt-get", "apt", "apk", "yum", "dnf", "microdnf"}


# -- secrets: FL601's test ------------------------------------------------------------------------------------------
def is_secret(name: str, value: str | None, keyword: str = "ENV") -> bool:
    """FL601's test, so that the rewrite removes exactly what FL601 reports."""
    from ..rules.lib.secrets import kind_of_secret

    return kind_of_secret(keyword, name, value) is not None


# -- the migration -----------------------------------------------------------------------------------------------
def migrate(text: str, path: str, policy: Policy, template: str | None = None) -> Migration:
    """Rewrite ``text`` (the Dockerfile at ``path``) from the template (the built-in one, or the text of a custom
    one). Raises ``MigrationError`` when the file cannot be rewritten."""
    from ..policy.template import TemplateError, render

    df = parse(text, path)
    if df.error is not None:
        raise MigrationError(f"line {df.error.line}: {df.error.message}")
    folder = Path(path).parent
    package = _read_package(folder)
    reader = _Reader(df, path, policy, package, folder)
    reader.read()
    context = reader.context()
    try:
        rendered = render(context, template)
    except TemplateError as err:
        raise MigrationError(str(err)) from None
    if reader.copy_lines:
        rendered = _insert_copies(rendered, reader.copy_lines, path)
    if reader.kept_blocks:
        rendered = rendered.rstrip("\n") + "\n\n" + "\n".join(reader.kept_blocks) + "\n"
    # file-wide pragmas (the service, global ignores) still hold for the new file; per-instruction and per-stage
    # ignores go with the instructions and stages the template replaces
    pragmas = [f"# {c.text}" for c in df.comments if is_file_pragma(c.text)]
    if pragmas:
        rendered = "\n".join(dict.fromkeys(pragmas)) + "\n" + rendered
    if "\r\n" in text and text.count("\r\n") * 2 >= text.count("\n"):
        rendered = rendered.replace("\n", "\r\n")
    return Migration(text=rendered, context=context, warnings=reader.warnings, kept=reader.kept_lines)


def _read_package(folder: Path) -> dict:
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


class _Reader:
    """Walks the legacy Dockerfile once and sorts every instruction: carried over, replaced by the template, or
    kept as a comment."""

    def __init__(self, df: Dockerfile, path: str, policy: Policy, package: dict, folder: Path):
        self.df, self.path, self.policy, self.package, self.folder = df, path, policy, package, folder
        self.scripts = package.get("scripts") if isinstance(package.get("scripts"), dict) else {}
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
            handler = getattr(self, f"_{ins.keyword.lower()}", None)
            if ins.keyword == "FROM":
                if in_image:
                    self.workdir, self.env = "/", {}
                continue
            if handler is None:
                self.keep(ins, f"{ins.keyword} has no place in the template")
                continue
            handler(ins, in_image)

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
            kept.append(_pair_text(p))
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
            kept.append(p.key if p.value is None else _pair_text(p))
        if not kept:
            return
        if in_image:
            self.extra_lines.extend(f"ARG {k}" for k in kept)
        else:
            self.keep(ins, "ARG of a build stage; the template's build stages take none", text="ARG " + " ".join(kept))

    def _label(self, ins: Instruction, in_image: bool) -> None:
        if ins.pairs:
            self.extra_lines.append("LABEL " + " ".join(_pair_text(p) for p in ins.pairs))

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
        from ..parser.shell import run_scripts

        scripts = run_scripts(ins)
        commands = [c for s in scripts for c in s.commands]
        if not commands or not all(s.ok for s in scripts):
            self.keep(ins, "a RUN the template has no place for")
            return
        names = {c.name.rsplit("/", 1)[-1] for c in commands}
        packages: list[str] = []
        for c in commands:
            if c.is_(*_PKG_MANAGERS):
                packages += _installed_packages(c)
        if names & _NPM:
            extra = self._npm_leftovers(commands)
            if extra:
                self.keep(ins, f"runs {', '.join(extra)}, which the template does not")
            return
        if names <= (_PKG_MANAGERS | _HOUSEKEEPING | _USER_COMMANDS) and (names & (_PKG_MANAGERS | _USER_COMMANDS)):
            if in_image:
                self._packages(packages, ins.line)
            elif packages:
                tools = [p for p in packages if _is_build_tool(p)]
                others = [p for p in packages if not _is_build_tool(p)]
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
            if _is_build_tool(pkg):
                tools.append(pkg)
                continue
            apk = APT_TO_APK.get(pkg, pkg)
            if apk not in _SAME_IN_ALPINE and pkg not in APT_TO_APK:
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
            if all(_is_build_input(s) or _is_output(s) for s in sources):
                return  # build output and node_modules: the template copies them from the builder
            self.keep(ins, f"copies from {source_stage}, a stage the template does not have")
            return
        if ins.keyword == "ADD" and any(re.match(r"^[a-z]+://", s) or _is_archive(s) for s in sources):
            self.keep(ins, "ADD of a URL or an archive")
            return
        assets = [s for s in sources if not _is_build_input(s)]
        if not assets:
            return  # sources and manifests: the builder's `COPY . .` has them
        if not in_image:
            return  # the builder has the whole context
        for s in assets:
            if _norm(s) in (".env",) or _norm(s).startswith(".env."):
                self.warn(ins.line, f"{ins.keyword} {s}: .env files hold secrets; not carried over")
                assets = [a for a in assets if a != s]
        if not assets:
            return
        for k, v in self.env.items():
            dest = dest.replace("${" + k + "}", v).replace("$" + k, v)
        absolute = posixpath.join(self.workdir, dest)
        if dest.endswith("/") and not absolute.endswith("/"):
            absolute += "/"
        self._copies.append(([_norm(a) for a in assets], absolute, ins.line))

    # -- the context -------------------------------------------------------------------------------------------
    def context(self) -> dict:
        workdir = self.workdir if self.had_workdir and self.workdir != "/" else "/app"
        service_name = self.service.name if self.service else self.folder.resolve().name
        svc_type = self._type()
        port = self._port()
        ctx: dict = {"service": service_name, "type": svc_type, "port": port, "workdir": workdir}
        if self.service is not None and self.service.health_service:
            ctx["health_service"] = self.service.health_service
        if svc_type == "http":
            path = self._health_path()
            if path:
                ctx["health_path"] = path
        ctx.update(self._build())
        ctx["start_command"] = self._start_command(workdir)
        output = self._output_dir(ctx["start_command"])
        if output:
            ctx["output_dir"] = output
        for sources, dest, line in self._copies:
            self._place_copy(sources, dest, line, workdir)
        ctx["extra_copy"] = self.extra_copy
        ctx["extra_lines"] = list(dict.fromkeys(self.extra_lines))
        ctx["runtime_packages"] = self.runtime_packages
        user = self.policy.user or {}
        for key, name in (("user", "name"), ("uid", "uid"), ("gid", "gid")):
            if user.get(name) is not None:
                ctx[key] = user[name]
        bases = self.policy.bases or {}
        stages = self.policy.stages or []
        if len(stages) == 4:
            node = bases.get(stages[3]) or bases.get(stages[0])
            tools = bases.get(stages[2])
            if node:
                ctx["node_image"] = node
            if tools:
                ctx["tools_image"] = tools
        return ctx

    def _type(self) -> str:
        if self.service is not None and self.service.type in ("grpc", "http"):
            return self.service.type
        if self.health is not None:
            probe = " ".join(self.health.value)
            if "grpc_health_probe" in probe:
                return "grpc"
            if re.search(r"\b(curl|wget)\b", probe):
                return "http"
        deps = {**_deps(self.package, "dependencies")}
        if any(d in deps for d in HTTP_PACKAGES):
            return "http"
        if any(d in deps for d in GRPC_PACKAGES):
            return "grpc"
        raise MigrationError("cannot tell whether the service is gRPC or HTTP (it is not in the service matrix, "
                             "and neither its health check nor its dependencies say): add it to fastlint.yaml")

    def _exposed_ports(self) -> list[tuple[int, int]]:
        out = []
        for word, line in self.exposed:
            value = word
            for k, v in self.env.items():
                value = value.replace("${" + k + "}", v).replace("$" + k, v)
            m = re.fullmatch(r"(\d+)(?:/(tcp|udp))?", value)
            if m:
                out.append((int(m.group(1)), line))
        return out

    def _port(self) -> int:
        exposed = self._exposed_ports()
        env_port = self.env.get("PORT", "")
        if self.service is not None:
            port = self.service.port
            for p, line in exposed:
                if p != port:
                    self.warn(line, f"EXPOSE {p} replaced by the service matrix's port {port}")
            if env_port.isdigit() and int(env_port) != port:
                self.warn(self.env_lines.get("PORT", 0), f"ENV PORT={env_port} differs from the service matrix's "
                          f"port {port}: check which port the service listens on")
            return port
        if exposed:
            if len(exposed) > 1:
                self.warn(exposed[1][1], f"several ports exposed; the template exposes {exposed[0][0]} only")
            return exposed[0][0]
        if env_port.isdigit():
            return int(env_port)
        raise MigrationError("no port: the service is not in the service matrix and the Dockerfile has no EXPOSE "
                             "or ENV PORT")

    def _health_path(self) -> str | None:
        if self.health is None:
            return None
        m = re.search(r"https?://[^/\s\"']+(/[^\s\"'|;&)]*)", " ".join(self.health.value))
        return m.group(1) if m else None

    def _build(self) -> dict:
        out: dict = {}
        build = self.scripts.get("build")
        if isinstance(build, str) and build.strip():
            out["build_command"] = "npm run build"
        else:
            out["build_command"] = "npm run build --if-present"
            self.warn(0, "package.json has no build script: the builder runs `npm run build --if-present`")
        protos = [p for p in self.folder.rglob("*.proto") if "node_modules" not in p.parts]
        proto_script = next((k for k in self.scripts if "proto" in k.lower() and isinstance(self.scripts[k], str)),
                            None)
        if protos and proto_script:
            out["has_proto"] = True
            runs_it = re.search(rf"\brun(-script)?\s+{re.escape(proto_script)}\b", str(build or ""))
            out["proto_command"] = "" if runs_it else f"npm run {proto_script}"
        return out

    def _start_command(self, workdir: str) -> list[str]:
        command: list[str] = []
        if self.entrypoint is not None:
            command = _exec_form(self.entrypoint)
            if self.entrypoint.json and self.cmd is not None:
                command += _exec_form(self.cmd)
        elif self.cmd is not None:
            command = _exec_form(self.cmd)
        if not command:
            start = self.scripts.get("start")
            if isinstance(start, str) and start.strip():
                command = ["npm", "start"]
            elif isinstance(self.package.get("main"), str):
                command = ["node", self.package["main"]]
                self.warn(0, f"no CMD and no start script: the image runs `node {self.package['main']}`")
            else:
                raise MigrationError("no start command: the Dockerfile has no CMD or ENTRYPOINT and package.json "
                                     "no start script or main")
        return self._resolve_npm_start(command)

    def _resolve_npm_start(self, command: list[str]) -> list[str]:
        """``npm start`` -> the start script itself, when that is one plain command and no hook runs around it."""
        if command not in (["npm", "start"], ["npm", "run", "start"], ["npm", "run-script", "start"]):
            return command
        start = self.scripts.get("start")
        if not isinstance(start, str) or "prestart" in self.scripts or "poststart" in self.scripts:
            return command
        words = _plain_words(start)
        if not words:
            return command
        return words

    def _output_dir(self, start: list[str]) -> str | None:
        main = self.package.get("main")
        for candidate in ([main] if isinstance(main, str) else []) + start[1:]:
            parts = posixpath.normpath(candidate).split("/")
            if len(parts) > 1 and parts[0] not in ("", ".", "..") and re.fullmatch(r"[\w.-]+", parts[0]):
                return parts[0]
        return None

    def _place_copy(self, sources: list[str], dest: str, line: int, workdir: str) -> None:
        """A COPY of assets from the build context: the builder has them under the workdir."""
        plain = len(sources) == 1 and not any(ch in sources[0] for ch in "*?[ ")
        if plain and posixpath.normpath(dest) == posixpath.join(workdir, sources[0]):
            if sources[0] not in self.extra_copy:
                self.extra_copy.append(sources[0])
            return
        if any(" " in s for s in sources) or " " in dest:
            parts = [f"{workdir}/{s}" for s in sources] + [dest]
            self.copy_lines.append(f"COPY --from=builder --chown={{user}} {json.dumps(parts)}")
        else:
            srcs = " ".join(f"{workdir}/{s}" for s in sources)
            self.copy_lines.append(f"COPY --from=builder --chown={{user}} {srcs} {dest}")


def _insert_copies(rendered: str, lines: list[str], path: str) -> str:
    """Add COPY lines after the last COPY of the rendered file's final stage (the template has no slot for a
    destination outside the workdir)."""
    df = parse(rendered, path)
    if df.error is not None or not df.stages:
        raise MigrationError(f"the template's output does not parse (line {df.error.line if df.error else 1})")
    final = df.stages[-1]
    copies = [i for i in final.instructions if i.keyword == "COPY"]
    user = "nodejs:nodejs"
    for i in copies:
        chown = i.flag_value("chown")
        if chown:
            user = chown
            break
    text = "".join(line.replace("{user}", user) + "\n" for line in lines)
    if copies:
        at = copies[-1].end
    else:
        anchor = next((i for i in final.instructions if i.keyword in ("USER", "EXPOSE", "HEALTHCHECK", "CMD")), None)
        at = anchor.start if anchor is not None else len(rendered)
    if at > 0 and rendered[at - 1] != "\n":
        text = "\n" + text
    return rendered[:at] + text + rendered[at:]


# -- small helpers -----------------------------------------------------------------------------------------------
def _pair_text(p) -> str:
    """``KEY=value`` as it can be written on one line: the value as written when it is one word or quoted."""
    if p.value is None:
        return p.key
    raw = p.value_raw if p.value_raw is not None else p.value
    quoted = len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'"
    if quoted or (raw and not re.search(r"[\s\\]", raw)):
        return f"{p.key}={raw}"
    escaped = p.value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{p.key}="{escaped}"'


def _norm(source: str) -> str:
    s = source
    while s.startswith("./"):
        s = s[2:]
    s = s.rstrip("/") or "."
    return s


def _is_build_input(source: str) -> bool:
    import fnmatch

    s = _norm(source)
    first = s.split("/", 1)[0]
    if s in _BUILD_INPUTS or first in _BUILD_INPUTS:
        return True
    return any(fnmatch.fnmatch(s, pat) for pat in _BUILD_INPUT_PATTERNS)


def _is_output(source: str) -> bool:
    parts = [p for p in posixpath.normpath(source).split("/") if p]
    return bool(parts) and parts[-1] in ("dist", "build", "node_modules", "package.json", "lib")


def _is_archive(source: str) -> bool:
    return bool(re.search(r"\.(tar|tar\.gz|tgz|tar\.bz2|tbz2|tar\.xz|txz|zip)$", source))


def _is_build_tool(pkg: str) -> bool:
    return pkg in BUILD_TOOLS or pkg.endswith(("-dev", "-devel")) or pkg.startswith(("python3.", "gcc-", "g++-"))


def _installed_packages(c) -> list[str]:
    """The packages an ``apt-get install`` / ``apk add`` / ``yum install`` command installs (versions dropped)."""
    words = c.args_no_flags()
    if not words:
        return []
    verb = words[0]
    if c.is_("apk"):
        if verb != "add":
            return []
        skip_next = {"-t", "--virtual", "--repository", "-X"}
    else:
        if verb not in ("install",):
            return []
        skip_next = {"-o", "--option", "-t", "--target-release"}
    out = []
    args = c.arg_texts
    i = args.index(verb) + 1 if verb in args else 1
    while i < len(args):
        a = args[i]
        if a in skip_next:
            i += 2
            continue
        i += 1
        if a.startswith("-"):
            continue
        name = re.split(r"[=<>]", a, maxsplit=1)[0]
        if name.endswith(":amd64") or name.endswith(":arm64"):
            name = name.rsplit(":", 1)[0]
        if name and "$" not in name:
            out.append(name)
    return out


def _deps(package: dict, key: str) -> dict:
    value = package.get(key)
    return value if isinstance(value, dict) else {}


def _plain_words(script: str) -> list[str]:
    """The words of a one-command script with no shell syntax, else []."""
    if any(ch in script for ch in "$`|&;<>(){}*?~\\\n'\"#"):
        return []
    from ..parser.shell import parse_shell

    sh = parse_shell(script)
    if not sh.ok or len(sh.commands) != 1 or sh.commands[0].assignments:
        return []
    cmd = sh.commands[0]
    return [cmd.name] + cmd.arg_texts


def _exec_form(ins: Instruction) -> list[str]:
    """CMD/ENTRYPOINT as an exec-form list: JSON as it is; a plain shell command split into words; anything with
    shell syntax as ``/bin/sh -c``."""
    if ins.json:
        return list(ins.value)
    script = ins.value[0] if ins.value else ""
    if not script.strip():
        return []
    return _plain_words(script) or ["/bin/sh", "-c", script]
