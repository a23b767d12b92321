"""`fastlint build`: build all (or the named) services like the standard's build-services.sh (SPEC).

Exit codes: 0 every service built (and pushed), 1 a service failed, 2 usage or engine error.
Docker is imported only when the command runs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .spec import Command, Option, fail, parse
from .verify import number, parse_build_args


def service_matrix(root: Path) -> dict:
    """The service matrix of the policy that applies under `root`: the nearest fastlint.yaml at or above it,
    else the built-in one (the standard's ten services)."""
    from ..engine.config import policy_for

    return dict(policy_for(root / "Dockerfile").services)


BUILD = Command(
    "build",
    "Build (and push) the services' images and print the build statistics. SERVICES_TO_SKIP=\"a b\" skips.",
    positional=("services", "SERVICE", "*", "services to build (default: every service folder in the matrix)"),
    epilog="Exit codes: 0 every service built (and pushed); 1 a service failed; 2 usage errors or no Docker engine.",
    options=[
        Option(("--root",), "root", metavar="DIR", default=".", help="the folder holding the service folders"),
        Option(("--registry",), "registry", metavar="PREFIX", help="registry prefix, e.g. gcr.io/my-project"),
        Option(("--tag",), "tag", metavar="TAG", help="image tag (default: the git short SHA; never latest)"),
        Option(("--push",), "push", "flag", help="push each image after building it"),
        Option(("--platform",), "platform", metavar="PLATFORM", help="target platform, e.g. linux/amd64"),
        Option(("--parallel",), "parallel", metavar="N", default="1", help="builds at a time (default 1)"),
        Option(("--dockerfile",), "dockerfile", metavar="NAME", default="Dockerfile",
               help="the Dockerfile's name in each folder"),
        Option(("--build-arg",), "build_arg", "append", metavar="KEY=VALUE", help="passed to every build; "
               "repeatable"),
        Option(("--network",), "network", choices=("default", "host", "none"), metavar="NETWORK", default="host",
               help="network for the builds: default, host (default) or none"),
        Option(("--timeout",), "timeout", metavar="SECONDS", default="1800",
               help="seconds allowed for each build (default 1800)"),
        Option(("--format",), "fmt", choices=("text", "json"), metavar="FORMAT", default="text",
               help="text (default) or json"),
    ],
)


def main(argv: list[str]) -> int:
    args = parse(BUILD, argv)
    from ..engine.config import ConfigError
    from ..verifier.build import BuildOptions, UsageError, build_services, statistics_text
    from ..verifier.engine import EngineError

    root = Path(args.root)
    try:
        options = BuildOptions(registry=args.registry, tag=args.tag, push=args.push, platform=args.platform,
                               parallel=number(args.parallel, "--parallel", int), dockerfile=args.dockerfile,
                               build_args=parse_build_args(args.build_arg), network=args.network,
                               timeout=number(args.timeout, "--timeout"),
                               progress=(lambda m: print(f"  {m[:150]}", file=sys.stderr, flush=True))
                               if sys.stderr.isatty() else None)
        report = build_services(root, list(args.services), service_matrix(root), options)
    except (ValueError, UsageError, EngineError, ConfigError) as err:
        fail(str(err))
    except KeyboardInterrupt:
        fail("interrupted", 130)
    if args.fmt == "json":
        print(json.dumps(report, indent=2))
    else:
        sys.stdout.write(statistics_text(report))
    return 0 if all(r["ok"] for r in report["services"]) else 1
