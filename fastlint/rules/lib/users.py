"""Users and groups a RUN creates (addgroup/groupadd, adduser/useradd), those a base image has, the USER the
image runs as."""

from __future__ import annotations

from ...parser.shell import Command, RunScript, ShellWord
from .images import normalize_image
from .run import commands, positional
from .stages import chain


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
        script: RunScript,
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


# ``--home`` is ``--home-dir`` abbreviated (getopt_long takes an unambiguous prefix; real Dockerfiles write it)
_USERADD_VALUES = frozenset({"-u", "--uid", "-g", "--gid", "-G", "--groups", "-s", "--shell", "-d", "--home-dir",
                             "--home", "-c", "--comment", "-k", "--skel", "-e", "--expiredate", "-f", "--inactive",
                             "-K", "--key", "-p", "--password", "-R", "--root", "-b", "--base-dir", "-P", "--prefix"})


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


def user_op(cmd: Command, script: RunScript) -> UserOp | None:
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
