"""The words the migration steps share: what is source or build input, what is a build tool, Debian names of OS
packages in Alpine, the commands of an install RUN; secrets (FL601's test); small readers of instructions."""

from __future__ import annotations

import posixpath
import re

from ...parser.tree import Instruction


# Files and folders the builder gets with `COPY . .` and that never reach production as they are.
BUILD_INPUTS = {
    ".", "src", "source", "proto", "protos", "test", "tests", "__tests__", "spec", "node_modules", "dist", "build",
    "package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", ".npmrc",
    ".yarnrc", ".yarnrc.yml", ".babelrc", "babel.config.js", "webpack.config.js", "nest-cli.json", "jest.config.js",
    "jest.config.ts", ".eslintrc", ".eslintrc.js", ".eslintrc.json", ".prettierrc", "tsconfig.json",
    "tsconfig.build.json", ".nvmrc", ".git", ".gitignore", ".dockerignore", "Dockerfile",
}


BUILD_INPUT_PATTERNS = ("package*.json", "tsconfig*.json", "*.ts", "*.tsx", "*.lock", ".eslintrc*")


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
SAME_IN_ALPINE = {
    "curl", "wget", "tzdata", "ca-certificates", "bash", "openssl", "jq", "imagemagick", "ghostscript",
    "graphicsmagick", "ffmpeg", "chromium", "unzip", "zip", "gnupg", "less", "vim", "nano", "tini", "dumb-init",
    "rsync", "file", "sqlite", "redis", "poppler-utils", "openssh-client", "ttf-freefont", "mariadb-client",
    "netcat-openbsd", "bind-tools", "iputils", "font-liberation", "xz", "vips", "libpq", "musl-locales", "procps",
    "postgresql-client", "libssl3", "libjpeg-turbo", "libpng", "font-noto", "font-noto-emoji", "net-tools",
    "iproute2", "tar", "gzip", "coreutils", "shadow", "su-exec", "git-lfs",
}


# Commands that may appear in an install or build RUN the template replaces (housekeeping around the real work).
HOUSEKEEPING = {
    "rm", "echo", "[", "test", "true", ":", "set", "cd", "cp", "mv", "mkdir", "ls", "cat", "printf", "export",
    "chown", "chmod", "ln", "touch", "exit",
}


# A distribution's Node.js (an image built on alpine/debian with `apk add nodejs npm`), and what only it needs: the
# node image has its own.
DISTRO_NODE = {"nodejs", "nodejs-current", "nodejs-lts", "npm", "yarn", "nodejs-npm"}
# Amazon Linux 2023 (and Fedora-like) namespace each Node.js major: nodejs20, nodejs20-npm, nodejs22-full-i18n
DISTRO_NODE_VERSIONED = re.compile(r"nodejs\d+(?:-npm|-full-i18n|-libs)?")


def is_distro_node(package: str) -> bool:
    """A distribution's Node.js or npm package, which the policy's node image replaces."""
    return package in DISTRO_NODE or DISTRO_NODE_VERSIONED.fullmatch(package) is not None
DISTRO_NODE_NEEDS = {"icu-libs", "icu-data-full", "libstdc++", "libgcc"}


# Commands of a RUN that only makes files from the sources (statsd: `cp exampleConfig.js config.js && sed -i ...`):
# carried into the builder, after the build.
FILE_COMMANDS = {"cp", "mv", "ln", "sed", "mkdir", "touch", "rm", "ls", "echo", "cat", "printf", "chmod", "chown",
                 "true", ":", "test", "["}


# what a RUN that only downloads a tool uses (grpc_health_probe's download: the template's runtime-tools stage has it)
PROBE_DOWNLOAD = {"wget", "curl", "chmod", "mv", "cp", "ln", "rm", "mkdir", "echo", "sha256sum", "true", "tar"}


USER_COMMANDS = {"adduser", "addgroup", "useradd", "groupadd", "usermod", "groupmod"}


NPM_TOOLS = {"npm", "yarn", "pnpm", "npx", "tsc", "node-gyp", "corepack"}


PKG_MANAGERS = {"apt-get", "apt", "apk", "yum", "dnf", "microdnf"}


def is_secret(name: str, value: str | None, keyword: str = "ENV") -> bool:
    """FL601's test, so that the rewrite removes exactly what FL601 reports."""
    from ...rules.lib.secrets import kind_of_secret

    return kind_of_secret(keyword, name, value) is not None


def pair_text(p) -> str:
    """``KEY=value`` as it can be written on one line: the value as written when it is one word or quoted."""
    if p.value is None:
        return p.key
    raw = p.value_raw if p.value_raw is not None else p.value
    quoted = len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'"
    if quoted or (raw and not re.search(r"[\s\\]", raw)):
        return f"{p.key}={raw}"
    escaped = p.value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{p.key}="{escaped}"'


def norm_source(source: str) -> str:
    s = source
    while s.startswith("./"):
        s = s[2:]
    s = s.rstrip("/") or "."
    return s


def is_build_input(source: str) -> bool:
    import fnmatch

    s = norm_source(source)
    first = s.split("/", 1)[0]
    if s in BUILD_INPUTS or first in BUILD_INPUTS:
        return True
    if "*" not in s and any(ch in s for ch in "?["):  # `yarn.loc[k]`: the idiom that copies a file only if present
        if any(fnmatch.fnmatch(name, s) for name in BUILD_INPUTS):
            return True
    return any(fnmatch.fnmatch(s, pat) for pat in BUILD_INPUT_PATTERNS)


def is_output(source: str) -> bool:
    parts = [p for p in posixpath.normpath(source).split("/") if p]
    return bool(parts) and parts[-1] in ("dist", "build", "node_modules", "package.json", "lib")


def is_archive(source: str) -> bool:
    return bool(re.search(r"\.(tar|tar\.gz|tgz|tar\.bz2|tbz2|tar\.xz|txz|zip)$", source))


def is_build_tool(pkg: str) -> bool:
    return pkg in BUILD_TOOLS or pkg.endswith(("-dev", "-devel")) or pkg.startswith(("python3.", "gcc-", "g++-"))


def installed_packages(c) -> list[str]:
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


def deps_of(package: dict, key: str) -> dict:
    value = package.get(key)
    return value if isinstance(value, dict) else {}


def plain_words(script: str) -> list[str]:
    """The words of a one-command script with no shell syntax, else []."""
    if any(ch in script for ch in "$`|&;<>(){}*?~\\\n'\"#"):
        return []
    from ...parser.shell import parse_shell

    sh = parse_shell(script)
    if not sh.ok or len(sh.commands) != 1 or sh.commands[0].assignments:
        return []
    cmd = sh.commands[0]
    return [cmd.name] + cmd.arg_texts


def exec_form(ins: Instruction) -> list[str]:
    """CMD/ENTRYPOINT as an exec-form list: JSON as it is; a plain shell command split into words; anything with
    shell syntax as ``/bin/sh -c``."""
    if ins.json:
        return list(ins.value)
    script = ins.value[0] if ins.value else ""
    if not script.strip():
        return []
    return plain_words(script) or ["/bin/sh", "-c", script]
