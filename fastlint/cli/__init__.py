"""The command line. ``main()`` is the console script; ``fastlint check`` goes straight to its fast path."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    from . import interrupt

    interrupt.install()  # Ctrl-C: one line, exit 130, no child process left (cli/interrupt.py)
    try:
        _main(sys.argv[1:] if argv is None else list(argv))
    except interrupt.Interrupted:
        interrupt.finish()


def _main(argv: list[str]) -> None:
    if argv and argv[0] == "check" and "_FASTLINT_COMPLETE" not in os.environ:
        from .check import main as check_main

        sys.exit(check_main(argv[1:]))
    from .app import app

    app(args=argv, prog_name="fastlint")
