"""The command line: ``fastlint COMMAND [OPTIONS]``. ``main()`` is the console script (and ``python -m fastlint``).

Every command describes its options once (``spec.Command``, in its own module); help, usage errors and shell
completion are made from that description, so every command speaks the same way. Only the command's own module
is imported: ``fastlint check FILE`` loads no other command, no argparse and no completion code.
"""

from __future__ import annotations

import os
import sys

from .commands import COMMANDS, command  # noqa: F401  (re-exported: the table of commands)


def main(argv: list[str] | None = None) -> None:
    from . import interrupt

    interrupt.install()  # Ctrl-C: one line, exit 130, no child process left (cli/interrupt.py)
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        if "_FASTLINT_COMPLETE" in os.environ:
            from .completion import answer

            code = answer(os.environ)
        elif argv and argv[0] == "check":  # the hot path: nothing else is imported
            from .check import main as check_main

            code = check_main(argv[1:])
        else:
            code = run(argv)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (``fastlint rules | head``): no traceback, as a filter should
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 1
    except interrupt.Interrupted:
        interrupt.finish()  # one line, exit 130
    sys.exit(code)


def run(argv: list[str]) -> int:
    from .spec import fail

    if not argv:
        print(top_help(), file=sys.stderr)
        return 2
    first = argv[0]
    if first in ("-h", "--help", "help"):
        if first == "help" and len(argv) > 1 and argv[1] in COMMANDS:
            return command(argv[1])[1](["--help"])
        print(top_help())
        return 0
    if first in ("--version", "-v"):
        from .. import __version__

        print(f"fastlint {__version__}")
        return 0
    if first in ("--show-completion", "--install-completion"):
        from .completion import install, show

        shell = argv[1] if len(argv) > 1 else None
        return show(shell) if first == "--show-completion" else install(shell)
    if first not in COMMANDS:
        what = "option" if first.startswith("-") else "command"
        fail(f"unknown {what} '{first}' (commands: {', '.join(COMMANDS)}; try 'fastlint --help')")
    return command(first)[1](argv[1:])


def top_help() -> str:
    lines = [
        "usage: fastlint [-h] [--version] COMMAND [OPTIONS] [ARGS]",
        "",
        "Dockerfile linter, fixer and verifier for the FAST multi-stage build standard; a drop-in superset of "
        "hadolint.",
        "",
        "commands:",
    ]
    for name in COMMANDS:
        spec = command(name)[0]
        lines.append(f"  {name:<10} {spec.summary}")
    lines += [
        "",
        "options:",
        "  -h, --help                    show this help and exit ('fastlint COMMAND --help' for a command's)",
        "  -v, --version                 print the version and exit",
        "  --show-completion [SHELL]     print the shell completion script (bash, zsh or fish)",
        "  --install-completion [SHELL]  install shell completion for the current shell",
        "",
        "Exit codes: 0 success; 1 findings, unfixed findings or failed checks; 2 usage, configuration or engine "
        "errors.",
    ]
    return "\n".join(lines)
