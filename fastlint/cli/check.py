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


def _split(value: str) -> list[str]:
    return [v.strip().upper() for v in value.split(",") if v.strip()]


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    from ..engine.config import ConfigError, builtin_policy, load_config, policy_for
    from ..engine.discovery import discover
    from ..engine.rule import LEVEL_RANK
    from ..engine.runner import Selection, active_rules, lint_paths
    from ..report import RunInfo, render

    selection = Selection(select=_split(args.select), ignore=_split(args.ignore))
    explicit = Path(args.config) if args.config else None
    errors: list[str] = []
    try:
        if explicit is not None:
            if not explicit.is_file():
                raise ConfigError("no such configuration file", str(explicit))
            load_config(explicit)  # fail early on a bad --config
    except ConfigError as err:
        print(f"fastlint: {err}", file=sys.stderr)
        return 2

    files, missing = discover(args.paths or ["."], manifests=_wants_manifests(selection))
    errors += missing
    results = []
    entries = []
    thresholds: list[str] = []
    ran: dict[int, list[str]] = {}  # id(policy) -> codes of the rules that run under it (for SARIF)
    for path, display in files:
        try:
            policy = policy_for(path, explicit, args.no_config)
        except ConfigError as err:
            print(f"fastlint: {err}", file=sys.stderr)
            return 2
        if args.no_shellcheck and policy.shellcheck:
            policy = _without_shellcheck(policy)
        if policy.failure_threshold:
            thresholds.append(policy.failure_threshold)
        if args.format == "sarif" and id(policy) not in ran:
            ran[id(policy)] = [c.code for c in active_rules(policy, selection)
                               if not getattr(c, "reports_many", False)]
        entries.append((path, display, policy))
    for result in lint_paths(entries, selection):  # all files at once: rules may batch work across them
        if result.error:
            errors.append(result.error)
            continue
        results.append(result)
    if not files and not errors:
        policy = builtin_policy()

    run = RunInfo(statistics=args.statistics, version=__version__, errors=errors,
                  rules=sorted({code for codes in ran.values() for code in codes}))
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

    fail_on = args.fail_on or (thresholds[0] if thresholds else "info")
    if errors:
        return 2
    threshold = LEVEL_RANK[fail_on]
    if any(LEVEL_RANK.get(f.level, 0) >= threshold for r in results for f in r.findings):
        return 1
    return 0


def _wants_manifests(selection) -> bool:
    """Whether folders are searched for Kubernetes manifests and CI files: some manifest rule (FL7xx) can run
    under the command line's selection (a policy may still turn them off for its files)."""
    from ..engine.registry import all_rules, matches

    codes = [code for code, cls in all_rules().items() if cls.tier == "manifest"]
    if selection.select:
        codes = [c for c in codes if matches(c, selection.select)]
    return any(not matches(c, selection.ignore) for c in codes)


def _without_shellcheck(policy):
    import copy

    p = copy.copy(policy)
    p.shellcheck = False
    return p


def _use_color(choice: str, output: str | None) -> bool:
    if choice == "always":
        return True
    if choice == "never" or output or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()
