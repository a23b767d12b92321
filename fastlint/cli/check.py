"""``fastlint check``: lint Dockerfiles.

Its options are parsed with argparse (standard library) rather than Typer: ``check`` is the hot path (pre-commit
runs it on every commit) and Typer costs about 90 ms to import, more than the whole lint of a file. The Typer app
routes ``fastlint check`` here, so help, completion of the command name and the exit codes stay the same.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .. import __version__
from ..report import FORMATS

FAIL_ON = ("error", "warning", "info", "style", "none")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="fastlint check",
        description="Lint Dockerfiles against the FAST standard and hadolint's rules.",
        epilog="Exit codes: 0 nothing at or above --fail-on; 1 findings; 2 usage, configuration or read errors.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (searched recursively); default '.'")
    p.add_argument("--format", "-f", choices=FORMATS, default="text", help="output format (default text)")
    p.add_argument("--output", "-o", metavar="FILE", help="write the report there instead of stdout")
    p.add_argument("--config", "-c", metavar="FILE", help="policy file (default: nearest fastlint.yaml)")
    p.add_argument("--no-config", action="store_true", help="ignore fastlint.yaml and .hadolint.yaml files")
    p.add_argument("--select", metavar="IDS", default="", help="comma-separated rule IDs or prefixes to run")
    p.add_argument("--ignore", metavar="IDS", default="", help="comma-separated rule IDs or prefixes to skip")
    p.add_argument("--fail-on", choices=FAIL_ON, default=None,
                   help="lowest level that makes the exit code 1 (default info)")
    p.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in FILE")
    p.add_argument("--write-baseline", metavar="FILE", help="record the current findings in FILE")
    p.add_argument("--statistics", action="store_true", help="one line per rule: count, ID, message")
    p.add_argument("--no-shellcheck", action="store_true", help="do not run ShellCheck on RUN instructions")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour in text output")
    p.add_argument("--version", action="version", version=f"fastlint {__version__}")
    return p


def main(argv: list[str]) -> int:
    """Parse the options, run the library's ``check`` (``fastlint.api``), report, pick the exit code."""
    args = build_parser().parse_args(argv)
    from ..api import ConfigError, check
    from ..engine.ids import split_option
    from ..engine.rule import LEVEL_RANK
    from ..report import RunInfo, render

    try:
        checked = check(args.paths, config=args.config, no_config=args.no_config,
                        select=split_option(args.select), ignore=split_option(args.ignore),
                        shellcheck=not args.no_shellcheck)
    except ConfigError as err:
        print(f"fastlint: {err}", file=sys.stderr)
        return 2
    results, errors = checked.results, checked.errors

    run = RunInfo(statistics=args.statistics, version=__version__, errors=errors,
                  rules=checked.rules if args.format == "sarif" else [], data_rules=checked.data_rules)
    if args.write_baseline:
        from ..engine.baseline import BaselineError, write_baseline

        try:
            write_baseline(Path(args.write_baseline), results)
        except BaselineError as err:
            print(f"fastlint: {err}", file=sys.stderr)
            return 2
    if args.baseline:
        from ..engine.baseline import BaselineError, apply_baseline

        try:
            run.baseline_hidden = apply_baseline(Path(args.baseline), results)
        except BaselineError as err:
            print(f"fastlint: {err}", file=sys.stderr)
            return 2

    run.color = _use_color(args.color, args.output)
    report = render(args.format, results, run)
    if args.output:
        from ..fsutil import atomic_write

        try:
            atomic_write(Path(args.output), report)
        except OSError as err:
            print(f"fastlint: cannot write {args.output}: {err.strerror or err}", file=sys.stderr)
            return 2
    else:
        sys.stdout.write(report)
    for e in errors:
        print(f"fastlint: {e}", file=sys.stderr)

    fail_on = args.fail_on or checked.threshold or "info"
    if errors:
        return 2
    threshold = LEVEL_RANK[fail_on]
    if any(LEVEL_RANK.get(f.level, 0) >= threshold for r in results for f in r.findings):
        return 1
    return 0


def _use_color(choice: str, output: str | None) -> bool:
    if choice == "always":
        return True
    if choice == "never" or output or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()
