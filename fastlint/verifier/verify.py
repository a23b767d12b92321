"""`fastlint verify`: build, run and measure each service's image, judge it against the budgets and compare it
with the baseline (the legacy Dockerfile kept as Dockerfile.backup).

For each Dockerfile (the service's, then the baseline's), in a temporary copy of the service folder (the
fixture or checkout itself is never touched):
  1. cold build (base images must already be in the engine)                         -> build_seconds
     It runs with the layer cache allowed, as a first build does, so that steps shared by two stages are made
     once (a --no-cache build makes them twice, and the classic builder's cache then takes the wrong one, see
     the template's comments). When the log shows that a step took an image that existed before this build
     (the engine had built these files before), the figure would not be cold: the build is repeated with
     --no-cache, and one unchanged, untimed build then settles the cache chains before step 2.
  2. change one source file (a comment appended to src/index.ts or the first src file) and build again,
     with the cache of step 1                                                       -> rebuild_seconds
     (``rebuilds`` > 1: that many changes and rebuilds, one after the other; rebuild_seconds is their median
     and rebuild_samples lists them: one rebuild on a shared machine is one noisy sample)
     (each timed build starts after `sync`, so it does not pay for writing out the layers of the build before)
  3. inspect the cold image: size, layer count, configured user, exposed ports, HEALTHCHECK
  4. read its layers (`docker save`): wasted bytes as dive counts them, devDependencies in node_modules
  5. run it (no network, so services cannot collide on ports) until the engine reports it healthy, unhealthy,
     exited, or the timeout; `id -u` inside it gives the uid it really runs as
Everything built and run is removed at the end (images kept with keep_images), also on failure and Ctrl-C.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .engine import BuildFailed, EngineError, MissingBaseImage, Session, connect, interrupts_as_exceptions
from .layers import dev_dependencies_present, read_saved_image

FIGURES = ("size_bytes", "layers", "wasted_bytes", "build_seconds", "rebuild_seconds", "seconds_to_healthy",
           "user", "uid", "exposed_ports", "healthcheck", "healthy", "dev_dependencies_found")


@dataclass
class VerifyOptions:
    dockerfile: str = "Dockerfile"
    baseline_dockerfile: str | None = "Dockerfile.backup"  # None: no baseline; a missing file: none either
    network: str = "host"  # for builds; containers run with no network
    timeout: float = 900.0  # per build, and the wait for healthy
    max_size_mb: float | None = None  # budgets; None: the policy's of each service folder (policy_for)
    max_layers: int | None = None
    keep_images: bool = False
    build_args: dict[str, str] = field(default_factory=dict)
    health_interval: float | None = None  # probe more often than the image says (seconds); None: the image's
    source_change: bool = True
    rebuilds: int = 1  # rebuilds after a source change, each after a new change; the figure is their median
    progress: Callable[[str], None] | None = None


def verify(service_dirs: list[Path], options: VerifyOptions, client=None) -> dict[str, Any]:
    """Verify every service folder; returns the SPEC's report: {"services": [...]}.

    Raises EngineError when no engine answers or a base image is missing (exit 2 for the caller)."""
    for d in service_dirs:
        if not Path(d).is_dir():
            raise EngineError(f"{d}: not a folder")
        if not (Path(d) / options.dockerfile).is_file():
            raise EngineError(f"{Path(d) / options.dockerfile}: no such Dockerfile")
    budgets = {Path(d): budgets_for(Path(d), options) for d in service_dirs}  # config errors before any build
    run_id = uuid.uuid4().hex[:8]
    client = client or connect(options.timeout)
    results = []
    problems: list[str] = []
    with interrupts_as_exceptions():
        for d in service_dirs:
            # One session per service, closed before the next: each service's cold build starts from the engine
            # as it was, without the step images of the service before (the runtime-tools stage, for one, is
            # the same in every gRPC service and would otherwise come from the cache).
            session = Session(client, timeout=options.timeout, network=options.network,
                              keep_images=options.keep_images, progress=options.progress)
            try:
                results.append(verify_service(session, Path(d), options, run_id, budgets[Path(d)]))
            finally:
                problems += session.close()
    report: dict[str, Any] = {"services": results}
    if problems:
        report["cleanup_problems"] = problems
    return report


def slug(name: str) -> str:
    """A folder name as an image repository name component (lower case, [a-z0-9._-])."""
    return re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-._") or "service"


def budgets_for(service_dir: Path, options: VerifyOptions) -> dict[str, float]:
    """The budgets for one service folder: the policy's (the nearest fastlint.yaml above its Dockerfile, else
    the built-in one), each overridden by --max-size / --max-layers. A bad fastlint.yaml is an EngineError (exit
    2) with the file and line."""
    from ..engine.config import ConfigError, policy_for

    try:
        policy = policy_for(service_dir / options.dockerfile)
    except ConfigError as err:
        raise EngineError(str(err)) from None
    return {"max_size_mb": float(options.max_size_mb if options.max_size_mb is not None
                                 else policy.budgets["max_size_mb"]),
            "max_layers": int(options.max_layers if options.max_layers is not None else policy.budgets["max_layers"])}


def verify_service(session: Session, service_dir: Path, options: VerifyOptions, run_id: str,
                   budgets: dict[str, float] | None = None) -> dict[str, Any]:
    """One service: its figures, the baseline's, the change, and the verdict against `budgets`."""
    budgets = budgets or budgets_for(service_dir, options)
    name = service_dir.resolve().name
    repo = "fastlint-verify/" + slug(name)
    dev_deps = _dev_dependencies(service_dir)
    target = measure(session, service_dir, options.dockerfile, f"{repo}:{run_id}", dev_deps, options)
    baseline = None
    if options.baseline_dockerfile and (service_dir / options.baseline_dockerfile).is_file():
        try:
            baseline = measure(session, service_dir, options.baseline_dockerfile, f"{repo}:{run_id}-baseline",
                               dev_deps, options)
        except MissingBaseImage as err:
            # the legacy base is not in the engine (fastlint never pulls): no comparison, the new image stands
            baseline = {"dockerfile": str(service_dir / options.baseline_dockerfile), "unavailable": str(err),
                        **{k: None for k in FIGURES}, "build_error": None}
    failures = judge(target, budgets)
    report: dict[str, Any] = {"service": name, **target, "passed": not failures, "failures": failures,
                              "budgets": budgets, "baseline": baseline,
                              "change": change(target, baseline) if baseline and not baseline.get("unavailable")
                              else None}
    return report


def measure(session: Session, service_dir: Path, dockerfile: str, tag: str, dev_deps: list[str],
            options: VerifyOptions) -> dict[str, Any]:
    """Build (cold, then after a source change), inspect, read the layers, run; every figure of one image."""
    figures: dict[str, Any] = {"dockerfile": str(service_dir / dockerfile), "image": tag,
                               **{k: None for k in FIGURES}, "build_error": None}
    figures["dev_dependencies_found"] = []
    with tempfile.TemporaryDirectory(prefix="fastlint-verify-") as tmp:
        context = Path(tmp) / service_dir.resolve().name
        shutil.copytree(service_dir, context, symlinks=True, ignore=shutil.ignore_patterns(".git"))
        try:
            os.sync()  # timed builds start with the previous build's layers written out, not paying for them
            cold = session.build(context, dockerfile, tag, options.build_args)
            settle = False
            if cold.reused_from_before:
                # Not cold: the engine had these steps already. Build again without the cache; that makes
                # duplicate step images, so one unchanged build (untimed) settles the cache before the rebuild.
                figures["cold_build_note"] = (f"{len(cold.reused_from_before)} step(s) were in the engine's cache "
                                              "before; measured again with --no-cache")
                os.sync()
                cold = session.build(context, dockerfile, tag + "-nocache", options.build_args, nocache=True)
                settle = True
        except BuildFailed as err:
            figures["build_error"] = err.describe()
            figures["build_error_lines"] = err.first_errors
            return figures
        figures["build_seconds"] = round(cold.seconds, 1)
        if options.source_change:
            if settle:
                try:
                    session.build(context, dockerfile, tag + "-settle", options.build_args)
                except BuildFailed as err:
                    figures["build_error"] = err.describe("cached rebuild: ")
                    figures["build_error_lines"] = err.first_errors
            samples: list[float] = []
            for i in range(max(1, options.rebuilds)):
                changed = change_source(context)
                if not changed:
                    break
                try:
                    os.sync()
                    again = session.build(context, dockerfile, f"{tag}-rebuild{i + 1 if i else ''}",
                                          options.build_args)
                except BuildFailed as err:
                    figures["build_error"] = err.describe(f"rebuild after changing {changed}: ")
                    figures["build_error_lines"] = err.first_errors
                    break
                samples.append(round(again.seconds, 1))
                figures["rebuild_reran_steps"] = again.reran_steps
                figures["changed_file"] = changed
            if samples:
                figures["rebuild_seconds"] = round(statistics.median(samples), 1)
                figures["rebuild_samples"] = samples
    info = session.inspect(cold.image_id)
    config = info.get("Config") or {}
    figures["size_bytes"] = int(info.get("Size") or 0)
    figures["layers"] = len((info.get("RootFS") or {}).get("Layers") or [])
    figures["user"] = config.get("User") or "root"
    figures["exposed_ports"] = sorted((config.get("ExposedPorts") or {}).keys())
    health = config.get("Healthcheck") or None
    figures["healthcheck"] = list(health["Test"]) if health and health.get("Test") and health["Test"] != ["NONE"] else None
    if options.progress:
        options.progress(f"{tag}: reading layers")
    files = read_saved_image(session.save(cold.image_id))
    figures["wasted_bytes"] = files.wasted_bytes
    figures["dev_dependencies_found"] = dev_dependencies_present(files, config.get("WorkingDir") or "/", dev_deps)
    if options.progress:
        options.progress(f"{tag}: running until healthy")
    run = session.run_until_healthy(cold.image_id, timeout=min(options.timeout, 300.0),
                                    health_interval=options.health_interval)
    figures["healthy"] = run["healthy"] if figures["healthcheck"] else None
    figures["seconds_to_healthy"] = run["seconds_to_healthy"]
    figures["uid"] = run["uid"]
    figures["run_status"] = run["status"]
    if run["logs"]:
        figures["run_logs"] = run["logs"][-2000:]
    return figures


def change_source(context: Path) -> str | None:
    """Append a comment to one source file (src/index.ts, else the first file under src/), as a developer's
    source-only change would; returns its path relative to the context, or None when there is no src/."""
    src = context / "src"
    if not src.is_dir():
        return None
    candidates = [src / "index.ts", src / "index.js"] + sorted(p for p in src.rglob("*") if p.is_file())
    target = next(p for p in candidates if p.is_file()) if any(p.is_file() for p in candidates) else None
    if target is None:
        return None
    marker = "//" if target.suffix in (".ts", ".js", ".mjs", ".cjs", ".tsx", ".jsx") else "#"
    with open(target, "a", encoding="utf-8") as f:
        f.write(f"\n{marker} fastlint verify: source change {time.time():.0f}\n")
    return str(target.relative_to(context))


def judge(figures: dict[str, Any], budgets: dict[str, float]) -> list[str]:
    """The failed budgets ({"max_size_mb", "max_layers"}) and checks of one image, each a sentence."""
    if figures.get("build_error") and figures.get("size_bytes") is None:
        first = figures["build_error"].splitlines()[0]
        cause = "; ".join(figures.get("build_error_lines") or [])[:400]
        return ["build failed: " + first + (f" ({cause})" if cause and cause not in first else "")]
    failures = []
    if figures.get("build_error"):
        failures.append(figures["build_error"].splitlines()[0])
    size_mb = figures["size_bytes"] / 1e6
    if size_mb > budgets["max_size_mb"]:
        failures.append(f"size {size_mb:.1f} MB is over the budget of {budgets['max_size_mb']:g} MB")
    if figures["layers"] > budgets["max_layers"]:
        failures.append(f"{figures['layers']} layers, over the budget of {budgets['max_layers']}")
    if figures["uid"] is None:
        failures.append(f"could not read the uid of a running container ({figures.get('run_status')})")
    elif figures["uid"] == 0:
        failures.append("the container runs as root (uid 0)")
    if not figures["healthcheck"]:
        failures.append("the image has no HEALTHCHECK")
    elif not figures["healthy"]:
        failures.append(f"not healthy: {figures.get('run_status')}")
    if figures["dev_dependencies_found"]:
        failures.append("devDependencies in the image's node_modules: " + ", ".join(figures["dev_dependencies_found"]))
    return failures


def change(target: dict[str, Any], baseline: dict[str, Any]) -> dict[str, float | None]:
    """Percent change from the baseline for size, layers, build and rebuild time (negative: smaller/faster)."""
    def pct(key: str) -> float | None:
        new, old = target.get(key), baseline.get(key)
        if new is None or not old:
            return None
        return round((new - old) / old * 100, 1)

    return {"size_pct": pct("size_bytes"), "layers_pct": pct("layers"), "build_pct": pct("build_seconds"),
            "rebuild_pct": pct("rebuild_seconds"), "wasted_pct": pct("wasted_bytes")}


def _dev_dependencies(service_dir: Path) -> list[str]:
    """The package.json devDependencies that production does not need.

    A devDependency can also be a dependency of a production package (protobufjs needs @types/node): npm
    then keeps it after `npm prune --omit=dev`, rightly. package-lock.json marks packages only development
    needs with "dev": true; when there is a lock, only those count."""
    try:
        data = json.loads((service_dir / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    deps = data.get("devDependencies") or {}
    names = sorted(deps) if isinstance(deps, dict) else []
    try:
        lock = json.loads((service_dir / "package-lock.json").read_text(encoding="utf-8"))
        packages = lock.get("packages") or {}
    except (OSError, ValueError, AttributeError):
        return names
    if not packages:
        return names
    return [n for n in names if (packages.get(f"node_modules/{n}") or {}).get("dev", False)]
