"""npm, yarn and pnpm: dependency installs, devDependencies, and the files an install reads."""

from __future__ import annotations

import posixpath

from ...parser.shell import Command, ShellWord
from .run import positional


# -- npm ---------------------------------------------------------------------------------------------------------
class NpmInstall:
    """A dependency install: ``npm install``/``npm ci``, ``yarn [install]``, ``pnpm install``."""

    def __init__(self, cmd: Command, tool: str, sub: ShellWord | None, ci: bool, omit_dev: bool | None):
        self.cmd = cmd
        self.tool = tool  # npm | yarn | pnpm
        self.sub = sub  # the subcommand word (``install``, ``ci``), None for a bare ``yarn``
        self.ci = ci  # npm ci / yarn --frozen-lockfile / pnpm --frozen-lockfile
        self.omit_dev = omit_dev  # True: devDependencies left out; False: included explicitly; None: NODE_ENV decides


_NPM_INSTALL = ("install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall",
                "add")


def npm_install(cmd: Command) -> NpmInstall | None:
    """The dependency install a command runs, or None (global installs and single packages are not the
    project's dependencies)."""
    if cmd.is_("npm"):
        pos = positional(cmd, frozenset({"--prefix", "-w", "--workspace", "--omit", "--include", "--only",
                                         "--registry", "--cache", "--userconfig"}))
        if not pos:
            return None
        sub = pos[0]
        if sub.text not in _NPM_INSTALL + ("ci", "clean-install", "install-clean", "ic", "isntall-clean"):
            return None
        if cmd.has_flag("g", "global") or (sub.text in _NPM_INSTALL and len(pos) > 1):
            return None
        return NpmInstall(cmd, "npm", sub, sub.text not in _NPM_INSTALL, _npm_omit(cmd))
    if cmd.is_("yarn"):
        pos = positional(cmd, frozenset({"--cwd", "--modules-folder", "--cache-folder"}))
        if pos and pos[0].text != "install":
            return None
        if cmd.has_flag("g", "global"):
            return None
        omit = True if cmd.has_flag("production", "prod") and not _flag_false(cmd, "production") else None
        return NpmInstall(cmd, "yarn", pos[0] if pos else None,
                          cmd.has_flag("frozen-lockfile", "immutable"), omit)
    if cmd.is_("pnpm"):
        pos = positional(cmd, frozenset({"--filter", "-C", "--dir"}))
        if not pos or pos[0].text not in ("install", "i"):
            return None
        if len(pos) > 1 or cmd.has_flag("g", "global"):
            return None
        omit = True if cmd.has_flag("prod", "P", "production") else (False if cmd.has_flag("dev", "D") else None)
        return NpmInstall(cmd, "pnpm", pos[0], cmd.has_flag("frozen-lockfile"), omit)
    return None


def _flag_false(cmd: Command, name: str) -> bool:
    v = cmd.flag_value(name)
    return v is not None and v.lower() == "false"


def _npm_omit(cmd: Command) -> bool | None:
    include = (cmd.flag_value("include") or "").split(",")
    if "dev" in include or _flag_false(cmd, "production"):
        return False
    for a in cmd.args:
        t = a.text
        if t.startswith("--omit=") and "dev" in t[7:].split(","):
            return True
        if t.startswith("--only=") and t[7:] in ("prod", "production"):
            return True
    if cmd.flag_value("omit") == "dev" or cmd.flag_value("only") in ("prod", "production"):
        return True
    if cmd.has_flag("production") and not _flag_false(cmd, "production"):
        return True
    return None


def npm_prunes_dev(cmd: Command, env: dict[str, str]) -> bool:
    """``npm prune --omit=dev`` / ``--production`` (or plain ``npm prune`` with NODE_ENV=production), or
    ``yarn install --production`` after a build, or yarn berry's ``yarn workspaces focus --production``:
    devDependencies are removed."""
    if cmd.is_("yarn"):
        pos = positional(cmd, frozenset({"--cwd"}))
        return [p.text for p in pos[:2]] == ["workspaces", "focus"] and cmd.has_flag("production")
    if not cmd.is_("npm"):
        return False
    pos = positional(cmd, frozenset({"--omit", "--include"}))
    if not pos or pos[0].text != "prune":
        return False
    omit = _npm_omit(cmd)
    if omit is not None:
        return omit
    return dev_omitted_by_env(env, cmd)


def dev_omitted_by_env(env: dict[str, str], cmd: Command | None = None) -> bool:
    """True when the environment makes npm leave devDependencies out (NODE_ENV=production, npm_config_omit)."""
    values = dict(env)
    if cmd is not None:
        for a in cmd.assignments:
            k, _, v = a.partition("=")
            values[k] = v.strip("'\"")
    low = {k.lower(): v for k, v in values.items()}
    if low.get("node_env") == "production":
        return True
    if "dev" in (low.get("npm_config_omit") or "").split(","):
        return True
    return (low.get("npm_config_production") or "").lower() == "true"


def is_install_file(source: str) -> bool:
    """A manifest, lockfile or package-manager setting (``package*.json`` included), or what yarn berry reads
    from ``.yarn/`` before an install (its release, patches, plugins)."""
    name = source.rstrip("/").rsplit("/", 1)[-1]
    if name in INSTALL_FILES or posixpath.normpath(source).startswith(".yarn/"):
        return True
    return (name.startswith("package") and name.endswith(".json")) or name.endswith(".lock")


# Files a dependency install may need besides the manifests: copying them first keeps the install cached.
INSTALL_FILES = frozenset({
    "package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
    "pnpm-workspace.yaml", ".npmrc", ".yarnrc", ".yarnrc.yml", ".yarn", ".pnpmfile.cjs", "lerna.json",
    "patches", ".nvmrc", ".node-version",
})


# -- lockfiles -------------------------------------------------------------------------------------------------
NEEDS = {"npm": ("package-lock.json", "npm-shrinkwrap.json"), "yarn": ("yarn.lock",), "pnpm": ("pnpm-lock.yaml",)}
ALL_LOCKFILES = ("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml")


def install_dir(cmd, workdir: str, env: dict) -> str:
    """Where the install runs: the RUN's working directory, or ``--prefix``/``--cwd``/``-C``/``--dir``."""
    for flag in ("prefix", "cwd", "C", "dir"):
        value = cmd.flag_value(flag)
        if value:
            return posixpath.normpath(posixpath.join(workdir, value))
    return workdir


def frozen_text(inst) -> str:
    flag = " --immutable" if inst.cmd.has_flag("immutable") else " --frozen-lockfile"
    return f"npm {inst.sub.text}" if inst.tool == "npm" else f"{inst.tool} install{flag}" if inst.sub else \
        f"{inst.tool}{flag}"
