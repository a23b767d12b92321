"""The command line. ``main()`` is the console script; ``fastlint check`` goes straight to its fast path."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] == "check" and "_FASTLINT_COMPLETE" not in os.environ:
        from .check import main as check_main

        sys.exit(check_main(argv[1:]))
    from .app import app

    app(args=argv, prog_name="fastlint")
