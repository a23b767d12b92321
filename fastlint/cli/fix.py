"""``fastlint fix``: apply fixes in place, atomically; rewrite files that break the 4-stage structure from the
template. Exit codes: 0 nothing left unfixed; 1 findings left unfixed (or ``--diff`` with changes); 2 errors.

The command is thin: ``fastlint.fixer.run.fix_file`` does the work for each file; this module prints what was
fixed per file (like ruff: "Fixed N errors"), the findings left, warnings and errors, and picks the exit code.
Output: per-file lines and the summary on stdout (stderr with ``--diff``, whose stdout is the diff); warnings and
errors on stderr as ``fastlint: ...`` lines.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer


def fix_command(
    paths: Annotated[Optional[list[str]], typer.Argument(
        metavar="PATH", help="Dockerfiles or folders (searched recursively); default '.'.",
        show_default=False)] = None,
    diff: Annotated[bool, typer.Option(
        "--diff", help="Print a unified diff of what would change; write nothing (exit 1 if there are changes).")
    ] = False,
    template: Annotated[bool, typer.Option(
        "--template/--no-template",
        help="Rewrite files that break the 4-stage structure (FL1xx) from the template.")] = True,
    template_file: Annotated[Optional[Path], typer.Option(
        "--template-file", help="A custom template instead of the built-in one.", show_default=False)] = None,
    output: Annotated[Optional[str], typer.Option(
        "--output", metavar="NAME",
        help="Write the result beside each input under NAME (e.g. Dockerfile.optimized); the input is kept.",
        show_default=False)] = None,
    no_backup: Annotated[bool, typer.Option(
        "--no-backup", help="Do not keep the original as Dockerfile.backup when the template rewrites a file.")
    ] = False,
    unsafe_fixes: Annotated[bool, typer.Option(
        "--unsafe-fixes", help="Also apply unsafe fixes (they change the built image).")] = False,
    select: Annotated[str, typer.Option(
        "--select", metavar="IDS", help="Comma-separated rule IDs or prefixes to fix (and check).")] = "",
    ignore: Annotated[str, typer.Option(
        "--ignore", metavar="IDS", help="Comma-separated rule IDs or prefixes to leave alone.")] = "",
    config: Annotated[Optional[Path], typer.Option(
        "--config", metavar="FILE", help="Policy file (default: the nearest fastlint.yaml).",
        show_default=False)] = None,
    no_config: Annotated[bool, typer.Option(
        "--no-config", help="Ignore fastlint.yaml and .hadolint.yaml files; use the built-in policy.")] = False,
) -> None:
    """Apply fixes in place, atomically; exit 1 if anything is left unfixed.

    Safe fixes only, unless --unsafe-fixes. A file that breaks the 4-stage structure (FL1xx) is rewritten from the
    template when it has a package.json beside it (else it keeps the other fixes and a warning says why); the
    original is kept as Dockerfile.backup. Files that do not parse, symbolic links and read-only files are left
    untouched (exit 2). Exit codes: 0 nothing left unfixed; 1 findings left (or --diff with changes); 2 errors.
    """
    raise typer.Exit(run(paths or ["."], diff=diff, template=template, template_file=template_file, output=output,
                         backup=not no_backup, unsafe=unsafe_fixes, select=select, ignore=ignore, config=config,
                         no_config=no_config))


def _err(message: str) -> None:
    print(f"fastlint: {message}", file=sys.stderr)


def run(paths: list[str], *, diff: bool = False, template: bool = True, template_file: Path | None = None,
        output: str | None = None, backup: bool = True, unsafe: bool = False, select: str = "", ignore: str = "",
        config: Path | None = None, no_config: bool = False) -> int:
    """The whole command; returns the exit code."""
    from ..engine.config import ConfigError, load_config
    from ..engine.discovery import discover
    from ..engine.ids import split_option
    from ..engine.manifests import is_yaml_name
    from ..engine.runner import Selection
    from ..fixer.run import FixOptions, check_scripts_first, fix_file

    if output is not None and (not output or "/" in output or output in (".", "..")):
        _err(f"--output takes a file name (written beside each input), not {output!r}")
        return 2
    opts = FixOptions(diff=diff, template=template, output=output, backup=backup, unsafe=unsafe,
                      selection=Selection(select=split_option(select), ignore=split_option(ignore)), config=config,
                      no_config=no_config)
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
            load_config(config)
    except ConfigError as err:
        _err(str(err))
        return 2

    files, missing = discover(paths)
    # Kubernetes manifests and CI files have findings (FL7xx) but no fixes: `fastlint fix` leaves them alone
    files = [(p, d) for p, d in files if not is_yaml_name(p.name)]
    if output is not None:  # never fix an earlier --output result as if it were an input
        files = [(p, d) for p, d in files if p.name != output]
    errors = list(missing)
    out = sys.stderr if diff else sys.stdout
    reports = []
    try:
        if len(files) > 1:
            check_scripts_first(files, opts)  # one ShellCheck batch for all the files, not one per file
    except ConfigError as err:
        _err(str(err))
        return 2
    for path, display in files:
        try:
            rep = fix_file(path, display, opts)
        except ConfigError as err:
            _err(str(err))
            return 2
        reports.append(rep)
        if diff and rep.diff:
            sys.stdout.write(rep.diff)
        _print_file(rep, out, diff, unsafe)
        errors += rep.errors
    for e in errors:
        _err(e)

    fixed = sum(r.fixed_count for r in reports if not r.errors)
    changed = [r for r in reports if r.changed and not r.errors]
    unfixed = [f for r in reports if not r.errors for f in r.unfixed]
    summary = _summary(fixed, len(changed), len(reports), unfixed, diff, unsafe)
    if errors:
        summary += f" {len(errors)} error{'s' if len(errors) != 1 else ''}."
    print(summary, file=out)
    if errors:
        return 2
    if diff:
        return 1 if changed else 0
    return 1 if unfixed else 0


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
        mark = " [*]" if f.fixable else ""
        print(f"{f.file}:{f.line}:{f.column}: {f.code}{mark} {f.message} ({f.level})", file=out)


def _summary(fixed: int, changed: int, total: int, unfixed: list, diff: bool, unsafe: bool) -> str:
    s = "s" if fixed != 1 else ""
    files = f"{changed} file{'s' if changed != 1 else ''}"
    if diff:
        head = f"Would fix {fixed} error{s} in {files}" if changed else "No changes"
    else:
        head = f"Fixed {fixed} error{s} in {files}" if changed else "No fixes applied"
    head += f" ({total} file{'s' if total != 1 else ''} checked)"
    if not unfixed:
        return head + ("; nothing left to fix." if not diff and total else ".")
    n = len(unfixed)
    tail = f"; {n} finding{'s' if n != 1 else ''} left unfixed"
    unsafe_left = sum(1 for f in unfixed if f.fix is not None and f.fix.safety == "unsafe")
    if unsafe_left and not unsafe:
        tail += f" ({unsafe_left} fixable with --unsafe-fixes)"
    return head + tail + "."
