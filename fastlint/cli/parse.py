"""``fastlint parse FILE``: the syntax tree as BuildKit's parser gives it (JSON), for policy authors and parity
tests. ``-`` reads standard input."""

from __future__ import annotations

import json
import sys

from .spec import Command, Option, fail, parse

PARSE = Command(
    "parse",
    "Print the syntax tree as BuildKit's parser gives it (JSON), for policy authors and parity tests.",
    positional=("file", "FILE", "1", "a Dockerfile; '-' reads standard input"),
    epilog="Exit codes: 0 printed; 1 the file does not parse (DL1000 on stderr); 2 the file cannot be read.",
    options=[Option(("--format",), "fmt", choices=("json",), metavar="FORMAT", default="json", help="json (the only "
                    "one)")],
)


def main(argv: list[str]) -> int:
    args = parse(PARSE, argv)
    from ..engine.runner import decode
    from ..parser import parse as parse_dockerfile
    from ..parser.buildkit import to_buildkit

    name = args.file
    if name == "-":
        raw = sys.stdin.buffer.read()
    else:
        from pathlib import Path

        from ..engine.runner import read_regular_file

        raw, error = read_regular_file(Path(name), name)
        if raw is None:
            fail(error)
    text, reason, line = decode(raw)
    if text is None:
        fail(f"{name}:{line}: {reason}")
    df = parse_dockerfile(text, name)
    if df.error is not None:
        print(f"{name}:{df.error.line}: DL1000 {df.error.message}", file=sys.stderr)
        return 1
    print(json.dumps(to_buildkit(df), indent=2))
    return 0
