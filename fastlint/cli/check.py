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


def _split(values: list[str]) -> list[str]:
    return [v.strip().upper() for value in values for v in value.split(",") if v.strip()]


def cli_overrides(args):
    """hadolint's options given on the command line, as ``engine.hadolint.Overrides``; usage errors end here."""
    from ..engine.hadolint import LEVELS, Overrides, codes, label_schema, threshold_level

    o = Overrides()
    for level in LEVELS:
        o.levels[level] = codes(getattr(args, f"level_{level}"))
    o.trusted_registries = [r.strip() for v in args.trusted_registries for r in v.split(",") if r.strip()]
    problems: list[str] = []
    o.label_schema = label_schema(args.require_labels, problems)
    if problems:
        fail(problems[0])
    o.strict_labels = True if args.strict_labels else None
    o.disable_ignore_pragma = True if args.disable_ignore_pragma else None
    if args.failure_threshold:
        o.failure_threshold = threshold_level(args.failure_threshold)
    o.no_fail = True if args.no_fail else None
    o.no_color = True if args.no_color else None
    o.verbose = True if args.verbose else None
    return o


def run(args, environ) -> int:
    from ..engine import config
    from ..engine.config import ConfigError, policy_for
    from ..engine.hadolint import apply, from_environment
    from ..engine.runner import Selection

    if args.fail_on and args.failure_threshold:
        fail("give --fail-on or --failure-threshold, not both")
    selection = Selection(select=_split(args.select), ignore=_split(args.ignore))
    cli = cli_overrides(args)
    env, env_problems = from_environment(environ)
    named = [*selection.select, *selection.ignore, *(c for codes in cli.levels.values() for c in codes)]
    if named:
        from ..engine.rule_ids import describe, unknown

        bad = unknown(named)
        if bad:
            fail(describe(bad[0]))
        bad_env = unknown([*env.ignore, *(c for codes in env.levels.values() for c in codes)])
        env_problems += [f"HADOLINT_*: {describe(c)}; not used" for c in bad_env]
        env.ignore = [c for c in env.ignore if c not in bad_env]
    elif env.ignore or any(env.levels.values()):
        from ..engine.rule_ids import describe, unknown

        bad_env = unknown([*env.ignore, *(c for codes in env.levels.values() for c in codes)])
        env_problems += [f"HADOLINT_*: {describe(c)}; not used" for c in bad_env]
        env.ignore = [c for c in env.ignore if c not in bad_env]
    selection.ignore += env.ignore
    profile = args.profile or environ.get("FASTLINT_PROFILE") or "fast"
    if profile not in PROFILES:
        fail(f"FASTLINT_PROFILE must be fast or hadolint, not {profile!r}")
    config.set_default_profile(profile)
    for problem in env_problems:
        warn(problem)

    explicit = None
    if args.config:
        from pathlib import Path

        explicit = Path(args.config)
        try:
            if not explicit.is_file():
                raise ConfigError("no such configuration file", str(explicit))
            config.load_any(explicit)  # fail early on a bad --config
        except ConfigError as err:
            fail(str(err))

    stdin_at = [i for i, p in enumerate(args.paths) if p == "-"]
    if len(stdin_at) > 1:
        fail("'-' (standard input) can be given once")
    from ..engine.discovery import Notes, discover

    notes = Notes()
    paths = [p for p in args.paths if p != "-"] or ([] if stdin_at else ["."])
    files, errors = discover(paths, manifests=_wants_manifests(selection), notes=notes)
    verbose = bool(args.verbose or env.verbose)

    from pathlib import Path

    stdin_name = args.stdin_filename or "-"
    entries = []
    warned: set[int] = set()
    first_policy = None
    todo = [(p, d) for p, d in files]
    if stdin_at:
        todo.insert(0 if stdin_at[0] == 0 else len(todo), (None, stdin_name))
    for path, display in todo:
        try:
            policy = policy_for(path if path is not None else Path(args.stdin_filename or "Dockerfile"),
                                explicit, args.no_config)
        except ConfigError as err:
            fail(str(err))
        if id(policy) not in warned:
            warned.add(id(policy))
            for w in policy.warnings:
                warn(w)
            if verbose:
                print(f"fastlint: configuration {policy.source} (profile {policy.profile})", file=sys.stderr)
        if first_policy is None:
            first_policy = policy
        if args.no_shellcheck and policy.shellcheck:
            policy = _without_shellcheck(policy)
        policy = apply(apply(policy, env, over_config=False), cli, over_config=True)
        entries.append((path, display, policy))
    if verbose:
        for shown, why in notes.skipped:
            print(f"fastlint: skipped {shown}: {why}", file=sys.stderr)
    for w in notes.warnings:
        warn(w)
    if first_policy is None:
        first_policy = config.builtin_policy(profile) if args.no_config else _policy_or_exit(explicit, args)

    results = _lint(entries, selection, stdin_name)
    for r in results:
        if r.error:
            errors.append(r.error)
    results = [r for r in results if not r.error]

    formats = [*env.formats, *first_policy.run.get("formats", []), *args.formats]
    default_format = "tty" if first_policy.profile == "hadolint" else "text"
    from ..report import RunInfo, render

    run_info = RunInfo(statistics=args.statistics, version=__version__, errors=errors,
                       file_path_in_report=args.file_path_in_report)
    if "sarif" in formats:
        run_info.rules = _rules_that_ran(entries, selection)
    if args.write_baseline:
        from ..engine.baseline import BaselineError, write_baseline

        try:
            write_baseline(Path(args.write_baseline), results)
        except BaselineError as err:
            fail(str(err))
    if args.baseline:
        from ..engine.baseline import BaselineError, apply_baseline

        try:
            run_info.baseline_hidden = apply_baseline(Path(args.baseline), results)
        except BaselineError as err:
            fail(str(err))

    no_color = _first(cli.no_color, first_policy.run.get("no_color"), env.no_color)
    for fmt, output in _pairs(formats, args.outputs, default_format):
        run_info.color = _use_color(args.color, bool(no_color), output, environ)
        report = _statistics(fmt, results) if args.statistics else render(fmt, results, run_info)
        if output is None or output == "-":
            sys.stdout.write(report)
            sys.stdout.flush()
        else:
            from ..fsutil import atomic_write

            try:
                atomic_write(Path(output), report)
            except OSError as err:
                fail(f"cannot write {output}: {err.strerror or err}")
    for e in errors:
        print(f"fastlint: {e}", file=sys.stderr)

    if errors:
        return 2
    if _first(cli.no_fail, first_policy.run.get("no_fail"), env.no_fail):
        return 0
    if any(f in ("codeclimate", "codacy") for f in formats):
        return 0  # as hadolint: these are engine protocols, whose hosts read the report, not the exit code
    fail_on = args.fail_on or cli.failure_threshold or first_policy.failure_threshold or env.failure_threshold \
        or "info"
    return exit_code(results, fail_on)


def exit_code(results, fail_on: str) -> int:
    from ..engine.rule import LEVEL_RANK

    threshold = LEVEL_RANK[fail_on]
    return 1 if any(LEVEL_RANK.get(f.level, 0) >= threshold for r in results for f in r.findings) else 0


def _first(*values):
    """The first setting given (command line, then configuration file, then environment)."""
    return next((v for v in values if v is not None), None)


def _pairs(formats: list[str], outputs: list[str], default: str) -> list[tuple[str, str | None]]:
    """Reports as hadolint pairs them: the n-th format goes to the n-th output; formats without an output go to
    standard output, outputs without a format get the default format."""
    n = max(len(formats), len(outputs), 1)
    return [(formats[i] if i < len(formats) else default, outputs[i] if i < len(outputs) else None)
            for i in range(n)]


def _policy_or_exit(explicit, args):
    from ..engine.config import ConfigError, policy_for
    from pathlib import Path

    try:
        return policy_for(Path("Dockerfile"), explicit, args.no_config)
    except ConfigError as err:
        fail(str(err))


def _lint(entries, selection, stdin_name: str):
    """Results in the order of ``entries``; the standard-input entry (path None) is read here."""
    from ..engine.runner import FileResult, decode, lint_paths, lint_text

    files = [e for e in entries if e[0] is not None]
    results = iter(lint_paths(files, selection) if files else [])
    out = []
    for path, display, policy in entries:
        if path is not None:
            out.append(next(results))
            continue
        raw = sys.stdin.buffer.read()
        text, reason, line = decode(raw)
        if text is None:
            from ..engine.registry import DL1000
            from ..engine.rule import Finding

            out.append(FileResult(display, [Finding(DL1000[0], DL1000[1], reason, display, line, 1, line, 1)]))
        else:
            out.append(lint_text(text, display, policy, selection))
    return out


def _statistics(fmt: str, results) -> str:
    from ..report.text_format import statistics, statistics_lines

    findings = [f for r in results for f in r.findings]
    if fmt == "json":
        import json

        return json.dumps(statistics(findings), indent=2) + "\n"
    return "".join(line + "\n" for line in statistics_lines(findings))


def _rules_that_ran(entries, selection) -> list[str]:
    from ..engine.runner import active_rules

    seen, codes = set(), set()
    for _, _, policy in entries:
        if id(policy) not in seen:
            seen.add(id(policy))
            codes.update(c.code for c in active_rules(policy, selection) if not getattr(c, "reports_many", False))
    return sorted(codes)


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
