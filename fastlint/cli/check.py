"""``fastlint check``: lint Dockerfiles, with fastlint's options and every option of hadolint 2.15 (same meaning).

The hot path: pre-commit and editors run it once per file, so this module imports only what the run needs (no
argparse unless the command line is unusual or asks for help, see ``spec.py``; no YAML unless a configuration file
is found; reporters by name). hadolint's options are mapped onto the Policy of each file and the Selection by
``engine.hadolint``; this module reads the command line, finds the files, and turns the results into reports and an
exit code (0 nothing at or above the threshold; 1 findings; 2 usage, configuration or read errors).
"""

from __future__ import annotations

import os
import sys

from .. import __version__
from ..report import FORMATS
from .spec import Command, Option, fail, parse, warn

FAIL_ON = ("error", "warning", "info", "style", "none")
THRESHOLDS = ("error", "warning", "info", "style", "ignore", "none")
PROFILES = ("fast", "hadolint")

CHECK = Command(
    "check",
    "Lint Dockerfiles (and Kubernetes manifests and CI files) against the FAST standard and hadolint's rules.",
    positional=("paths", "PATH", "*", "files or folders (searched recursively; default '.'); '-' reads standard "
                "input"),
    epilog="Every option of hadolint 2.15 works here with hadolint's meaning, and so do its HADOLINT_* variables.\n"
           "Exit codes: 0 nothing at or above the threshold; 1 findings; 2 usage, configuration or read errors.",
    options=[
        Option(("-f", "--format", "--output-format"), "formats", "append", choices=FORMATS, metavar="FORMAT",
               help="report format: " + ", ".join(FORMATS) + " (default text; tty with --profile hadolint); "
                    "repeat it with -o for several reports"),
        Option(("-o", "--output"), "outputs", "append", metavar="FILE",
               help="write the report to FILE instead of standard output (the n-th -o takes the n-th --format)"),
        Option(("-c", "--config"), "config", metavar="FILE",
               help="configuration file, fastlint's or hadolint's, read by its content (default: the nearest "
                    "fastlint.yaml or .hadolint.yaml above each Dockerfile)"),
        Option(("--no-config",), "no_config", "flag", help="ignore configuration files; use the built-in policy"),
        Option(("--profile",), "profile", choices=PROFILES, metavar="PROFILE",
               help="fast (the standard's rules and hadolint's, the default) or hadolint (hadolint's rules alone, "
                    "with hadolint's defaults)"),
        Option(("--select",), "select", "append", metavar="IDS",
               help="run only these rules: comma-separated IDs or prefixes (DL30, FL1, ALL); repeatable"),
        Option(("--ignore",), "ignore", "append", metavar="IDS", help="skip these rules (IDs or prefixes); "
               "repeatable; adds to the configuration's ignore list"),
        Option(("--error",), "level_error", "append", metavar="RULE", help="give RULE the level error"),
        Option(("--warning",), "level_warning", "append", metavar="RULE", help="give RULE the level warning"),
        Option(("--info",), "level_info", "append", metavar="RULE", help="give RULE the level info"),
        Option(("--style",), "level_style", "append", metavar="RULE", help="give RULE the level style"),
        Option(("--fail-on",), "fail_on", choices=FAIL_ON, metavar="LEVEL",
               help="lowest level that makes the exit code 1: error, warning, info (default), style, or none "
                    "(never)"),
        Option(("-t", "--failure-threshold"), "failure_threshold", choices=THRESHOLDS, metavar="THRESHOLD",
               help="hadolint's threshold: error, warning, info, style; ignore and none mean every finding fails"),
        Option(("--no-fail",), "no_fail", "flag", help="exit 0 whatever the findings (2 still means an error)"),
        Option(("--trusted-registry",), "trusted_registries", "append", metavar="REGISTRY",
               help="a registry FROM may use (DL3026); repeatable"),
        Option(("--require-label",), "require_labels", "append", metavar="LABEL:TYPE",
               help="a label the Dockerfile must set, of a type: text, url, semver, hash, rfc3339, spdx, email "
                    "(DL3049-DL3058); repeatable"),
        Option(("--strict-labels",), "strict_labels", "flag", help="no labels beyond the required ones (DL3050)"),
        Option(("--disable-ignore-pragma",), "disable_ignore_pragma", "flag",
               help="ignore the '# hadolint ignore=' and '# fastlint: ignore=' comments"),
        Option(("--baseline",), "baseline", metavar="FILE", help="report only findings not recorded in FILE"),
        Option(("--write-baseline",), "write_baseline", metavar="FILE",
               help="record the current findings in FILE"),
        Option(("--statistics",), "statistics", "flag",
               help="print only a table of the findings per rule (JSON with --format json)"),
        Option(("--no-shellcheck",), "no_shellcheck", "flag", help="do not run ShellCheck on RUN instructions"),
        Option(("--stdin-filename",), "stdin_filename", metavar="NAME",
               help="the name of the file read from standard input ('-'), for reports and to find its "
                    "configuration"),
        Option(("--file-path-in-report",), "file_path_in_report", metavar="PATH",
               help="the file name the checkstyle, codeclimate, gitlab_codeclimate, sonarqube and junit reports "
                    "give"),
        Option(("--color",), "color", choices=("auto", "always", "never"), metavar="WHEN",
               help="colour: auto (on a terminal, the default), always or never; FORCE_COLOR and NO_COLOR too"),
        Option(("--no-color",), "no_color", "flag", help="no colour (--color never)"),
        Option(("-V", "--verbose"), "verbose", "flag",
               help="say on standard error which configuration each file uses and which files were skipped"),
        Option(("-v", "--version"), "version", "flag", help="print the version and exit"),
    ],
)


def main(argv: list[str]) -> int:
    args = parse(CHECK, argv)
    if args.version:
        print(f"fastlint {__version__}")
        return 0
    try:
        return run(args, os.environ)
    except SystemExit as exc:  # an error found after parsing (``spec.fail``): its exit code
        return exc.code if isinstance(exc.code, int) else 2
    except KeyboardInterrupt:
        print("fastlint: interrupted", file=sys.stderr)
        return 130


def _as_written(values: list[str]) -> list[str]:
    """The IDs of comma-separated option values as the user wrote them (for messages)."""
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _split(values: list[str]) -> list[str]:
    from ..engine.ids import split_option

    return [i for value in values for i in split_option(value)]


def hadolint_settings(args, environ):
    """hadolint's settings of this run (``engine.hadolint.Settings``): its ``HADOLINT_*`` variables and its
    options on the command line. An unknown rule ID, a bad label type on the command line is a usage error; in
    the environment, a warning (and the ID is not used)."""
    from ..engine.hadolint import Settings, drop_codes, from_command_line, from_environment, named_codes
    from ..engine.ids import unknown_message
    from ..engine.index import unknown_ids

    cli, problems = from_command_line(
        {"error": args.level_error, "warning": args.level_warning, "info": args.level_info,
         "style": args.level_style},
        args.trusted_registries, args.require_labels, args.strict_labels, args.disable_ignore_pragma,
        args.failure_threshold, args.no_fail, args.no_color, args.verbose)
    if problems:
        fail(problems[0])
    env, warnings = from_environment(environ)
    bad = unknown_ids(named_codes(env))
    drop_codes(env, bad)
    return Settings(env, cli), warnings + [f"HADOLINT_*: {unknown_message(c)}; not used" for c in bad]


def run(args, environ) -> int:
    from ..api import ConfigError, check

    if args.fail_on and args.failure_threshold:
        fail("give --fail-on or --failure-threshold, not both")
    select, ignore = _split(args.select), _split(args.ignore)
    levels = [*args.level_error, *args.level_warning, *args.level_info, *args.level_style]
    bad: list[str] = []  # IDs that name no rule: an error, unless a configuration's data rules have them
    if select or ignore or levels:
        from ..engine.index import unknown_ids

        bad = unknown_ids(_as_written([*args.select, *args.ignore, *levels]))
    stdin_at = [i for i, p in enumerate(args.paths) if p == "-"]
    if len(stdin_at) > 1:
        fail("'-' (standard input) can be given once")
    profile = args.profile or environ.get("FASTLINT_PROFILE") or "fast"
    if profile not in PROFILES:
        fail(f"FASTLINT_PROFILE must be fast or hadolint, not {profile!r}")
    settings, warnings = hadolint_settings(args, environ)
    for w in warnings:
        warn(w)

    from ..engine.state import RunState

    progress = None
    if sys.stderr.isatty():
        from .progress import Progress

        progress = Progress(sys.stderr)
    try:
        checked = check(args.paths, config=args.config, no_config=args.no_config, select=select, ignore=ignore,
                        shellcheck=not args.no_shellcheck, hadolint=settings, stdin_filename=args.stdin_filename,
                        state=RunState(profile, progress))
    except ConfigError as err:
        fail(str(err))
    finally:
        if progress is not None:
            progress.close()
    if bad:
        from ..engine.ids import unknown_message
        from ..engine.index import names_a_rule

        bad = [p for p in bad if not any(names_a_rule(p, used) for used in checked.policies)]
        if bad:
            fail(unknown_message(bad[0]))
    results, errors, policy = checked.results, checked.errors, checked.policy
    verbose = bool(args.verbose or settings.environment.verbose)
    for used in checked.policies:
        for w in used.warnings:
            warn(w)
        if verbose:
            print(f"fastlint: configuration {used.source} (profile {used.profile})", file=sys.stderr)
    if verbose:
        for shown, why in checked.notes.skipped:
            print(f"fastlint: skipped {shown}: {why}", file=sys.stderr)
    for w in checked.notes.warnings + checked.warnings:
        warn(w)

    formats = [*policy.run.get("formats", []), *args.formats]
    default_format = "tty" if policy.profile == "hadolint" else "text"
    from ..report import RunInfo, render

    run_info = RunInfo(statistics=args.statistics, version=__version__, errors=errors,
                       file_path_in_report=args.file_path_in_report, data_rules=checked.data_rules)
    if "sarif" in formats:
        run_info.rules = checked.rules
    if args.write_baseline:
        from pathlib import Path

        from ..engine.baseline import BaselineError, write_baseline

        try:
            write_baseline(Path(args.write_baseline), results)
        except BaselineError as err:
            fail(str(err))
    if args.baseline:
        from pathlib import Path

        from ..engine.baseline import BaselineError, apply_baseline

        try:
            run_info.baseline_hidden = apply_baseline(Path(args.baseline), results)
        except BaselineError as err:
            fail(str(err))

    for fmt, output in _pairs(formats, args.outputs, default_format):
        run_info.color = _use_color(args.color, bool(policy.run.get("no_color")), output, environ)
        report = _statistics(fmt, results) if args.statistics else render(fmt, results, run_info)
        if output is None or output == "-":
            sys.stdout.write(report)
            sys.stdout.flush()
        else:
            from pathlib import Path

            from ..fsutil import atomic_write

            try:
                atomic_write(Path(output), report)
            except OSError as err:
                fail(f"cannot write {output}: {err.strerror or err}")
    for e in errors:
        print(f"fastlint: {e}", file=sys.stderr)

    if errors:
        return 2
    if policy.run.get("no_fail"):
        return 0
    if any(f in ("codeclimate", "codacy") for f in formats):
        return 0  # as hadolint: these are engine protocols, whose hosts read the report, not the exit code
    return exit_code(results, args.fail_on or checked.threshold or "info")


def exit_code(results, fail_on: str) -> int:
    from ..engine.rule import LEVEL_RANK

    threshold = LEVEL_RANK[fail_on]
    return 1 if any(LEVEL_RANK.get(f.level, 0) >= threshold for r in results for f in r.findings) else 0


def _pairs(formats: list[str], outputs: list[str], default: str) -> list[tuple[str, str | None]]:
    """Reports as hadolint pairs them: the n-th format goes to the n-th output; formats without an output go to
    standard output, outputs without a format get the default format."""
    n = max(len(formats), len(outputs), 1)
    return [(formats[i] if i < len(formats) else default, outputs[i] if i < len(outputs) else None)
            for i in range(n)]


def _statistics(fmt: str, results) -> str:
    from ..report.text_format import statistics, statistics_lines

    findings = [f for r in results for f in r.findings]
    if fmt == "json":
        import json

        return json.dumps(statistics(findings), indent=2) + "\n"
    return "".join(line + "\n" for line in statistics_lines(findings))


def _use_color(choice: str | None, no_color: bool, output: str | None, environ) -> bool:
    """``--color always/never`` first; then ``--no-color`` (and hadolint's no-color, NO_COLOR); then FORCE_COLOR;
    else colour on a terminal only, never in a file."""
    if choice == "always":
        return True
    if choice == "never" or no_color or environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    if output not in (None, "-"):
        return False
    return sys.stdout.isatty()
