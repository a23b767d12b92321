"""What the FAST policy rules (FLxxx) share: the multi-stage model as the builder sees it.

* A stage built ``FROM`` another stage starts with that stage's filesystem and configuration: ``chain(stage)``
  is the stage with its ancestors (root first), so USER, HEALTHCHECK, ENV and installed packages are inherited.
* ``COPY --from=X`` names an earlier stage (case-insensitively) or a stage index; anything else is an external
  image (``from_stage``).
* RUN scripts come with a map from script offsets to source offsets (``scripts``), so a rule can report the
  exact word (``gcc`` in ``apk add gcc``) even across line continuations and comment lines.
* The base image's family (alpine, debian) says which package manager and user tools a stage has.

No module here imports anything heavy: this is on the lint path.
"""

from __future__ import annotations

import json
import re
from typing import Callable

from ..parser.shell import Command, ShellScript, ShellWord, parse_shell

SHELLS = ("sh", "bash", "ash", "dash", "zsh")


# -- stages ----------------------------------------------------------------------------------------------------
def chain(stage) -> list:
    """The stage and the stages it is built FROM, root first."""
    out = []
    s = stage
    while s is not None:
        out.append(s)
        s = s.parent
    out.reverse()
    return out


def chain_instructions(stage) -> list:
    """Every top-level instruction of the stage and its ancestors, in build order (FROM lines excluded)."""
    out = []
    for s in chain(stage):
        out.extend(s.instructions)
    return out


def final_chain(ctx) -> list:
    final = ctx.final_stage
    return chain(final) if final is not None else []


def from_stage(df, stage, value: str | None):
    """The stage ``COPY --from=value`` (or ``RUN --mount=from=value``) reads in ``stage``: an earlier stage by
    name or index, else None (an external image)."""
    if not value:
        return None
    if value.isdigit():
        i = int(value)
        if i < stage.index and i < len(df.stages):
            return df.stages[i]
        return None
    named = df.stage_named(value)
    if named is not None and named.index < stage.index:
        return named
    return None


def policy_stage(policy, stage) -> str | None:
    """The policy stage name of a stage (``dependencies``, ...), compared case-insensitively, else None."""
    if stage is None or not stage.name:
        return None
    low = stage.name.lower()
    for name in policy.stages:
        if name.lower() == low:
            return name
    return None


def describe(stage) -> str:
    return f"'{stage.name}'" if stage.name else f"{stage.index} (unnamed)"


# -- images ------------------------------------------------------------------------------------------------------
def normalize_image(ref) -> tuple[str, str | None, str | None]:
    """(name, tag, digest) with Docker Hub's implied parts removed: ``docker.io/library/node`` -> ``node``."""
    name = ref.name
    for prefix in ("docker.io/library/", "index.docker.io/library/", "registry-1.docker.io/library/",
                   "docker.io/", "index.docker.io/"):
        if name.startswith(prefix):
            name = name[len(prefix):]
            break
    if name.startswith("library/"):
        name = name[len("library/"):]
    return name.lower(), ref.tag, ref.digest


def family(stage) -> str | None:
    """``alpine`` or ``debian`` (Debian and Ubuntu) for a stage whose base image is known to be one of them
    (``fl_family.stage_family``: by name, through the FROM chain), else None."""
    from .fl_family import stage_family

    fam = stage_family(stage)
    return fam if fam in ("alpine", "debian") else None


# -- scripts -----------------------------------------------------------------------------------------------------
class Script:
    """A shell script of an instruction with a map back to the Dockerfile: ``span(a, b)`` gives the source
    offsets of script offsets ``[a, b)``."""

    def __init__(self, text: str, span: Callable[[int, int], tuple[int, int]], ins: object):
        self.text = text
        self.span = span
        self.ins = ins



    @property
    def shell(self) -> ShellScript:
        return parse_shell(self.text)

    def word_span(self, w: ShellWord) -> tuple[int, int]:
        return self.span(w.start, w.end)


class Spot:
    """A place to report: anything with start/end offsets."""

    def __init__(self, start: int, end: int):
        self.start = start
        self.end = end




def _logical_mapper(ins, text: str):
    lg = ins.logical
    lo = len(lg.text) - len(text) if lg is not None and lg.text.endswith(text) else -1
    if lo < 0:
        whole = (ins.keyword_start, ins.args_end or ins.keyword_end)
        return lambda a, b: whole
    return lambda a, b: lg.span(lo + a, lo + b)


def scripts(ins) -> list[Script]:
    """The shell scripts a RUN executes: its shell-form text and the heredoc bodies fed to a shell. JSON form
    gives one script whose spans are the whole instruction."""
    ins = ins.effective if ins.keyword == "ONBUILD" else ins
    if ins.keyword != "RUN":
        return []
    out: list[Script] = []
    if ins.json:
        whole = (ins.keyword_start, ins.args_end)
        text = " ".join(_quote(v) for v in ins.value)
        if ins.value and ins.value[0].rsplit("/", 1)[-1] in SHELLS and len(ins.value) >= 3 and ins.value[1] == "-c":
            text = ins.value[2]
        return [Script(text, lambda a, b: whole, ins)]
    text = ins.args_text
    out.append(Script(text, _logical_mapper(ins, text), ins))
    if ins.heredocs:
        cmds = [c for c in parse_shell(text).commands if c.name]
        if not cmds or (len(cmds) == 1 and cmds[0].is_(*SHELLS)):
            for h in ins.heredocs:
                base = h.body_start
                out.append(Script(h.content, lambda a, b, base=base: (base + a, base + b), ins))
    return out


def _quote(v: str) -> str:
    return v if re.fullmatch(r"[A-Za-z0-9_./=:@%+,-]+", v) else json.dumps(v)


def commands(ins) -> list[tuple[Command, Script]]:
    """Every simple command a RUN executes, with its script."""
    return [(c, s) for s in scripts(ins) for c in s.shell.commands if c.name]


def positional(cmd: Command, value_flags: frozenset[str] = frozenset()) -> list[ShellWord]:
    """``Command.operands``, with the options that take a separate value written as on the command line
    (``-t``, ``--virtual``)."""
    return cmd.operands(frozenset(f.lstrip("-") for f in value_flags))


# -- OS packages -------------------------------------------------------------------------------------------------
_APK_VALUES = frozenset({"-t", "--virtual", "-X", "--repository", "-p", "--root", "--arch", "--keys-dir",
                         "--cache-dir", "--repositories-file"})
_APT_VALUES = frozenset({"-o", "--option", "-c", "--config-file", "-t", "--target-release", "--default-release"})
_RPM_VALUES = frozenset({"-c", "--config", "--installroot", "--releasever", "--setopt", "-x", "--exclude",
                         "--enablerepo", "--disablerepo"})


class PackageOp:
    """One package install or removal: ``op`` is ``add`` or ``del``; ``names`` are (package, word)."""

    def __init__(self, op: str, names: list[tuple[str, ShellWord]], virtual: str | None = None):
        self.op = op
        self.names = names
        self.virtual = virtual  # apk add --virtual NAME




def package_name(text: str) -> str:
    """``gcc=12.2-r0`` -> ``gcc``; ``python3>3.11`` -> ``python3``; ``g++:amd64`` -> ``g++``."""
    return re.split(r"[=<>~:/]", text, maxsplit=1)[0].lower()


def package_ops(cmd: Command) -> PackageOp | None:
    """What an apk / apt-get / apt / yum / dnf / microdnf command installs or removes."""
    if cmd.is_("apk"):
        pos = positional(cmd, _APK_VALUES)
        if not pos:
            return None
        sub = pos[0].text
        names = [(package_name(w.text), w) for w in pos[1:] if not w.text.startswith("$")]
        if sub == "add":
            return PackageOp("add", names, cmd.flag_value("t", "virtual"))
        if sub == "del":
            return PackageOp("del", names)
        return None
    if cmd.is_("apt-get", "apt", "aptitude"):
        pos = positional(cmd, _APT_VALUES)
        if not pos:
            return None
        sub = pos[0].text
        names = [(package_name(w.text), w) for w in pos[1:] if not w.text.startswith("$")]
        if sub == "install":
            return PackageOp("add", names)
        if sub in ("remove", "purge", "autoremove"):
            return PackageOp("del", names)
        return None
    if cmd.is_("yum", "dnf", "microdnf", "zypper"):
        pos = positional(cmd, _RPM_VALUES)
        if not pos:
            return None
        sub = pos[0].text
        names = [(package_name(w.text), w) for w in pos[1:] if not w.text.startswith("$")]
        if sub in ("install", "in"):
            return PackageOp("add", names)
        if sub in ("remove", "erase", "rm"):
            return PackageOp("del", names)
    return None


def is_upgrade(cmd: Command) -> bool:
    """An OS package upgrade (``apk upgrade``, ``apt-get upgrade``/``dist-upgrade``, ``dnf upgrade``...)."""
    sub = cmd.subcommand() if cmd.args else None
    if cmd.is_("apk"):
        pos = positional(cmd, _APK_VALUES)
        return bool(pos) and pos[0].text == "upgrade"
    if cmd.is_("apt-get", "apt"):
        return sub in ("upgrade", "dist-upgrade", "full-upgrade")
    if cmd.is_("yum", "dnf", "microdnf"):
        return sub in ("upgrade", "update")
    return False


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
    ``yarn install --production`` after a build: devDependencies are removed."""
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


def stage_env(instructions) -> dict[str, str]:
    """ENV and ARG defaults set by these instructions (later ones win)."""
    env: dict[str, str] = {}
    for ins in instructions:
        if ins.keyword in ("ENV", "ARG"):
            for p in ins.pairs:
                if p.value is not None:
                    env[p.key] = p.value
    return env


# -- editing -----------------------------------------------------------------------------------------------------
def line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def before_comments(df, ins) -> int:
    """The offset where a new line can go in front of an instruction: above the comment lines directly above it."""
    text = df.text
    pos = line_start(text, ins.start if ins.start <= ins.keyword_start else ins.keyword_start)
    while pos > 0:
        prev = line_start(text, pos - 1)
        if text[prev:pos].lstrip().startswith("#") and not _is_directive_line(df, prev):
            pos = prev
        else:
            break
    return pos


def _is_directive_line(df, offset: int) -> bool:
    return any(d.start <= offset < d.end for d in df.directives)


def after_instruction(df, ins) -> tuple[int, str]:
    """(offset, prefix) to insert a new line after an instruction: just after its last line; ``prefix`` is a
    newline when the file does not end with one."""
    text = df.text
    end = ins.end
    if ins.heredocs:
        end = max(end, max(h.terminator_end for h in ins.heredocs))
    nl = text.find("\n", max(end - 1, ins.keyword_end))
    if nl == -1:
        return len(text), "\n"
    return nl + 1, ""


def open_continuation(df) -> int | None:
    """The offset of the escape character that leaves the file's last instruction open at the end of the file
    (``RUN a \\`` followed by nothing but blank and comment lines), else None. A line added after it would
    join that instruction (``RUN a USER nodejs``)."""
    if not df.instructions or df.instructions[-1].heredocs:
        return None
    start = df.instructions[-1].keyword_start
    offset = len(df.text)
    for line in reversed(df.text[start:].splitlines(keepends=True)):
        offset -= len(line)
        body = line.strip()
        if body and not body.startswith("#"):
            kept = line.rstrip()
            return offset + len(kept) - 1 if kept.endswith(df.escape) else None
    return None


def insert_lines(df, at: int, prefix: str, text: str):
    """The edit that inserts ``prefix + text`` (whole lines) at ``at`` (from ``after_instruction`` and the like).
    When the file ends in an open line continuation before ``at``, the same edit removes its escape character
    (at the end of the file it continues nothing), so that the new lines do not join the last instruction."""
    from ..engine.rule import Edit

    esc = open_continuation(df)
    if esc is not None and esc < at:
        return Edit(esc, at, df.text[esc + 1:at] + prefix + text)
    return Edit(at, at, prefix + text)


def stage_end(df, stage) -> tuple[int, str]:
    """Where a line can be appended to a stage: after its last instruction."""
    last = stage.instructions[-1] if stage.instructions else stage.from_
    return after_instruction(df, last)


def trailing_insert_point(df, stage) -> tuple[int, str]:
    """Where to insert USER/HEALTHCHECK/EXPOSE in a stage: before the trailing CMD/ENTRYPOINT (and the metadata
    around them), else after the stage's last instruction."""
    first = None
    for ins in stage.instructions:
        if ins.keyword in ("CMD", "ENTRYPOINT"):
            if first is None:
                first = ins
        elif ins.keyword in ("RUN", "COPY", "ADD", "WORKDIR", "USER", "ONBUILD"):
            first = None
    if first is not None:
        return before_comments(df, first), ""
    return stage_end(df, stage)


# -- COPY / ADD ----------------------------------------------------------------------------------------------------
def copy_sources(ins) -> list:
    """The source words of COPY/ADD (the destination and heredoc openers left out)."""
    if ins.keyword not in ("COPY", "ADD") or len(ins.words) < 2:
        return []
    return [w for w in ins.words[:-1] if not (ins.heredocs and w.text.startswith("<<"))]


def copy_dest(ins):
    return ins.words[-1] if ins.keyword in ("COPY", "ADD") and ins.words else None


def command_spot(script: Script, cmd: Command) -> Spot:
    """The command from its name to its last argument (assignments in front left out)."""
    start = cmd.name_word.start if cmd.name_word is not None else cmd.start
    return Spot(*script.span(start, cmd.end))


def workdir(stage) -> str:
    """The stage's working directory at its end (WORKDIR, inherited along the FROM chain), '/' by default."""
    wd = "/"
    for ins in chain_instructions(stage):
        if ins.keyword == "WORKDIR" and ins.value:
            path = ins.value[0]
            wd = path if path.startswith("/") else wd.rstrip("/") + "/" + path
    return wd.rstrip("/") or "/"


# -- users ---------------------------------------------------------------------------------------------------------
# Users that official images already have: image name -> {user: (uid, gid)}.
IMAGE_USERS = {"node": {"node": (1000, 1000)}}


class UserOp:
    """A user or group created by a RUN command: ``kind`` is ``user`` or ``group``; ``ident`` is the uid/gid
    as written (None when the tool picks it); ``group`` is a user's primary group (name or gid) as written."""

    def __init__(
        self,
        kind: str,
        name: str,
        name_word: ShellWord,
        ident: str | None,
        ident_word: ShellWord | None,
        script: Script,
        cmd: Command,
        group: str | None = None,
        group_word: ShellWord | None = None,
    ):
        self.kind = kind
        self.name = name
        self.name_word = name_word
        self.ident = ident
        self.ident_word = ident_word
        self.script = script
        self.cmd = cmd
        self.group = group
        self.group_word = group_word




_ADDGROUP_VALUES = frozenset({"-g", "--gid", "--conf", "--firstgid", "--lastgid"})
_GROUPADD_VALUES = frozenset({"-g", "--gid", "-K", "--key", "-p", "--password", "-R", "--root", "-P", "--prefix"})
_ADDUSER_VALUES = frozenset({"-h", "-g", "-s", "-G", "-u", "-k", "--home", "--shell", "--uid", "--firstuid",
                             "--lastuid", "--gecos", "--ingroup", "--gid", "--conf", "--comment"})
_USERADD_VALUES = frozenset({"-u", "--uid", "-g", "--gid", "-G", "--groups", "-s", "--shell", "-d", "--home-dir",
                             "-c", "--comment", "-k", "--skel", "-e", "--expiredate", "-f", "--inactive", "-K",
                             "--key", "-p", "--password", "-R", "--root", "-b", "--base-dir", "-P", "--prefix"})


def _opt(cmd: Command, *names: str) -> ShellWord | None:
    """The word holding an option's value: ``-u 1001`` -> ``1001``; ``--uid=1001`` -> the whole word."""
    args = cmd.args
    for i, a in enumerate(args):
        for n in names:
            if a.text == n and i + 1 < len(args):
                return args[i + 1]
            if n.startswith("--") and a.text.startswith(n + "="):
                return a
    return None


def _opt_text(w: ShellWord | None) -> str | None:
    if w is None:
        return None
    return w.text.split("=", 1)[1] if w.text.startswith("--") and "=" in w.text else w.text


def user_ops(stages) -> list[UserOp]:
    """Users and groups created by the RUN instructions of these stages, in order."""
    out: list[UserOp] = []
    for stage in stages:
        for ins in stage.instructions:
            if ins.keyword != "RUN":
                continue
            for cmd, script in commands(ins):
                op = user_op(cmd, script)
                if op is not None:
                    out.append(op)
    return out


def user_op(cmd: Command, script: Script) -> UserOp | None:
    if cmd.is_("addgroup", "groupadd"):
        values = _ADDGROUP_VALUES if cmd.is_("addgroup") else _GROUPADD_VALUES
        pos = positional(cmd, values)
        if len(pos) != 1:
            return None  # busybox ``addgroup USER GROUP`` adds a member
        w = _opt(cmd, "-g", "--gid")
        return UserOp("group", pos[0].text, pos[0], _opt_text(w), w, script, cmd)
    if cmd.is_("adduser", "useradd"):
        busybox_style = cmd.is_("adduser")
        pos = positional(cmd, _ADDUSER_VALUES if busybox_style else _USERADD_VALUES)
        if not pos:
            return None
        if busybox_style and len(pos) == 2 and not any(a.text.startswith("-") for a in cmd.args):
            return None  # Debian ``adduser USER GROUP`` adds a member
        uid = _opt(cmd, "-u", "--uid")
        if busybox_style:
            group = _opt(cmd, "-G", "--ingroup") or _opt(cmd, "--gid")
        else:
            group = _opt(cmd, "-g", "--gid")
        return UserOp("user", pos[0].text, pos[0], _opt_text(uid), uid, script, cmd, _opt_text(group), group)
    return None


def builtin_user(stage, name: str) -> tuple[int, int] | None:
    """(uid, gid) of a user the stage's base image already has."""
    root = chain(stage)[0]
    if root.image is None:
        return None
    repo = normalize_image(root.image)[0].rsplit("/", 1)[-1]
    return IMAGE_USERS.get(repo, {}).get(name)


def effective_user(stages):
    """The last USER instruction of these stages (the user the image runs as), or None (root)."""
    found = None
    for stage in stages:
        for ins in stage.instructions:
            if ins.keyword == "USER" and ins.words:
                found = ins
    return found


def user_creation_text(fam: str | None, name: str, uid: int, gid: int, escape: str = "\\") -> str | None:
    """A RUN line that creates the policy's user and group, for the image family (continued on a second line with
    the file's escape character)."""
    if fam == "alpine":
        return f"RUN addgroup -g {gid} -S {name} && {escape}\n    adduser -S -u {uid} -G {name} {name}\n"
    if fam == "debian":
        return f"RUN groupadd -g {gid} {name} && {escape}\n    useradd -u {uid} -g {name} -m {name}\n"
    return None


# -- health checks ---------------------------------------------------------------------------------------------------
class Arg:
    """A word of a health check command: ``start``/``end`` its source span; ``inner`` the source offset of
    ``text[0]`` when the text is written verbatim (no quotes inside, no line break), else None."""

    def __init__(self, text: str, start: int, end: int, inner: int | None):
        self.text = text
        self.start = start
        self.end = end
        self.inner = inner

    def sub(self, i: int, j: int) -> Spot:
        if self.inner is None:
            return Spot(self.start, self.end)
        return Spot(self.inner + i, self.inner + j)


class HealthCmd:

    def __init__(self, name: Arg, args: list[Arg]):
        self.name = name
        self.args = args



    @property
    def base(self) -> str:
        return self.name.text.rsplit("/", 1)[-1]


def healthcheck(stages):
    """The HEALTHCHECK the image gets from these stages (the last one; None when there is none or it is NONE)."""
    found = None
    for stage in stages:
        for ins in stage.instructions:
            if ins.keyword == "HEALTHCHECK":
                found = ins
    if found is None or not found.value or found.value[0].upper() != "CMD":
        return None
    return found


def _arg_from(text: str, raw: str, start: int, end: int, source: str) -> Arg:
    inner = None
    if source[start:end] == raw:
        if raw == text:
            inner = start
        elif len(raw) >= 2 and raw[0] in "'\"" and raw[-1] == raw[0] and raw[1:-1] == text:
            inner = start + 1
    return Arg(text, start, end, inner)


def health_commands(df, ins) -> list[HealthCmd]:
    """The commands a HEALTHCHECK runs: the exec-form argv, or the simple commands of its shell script."""
    src = df.text
    if ins.json:
        words = ins.words[1:]
        if not words:
            return []
        if words[0].text == "CMD-SHELL" or ins.value[1:2] == ["CMD-SHELL"]:
            return []
        args = [_arg_from(w.text, w.raw, w.start, w.end, src) for w in words]
        return [HealthCmd(args[0], args[1:])]
    text = ins.value[1] if len(ins.value) > 1 else ""
    script = Script(text, _logical_mapper(ins, text), ins)
    out = []
    for c in script.shell.commands:
        if not c.name or c.name_word is None:
            continue
        s, e = script.word_span(c.name_word)
        name = _arg_from(c.name, c.name_word.raw, s, e, src)
        args = []
        for w in c.args:
            s, e = script.word_span(w)
            args.append(_arg_from(w.text, w.raw, s, e, src))
        out.append(HealthCmd(name, args))
    return out


def probe_port(cmd: HealthCmd) -> tuple[int | None, Arg | None, int, int]:
    """The port a probe command targets: (port, arg, i, j) with ``arg.text[i:j]`` the port's digits (i == j when
    the port is implied by the URL scheme); (None, None, 0, 0) when the command names none."""
    if cmd.base == "grpc_health_probe":
        args = cmd.args
        for k, a in enumerate(args):
            value, offset = None, 0
            for flag in ("-addr=", "--addr="):
                if a.text.startswith(flag):
                    value, offset = a.text[len(flag):], len(flag)
            if a.text in ("-addr", "--addr") and k + 1 < len(args):
                a = args[k + 1]
                value, offset = a.text, 0
            if value is not None:
                m = re.search(r":(\d+)$", value)
                if m:
                    return int(m.group(1)), a, offset + m.start(1), offset + m.end(1)
                return None, None, 0, 0
        return None, None, 0, 0
    for a in cmd.args:
        m = re.match(r"^(https?)://(\[[^\]]*\]|[^/:?#]*)(?::(\d+))?", a.text)
        if m:
            if m.group(3):
                return int(m.group(3)), a, m.start(3), m.end(3)
            return (443 if m.group(1) == "https" else 80), a, m.end(2), m.end(2)
    return None, None, 0, 0


def healthcheck_text(service) -> str:
    """The standard's health check command for a service (what FL501 adds and FL502 writes), in exec form: no
    shell between the engine and the probe (hadolint's DL3025 reads HEALTHCHECK CMD like CMD)."""
    if service.type == "grpc":
        argv = ["grpc_health_probe", f"-addr=localhost:{service.port}"]
        if service.health_service:
            argv.append(f"-service={service.health_service}")
    else:
        argv = ["curl", "-f", f"http://localhost:{service.port}/health"]
    return "CMD " + json.dumps(argv)
