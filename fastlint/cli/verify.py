"""`fastlint verify`: build, run and measure service images with a real Docker engine (SPEC).

The command is thin: it parses options, calls `fastlint.verifier.verify.verify`, prints the report, and turns
the outcome into the exit code: 0 every service passed, 1 a budget or check failed, 2 engine or usage error.
Docker is imported only when the command runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .spec import Command, Option, fail, parse


def parse_build_args(values: list[str] | None) -> dict[str, str]:
    """`K=V` strings into a dict; a bad one is a ValueError naming it."""
    args: dict[str, str] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"--build-arg {item!r} is not KEY=VALUE")
        args[key] = value
    return args


def _progress_printer():
    if not sys.stderr.isatty():
        return None
    return lambda message: print(f"  {message[:150]}", file=sys.stderr, flush=True)


VERIFY = Command(
    "verify",
    "Build, run and measure each service's image; compare with its baseline and the budgets.",
    positional=("service_dirs", "SERVICE_DIR", "*", "service folders, each with a Dockerfile (default: the "
                "current folder)"),
    epilog="Exit codes: 0 every service passed; 1 a budget or check failed; 2 usage errors or no Docker engine.",
    options=[
        Option(("--dockerfile",), "dockerfile", metavar="NAME", default="Dockerfile",
               help="the Dockerfile's name in each folder (default Dockerfile)"),
        Option(("--baseline-dockerfile",), "baseline_dockerfile", metavar="NAME", default="Dockerfile.backup",
               help="the baseline to compare with, if present in the folder (default Dockerfile.backup)"),
        Option(("--format",), "fmt", choices=("text", "json"), metavar="FORMAT", default="text",
               help="text (default) or json"),
        Option(("--network",), "network", choices=("default", "host", "none"), metavar="NETWORK", default="host",
               help="network for the builds: default, host (default) or none (containers run with none)"),
        Option(("--timeout",), "timeout", metavar="SECONDS", default="900",
               help="seconds allowed for each build, and for a container to become healthy (default 900)"),
        Option(("--max-size",), "max_size", metavar="MB",
               help="size budget in MB (default: the policy's budgets.max_size_mb, else 200)"),
        Option(("--max-layers",), "max_layers", metavar="N",
               help="layer budget (default: the policy's budgets.max_layers, else 12)"),
        Option(("--keep-images",), "keep_images", "flag", help="keep the built images"),
        Option(("--report",), "report", metavar="FILE", help="also write a Markdown report there (for a pull "
               "request)"),
        Option(("--build-arg",), "build_arg", "append", metavar="KEY=VALUE", help="passed to every build; "
               "repeatable"),
        Option(("--health-interval",), "health_interval", metavar="SECONDS",
               help="probe health every N seconds instead of the image's interval"),
        Option(("--rebuilds",), "rebuilds", metavar="N", default="1",
               help="rebuild N times after N source changes and report the median (1-20; default 1)"),
    ],
)


def number(value, name: str, kind=float):
    """A number option's value, or a usage error naming the option."""
    if value is None:
        return None
    try:
        return kind(value)
    except ValueError:
        fail(f"{name} takes a {'whole ' if kind is int else ''}number, not {value!r}")


def main(argv: list[str]) -> int:
    args = parse(VERIFY, argv)
    from ..verifier.engine import EngineError
    from ..verifier.report import to_json, to_markdown, to_text
    from ..verifier.verify import VerifyOptions, verify

    timeout = number(args.timeout, "--timeout")
    max_size = number(args.max_size, "--max-size")
    max_layers = number(args.max_layers, "--max-layers", int)
    rebuilds = number(args.rebuilds, "--rebuilds", int)
    health_interval = number(args.health_interval, "--health-interval")
    try:
        build_args = parse_build_args(args.build_arg)
    except ValueError as err:
        fail(str(err))
    if not 1 <= rebuilds <= 20:
        fail(f"--rebuilds must be between 1 and 20, not {rebuilds}")
    if (max_size is not None and max_size <= 0) or (max_layers is not None and max_layers < 1):
        fail("--max-size and --max-layers must be positive")
    options = VerifyOptions(
        dockerfile=args.dockerfile, baseline_dockerfile=args.baseline_dockerfile or None, network=args.network,
        timeout=timeout, max_size_mb=max_size, max_layers=max_layers, keep_images=args.keep_images,
        build_args=build_args, health_interval=health_interval, rebuilds=rebuilds, progress=_progress_printer())
    try:
        result = verify([Path(d) for d in args.service_dirs] or [Path(".")], options)
    except EngineError as err:
        fail(str(err))
    except KeyboardInterrupt:
        fail("interrupted; built images and containers were removed", 130)
    sys.stdout.write(to_json(result) if args.fmt == "json" else to_text(result))
    for problem in result.get("cleanup_problems", []):
        print(f"fastlint: warning: not removed: {problem}", file=sys.stderr)
    if args.report is not None:
        _write_atomic(Path(args.report), to_markdown(result))
    return 0 if all(s["passed"] for s in result["services"]) else 1


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
