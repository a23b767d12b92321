#!/usr/bin/env python3
"""The start-up cost of a rule package. Prints figures; it is not a test.

fastlint and examples/fastlint-acme-rules are built as wheels (``pip wheel``, offline: hatchling from the test
extras) and installed with ``pip install`` into two new virtualenvs (fastlint's dependencies from the index pip is
configured with): ``plain`` holds fastlint alone, ``acme`` fastlint and the rule package. Each case is
``fastlint check --no-config FILE`` of one file through the environment's own ``fastlint`` script, a new process
each run, ShellCheck off and on; median wall time and median CPU time (user + system, children included: the
steadier figure on a shared machine) of ``--runs`` rounds, each running every case once in turn, after one warm-up
run of each (which writes the entry-point index).
"no index" runs start with an empty cache folder each time: the first run after an install.

    python scripts/bench_rule_packages.py [--runs 20] [--work DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchmark import ENV, ONE_FILE, ROOT, median_time, run_cmd  # noqa: E402

EXAMPLE = ROOT / "examples" / "fastlint-acme-rules"


def environments(work: Path) -> dict[str, Path]:
    """The two virtualenvs' bin folders, made once per ``work`` folder."""
    bins = {name: work / name / "bin" for name in ("plain", "acme")}
    if all((b / "fastlint").is_file() for b in bins.values()):
        return bins
    wheels = work / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index",
                    "-w", str(wheels), str(ROOT), str(EXAMPLE)], check=True)
    [fastlint] = wheels.glob("fastlint-*.whl")
    [acme] = wheels.glob("fastlint_acme_rules-*.whl")
    for name, extra in (("plain", []), ("acme", [str(acme)])):
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(work / name)], check=True)
        subprocess.run([str(bins[name] / "pip"), "install", "-q", "--disable-pip-version-check", str(fastlint),
                        *extra], check=True)
    return bins


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--work", type=Path, help="where the wheels and virtualenvs go (kept; reused when present)")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="fastlint-bench-packages-"))
    bins = environments(work)
    env = {**ENV, "FASTLINT_CACHE_DIR": str(work / "cache")}
    cold = work / "cache-cold"
    cold_env = {**env, "FASTLINT_CACHE_DIR": str(cold)}

    def once(cmd, cold_run):
        if cold_run:
            shutil.rmtree(cold, ignore_errors=True)
        r = run_cmd(cmd, cold_env if cold_run else env)
        if r.returncode not in (0, 1):
            raise SystemExit(f"failed (exit {r.returncode}): {' '.join(cmd)}\n{r.stderr.decode()[:500]}")

    cases = []
    for shellcheck in (["--no-shellcheck"], []):
        for label, name, extra, cold_run in (
                ("fastlint alone", "plain", [], False),
                ("fastlint + fastlint-acme-rules", "acme", [], False),
                ("  the same, --ignore ACME", "acme", ["--ignore", "ACME"], False),
                ("  the same, no index yet", "acme", [], True),
                ("fastlint alone, no index yet", "plain", [], True)):
            cmd = [str(bins[name] / "fastlint"), "check", "--no-config", *shellcheck, *extra, str(ONE_FILE)]
            cases.append((" ".join(shellcheck), label, cmd, cold_run))
    cases.append(("", "for scale, python -c pass", [str(bins["plain"] / "python"), "-c", "pass"], False))

    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {args.runs} rounds, each "
          "running every case once (in turn, so that the machine's load drifts alike for all); median wall and "
          f"median CPU (user + system); venvs in {work}")
    print(f"file: {ONE_FILE.relative_to(ROOT)}")
    for _, _, cmd, cold_run in cases:
        once(cmd, cold_run)  # warm-up: bytecode and the index written
    walls, cpus = [[] for _ in cases], [[] for _ in cases]
    for _ in range(args.runs):
        for i, (_, _, cmd, cold_run) in enumerate(cases):
            wall, cpu, _ = median_time(lambda: once(cmd, cold_run), 1)
            walls[i].append(wall)
            cpus[i].append(cpu)
    group = None
    for i, (flags, label, cmd, _) in enumerate(cases):
        if flags != group and "python" not in label:
            group = flags
            print(f"\n== fastlint check --no-config {flags + ' ' if flags else ''}FILE")
        elif "python" in label:
            print()
        print(f"{label:34} wall {statistics.median(walls[i]) * 1000:6.1f} ms  "
              f"cpu {statistics.median(cpus[i]) * 1000:6.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
