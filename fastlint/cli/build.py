"""`fastlint build`: build all (or the named) services like the standard's build-services.sh (SPEC).

Exit codes: 0 every service built (and pushed), 1 a service failed, 2 usage or engine error.
Docker is imported only when the command runs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from .verify import parse_build_args


def service_matrix(root: Path) -> dict:
    """The service matrix of the policy that applies under `root`: the nearest fastlint.yaml at or above it,
    else the built-in one (the standard's ten services)."""
    from ..engine.config import policy_for

    return dict(policy_for(root / "Dockerfile").services)


def build_command(
    services: Annotated[Optional[list[str]], typer.Argument(
        help="Services to build (default: every service folder in the matrix).")] = None,
    root: Annotated[Path, typer.Option("--root", help="The folder holding the service folders.")] = Path("."),
    registry: Annotated[Optional[str], typer.Option("--registry", help="Registry prefix, e.g. gcr.io/my-project.")] = None,
    tag: Annotated[Optional[str], typer.Option("--tag", help="Image tag (default: the git short SHA; never latest).")] = None,
    push: Annotated[bool, typer.Option("--push", help="Push each image after building it.")] = False,
    platform: Annotated[Optional[str], typer.Option("--platform", help="Target platform, e.g. linux/amd64.")] = None,
    parallel: Annotated[int, typer.Option("--parallel", help="Builds at a time.")] = 1,
    dockerfile: Annotated[str, typer.Option("--dockerfile", help="The Dockerfile's name in each folder.")] = "Dockerfile",
    build_arg: Annotated[Optional[list[str]], typer.Option(
        "--build-arg", help="KEY=VALUE passed to every build (repeatable).")] = None,
    network: Annotated[str, typer.Option("--network", help="Network for the builds: default, host or none.")] = "host",
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds allowed for each build.")] = 1800.0,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Build (and push) the services' images and print the build statistics. SERVICES_TO_SKIP="a b" skips."""
    from ..verifier.build import BuildOptions, UsageError, build_services, statistics_text
    from ..engine.config import ConfigError
    from ..verifier.engine import EngineError

    if fmt not in ("text", "json"):
        typer.echo(f"fastlint build: --format must be text or json, not {fmt!r}", err=True)
        raise typer.Exit(2)
    try:
        options = BuildOptions(registry=registry, tag=tag, push=push, platform=platform, parallel=parallel,
                               dockerfile=dockerfile, build_args=parse_build_args(build_arg), network=network,
                               timeout=timeout,
                               progress=(lambda m: print(f"  {m[:150]}", file=sys.stderr, flush=True))
                               if sys.stderr.isatty() else None)
        report = build_services(root, list(services or []), service_matrix(root), options)
    except typer.BadParameter as err:
        typer.echo(f"fastlint build: --build-arg {err.message}", err=True)
        raise typer.Exit(2) from None
    except (UsageError, EngineError, ConfigError) as err:
        typer.echo(f"fastlint build: {err}", err=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        typer.echo("fastlint build: interrupted", err=True)
        raise typer.Exit(2) from None
    if fmt == "json":
        typer.echo(json.dumps(report, indent=2))
    else:
        typer.echo(statistics_text(report), nl=False)
    raise typer.Exit(0 if all(r["ok"] for r in report["services"]) else 1)
