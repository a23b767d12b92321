"""``fastlint fix``: apply fixes in place, atomically; rewrite files that break the 4-stage structure from the
template. Exit codes: 0 nothing left unfixed; 1 findings left unfixed (or ``--diff`` with changes); 2 errors.
``--save-as NAME`` (once ``--output``, still accepted) writes the result beside each input.

The command is thin: ``fastlint.fixer.run.fix_file`` does the work for each file; this module prints what was
fixed per file (like ruff: "Fixed N findings"), the findings left, warnings and errors, and picks the exit code.
Output: per-file lines and the summary on stdout (stderr with ``--diff``, whose stdout is the diff); warnings and
errors on stderr as ``fastlint: ...`` lines.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .spec import Command, Option, parse

FIX = Command(
    "fix",
    "Apply fixes in place, atomically; exit 1 if anything is left unfixed.",
    positional=("paths", "PATH", "*", "Dockerfiles or folders (searched recursively; default '.'); '-' reads "
                "standard input and writes the fixed text to standard output (rule fixes only, no template "
                "rewrite)"),
    description="Apply fixes in place, atomically; exit 1 if anything is left unfixed.\n\n"
                "Safe fixes only, unless --unsafe-fixes. A file that breaks the 4-stage structure (FL1xx) is "
                "rewritten from the\ntemplate when it has a package.json beside it (else it keeps the other fixes "
                "and a warning says why); the\noriginal is kept as Dockerfile.backup. Files that do not parse, "
                "symbolic links and read-only files are left\nuntouched (exit 2). Kubernetes manifests and CI files "
                "have no fixes: their findings count as left unfixed.",
    epilog="Exit codes: 0 nothing left unfixed; 1 findings left unfixed (or --diff with changes or findings left); "
           "2 errors.",
    options=[
        Option(("--diff",), "diff", "flag",
               help="print a unified diff of what would change; write nothing (exit 1 if there are changes or "
                    "findings left)"),
        Option(("--unsafe-fixes",), "unsafe_fixes", "flag", help="also apply unsafe fixes (they change the built "
               "image)"),
        Option(("--template",), "template", "flag", help="rewrite files that break the 4-stage structure (FL1xx) "
               "from the template (the default)"),
        Option(("--no-template",), "no_template", "flag", help="do not rewrite from the template"),
        Option(("--template-file",), "template_file", metavar="FILE", help="a custom template instead of the "
               "built-in one"),
        Option(("--save-as",), "save_as", metavar="NAME",
               help="write the result beside each input under NAME (e.g. Dockerfile.optimized); the input is kept"),
        Option(("--output",), "output", metavar="NAME", hidden=True),  # the old spelling of --save-as (SPEC)
        Option(("--port",), "port", metavar="N",
               help="the port the service listens on, for the template rewrite (else read from the service's "
                    "files)"),
        Option(("--verify",), "verify", "flag",
               help="build and run each changed file on the Docker engine (DOCKER_HOST) before writing it; leave "
                    "it untouched, saying why, unless its image builds, turns healthy and (rewritten from the "
                    "template) runs as non-root"),
        Option(("--build-arg",), "build_arg", "append", metavar="KEY=VALUE",
               help="with --verify: passed to every build; repeatable"),
        Option(("--no-backup",), "no_backup", "flag",
               help="do not keep the original as Dockerfile.backup when the template rewrites a file"),
        Option(("--select",), "select", "append", metavar="IDS",
               help="comma-separated rule IDs or prefixes to fix (and check); repeatable"),
        Option(("--ignore",), "ignore", "append", metavar="IDS", help="rule IDs or prefixes to leave alone; "
               "repeatable"),
        Option(("-c", "--config"), "config", metavar="FILE",
               help="configuration file (default: the nearest fastlint.yaml or .hadolint.yaml)"),
        Option(("--no-config",), "no_config", "flag", help="ignore configuration files; use the built-in policy"),
        Option(("--profile",), "profile", choices=("fast", "hadolint"), metavar="PROFILE",
               help="fast (the default) or hadolint (hadolint's rules alone: no FL fix, no template migration); "
                    "as check's --profile"),
        Option(("--stdin-filename",), "stdin_filename", metavar="NAME",
               help="the name of the file read from standard input ('-'), for messages and its configuration"),
    ],
)


def main(argv: list[str]) -> int:
    from .spec import fail

    args = parse(FIX, argv)
    if args.save_as is not None and args.output is not None and args.save_as != args.output:
        fail("give --save-as once (--output is its old name)")
    if args.port is not None and not (args.port.isdigit() and 0 < int(args.port) < 65536):
        fail(f"--port takes a port number (1-65535), not {args.port!r}")
    if args.build_arg and not args.verify:
        fail("--build-arg needs --verify (fix builds nothing otherwise)")
    if args.verify and "-" in (args.paths or []):
        fail("--verify needs files in a folder (the build context), not standard input")
    from .verify import parse_build_args

    try:
        build_args = parse_build_args(args.build_arg)
    except ValueError as err:
        fail(str(err))
    return run(args.paths or ["."], diff=args.diff, template=not args.no_template,
               template_file=Path(args.template_file) if args.template_file else None,
               output=args.save_as if args.save_as is not None else args.output, backup=not args.no_backup,
               unsafe=args.unsafe_fixes, select=",".join(args.select), ignore=",".join(args.ignore),
               config=Path(args.config) if args.config else None, no_config=args.no_config,
               stdin_filename=args.stdin_filename, profile=args.profile or os.environ.get("FASTLINT_PROFILE"),
               port=int(args.port) if args.port is not None else None,
               verify=build_args if args.verify else None)


def _err(message: str) -> None:
    print(f"fastlint: {message}", file=sys.stderr)


def run(paths: list[str], *, diff: bool = False, template: bool = True, template_file: Path | None = None,
        output: str | None = None, backup: bool = True, unsafe: bool = False, select: str = "", ignore: str = "",
        config: Path | None = None, no_config: bool = False, stdin_filename: str | None = None,
        profile: str | None = None, port: int | None = None, verify: dict[str, str] | None = None) -> int:
    """The whole command; returns the exit code. ``profile``: that of the built-in policy and of the
    configuration files that name none (``--profile``, ``FASTLINT_PROFILE``; default ``fast``). ``verify``:
    build and run each changed file before writing it (--verify), with these build arguments."""
    from ..engine.config import ConfigError
    from ..engine.discovery import Notes, discover
    from ..engine.ids import split_option, unknown_message
    from ..engine.manifests import is_yaml_name
    from ..engine.index import names_a_rule, unknown_ids
    from ..engine.runner import Selection
    from ..fixer.run import FixOptions, check_scripts_first, fix_file

    if output is not None and (not output or "/" in output or output in (".", "..")):
        _err(f"--save-as takes a file name (written beside each input), not {output!r}")
        return 2
    selection = Selection(select=split_option(select), ignore=split_option(ignore))
    # (as written, for the message; a configuration's data rules may have them)
    bad = unknown_ids([v.strip() for value in (select, ignore) for v in value.split(",") if v.strip()])
    if (profile or "fast") not in ("fast", "hadolint"):
        _err(f"FASTLINT_PROFILE must be fast or hadolint, not {profile!r}")
        return 2
    from ..engine.state import RunState

    opts = FixOptions(diff=diff, template=template, output=output, backup=backup, unsafe=unsafe, port=port,
                      selection=selection, config=config, no_config=no_config, state=RunState(profile or "fast"))
    if template_file is not None:
        try:
            opts.template_text = template_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            _err(f"{template_file}: cannot read the template: {getattr(err, 'strerror', None) or err}")
            return 2
    try:
        if config is not None:
            if not config.is_file():
                raise ConfigError("no such configuration file", str(config))
            opts.state.policies.policy_for(config, config)  # fail early on a bad --config
    except ConfigError as err:
        _err(str(err))
        return 2
    if "-" in paths:
        if len(paths) > 1:
            _err("'-' (standard input) cannot be fixed with other paths")
            return 2
        try:
            policy = opts.state.policies.policy_for(stdin_filename or "Dockerfile", config, no_config)
        except ConfigError as err:
            _err(str(err))
            return 2
        bad = [b for b in bad if not names_a_rule(b, policy)]
        if bad:
            _err(unknown_message(bad[0]))
            return 2
        return _fix_stdin(opts, stdin_filename or "-")

    notes = Notes()
    files, missing = discover(paths, manifests=True, notes=notes)
    files = [(Path(p), d) for p, d in files]
    # Kubernetes manifests and CI files have findings (FL7xx) but no fixes: they are checked, and what they
    # have counts as left unfixed, so that `fix` and `check` of the same folder agree on the exit code
    manifests = [(p, d) for p, d in files if is_yaml_name(p.name)]
    files = [(p, d) for p, d in files if not is_yaml_name(p.name)]
    if output is not None:  # never fix an earlier --save-as result as if it were an input
        files = [(p, d) for p, d in files if p.name != output]
    for w in notes.warnings:
        _err(f"warning: {w}")
    try:
        policies = [opts.state.policies.policy_for(p, config, no_config) for p, _ in files] if bad else []
    except ConfigError as err:
        _err(str(err))
        return 2
    bad = [b for b in bad if not any(names_a_rule(b, policy) for policy in policies)]
    if bad:
        _err(unknown_message(bad[0]))
        return 2
    errors = list(missing)
    out = sys.stderr if diff else sys.stdout
    reports = []
    try:
        if len(files) > 1:
            check_scripts_first(files, opts)  # one ShellCheck batch for all the files, not one per file
    except ConfigError as err:
        _err(str(err))
        return 2
    engine_errors: tuple[type[Exception], ...] = ()  # --verify: the engine's errors end the run (exit 2)
    if verify is not None and files:
        from ..verifier.gate import EngineError, Gate, GateOptions

        engine_errors = (EngineError,)
        try:
            opts.gate = Gate(GateOptions(build_args=verify))
        except EngineError as err:
            _err(f"--verify: {err}")
            return 2
    try:
        for path, display in files:
            try:
                rep = fix_file(path, display, opts)
            except ConfigError as err:
                _err(str(err))
                return 2
            except engine_errors as err:  # one line; this file and the ones after it are left untouched
                _err(f"{display}: --verify: {err}; left untouched")
                return 2
            reports.append(rep)
            if diff and rep.diff:
                sys.stdout.write(rep.diff)
            _print_file(rep, out, diff, unsafe)
            errors += rep.errors
    finally:
        if opts.gate is not None:
            for problem in opts.gate.close():
                _err(f"warning: not removed: {problem}")
    manifest_left = []
    if manifests:
        try:
            manifest_left = _check_manifests(manifests, opts)
        except ConfigError as err:
            _err(str(err))
            return 2
        for f in manifest_left:
            print(f"{f.file}:{f.line}:{f.column}: {f.code} {f.message} ({f.level})", file=out)
    for e in errors:
        _err(e)

    fixed = sum(r.fixed_count for r in reports if not r.errors)
    changed = [r for r in reports if r.changed and not r.errors]
    unfixed = [f for r in reports if not r.errors for f in r.unfixed] + manifest_left
    summary = _summary(fixed, len(changed), len(reports) + len(manifests), unfixed, diff, unsafe)
    if errors:
        summary += f" {len(errors)} error{'s' if len(errors) != 1 else ''}."
    print(summary, file=out)
    if errors:
        return 2
    return 1 if unfixed or (diff and changed) else 0


def _check_manifests(manifests, opts) -> list:
    """The findings at or above the threshold in Kubernetes manifests and CI files (they have no fixes)."""
    from ..engine.rule import LEVEL_RANK
    from ..engine.runner import lint_paths

    entries = [(p, d, opts.state.policies.policy_for(p, opts.config, opts.no_config)) for p, d in manifests]
    left = []
    for (_, _, policy), result in zip(entries, lint_paths(entries, opts.selection, opts.state)):
        rank = LEVEL_RANK.get(policy.failure_threshold or "info", LEVEL_RANK["info"])
        left += [f for f in result.findings if LEVEL_RANK.get(f.level, 0) >= rank]
    return left


def _fix_stdin(opts, display: str) -> int:
    """``fastlint fix -``: the fixed text on standard output (``--diff``: the diff), the rest on stderr."""
    from ..engine.rule import LEVEL_RANK
    from ..engine.runner import decode
    from ..fixer.loop import fix_text

    text, reason, line = decode(sys.stdin.buffer.read())
    if text is None:
        _err(f"{display}:{line}: cannot fix: {reason}")
        return 2
    policy = opts.state.policies.policy_for(Path(display if display != "-" else "Dockerfile"), opts.config,
                                            opts.no_config)
    outcome = fix_text(text, display, policy, opts.selection, unsafe=opts.unsafe, state=opts.state)
    if outcome.error is not None:
        sys.stdout.write(text)  # a filter never loses its input
        why = outcome.error if outcome.internal else f"the file does not parse: {outcome.error}"
        _err(f"{display}:{outcome.error_line}: cannot fix: {why}")
        return 2
    if opts.diff:
        import difflib

        sys.stdout.write("".join(difflib.unified_diff(text.splitlines(True), outcome.text.splitlines(True),
                                                      f"a/{display}", f"b/{display}")))
    else:
        sys.stdout.write(outcome.text)
    rank = LEVEL_RANK.get(policy.failure_threshold or "info", LEVEL_RANK["info"])
    left = [f for f in outcome.remaining if LEVEL_RANK.get(f.level, 0) >= rank]
    for f in left:
        print(f"{f.file}:{f.line}:{f.column}: {f.code} {f.message} ({f.level})", file=sys.stderr)
    changed = outcome.text != text
    print(_summary(len(outcome.applied), int(changed), 1, left, opts.diff, opts.unsafe), file=sys.stderr)
    return 1 if left or (opts.diff and changed) else 0


def _print_file(rep, out, diff: bool, unsafe: bool) -> None:
    if rep.errors:
        return
    for w in rep.warnings:
        _err(f"warning: {w}")
    verb = "would fix" if diff else "fixed"
    for a in rep.applied:
        where = a.file if a.file else f"{rep.display}:{a.line}"
        what = f" ({a.description})" if a.description else ""
        print(f"{where}: {verb} {a.code}{what}", file=out)
    if rep.migrated:
        line = f"{rep.display}: {'would be ' if diff else ''}rewritten from the template"
        if rep.backup:
            line += f"; original kept as {rep.backup}"
        print(line, file=out)
    if rep.output_written:
        print(f"{rep.display}: result written to {rep.output_written}", file=out)
    for f in rep.remaining:
        mark = " [*]" if f.fix is not None and (f.fix.safety == "safe" or unsafe) else ""
        print(f"{f.file}:{f.line}:{f.column}: {f.code}{mark} {f.message} ({f.level})", file=out)


def _summary(fixed: int, changed: int, total: int, unfixed: list, diff: bool, unsafe: bool) -> str:
    s = "s" if fixed != 1 else ""
    files = f"{changed} file{'s' if changed != 1 else ''}"
    if diff:
        head = f"Would fix {fixed} finding{s} in {files}" if changed else "No changes"
    else:
        head = f"Fixed {fixed} finding{s} in {files}" if changed else "No fixes applied"
    head += f" ({total} file{'s' if total != 1 else ''} checked)"
    if not unfixed:
        return head + ("; nothing left to fix." if not diff and total else ".")
    n = len(unfixed)
    tail = f"; {n} finding{'s' if n != 1 else ''} left unfixed"
    unsafe_left = sum(1 for f in unfixed if f.fix is not None and f.fix.safety == "unsafe")
    if unsafe_left and not unsafe:
        tail += f" ({unsafe_left} fixable with --unsafe-fixes)"
    return head + tail + "."
