"""The RUN adapter every RUN rule uses, over the one RUN model (``fastlint.parser.shell.run_model``: the
scripts a RUN executes, for shell form, exec form and heredocs, with their places in the source).

* DL rules: ``sh = shell_of(ins)`` (None for any instruction but RUN), ``sh.commands``, ``sh.find("apt-get")``,
  ``hit_command(self, ins, sh, cmd[, word])`` (the exact place, else the instruction), ``sh.span(word)``.
* FL rules: ``for cmd, script in commands(ins)`` (named commands with their script: also the RUN of an
  ONBUILD), ``command_spot(script, cmd)``, ``script.word_span(word)`` (the exact place, else the best there is).
"""

from __future__ import annotations

from ...engine.rule import Edit, Hit
from ...parser.shell import (Command, RunScript, ShellWord, append_point, cache_mount_covers, command_node,
                             parse_shell, run_commands, run_model, source_span)
from ...parser.tree import Node


def commands(ins) -> list[tuple[Command, RunScript]]:
    """Every named simple command a RUN (or ONBUILD RUN) executes, with its script."""
    return [(c, s) for s in run_model(ins) for c in s.commands if c.name]


def positional(cmd: Command, value_flags: frozenset[str] = frozenset()) -> list[ShellWord]:
    """``Command.operands``, with the options that take a separate value written as on the command line
    (``-t``, ``--virtual``)."""
    return cmd.operands(frozenset(f.lstrip("-") for f in value_flags))


def command_spot(script: RunScript, cmd: Command) -> Node:
    """The command from its name to its last argument (assignments in front left out)."""
    start = cmd.name_word.start if cmd.name_word is not None else cmd.start
    return Node(*script.span(start, cmd.end))


class RunCommands:
    """The simple commands of a RUN instruction (``fastlint.parser.shell.run_commands``: the scripts of the one
    RUN model), with their exact places in the source."""

    def __init__(self, ins):
        self.ins = ins
        self.commands = run_commands(ins)

    def find(self, *names: str) -> list:
        return [c for c in self.commands if c.is_(*names)]

    def span(self, node) -> tuple[int, int] | None:
        """Source offsets of a command or one of its words (None in the exec form, or when not mappable)."""
        for c in self.commands:
            if node is c or node is c.name_word or any(node is a for a in c.args):
                return source_span(self.ins, c, node.start, node.end)
        return None


def shell_of(ins) -> RunCommands | None:
    """The commands of a RUN (also the RUN inside ONBUILD); None for any other instruction."""
    return RunCommands(ins) if ins.keyword == "RUN" else None


def hit_command(rule, ins, sh, cmd, word=None):
    """A hit on a command (or one of its words) of a RUN, or on the instruction when it has no exact place."""
    span = sh.span(word if word is not None else cmd)
    if span is None:
        return rule.hit(ins)
    return Hit(span[0], span[1])


def insert_after_word(sh, cmd, word_text: str, insertion: str) -> Edit | None:
    """An edit that inserts `` insertion`` right after the command's first word ``word_text``."""
    for a in cmd.args:
        if a.text == word_text and a.raw == word_text:
            span = sh.span(a)
            if span is None:
                return None
            return Edit(span[1], span[1], " " + insertion)
    return None


def append_command(ins, command: str) -> Edit | None:
    """An edit that appends ``&& command`` to a shell-form RUN (None when the script's end is not a plain
    command: heredocs, comments, a trailing operator or line continuation, or a script that does not parse, where
    an open quote would swallow the addition)."""
    if ins.keyword != "RUN" or ins.json or ins.heredocs:
        return None
    text = ins.args_text.rstrip()
    if not text or "#" in text or text.endswith(("&", "|", "\\", "(", "{")) or not parse_shell(text).ok:
        return None
    joiner = " " if text.endswith(";") else " && "
    return Edit(ins.args_end, ins.args_end, f"{joiner}{command}")


def last_index(commands, pred) -> int:
    """Index of the last command matching ``pred``, or -1."""
    found = -1
    for i, c in enumerate(commands):
        if pred(c):
            found = i
    return found


def cleanup_rule_check(rule, ins, is_install, is_clean, cache_paths, clean_text):
    """The shared shape of the "clean the package cache" rules: an install with no clean after the last install
    (in the same RUN), unless a cache or tmpfs mount holds the cache, so that it never reaches the image."""
    commands = run_commands(ins)
    installed = last_index(commands, is_install)
    if installed < 0 or last_index(commands, is_clean) > installed:
        return None
    if cache_mount_covers(ins, *cache_paths):
        return None
    fix = None
    at = append_point(ins)
    if at is not None:
        fix = rule.fix(Edit(at, at, f" && {clean_text}"), description=f"append && {clean_text}")
    return rule.hit(command_node(ins, commands[installed]), fix=fix)
