"""`fastlint build`: the standard's build-services.sh as a command.

Builds every service folder under a root that is in the service matrix (or the named ones), tags each image
`[REGISTRY/]SERVICE:TAG` (TAG defaults to the git short SHA; `latest` is refused), optionally pushes, and prints
the standard's "=== Build Statistics ===". `SERVICES_TO_SKIP="a b"` skips services. Builds run `parallel` at a
time, each in its own engine session. Images are kept (they are the product); what a failed build left is
removed.
"""

from __future__ import annotations

import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .engine import BuildFailed, EngineError, Session, connect, interrupts_as_exceptions


class UsageError(Exception):
    """Bad arguments: exit code 2 with one line."""


@dataclass
class BuildOptions:
    registry: str | None = None
    tag: str | None = None
    push: bool = False
    platform: str | None = None
    parallel: int = 1
    dockerfile: str = "Dockerfile"
    build_args: dict[str, str] = field(default_factory=dict)
    network: str = "host"
    timeout: float = 1800.0
    progress: Callable[[str], None] | None = None


def git_short_sha(path: Path) -> str:
    """The short SHA of the commit checked out at `path` (UsageError outside a git work tree)."""
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=path, capture_output=True, text=True,
                             timeout=30)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise UsageError(f"cannot run git to find the tag ({err}); pass --tag") from None
    if out.returncode != 0 or not out.stdout.strip():
        raise UsageError(f"{path} is not in a git work tree with a commit, so there is no default tag; pass --tag")
    return out.stdout.strip()


def select_services(root: Path, names: list[str], matrix: dict[str, Any], dockerfile: str,
                    skip: list[str]) -> list[str]:
    """The services to build: the named ones, else every folder under root that is in the matrix and has a
    Dockerfile; less the skipped ones."""
    if not root.is_dir():
        raise UsageError(f"{root}: not a folder")
    if names:
        for n in names:
            if not (root / n).is_dir():
                raise UsageError(f"{root / n}: no such service folder")
            if not (root / n / dockerfile).is_file():
                raise UsageError(f"{root / n / dockerfile}: no such Dockerfile")
        chosen = list(dict.fromkeys(names))
    else:
        chosen = [n for n in sorted(matrix) if (root / n / dockerfile).is_file()]
        if not chosen:
            raise UsageError(f"{root}: no folder of a service in the matrix has a {dockerfile}")
    return [n for n in chosen if n not in set(skip)]


def check_platform(client, platform: str | None) -> None:
    """UsageError unless the engine can build `platform` itself (the classic builder builds only the
    engine's own platform: no emulation, no multi-platform images)."""
    if not platform:
        return
    info = client.info()
    arch = {"x86_64": "amd64", "aarch64": "arm64"}.get(info.get("Architecture", ""), info.get("Architecture", ""))
    own = f"{info.get('OSType', 'linux')}/{arch}"
    wanted = [p.strip() for p in platform.split(",") if p.strip()]
    others = [p for p in wanted if p not in (own, f"{own}/v8" if arch == "arm64" else own)]
    if len(wanted) > 1 or others:
        raise UsageError(f"this engine builds only {own} (classic builder, no emulation); "
                         f"it cannot build {', '.join(wanted if len(wanted) > 1 else others)}: use a BuildKit/buildx builder with "
                         "QEMU for other or several platforms")


def image_name(registry: str | None, service: str, tag: str) -> tuple[str, str]:
    repo = f"{registry.rstrip('/')}/{service}" if registry else service
    return repo, tag


def build_services(root: Path, names: list[str], matrix: dict[str, Any], options: BuildOptions,
                   client=None) -> dict[str, Any]:
    """Build (and push) the services; returns {"tag", "services": [{"service", "image", "ok", "error",
    "size_bytes", "layers", "build_seconds", "pushed", "image_id"}], "created_images": [...]}.

    UsageError for bad arguments; EngineError when the engine is missing or refuses (exit 2)."""
    if options.tag == "latest":
        raise UsageError("--tag latest is refused: the standard pins images by a version or commit tag")
    if options.parallel < 1:
        raise UsageError("--parallel must be at least 1")
    if options.push and not options.registry:
        raise UsageError("--push needs --registry")
    skip = os.environ.get("SERVICES_TO_SKIP", "").split()
    services = select_services(root, names, matrix, options.dockerfile, skip)
    tag = options.tag or git_short_sha(root)
    client = client or connect(options.timeout)
    check_platform(client, options.platform)

    created: list[str] = []

    def one(service: str) -> dict[str, Any]:
        repo, t = image_name(options.registry, service, tag)
        result: dict[str, Any] = {"service": service, "image": f"{repo}:{t}", "ok": False, "error": None,
                                  "size_bytes": None, "layers": None, "build_seconds": None, "pushed": False,
                                  "image_id": None}
        session = Session(connect(options.timeout), timeout=options.timeout, network=options.network,
                          progress=options.progress)
        try:
            built = session.build(root / service, options.dockerfile, f"{repo}:{t}", options.build_args,
                                  platform=options.platform, label=f"fastlint-build {service}")
            info = session.inspect(built.image_id)
            result.update(ok=True, image_id=built.image_id, build_seconds=round(built.seconds, 1),
                          size_bytes=int(info.get("Size") or 0), layers=len(info["RootFS"]["Layers"]))
            session.keep(built.image_id, f"{repo}:{t}")
            if options.push:
                session.push(repo, t)
                result["pushed"] = True
        except BuildFailed as err:
            result["error"] = f"{err}\n{err.log_tail}".strip()
        except EngineError as err:
            result["error"] = str(err)
        finally:
            # Keep the product and its build cache; what is left to remove is only from failed builds.
            created.extend(session.created_images)
            if not result["ok"]:
                session.close()
        return result

    start = time.monotonic()
    with interrupts_as_exceptions():
        if options.parallel == 1 or len(services) == 1:
            results = [one(s) for s in services]
        else:
            with ThreadPoolExecutor(max_workers=options.parallel) as pool:
                results = list(pool.map(one, services))
    return {"tag": tag, "services": results, "seconds": round(time.monotonic() - start, 1),
            "skipped": [s for s in skip if s],
            "created_images": list(dict.fromkeys(created + [r["image_id"] for r in results if r["image_id"]]))}


def statistics_text(report: dict[str, Any]) -> str:
    """The standard's build statistics, then the failures."""
    lines = ["=== Build Statistics ==="]
    for r in report["services"]:
        if r["ok"]:
            pushed = ", pushed" if r["pushed"] else ""
            lines.append(f"{r['service']}: Size={r['size_bytes'] / 1e6:.0f}MB, Layers={r['layers']}, "
                         f"Build={r['build_seconds']:.1f}s, Image={r['image']}{pushed}")
        else:
            lines.append(f"{r['service']}: FAILED")
    for r in report["services"]:
        if not r["ok"]:
            lines.append("")
            lines.append(f"{r['service']} failed:")
            lines.extend("  " + line for line in (r["error"] or "").splitlines()[-15:])
    ok = sum(1 for r in report["services"] if r["ok"])
    lines.append("")
    lines.append(f"{ok} built, {len(report['services']) - ok} failed in {report['seconds']:.1f}s (tag {report['tag']})")
    return "\n".join(lines) + "\n"
