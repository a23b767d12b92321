"""The Typer app: every command, its help and shell completion. Commands are thin: each calls one function of
the library; errors become one line on stderr and an exit code (SPEC: 0 ok, 1 findings/failures, 2 errors)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
import typer.core

from .. import __version__

app = typer.Typer(
    name="fastlint",
    help="Dockerfile linter, fixer and verifier for the FAST multi-stage build standard; a drop-in superset of "
    "hadolint.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"fastlint {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = None,
) -> None:
    pass


class _CheckCommand(typer.core.TyperCommand):
    """``check`` parses its own options (argparse, ``cli/check.py``); for shell completion they are read from that
    parser: option names after ``-``, the choices of ``--format``, ``--fail-on`` and ``--color`` after them, and
    nothing otherwise, so that the shell completes file names."""

    def shell_complete(self, ctx, incomplete: str):
        try:  # Typer 0.2x carries its own copy of click; older ones use click itself
            from typer._click.shell_completion import CompletionItem
        except ImportError:
            from click.shell_completion import CompletionItem

        from .check import build_parser

        actions = [a for a in build_parser()._actions if a.option_strings]
        before = ctx.args[-1] if ctx.args else ""
        for a in actions:
            if before in a.option_strings and a.nargs != 0:
                if a.choices:
                    return [CompletionItem(c) for c in a.choices if str(c).startswith(incomplete)]
                return []  # a file name: nothing here, so the shell completes file names (-o default)
        if incomplete.startswith("-"):
            return [CompletionItem(o, help=a.help) for a in actions for o in a.option_strings
                    if o.startswith("--") and o.startswith(incomplete)]
        return []


@app.command(
    cls=_CheckCommand,
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
    add_help_option=False,
)
def check(ctx: typer.Context) -> None:
    """Lint Dockerfiles (files or folders, searched recursively). `fastlint check --help` lists the options."""
    from .check import main as check_main

    raise typer.Exit(check_main(list(ctx.args)))


@app.command("parse")
def parse_command(
    file: Annotated[Path, typer.Argument(help="A Dockerfile.")],
    fmt: Annotated[str, typer.Option("--format", help="Only json.")] = "json",
) -> None:
    """Print the syntax tree as BuildKit's parser gives it (JSON), for policy authors and parity tests."""
    from ..engine.runner import decode
    from ..parser import parse
    from ..parser.buildkit import to_buildkit

    if fmt != "json":
        _fail(f"unknown format {fmt!r} (only json)")
    try:
        raw = file.read_bytes()
    except OSError as err:
        _fail(f"{file}: cannot read: {err.strerror or err}")
    text, reason, line = decode(raw)
    if text is None:
        _fail(f"{file}:{line}: {reason}")
    df = parse(text, str(file))
    if df.error is not None:
        typer.echo(f"{file}:{df.error.line}: DL1000 {df.error.message}", err=True)
        raise typer.Exit(1)
    typer.echo(json.dumps(to_buildkit(df), indent=2))


@app.command("rules")
def rules_command(
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    config: Annotated[Optional[Path], typer.Option(
        "--config", metavar="FILE", help="The fastlint.yaml whose data rules to list (default: the nearest one).",
        show_default=False)] = None,
) -> None:
    """List every rule: code, default level, message, whether it can fix, and where it comes from (a rule
    package, a fastlint.yaml's custom_rules)."""
    from ..api import ConfigError, rules

    if fmt not in ("text", "json"):
        _fail(f"unknown format {fmt!r} (text or json)")
    try:
        rows = [r.to_dict() for r in rules(config=config)]
    except ConfigError as err:
        _fail(str(err))
    _package_errors()
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=2))
        return
    for r in rows:
        source = "" if r["source"] == "fastlint" else f"  [{r['source']}]"
        typer.echo(f"{r['code']:<7} {r['level']:<8} {'fix' if r['fixable'] else '   '}  {r['message']}{source}")


@app.command("rule")
def rule_command(code: Annotated[str, typer.Argument(help="A rule ID, e.g. DL3006 or FL301.")]) -> None:
    """Print one rule's docs: what it checks, why, a failing and a passing example, fix safety."""
    from ..api import ConfigError, rule_docs

    try:
        text = rule_docs(code)
    except ConfigError as err:
        _fail(str(err))
    if text is None:
        _fail(f"unknown rule {code.upper()!r} (`fastlint rules` lists them)")
    typer.echo(text, nl=False)


def _package_errors() -> None:
    """Rule packages whose prefixes clash: said on stderr (each is an error: exit code 2 at the end)."""
    from ..engine.registry import package_errors as errors

    for e in errors():
        typer.echo(f"fastlint: {e}", err=True)


@app.command("test-rules")
def test_rules_command(
    target: Annotated[str, typer.Argument(
        metavar="PACKAGE_OR_PATH",
        help="An installed rule package (distribution name or prefix), a folder of catalogue pages or one page; "
             "'fastlint' for the built-in catalogue.")],
    config: Annotated[Optional[Path], typer.Option(
        "--config", metavar="FILE", help="A fastlint.yaml for the cases that bring none (data rules).",
        show_default=False)] = None,
    select: Annotated[str, typer.Option("--select", metavar="IDS", help="Only the pages of these rule IDs or "
                                        "prefixes.")] = "",
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every check that passed.")] = False,
) -> None:
    """Run a rule catalogue's cases (fail, pass, fixed) and docs checks as fastlint's own tests do."""
    from .test_rules import run

    raise typer.Exit(run(target, config=str(config) if config else None, select=select, verbose=verbose))


@app.command("init")
def init_command(
    path: Annotated[Path, typer.Argument(help="The project folder.")] = Path("."),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing fastlint.yaml.")] = False,
) -> None:
    """Write fastlint.yaml with the built-in policy and the services found under the folder."""
    from ..policy.init import write_config

    try:
        written = write_config(path, force=force)
    except OSError as err:  # FileExistsError: a fastlint.yaml is there already; others: the folder
        _fail(f"{path}: {err.strerror}" if err.strerror and err.filename is not None else str(err))
    typer.echo(f"wrote {written}")


@app.command("lsp", context_settings={"allow_extra_args": True, "ignore_unknown_options": True,
                                      "help_option_names": []}, add_help_option=False)
def lsp_command(ctx: typer.Context) -> None:
    """Run the language server on stdin/stdout, for editors (`fastlint lsp --help`)."""
    try:
        from ..lsp.server import main
    except ImportError as err:  # the optional extra is not installed
        _fail(f"fastlint lsp needs pygls: pip install 'fastlint[lsp]' ({err})")
    raise typer.Exit(main(list(ctx.args)))


def _fail(message: str) -> None:
    typer.echo(f"fastlint: {message}", err=True)
    raise typer.Exit(2)


def _register_commands() -> None:
    """fix, verify and build live in their own modules (each is a larger command with its own options)."""
    from .build import build_command
    from .fix import fix_command
    from .verify import verify_command

    app.command("fix")(fix_command)
    app.command("verify")(verify_command)
    app.command("build")(build_command)


_register_commands()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
