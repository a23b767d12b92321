"""Carry a stage's package and user commands over to another OS family, for the fixes that switch a base image.

FL102 (and FL201) replace a stage's base image with the policy's. When the new base is of another family
(``debian:bookworm`` -> ``node:20-alpine``), the stage's commands must follow, or the file cannot build:
``port_stages`` returns the edits that rewrite them, or the reason it cannot.

What is carried over, Debian/Ubuntu -> Alpine:

* ``apt-get update``, ``apt-get clean``/``autoclean``/``autoremove``, and ``rm -rf /var/lib/apt/lists/*`` (and the
  other apt caches) in a RUN that runs apt-get are dropped: ``apk add --no-cache`` keeps no index and no cache;
* ``apt-get install [-y] [--no-install-recommends] X Y`` -> ``apk add --no-cache X' Y'``, word by word so that
  comment lines between the packages stay, with Alpine's names where they differ (``build-essential`` ->
  ``build-base``, ``libssl-dev`` -> ``openssl-dev``...); packages the new base already has (node, npm and yarn in a
  ``node`` image) are left out, and a RUN left with nothing to run goes (its comment lines stay; the ignore pragmas
  above it go with it);
* ``apt-get upgrade``/``dist-upgrade`` -> ``apk upgrade --no-cache``; ``apt-get purge``/``remove`` -> ``apk del``;
* ``groupadd [-g GID] NAME`` -> ``addgroup [-g GID] -S NAME``; ``useradd -u UID -g GROUP [-m] NAME`` ->
  ``adduser -S -u UID -G GROUP [-H] NAME`` (the same ids; ``-d``/``-s``/``-c`` as ``-h``/``-s``/``-g``);
  ``usermod -aG GROUP USER`` -> ``addgroup USER GROUP``; Debian's ``adduser``/``addgroup`` with long options
  -> BusyBox's short ones.

Alpine -> Debian/Ubuntu is the same table read backwards (``apk add --no-cache X`` -> ``apt-get update &&
apt-get install -y --no-install-recommends X' && rm -rf /var/lib/apt/lists/*``, BusyBox's ``addgroup``/``adduser``
-> ``groupadd``/``useradd``). Commands already of the new family are left as they are.

It refuses (with the reason) a package it has no name for, a version pin, a package list in a variable, an
option it cannot translate, the Red Hat and SUSE package managers, Debian-only tools (``dpkg``, ``apt-key``,
``add-apt-repository``...), bash on an Alpine base (SHELL, ``bash -c``), the exec form, and a RUN whose commands
must be dropped but are not a plain list (``a && b``, ``a; b``, one per line in a heredoc).
"""

from __future__ import annotations

import re

from ...engine.pragmas import pragma_block_start, prefixes_of
from ...engine.rule import Edit
from .images import node_major, normalize_image
from .places import comments_inside
from .run import commands
from .stages import chain

# Debian/Ubuntu name -> Alpine name, where they differ.
DEBIAN_TO_ALPINE = {
    "build-essential": "build-base", "libssl-dev": "openssl-dev", "zlib1g-dev": "zlib-dev",
    "python3-pip": "py3-pip", "python3-venv": "python3", "libxslt1-dev": "libxslt-dev",
    "libjpeg-dev": "libjpeg-turbo-dev", "libjpeg62-turbo-dev": "libjpeg-turbo-dev",
    "libcurl4-openssl-dev": "curl-dev", "libsqlite3-dev": "sqlite-dev", "sqlite3": "sqlite",
    "libyaml-dev": "yaml-dev", "libreadline-dev": "readline-dev", "libncurses-dev": "ncurses-dev",
    "libncurses5-dev": "ncurses-dev", "libbz2-dev": "bzip2-dev", "liblzma-dev": "xz-dev", "libgmp-dev": "gmp-dev",
    "libgdbm-dev": "gdbm-dev", "default-libmysqlclient-dev": "mariadb-dev", "libmagickwand-dev": "imagemagick-dev",
    "netcat": "netcat-openbsd", "netcat-traditional": "netcat-openbsd", "dnsutils": "bind-tools",
    "xz-utils": "xz", "iputils-ping": "iputils", "libc6-dev": "musl-dev", "linux-libc-dev": "linux-headers",
    "pkg-config": "pkgconf", "default-mysql-client": "mariadb-client", "python3-setuptools": "py3-setuptools",
    "python3-wheel": "py3-wheel", "python3-yaml": "py3-yaml", "python3-requests": "py3-requests",
    "gnupg2": "gnupg", "git-core": "git", "vim-tiny": "vim", "redis-server": "redis", "ldap-utils": "openldap-clients",
    "openjdk-8-jdk": "openjdk8", "openjdk-11-jdk": "openjdk11", "openjdk-17-jdk": "openjdk17",
    "openjdk-17-jre-headless": "openjdk17-jre-headless", "openjdk-21-jdk": "openjdk21",
}
# Debian packages with nothing to install on Alpine (what they do is built in or not needed).
NOT_NEEDED = frozenset({"apt-transport-https", "apt-utils"})
# The same name in both.
SAME_NAME = frozenset({
    "bash", "curl", "wget", "git", "git-lfs", "make", "gcc", "g++", "ca-certificates", "tzdata", "python3",
    "python3-dev", "openssl", "gnupg", "unzip", "zip", "jq", "tini", "dumb-init", "file", "patch", "tar", "gzip",
    "bzip2", "sudo", "less", "vim", "nano", "rsync", "openssh-client", "perl", "autoconf", "automake", "libtool",
    "strace", "socat", "iproute2", "procps", "nodejs", "npm", "yarn", "libffi-dev", "libxml2-dev", "libpng-dev",
    "libpq-dev", "graphviz", "imagemagick", "ffmpeg", "postgresql-client", "mariadb-client", "coreutils",
    "findutils", "grep", "sed", "gawk", "util-linux", "xz", "htop", "netcat-openbsd", "tmux", "bc", "nmap", "lynx",
    "mutt", "dnsmasq", "binutils", "kmod", "chromium", "tor", "shellcheck", "s3cmd", "alsa-utils", "openssh-server",
    "net-tools", "iptables", "libseccomp-dev", "psmisc", "lsof", "bash-completion", "squashfs-tools", "cmake",
})
ALPINE_TO_DEBIAN = {alpine: debian for debian, alpine in DEBIAN_TO_ALPINE.items()
                    if list(DEBIAN_TO_ALPINE.values()).count(alpine) == 1}
ALPINE_TO_DEBIAN.update({"shadow": "passwd", "xz": "xz-utils", "netcat-openbsd": "netcat-openbsd"})
# Packages an image already has: (image name, package) pairs that need no install on that base.
BASE_PROVIDES = {"node": frozenset({"nodejs", "npm", "yarn"})}
APT = ("apt-get", "apt", "aptitude")
APT_PATHS = ("/var/lib/apt/lists", "/var/cache/apt", "/var/log/apt", "/var/cache/debconf")
APK_PATHS = ("/var/cache/apk",)
DEBIAN_ONLY = frozenset({"dpkg", "dpkg-reconfigure", "apt-key", "add-apt-repository", "apt-cache", "apt-mark",
                         "debconf-set-selections", "locale-gen", "update-locale", "apt-add-repository"})
OTHER_MANAGERS = frozenset({"yum", "dnf", "microdnf", "zypper", "rpm", "pacman"})
_PLAIN_PACKAGE = re.compile(r"^[a-z0-9][a-z0-9+._-]*$")
_APT_VALUES = frozenset({"o", "option", "c", "config-file", "t", "target-release", "default-release"})
_APK_VALUES = frozenset({"t", "virtual", "X", "repository", "p", "root", "arch", "keys-dir", "cache-dir",
                         "repositories-file"})


class Refused(Exception):
    """A command that cannot be carried over; the message is the reason, one sentence."""


class Port:
    """What carrying a stage over gives: ``edits`` (empty when nothing needs to change) or ``reason``."""

    def __init__(self, edits: list[Edit] | None = None, reason: str | None = None):
        self.edits = edits or []
        self.reason = reason


def descendants(df, stage) -> list:
    """The stage and every stage built FROM it (directly or through others), in file order."""
    return [s for s in df.stages if stage in chain(s)]


def port_stages(df, stage, target: str, image_name: str, prefixes: tuple[str, ...] = ()) -> Port:
    """Carry the commands of ``stage`` and of the stages built on it over to ``target`` (``alpine`` or
    ``debian``), the family of the new base ``image_name`` (a normalised name such as ``node``). ``prefixes``: the
    rule prefixes of the file's policy (``pragmas.prefixes_of``), for the pragmas above a RUN it removes."""
    if target not in ("alpine", "debian"):
        return Port(reason=f"fastlint cannot carry commands over to a {target} base")
    provided = BASE_PROVIDES.get(image_name.rsplit("/", 1)[-1], frozenset())
    edits: list[Edit] = []
    try:
        for s in descendants(df, stage):
            for ins in s.instructions:
                if ins.parent is not None:
                    continue  # ONBUILD runs in another image
                if ins.keyword == "SHELL" and target == "alpine" and _runs_bash(ins.value[:1]):
                    raise Refused(f"the SHELL at line {ins.line} runs bash, which the Alpine base does not have")
                if ins.keyword == "RUN":
                    edits += _port_run(df, ins, target, provided, prefixes)
    except Refused as why:
        return Port(reason=str(why))
    return Port(edits)


def _runs_bash(words) -> bool:
    return bool(words) and words[0].rsplit("/", 1)[-1] == "bash"


class _Plan:
    """One command's fate: ``keep``, ``drop``, ``text`` (its replacement, from its name to its end) or ``edits``
    (word edits ``(start, end, text)`` in script offsets, so that comment lines between its words stay)."""

    def __init__(self, cmd, script, action: str, payload=""):
        self.cmd, self.script, self.action, self.payload = cmd, script, action, payload


def _port_run(df, ins, target: str, provided: frozenset, prefixes: tuple[str, ...] = ()) -> list[Edit]:
    pairs = commands(ins)
    plans = [_Plan(cmd, script, *_translate(cmd, target, provided, pairs)) for cmd, script in pairs]
    if all(p.action == "keep" for p in plans):
        return []
    if ins.json:
        raise Refused(f"the RUN at line {ins.line} is in exec form; carry it over by hand")
    for p in plans:
        for w in ([p.cmd.name_word] if p.cmd.name_word is not None else []) + list(p.cmd.args):
            s, e = p.script.word_span(w)
            if df.text[s:e] != w.raw:  # the script's words cannot be placed in the file exactly
                raise Refused(f"the RUN at line {ins.line} cannot be rewritten word by word (it ends in an open "
                              "line continuation, or its words are not where its text says); carry it over by hand")
    if all(p.action == "drop" for p in plans):
        # nothing left to run (``apt-get update && apt-get install -y nodejs`` on a node image): the RUN goes, its
        # comment lines stay, and so does the comment block above it, less the ignore pragmas that named it
        return [_remove_run(df, ins, prefixes)]
    by_script: dict[int, list[_Plan]] = {}
    for p in plans:
        by_script.setdefault(id(p.script), []).append(p)
    edits: list[Edit] = []
    for group in by_script.values():
        edits += _script_edits(df, ins, group)
    return edits


def _remove_run(df, ins, prefixes: tuple[str, ...] = ()) -> Edit:
    text = df.text
    start = pragma_block_start(df, ins, prefixes)
    kept = [line for line in text[start:ins.start].splitlines(keepends=True) if not _is_ignore_pragma(line)]
    return Edit(start, ins.end, "".join(kept) + comments_inside(df, ins))


def _is_ignore_pragma(line: str) -> bool:
    from ...engine.pragmas import _PRAGMA

    m = _PRAGMA.match(line.strip().lstrip("#").strip())
    return bool(m) and not m.group(1) and m.group(2).lower() == "ignore"


def _has_comment(text: str, start: int, end: int) -> bool:
    """A comment line inside ``text[start:end]`` (after its first line break)."""
    return any(line.lstrip().startswith("#") for line in text[start:end].split("\n")[1:])


def _script_edits(df, ins, plans: list[_Plan]) -> list[Edit]:
    script = plans[0].script
    text = df.text
    edits = []

    def cut(a: int, b: int, new: str = "") -> None:
        s, e = script.span(a, b)
        if _has_comment(text, s, e):
            raise Refused(f"the RUN at line {ins.line} has comment lines between the commands fastlint would "
                          "rewrite; carry it over by hand")
        edits.append(Edit(s, e, new))

    for p in plans:
        if p.action == "text":
            cut(p.cmd.name_word.start if p.cmd.name_word is not None else p.cmd.start, p.cmd.end, p.payload)
        elif p.action == "edits":
            for a, b, new, optional_gap in p.payload:
                s, e = script.span(a, b)
                if optional_gap is not None and _has_comment(text, s, e):
                    s, e = script.span(optional_gap, b)  # keep the comment lines: remove the word alone
                if _has_comment(text, s, e):
                    raise Refused(f"the RUN at line {ins.line} has comment lines inside a command fastlint would "
                                  "rewrite; carry it over by hand")
                edits.append(Edit(s, e, new))
    if not any(p.action == "drop" for p in plans):
        return edits
    if not _plain_list(script.text, [p.cmd for p in plans]):
        raise Refused(f"the RUN at line {ins.line} is not a plain list of commands; carry it over by hand")
    if all(p.action == "drop" for p in plans):
        raise Refused(f"the RUN at line {ins.line} would be left without commands")
    i, n = 0, len(plans)
    while i < n:
        if plans[i].action != "drop":
            i += 1
            continue
        j = i
        while j + 1 < n and plans[j + 1].action == "drop":
            j += 1
        if i > 0:
            cut(plans[i - 1].cmd.end, plans[j].cmd.end)
        else:
            cut(plans[0].cmd.start, plans[j + 1].cmd.start)
        i = j + 1
    return edits


def _plain_list(text: str, cmds) -> bool:
    """The script is only these commands, joined by ``&&``, ``;`` or new lines (no pipes, groups, conditions,
    comments or substitutions)."""
    if any(c.in_pipeline or c.in_subshell for c in cmds):
        return False
    pos = 0
    for k, c in enumerate(cmds):
        gap = text[pos:c.start]
        stripped = re.sub(r"\s+", "", gap)
        if stripped not in (("",) if k == 0 else ("", "&&", ";")):
            return False
        if k > 0 and stripped == "" and "\n" not in gap:
            return False
        pos = c.end
    return text[pos:].strip() == ""


# -- one command ---------------------------------------------------------------------------------------------
def _translate(cmd, target: str, provided: frozenset, pairs) -> tuple[str, object]:
    """(action, payload) for one command (see ``_Plan``)."""
    name = cmd.base
    if name in OTHER_MANAGERS:
        raise Refused(f"`{name}` cannot be carried over to {_label(target)}")
    if target == "alpine":
        if name in APT:
            return _apt_to_apk(cmd, provided)
        if name in DEBIAN_ONLY:
            raise Refused(f"`{name}` (Debian's) has no Alpine counterpart fastlint knows")
        if name == "bash":
            raise Refused("the RUN runs bash, which the Alpine base does not have")
        if name == "rm" and _only_paths(cmd, APT_PATHS) and any(c.base in APT for c, _ in pairs):
            return "drop", ""  # the apt lists of an apt-get the same RUN ran
        if name in ("groupadd", "useradd", "usermod"):
            return "text", _shadow_to_busybox(cmd, pairs)
        if name in ("adduser", "addgroup") and _debian_style(cmd):
            return "text", _debian_adduser_to_busybox(cmd)
        return "keep", ""
    if name == "apk":
        return _apk_to_apt(cmd)
    if name == "rm" and _only_paths(cmd, APK_PATHS) and any(c.base == "apk" for c, _ in pairs):
        return "drop", ""
    if name in ("adduser", "addgroup") and not _debian_style(cmd):
        return "text", _busybox_to_shadow(cmd)
    return "keep", ""


def _label(fam: str) -> str:
    return {"alpine": "the Alpine base", "debian": "the Debian base"}[fam]


def _only_paths(cmd, folders) -> bool:
    words = [w.text for w in cmd.operands()]
    return bool(words) and all(any(w.startswith(f) for f in folders) for w in words)


def _packages(words, mapping: dict, same: frozenset, where: str) -> list[str]:
    out = []
    for w in words:
        text = w.text
        if "$" in text or "`" in text:
            raise Refused(f"the packages of `{where}` are in a variable ({text})")
        if not _PLAIN_PACKAGE.match(text):
            raise Refused(f"`{where}` names {text!r}, which is not a plain package name (a version pin, a path, a "
                          "pattern)")
        if text in mapping:
            out.append(mapping[text])
        elif text in same:
            out.append(text)
        else:
            raise Refused(f"fastlint knows no {'Alpine' if mapping is DEBIAN_TO_ALPINE else 'Debian'} name for the "
                          f"package {text!r}")
    return list(dict.fromkeys(out))


def _apt_to_apk(cmd, provided: frozenset) -> tuple[str, object]:
    pos = cmd.operands(_APT_VALUES)
    sub = pos[0].text if pos else ""
    where = f"{cmd.base} {sub}".strip()
    if sub in ("update", "clean", "autoclean", "autoremove"):
        return "drop", ""
    if sub in ("upgrade", "dist-upgrade", "full-upgrade"):
        return "text", "apk upgrade --no-cache"
    if sub in ("install", "remove", "purge"):
        return _package_words(cmd, pos, "apk add --no-cache" if sub == "install" else "apk del", provided, where)
    raise Refused(f"`{where}` cannot be carried over to the Alpine base")


def _package_words(cmd, pos, head: str, provided: frozenset, where: str) -> tuple[str, object]:
    """``apt-get install -y X Y`` -> ``apk add --no-cache X' Y'`` word by word: the name and subcommand become
    ``head``, options go, packages are renamed in place (or go, when the base has them), so comment lines between
    the words stay. ``drop`` when no package is left."""
    sub = pos[0]
    packages = {id(w): w for w in pos[1:]}
    provided = provided | NOT_NEEDED
    names = {id(w): w.text if w.text in NOT_NEEDED else _packages([w], DEBIAN_TO_ALPINE, SAME_NAME, where)[0]
             for w in pos[1:]}
    if not any(names[k] not in provided for k in names):
        return "drop", ""
    start = cmd.name_word.start if cmd.name_word is not None else cmd.start
    edits = [(start, sub.end, head, None)]
    words = list(cmd.args)
    after = words[[id(w) for w in words].index(id(sub)) + 1:]
    prev = sub
    seen: set[str] = set()
    for w in after:
        new = names.get(id(w)) if id(w) in packages else None
        if new is None or new in provided or new in seen:
            edits.append((prev.end, w.end, "", w.start))  # an option, or a package not needed: it goes
        else:
            seen.add(new)
            if new != w.text or w.raw != w.text:
                edits.append((w.start, w.end, new, None))
        prev = w
    return "edits", edits


def _apk_to_apt(cmd) -> tuple[str, str]:
    pos = cmd.operands(_APK_VALUES)
    sub = pos[0].text if pos else ""
    where = f"apk {sub}".strip()
    if cmd.flag_value("t", "virtual") is not None:
        raise Refused("`apk add --virtual` has no apt-get counterpart fastlint writes")
    if sub == "update":
        return "drop", ""
    if sub == "upgrade":
        return "text", "apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*"
    if sub == "add":
        names = _packages(pos[1:], ALPINE_TO_DEBIAN, SAME_NAME, where)
        return "text", ("apt-get update && apt-get install -y --no-install-recommends " + " ".join(names)
                        + " && rm -rf /var/lib/apt/lists/*")
    if sub == "del":
        return "text", "apt-get purge -y " + " ".join(_packages(pos[1:], ALPINE_TO_DEBIAN, SAME_NAME, where))
    raise Refused(f"`{where}` cannot be carried over to the Debian base")


# -- users and groups ----------------------------------------------------------------------------------------
def _options(cmd, with_value: dict[str, str], without: dict[str, str], tool: str) -> tuple[dict, list[str]]:
    """Read a command's options: ``with_value`` maps each option that takes a value (``-u``, ``--uid``) to a key,
    ``without`` each flag to a key; returns ({key: value or True}, operands). Anything else is refused."""
    opts: dict[str, object] = {}
    operands: list[str] = []
    args = [a.text for a in cmd.args]
    i = 0

    def value_after(word: str) -> str:
        nonlocal i
        if i + 1 >= len(args):
            raise Refused(f"`{tool} {word}` has no value")
        i += 1
        return args[i]

    while i < len(args):
        a = args[i]
        if a == "--":
            operands += args[i + 1:]
            break
        if a.startswith("--"):
            name, eq, value = a.partition("=")
            if name in with_value:
                opts[with_value[name]] = value if eq else value_after(a)
            elif name in without and not eq:
                opts[without[name]] = True
            else:
                raise Refused(f"`{tool} {a}` has no counterpart fastlint writes")
        elif a.startswith("-") and len(a) > 1:
            letters = a[1:]  # one option, or several bundled (``-ms /bin/sh``, ``-u1001``)
            for k, letter in enumerate(letters):
                flag = "-" + letter
                if flag in with_value:
                    opts[with_value[flag]] = letters[k + 1:] or value_after(a)
                    break
                if flag not in without:
                    raise Refused(f"`{tool} {a}` has no counterpart fastlint writes")
                opts[without[flag]] = True
        else:
            operands.append(a)
        i += 1
    for v in list(opts.values()) + operands:
        if isinstance(v, str) and ("$" in v or "`" in v):
            raise Refused(f"`{tool}` takes its values from variables ({v})")
    return opts, operands


def _q(value: str) -> str:
    return value if re.fullmatch(r"[A-Za-z0-9_./:@%+,=-]+", value) else "'" + value.replace("'", "'\\''") + "'"


def _group_name(gid: str, pairs) -> str | None:
    """The name of the group the same RUN creates with this gid (``groupadd -g 1001 nodejs``)."""
    for cmd, _ in pairs:
        if cmd.is_("groupadd", "addgroup"):
            try:
                opts, names = _options(cmd, {"-g": "gid", "--gid": "gid"}, {"-r": "s", "--system": "s", "-S": "s"},
                                       cmd.base)
            except Refused:
                continue
            if opts.get("gid") == gid and len(names) == 1:
                return names[0]
    return None


def _shadow_to_busybox(cmd, pairs) -> str:
    tool = cmd.base
    if tool == "groupadd":
        opts, names = _options(cmd, {"-g": "gid", "--gid": "gid"}, {"-r": "system", "--system": "system"}, tool)
        if len(names) != 1:
            raise Refused("`groupadd` needs exactly one group name")
        gid = f"-g {_q(opts['gid'])} " if "gid" in opts else ""
        return f"addgroup {gid}-S {_q(names[0])}"
    if tool == "usermod":
        opts, names = _options(cmd, {"-G": "groups", "--groups": "groups"}, {"-a": "append", "--append": "append"},
                               tool)
        if not opts.get("append") or "groups" not in opts or len(names) != 1:
            raise Refused("only `usermod -aG GROUPS USER` can be carried over to BusyBox")
        return " && ".join(f"addgroup {_q(names[0])} {_q(g)}" for g in str(opts["groups"]).split(",") if g)
    opts, names = _options(cmd, {
        "-u": "uid", "--uid": "uid", "-g": "group", "--gid": "group", "-d": "home", "--home-dir": "home",
        "-s": "shell", "--shell": "shell", "-c": "comment", "--comment": "comment",
    }, {
        "-m": "home_made", "--create-home": "home_made", "-M": "no_home", "--no-create-home": "no_home",
        "-r": "system", "--system": "system", "-l": "", "--no-log-init": "", "-N": "", "--no-user-group": "",
    }, tool)
    if len(names) != 1:
        raise Refused("`useradd` needs exactly one user name")
    parts = ["adduser", "-S"]
    if "uid" in opts:
        parts += ["-u", _q(opts["uid"])]
    if "group" in opts:
        group = str(opts["group"])
        if group.isdigit():
            named = _group_name(group, pairs)
            if named is None:
                raise Refused(f"`useradd -g {group}`: BusyBox's adduser takes the group's name, and no group with "
                              f"gid {group} is created in the same RUN")
            group = named
        parts += ["-G", _q(group)]
    if "home" in opts:
        parts += ["-h", _q(opts["home"])]
    if "shell" in opts:
        parts += ["-s", _q(opts["shell"])]
    if "comment" in opts:
        parts += ["-g", _q(opts["comment"])]
    if not opts.get("home_made"):
        parts.append("-H")
    parts.append(_q(names[0]))
    return " ".join(parts)


def _debian_style(cmd) -> bool:
    """Debian's adduser/addgroup: long options (``--system``, ``--uid``), or the plain ``adduser USER GROUP``."""
    return any(a.text.startswith("--") for a in cmd.args)


def _debian_adduser_to_busybox(cmd) -> str:
    tool = cmd.base
    if tool == "addgroup":
        opts, names = _options(cmd, {"--gid": "gid"}, {"--system": "system", "--quiet": "", "-q": ""}, tool)
        if len(names) != 1:
            raise Refused("`addgroup` with long options needs exactly one group name")
        gid = f"-g {_q(opts['gid'])} " if "gid" in opts else ""
        return f"addgroup {gid}{'-S ' if opts.get('system') else ''}{_q(names[0])}"
    opts, names = _options(cmd, {
        "--uid": "uid", "--ingroup": "group", "--home": "home", "--shell": "shell", "--gecos": "comment",
        "--comment": "comment",
    }, {
        "--system": "system", "--no-create-home": "no_home", "--disabled-password": "nopass",
        "--disabled-login": "nopass", "--quiet": "", "-q": "",
    }, tool)
    if len(names) != 1:
        raise Refused("`adduser` with long options needs exactly one user name")
    parts = ["adduser", "-S" if opts.get("system") else "-D"]
    for key, flag in (("uid", "-u"), ("group", "-G"), ("home", "-h"), ("shell", "-s"), ("comment", "-g")):
        if key in opts:
            parts += [flag, _q(str(opts[key]))]
    if opts.get("no_home"):
        parts.append("-H")
    parts.append(_q(names[0]))
    return " ".join(parts)


def _busybox_to_shadow(cmd) -> str:
    tool = cmd.base
    if tool == "addgroup":
        opts, names = _options(cmd, {"-g": "gid"}, {"-S": "system"}, tool)
        if len(names) == 2:
            return f"usermod -a -G {_q(names[1])} {_q(names[0])}"
        if len(names) != 1:
            raise Refused("`addgroup` needs one group name (or a user and a group)")
        gid = f"-g {_q(opts['gid'])} " if "gid" in opts else ""
        return f"groupadd {gid}{'-r ' if opts.get('system') else ''}{_q(names[0])}"
    opts, names = _options(cmd, {"-u": "uid", "-G": "group", "-h": "home", "-s": "shell", "-g": "comment"},
                           {"-S": "system", "-D": "", "-H": "no_home"}, tool)
    if len(names) == 2:
        return f"usermod -a -G {_q(names[1])} {_q(names[0])}"
    if len(names) != 1:
        raise Refused("`adduser` needs one user name")
    parts = ["useradd"]
    if opts.get("system"):
        parts.append("-r")
    for key, flag in (("uid", "-u"), ("group", "-g"), ("home", "-d"), ("shell", "-s"), ("comment", "-c")):
        if key in opts:
            parts += [flag, _q(str(opts[key]))]
    parts.append("-M" if opts.get("no_home") else "-m")
    parts.append(_q(names[0]))
    return " ".join(parts)


# -- the fix -------------------------------------------------------------------------------------------------
def switch_base(rule, stage, word, image: str, description: str):
    """The fix that writes ``image`` in place of the stage's base (``word``, the FROM's image word) and carries
    the commands of the stage and the stages built on it over to the new base's family: (fix, None), or
    (None, the reason it cannot) when a command cannot be carried over."""
    from ...parser.stages import ImageRef
    from .families import FAMILY_NAMES, image_family, stage_family

    df = rule.ctx.df
    ref = ImageRef.parse(image)
    if stage.image is not None and _onbuild(stage.image) and not _onbuild(ref):
        return None, (f"'{stage.resolved}' is an ONBUILD image: its triggers copy and install the application when "
                      f"this stage is built, and '{image}' has none, so the stage would lose those steps")
    target = image_family(ref)
    if target in ("alpine", "debian"):
        port = port_stages(df, stage, target, normalize_image(ref)[0], prefixes_of(rule.policy))
    else:
        port = _check_foreign(df, stage, target, image)
    if port.reason is not None:
        return None, port.reason
    text = description
    if port.edits:
        old = stage_family(stage)
        text += f", with the stage's commands carried over to {FAMILY_NAMES[target]}" + (
            f" from {FAMILY_NAMES[old]}" if old and old != target else "")
    broken = _node_breakage(rule, stage, ref)
    if broken is not None:
        return None, broken
    try:
        peers = _keep_npm6_peers(rule, stage, ref)
    except Refused as why:
        return None, str(why)
    if peers:
        text += ", its npm installs keeping npm 6's peer dependencies (--legacy-peer-deps)"
    fix = rule.fix(Edit(word.start, word.end, image), *port.edits, *peers, description=text,
                   changes=frozenset({"base"}))
    return fix, None


def _node_major(ref) -> int | None:
    """The Node.js major a ``node`` image's tag names (node:14.14.0-alpine3.12 -> 14), else None (lts, latest)."""
    name, tag, _ = normalize_image(ref)
    return node_major(f"{name}:{tag}") if tag else None


def _node_breakage(rule, stage, new_ref) -> str | None:
    """Why the switch would give an image that does not run: a dependency whose installed version is known not to
    run on the new base's Node major and ran on the old one's (FL410's table, ``fastlint/project/compat.py``)."""
    from .context import BuildContext

    if not rule.ctx.path:
        return None
    context = BuildContext(rule.ctx.path)
    if not context.known:
        return None  # (before fastlint.project is imported: a lone Dockerfile's lint path stays small)
    old, new = _node_major(stage.image) if stage.image is not None else None, _node_major(new_ref)
    if new is None or old == new:
        return None
    before = {f.value.package for f in context.project.breakages(old)} if old is not None else set()
    found = [f for f in context.project.breakages(new) if f.value.package not in before]
    if not found:
        return None
    b = found[0].value
    return f"{b.describe(found[0].where)}: {b.remedy}, then switch the base (FL410)"


def _keep_npm6_peers(rule, stage, new_ref) -> list[Edit]:
    """From a node image before 15 (npm 6, which does not install peer dependencies) to one of 15 or later (npm
    7+, which refuses conflicting peer ranges: ``ERESOLVE unable to resolve dependency tree``), the project's
    ``npm install``/``npm ci`` in the switched stages keep npm 6's behaviour: ``--legacy-peer-deps``, which npm's
    own error offers (as the migration does). Not with an npm 7+ lockfile (lockfileVersion 2, 3) in the build
    context: it records the peers, and npm ci installs what it locks."""
    from .context import BuildContext
    from .npm import npm_install

    old, new = _node_major(stage.image) if stage.image is not None else None, _node_major(new_ref)
    if old is None or new is None or old >= 15 or new < 15:
        return []
    df = rule.ctx.df
    context = BuildContext(rule.ctx.path) if rule.ctx.path else None
    lock = context.project.lockfile if context is not None and context.known else None
    if lock is not None and lock.kind == "npm" and str(lock.version) in ("2", "3") and not lock.file.startswith(".."):
        return []
    edits = []
    for s in descendants(df, stage):
        for ins in s.instructions:
            if ins.keyword != "RUN" or ins.parent is not None:
                continue
            for cmd, script in commands(ins):
                inst = npm_install(cmd)
                if inst is None or inst.tool != "npm" or cmd.has_flag("legacy-peer-deps", "force"):
                    continue
                start, end = script.word_span(inst.sub)
                if df.text[start:end] != inst.sub.raw:
                    raise Refused(f"the npm install at line {ins.line} cannot be given --legacy-peer-deps word by "
                                  "word (npm 7+ on the new base refuses the peer ranges npm 6 let through)")
                edits.append(Edit(end, end, " --legacy-peer-deps"))
    return edits


def _onbuild(ref) -> bool:
    """An `onbuild` variant (node:8-onbuild, hypriot/rpi-node:6-onbuild): its ONBUILD triggers run in the stage
    built on it (the tag says so; the image itself is not read)."""
    tag = (normalize_image(ref)[1] or "").lower()
    return "onbuild" in tag.replace("_", "-").replace(".", "-").split("-")


def _check_foreign(df, stage, target: str | None, image: str) -> Port:
    """For a new base fastlint writes no commands for: refuse when the stages run package or user tools that
    are not that family's own (all of them when the family is unknown)."""
    from .families import PACKAGE_MANAGERS, SHADOW_TOOLS

    for s in descendants(df, stage):
        for ins in s.instructions:
            if ins.keyword != "RUN" or ins.parent is not None:
                continue
            for cmd, _ in commands(ins):
                tool = cmd.base
                foreign = (tool in PACKAGE_MANAGERS and PACKAGE_MANAGERS[tool] != target) or \
                    tool in SHADOW_TOOLS or tool in ("adduser", "addgroup")
                if foreign and not (target == "rhel" and tool in SHADOW_TOOLS):
                    what = "a family fastlint does not know" if target is None else f"the {target} family"
                    return Port(reason=f"'{image}' is of {what}, and fastlint cannot carry `{tool}` (line "
                                       f"{ins.line}) over to it")
    return Port()
