"""Rebuild after a source change: legacy Dockerfile against the migrated one, measured several times.

`fastlint verify` times one rebuild per image, which on a shared machine is one noisy sample. This benchmark
takes fixture services, migrates a copy of each with `fastlint fix` (the fixture is never touched), builds both
Dockerfiles once (warm cache), then runs ROUNDS rounds of: change a source file, rebuild the legacy file; change
a source file, rebuild the migrated file. Interleaving the two keeps drift in the machine's load from favouring
either side, and each timed build starts after `sync`, so that it does not pay for writing out the layers of
the build before it. It prints every sample, the medians and the ratio migrated/legacy, and removes every image it made.

Runs in the tests' own engine (scripts/engine/own-engine.sh, started if needed), where the stand-in images are
(python tests/standins/build.py); serves the stand-in package store itself.

    python scripts/engine/rebuild-benchmark.py [--rounds 5] [--json FILE] [SERVICE ...]
    (default services: fast-validation-service fast-requesthandler-service fast-orchestrator-service)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "standins"))

import build as standins  # noqa: E402  (tests/standins/build.py)
from migrate import migrated_copy  # noqa: E402
from store import PackageStore  # noqa: E402

from fastlint.verifier.engine import Session, interrupts_as_exceptions  # noqa: E402
from fastlint.verifier.verify import change_source  # noqa: E402

DEFAULT = ["fast-validation-service", "fast-requesthandler-service", "fast-orchestrator-service"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("services", nargs="*", default=DEFAULT)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the samples there")
    args = parser.parse_args()
    missing = [s for s in args.services if not (REPO / "fixtures" / "services" / s / "Dockerfile").is_file()]
    if missing:
        print(f"rebuild-benchmark: no such fixture service: {', '.join(missing)}", file=sys.stderr)
        return 2
    engine = standins.own_engine("start")  # the stand-ins live in the tests' own engine, never in a user's
    if engine.returncode != 0:
        print(f"rebuild-benchmark: the tests' own engine did not start: {engine.stderr.strip()[-300:]}",
              file=sys.stderr)
        return 2
    os.environ["DOCKER_HOST"] = engine.stdout.strip()
    results = {}
    with tempfile.TemporaryDirectory(prefix="fastlint-rebuild-bench-") as tmp, \
            PackageStore(standins.STORE, lifetime=3600) as store:
        build_args = standins.build_args(store.url)
        for name in args.services:
            folder = migrated_copy(REPO / "fixtures" / "services" / name, Path(tmp) / name)
            session = Session(timeout=900)
            try:
                with interrupts_as_exceptions():
                    results[name] = bench(session, folder, build_args, args.rounds)
            finally:
                session.close()
            r = results[name]
            print(f"{name}: legacy {fmt(r['legacy'])}  migrated {fmt(r['migrated'])}  "
                  f"ratio of medians {r['ratio']:.2f}", flush=True)
    print()
    print(f"{'service':30} {'legacy median':>14} {'migrated median':>16} {'ratio':>6}")
    for name, r in results.items():
        print(f"{name:30} {statistics.median(r['legacy']):13.1f}s {statistics.median(r['migrated']):15.1f}s "
              f"{r['ratio']:6.2f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


def bench(session: Session, folder: Path, build_args: dict[str, str], rounds: int) -> dict:
    tags = {"legacy": "fastlint-bench/legacy", "migrated": "fastlint-bench/migrated"}
    files = {"legacy": "Dockerfile.backup", "migrated": "Dockerfile"}
    for which in ("legacy", "migrated"):  # warm the cache; not timed
        session.build(folder, files[which], f"{tags[which]}:warm", build_args)
    samples: dict[str, list[float]] = {"legacy": [], "migrated": []}
    for i in range(rounds):
        for which in ("legacy", "migrated"):
            change_source(folder)
            os.sync()  # the previous build's layers written out first: each build is timed from a clean start
            result = session.build(folder, files[which], f"{tags[which]}:r{i}", build_args)
            samples[which].append(round(result.seconds, 2))
    ratio = statistics.median(samples["migrated"]) / statistics.median(samples["legacy"])
    return {**samples, "ratio": round(ratio, 3), "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S")}


def fmt(samples: list[float]) -> str:
    return "[" + ", ".join(f"{s:.1f}" for s in samples) + f"] median {statistics.median(samples):.1f}s"


if __name__ == "__main__":
    sys.exit(main())
