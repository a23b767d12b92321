"""One description of every command's options, read three ways: argparse builds the help and the usage errors
(the same style for every command), ``fast_parse`` reads an ordinary command line without importing argparse
(``fastlint check`` on one file starts in a few milliseconds), and shell completion offers the names and choices.

``fast_parse`` gives up (returns None) on anything it does not read exactly as argparse does (``-h``, an unknown or
abbreviated option, a missing value, a value that is not one of the choices, bundled short flags); argparse then
parses the same words and prints the error. ``tests/test_cli_spec.py`` checks that both read every generated
command line the same way.
"""

from __future__ import annotations

import sys

USAGE_EXIT = 2


class Option:
    """``kind``: ``flag`` (True when given), ``value`` (the last one given wins) or ``append`` (every one given, in
    order). ``hidden``: accepted, not listed in the help (an old spelling kept working)."""

    __slots__ = ("flags", "dest", "kind", "help", "metavar", "choices", "default", "hidden")

    def __init__(self, flags: tuple[str, ...], dest: str, kind: str = "value", help: str = "",
                 metavar: str | None = None, choices: tuple[str, ...] | None = None, default=None,
                 hidden: bool = False):
        self.flags = flags
        self.dest = dest
        self.kind = kind
        self.help = help
        self.metavar = metavar
        self.choices = choices
        self.default = [] if kind == "append" and default is None else (False if kind == "flag" else default)
        self.hidden = hidden


class Command:
    """A command: its name, one-line summary, longer description, options, and its positional arguments
    (``positional``: (dest, METAVAR, nargs, help); nargs ``*``, ``?`` or ``1``)."""

    def __init__(self, name: str, summary: str, options: list[Option] | None = None, positional=None,
                 description: str = "",
                 epilog: str = ""):
        self.name = name
        self.summary = summary
        self.options = options or []
        self.positional = positional
        self.description = description or summary
        self.epilog = epilog
        self.by_flag = {f: o for o in self.options for f in o.flags}


class Namespace:
    """Parsed options as attributes (the same for both parsers)."""

    def __init__(self, **kw):
        self.__dict__.update(kw)

    def __eq__(self, other) -> bool:
        return vars(self) == vars(other)

    def __repr__(self) -> str:
        return f"Namespace({vars(self)!r})"


def _defaults(cmd: Command) -> dict:
    values = {o.dest: (list(o.default) if o.kind == "append" else o.default) for o in cmd.options}
    if cmd.positional:
        dest, _, nargs, _ = cmd.positional
        values[dest] = [] if nargs == "*" else None
    return values


def fast_parse(cmd: Command, argv: list[str]) -> Namespace | None:
    """The options of an ordinary command line, or None for argparse to read (and to report errors)."""
    values = _defaults(cmd)
    positional: list[str] = []
    i, n = 0, len(argv)
    while i < n:
        word = argv[i]
        i += 1
        if word == "--":
            return None  # argparse's reading of what follows is its own
        if not word.startswith("-") or word == "-":
            positional.append(word)
            continue
        if word.startswith("--"):
            name, eq, value = word.partition("=")
        else:
            name, value = word[:2], word[2:]
            eq = "=" if value else ""
            if value.startswith("="):  # -o=FILE: argparse splits at the "="
                value = value[1:]
        opt = cmd.by_flag.get(name)
        if opt is None or name in ("-h", "--help"):
            return None
        if opt.kind == "flag":
            if eq:
                return None
            values[opt.dest] = True
            continue
        if not eq:
            if i >= n or (argv[i].startswith("-") and argv[i] != "-"):
                return None
            value = argv[i]
            i += 1
        if (opt.choices is not None and value not in opt.choices) or value == "--":
            return None  # argparse reports the choice; it drops a "--" value
        if opt.kind == "append":
            values[opt.dest].append(value)
        else:
            values[opt.dest] = value
    if cmd.positional:
        dest, _, nargs, _ = cmd.positional
        if nargs == "*":
            values[dest] = positional
        elif len(positional) > 1 or (nargs == "1" and not positional):
            return None
        else:
            values[dest] = positional[0] if positional else None
    elif positional:
        return None
    return Namespace(**values)


def parse(cmd: Command, argv: list[str], prog: str | None = None) -> Namespace:
    """Parse a command line; usage errors and ``--help`` end the program here (exit 2 and 0)."""
    fast = fast_parse(cmd, argv)
    if fast is not None:
        return fast
    parser = build_parser(cmd, prog)
    args = parser.parse_intermixed_args(argv)
    return Namespace(**vars(args))


def build_parser(cmd: Command, prog: str | None = None):
    import argparse

    formatter, parser_class = _parser_classes()
    parser = parser_class(prog=prog or f"fastlint {cmd.name}", description=cmd.description, epilog=cmd.epilog,
                          formatter_class=formatter, allow_abbrev=False)
    if cmd.positional:
        dest, metavar, nargs, help_text = cmd.positional
        parser.add_argument(dest, metavar=metavar, nargs=None if nargs == "1" else nargs, help=help_text)
    for o in cmd.options:
        kw = {"dest": o.dest, "help": argparse.SUPPRESS if o.hidden else o.help}
        if o.kind == "flag":
            kw["action"] = "store_true"
        else:
            kw["action"] = "append" if o.kind == "append" else "store"
            kw["metavar"] = o.metavar or o.dest.upper()
            if o.choices is not None:
                kw["choices"] = o.choices
        kw["default"] = list(o.default) if o.kind == "append" else o.default
        parser.add_argument(*o.flags, **kw)
    return parser


_CLASSES: tuple = ()


def _parser_classes():
    """argparse's help formatter and parser as every command uses them (made on first use: argparse stays off
    the fast path)."""
    global _CLASSES
    if _CLASSES:
        return _CLASSES
    import argparse

    class Formatter(argparse.RawDescriptionHelpFormatter):
        """argparse's help, with the choices of an option written once (in its help text), not in its metavar."""

        def __init__(self, prog):
            super().__init__(prog, max_help_position=30, width=min(_columns(), 110))

    class Parser(argparse.ArgumentParser):
        def error(self, message: str):
            fail(f"{message} (try '{self.prog} --help')")

    _CLASSES = (Formatter, Parser)
    return _CLASSES


def _columns() -> int:
    import shutil

    return shutil.get_terminal_size((100, 24)).columns


def fail(message: str, code: int = USAGE_EXIT):
    """Every command's errors: one line on stderr, ``fastlint: MESSAGE``, and the exit code."""
    print(f"fastlint: {message}", file=sys.stderr)
    raise SystemExit(code)


def warn(message: str) -> None:
    print(f"fastlint: warning: {message}", file=sys.stderr)
