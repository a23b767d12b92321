"""Run ``fastlint`` in-process as a user would on the command line: the exit code, stdout and stderr.

``CliRunner().invoke(main, ["fix", ...])`` calls the console script's ``main`` with those words, with stdout and
stderr captured (``output`` is both, stdout first) and ``SystemExit`` turned into ``exit_code``."""

from __future__ import annotations

import contextlib
import io
import sys


class Result:

    def __init__(self, exit_code: int, stdout: str, stderr: str):
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr
        self.output = stdout + stderr


class CliRunner:

    def invoke(self, main, args, input: str | None = None) -> Result:
        out, err = io.StringIO(), io.StringIO()
        old_stdin = sys.stdin
        if input is not None:
            sys.stdin = io.TextIOWrapper(io.BytesIO(input.encode("utf-8")))
        code = 0
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    main(list(args))
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            sys.stdin = old_stdin
        return Result(code, out.getvalue(), err.getvalue())
