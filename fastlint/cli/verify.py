"""`fastlint verify`: build, run and measure service images with a real Docker engine (SPEC).

The command is thin: it parses options, calls `fastlint.verifier.verify.verify`, prints the report, and turns
the outcome into the exit code: 0 every service passed, 1 a budget or check failed, 2 engine or usage error.
Docker is imported only when the command runs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer


def parse_build_args(values: list[str] | None) -> dict[str, str]:
    """`K=V` strings into a dict; a bad one is a usage error (typer.BadParameter)."""
    args: dict[str, str] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise typer.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--build-arg")
        args[key] = value
    return args


def _progress_printer():
    if not sys.stderr.isatty():
        return None
    return lambda message: print(f"  {message[:150]}", file=sys.stderr, flush=True)


def verify_command(
    service_dirs: Annotated[Optional[list[Path]], typer.Argument(
        help="Service folders, each with a Dockerfile (default: the current folder).")] = None,
    dockerfile: Annotated[str, typer.Option("--dockerfile", help="The Dockerfile's name in each folder.")] = "Dockerfile",
    baseline_dockerfile: Annotated[str, typer.Option(
        "--baseline-dockerfile", help="The baseline to compare with, if present in the folder.")] = "Dockerfile.backup",
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    network: Annotated[str, typer.Option(
        "--network", help="Network for the builds: default, host or none (containers run with none).")] = "host",
    timeout: Annotated[float, typer.Option(
        "--timeout", help="Seconds allowed for each build, and for a container to become healthy.")] = 900.0,
    max_size: Annotated[Optional[float], typer.Option(
        "--max-size", help="Size budget in MB (default: the policy's budgets.max_size_mb, from the "
        "nearest fastlint.yaml above each Dockerfile, else the standard's 200).")] = None,
    max_layers: Annotated[Optional[int], typer.Option(
        "--max-layers", help="Layer budget (default: the policy's budgets.max_layers, else 12).")] = None,
    keep_images: Annotated[bool, typer.Option("--keep-images", help="Keep the built images.")] = False,
    report: Annotated[Optional[Path], typer.Option(
        "--report", help="Also write a Markdown report there (for a pull request).")] = None,
    build_arg: Annotated[Optional[list[str]], typer.Option(
        "--build-arg", help="KEY=VALUE passed to every build (repeatable).")] = None,
    health_interval: Annotated[Optional[float], typer.Option(
        "--health-interval", help="Probe health every N seconds instead of the image's interval, to measure "
        "readiness rather than the interval.")] = None,
    rebuilds: Annotated[int, typer.Option(
        "--rebuilds", help="Rebuild N times after N source changes and report the median (1-20; one rebuild on a "
        "busy machine is one noisy sample).")] = 1,
) -> None:
    """Build, run and measure each service's image; compare with its baseline and the budgets."""
    from ..verifier.engine import EngineError
    from ..verifier.report import to_json, to_markdown, to_text
    from ..verifier.verify import VerifyOptions, verify

    if fmt not in ("text", "json"):
        typer.echo(f"fastlint verify: --format must be text or json, not {fmt!r}", err=True)
        raise typer.Exit(2)
    if network not in ("default", "host", "none"):
        typer.echo(f"fastlint verify: --network must be default, host or none, not {network!r}", err=True)
        raise typer.Exit(2)
    try:
        build_args = parse_build_args(build_arg)
    except typer.BadParameter as err:
        typer.echo(f"fastlint verify: --build-arg {err.message}", err=True)
        raise typer.Exit(2) from None
    if not 1 <= rebuilds <= 20:
        typer.echo(f"fastlint verify: --rebuilds must be between 1 and 20, not {rebuilds}", err=True)
        raise typer.Exit(2)
    if (max_size is not None and max_size <= 0) or (max_layers is not None and max_layers < 1):
        typer.echo("fastlint verify: --max-size and --max-layers must be positive", err=True)
        raise typer.Exit(2)
    options = VerifyOptions(
        dockerfile=dockerfile, baseline_dockerfile=baseline_dockerfile or None, network=network, timeout=timeout,
        max_size_mb=max_size, max_layers=max_layers,
        keep_images=keep_images, build_args=build_args, health_interval=health_interval, rebuilds=rebuilds,
        progress=_progress_printer())
    try:
        result = verify(list(service_dirs or [Path(".")]), options)
    except EngineError as err:
        typer.echo(f"fastlint verify: {err}", err=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        typer.echo("fastlint verify: interrupted; built images and containers were removed", err=True)
        raise typer.Exit(2) from None
    typer.echo(to_json(result) if fmt == "json" else to_text(result), nl=False)
    for problem in result.get("cleanup_problems", []):
        typer.echo(f"fastlint verify: warning: not removed: {problem}", err=True)
    if report is not None:
        _write_atomic(report, to_markdown(result))
    raise typer.Exit(0 if all(s["passed"] for s in result["services"]) else 1)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
