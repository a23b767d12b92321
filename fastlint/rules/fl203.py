"""FL203: a package manager or user tool of another OS family than the stage's base image.

The stage's family comes from ``lib.families.stage_family``: the image's name and tag, through the FROM chain, and
for an image whose name says nothing, its ``/etc/os-release`` when the local engine has it (``fastlint.images``:
inspected and read, never pulled; asked once per image and run, in ``prefetch`` before the workers fork, and only
for images of stages that run one of the tools below). A command does not fit it when:

* it is the package manager of another family: ``apk`` (Alpine), ``apt-get``/``apt``/``aptitude``
  (Debian/Ubuntu), ``yum``/``dnf``/``microdnf`` (Red Hat family), ``zypper`` (SUSE); BusyBox has none;
* it is one of shadow's user tools (``useradd``, ``groupadd``, ``usermod``...) in an Alpine or BusyBox stage, which
  has BusyBox's ``adduser``/``addgroup`` instead, unless the chain installed ``shadow`` before it;
* it is ``addgroup``/``adduser`` with BusyBox's short options (``-S``, ``-D``, ``-G``, ``-g``, ``-s``, ``-k``) in a
  Debian/Ubuntu stage, whose adduser reads long options and rejects those (``Option s is ambiguous``).

A command the script only tries (after ``||``, in an ``if``/``case``/loop, behind ``command -v``/``which``/
``test``) is not judged: scripts written for several families dispatch like that. ONBUILD commands run in
another image and are not judged. Windows stages and images of unknown family are not judged.
"""

from __future__ import annotations

import re

from ..engine.registry import register
from ..engine.rule import FileRule
from ..parser.tree import Node
from .lib.buildkit import lookups
from .lib.families import (BUSYBOX_USER_FLAGS, FAMILY_NAMES, NATIVE_INSTALL, PACKAGE_MANAGERS, SHADOW_TOOLS,
                           name_family, stage_family)
from .lib.packages import package_ops
from .lib.run import commands
from .lib.stages import chain

# packages that bring a tool into a family that lacks it (``apk add shadow`` gives useradd)
PROVIDED_BY = {tool: "shadow" for tool in SHADOW_TOOLS} | {"yum": "yum", "dnf": "dnf", "apk": "apk-tools",
                                                            "apt-get": "apt", "apt": "apt", "zypper": "zypper"}
TOOLS = frozenset(PACKAGE_MANAGERS) | SHADOW_TOOLS | {"adduser", "addgroup"}  # the commands judged
_TOOL_WORD = re.compile(r"(?<![\w.-])(?:" + "|".join(sorted(map(re.escape, TOOLS), key=len, reverse=True)) +
                        r")(?![\w.-])")
TESTS = frozenset({"command", "which", "type", "hash", "test", "[", "[["})
_GUARDS = frozenset({"if_statement", "elif_clause", "else_clause", "case_statement", "while_statement",
                     "for_statement", "c_style_for_statement", "function_definition"})


def misfit(cmd, fam: str, installed: set[str]) -> str | None:
    """Why a command does not fit a stage of family ``fam`` (a sentence without the stage), or None."""
    tool = cmd.base
    if tool in PACKAGE_MANAGERS and PACKAGE_MANAGERS[tool] != fam:
        if PROVIDED_BY.get(tool) in installed:
            return None
        owner = FAMILY_NAMES[PACKAGE_MANAGERS[tool]]
        has = f"which has `{NATIVE_INSTALL[fam].split()[0]}`" if fam in NATIVE_INSTALL else "which has no package manager"
        return f"`{tool}` is the package manager of {owner}, not of the stage's base ({FAMILY_NAMES[fam]}, {has})"
    if tool in SHADOW_TOOLS and fam in ("alpine", "busybox") and "shadow" not in installed:
        hint = "use BusyBox's `addgroup -S`/`adduser -S`" + (", or install shadow first" if fam == "alpine" else "")
        return f"`{tool}` is not in {FAMILY_NAMES[fam]} (BusyBox has `addgroup`/`adduser`): {hint}"
    if tool in ("adduser", "addgroup") and fam == "debian":
        flags = [a.text for a in cmd.args if a.text.startswith("-") and not a.text.startswith("--")
                 and len(a.text) > 1 and set(a.text[1:]) <= BUSYBOX_USER_FLAGS]
        if flags:
            return (f"`{tool} {flags[0]}` is BusyBox's option; Debian's {tool} reads long options and rejects it: "
                    f"use `groupadd`/`useradd`, or `{tool} --system --uid/--gid ...`")
    return None


def guarded(text: str, cmd) -> bool:
    """True when the script only tries the command: it sits in an ``if``/``case``/loop or a function, in a
    ``||`` list, or after a test (``command -v apk && apk add ...``)."""
    from ..parser.shell import _parser  # tree-sitter, already loaded by the shell model

    src = text.encode("utf-8", "surrogatepass")
    start = len(text[:cmd.start].encode("utf-8", "surrogatepass"))
    end = len(text[:cmd.end].encode("utf-8", "surrogatepass"))
    node = _parser().parse(src).root_node.descendant_for_byte_range(start, end)
    while node is not None and not (node.type == "command" and node.start_byte == start):
        node = node.parent
    child = node
    node = node.parent if node is not None else None
    while node is not None:
        if node.type in _GUARDS:
            return True
        if node.type == "list":
            tokens = [c.type for c in node.children if not c.is_named]
            if "||" in tokens:
                return True
            before = [c for c in node.children if c.end_byte <= child.start_byte and c.is_named]
            if any(_is_test(c, src) for c in before):
                return True
        if node.type in ("while_statement", "until_statement"):
            return True
        child, node = node, node.parent
    return False


def _is_test(node, src: bytes) -> bool:
    while node.type in ("list", "redirected_statement", "negated_command") and node.children:
        node = node.children[0]
    if node.type in ("test_command",):
        return True
    if node.type != "command":
        return False
    name = node.child_by_field_name("name")
    word = src[name.start_byte:name.end_byte].decode("utf-8", "replace") if name is not None else ""
    return word.rsplit("/", 1)[-1] in TESTS


@register
class FL203(FileRule):
    code = "FL203"
    level = "error"
    message = "A package manager or user tool of another OS family than the stage's base image"
    name = "command-fits-base"
    needs_instructions = ("RUN",)

    @classmethod
    def prefetch(cls, state, dfs) -> None:
        """Ask the local engine, once for the run, for the os-release of the images whose names say nothing,
        of stages that run a tool judged here (a word of the RUN's text: a cheap first look)."""
        refs = set()
        for df in dfs:
            text = df.source.text
            for stage in df.stages:
                root = chain(stage)[0]
                if root.unresolved or root.image is None or name_family(root.resolved) is not None:
                    continue
                if any(ins.keyword == "RUN" and _TOOL_WORD.search(text, ins.start, ins.end) for ins in stage.instructions):
                    refs.add(root.resolved)
        if refs:
            images = lookups(state)
            images.prefetch(refs)
            for ref in sorted(refs):
                images.os_release(ref)

    def finish(self):
        images = lookups(self.ctx.state)
        installed_by: dict[int, set[str]] = {}  # stage index -> packages installed by its chain
        for stage in self.ctx.df.stages:
            installed = set(installed_by.get(stage.parent.index, set())) if stage.parent is not None else set()
            fam = judged = None  # read when the stage runs a tool judged here (the engine may be asked)
            for ins in stage.instructions:
                if ins.keyword != "RUN" or ins.parent is not None:
                    continue
                for cmd, script in commands(ins):
                    if cmd.base in TOOLS and judged is None:
                        fam = stage_family(stage, images)
                        judged = fam is not None and fam != "windows"
                    why = misfit(cmd, fam, installed) if judged else None
                    if why is not None and not guarded(script.text, cmd):
                        yield self.hit(Node(*script.word_span(cmd.name_word)), self._message(stage, why))
                    op = package_ops(cmd)
                    if op is not None and op.op == "add":
                        installed.update(name for name, _ in op.names)
            installed_by[stage.index] = installed

    @staticmethod
    def _message(stage, why: str) -> str:
        root = chain(stage)[0]
        via = f", through stage '{root.label}'" if root is not stage else ""
        read = " (the family read from its /etc/os-release)" if name_family(root.resolved) is None else ""
        return f"{why}; stage '{stage.label}' is built on '{root.resolved}'{via}{read}"
