#!/usr/bin/env python3
"""The fuzzer for longer than the test suite gives it (``tests/test_fuzz.py`` runs 4,000 inputs).

Inputs: Dockerfile text generated to hit the parser's branches, and the corpus's real files mutated a little
(``tests/fuzzing.py``). Each must hold: no exception, no hang, the tree prints back and matches BuildKit's parser,
DL1000 exactly where BuildKit rejects, fixes that keep the file parsing, keep its comments and are idempotent.
Prints the figures every minute and at the end; every failing input goes to ``--out`` (with a smaller input that
still fails, and what failed). Exit 1 when anything failed. Run it niced on a shared machine:

    nice python scripts/fuzz.py --budget 1800 [--seed N] [--out DIR] [--fix-every K]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import fuzzing  # noqa: E402  (tests/fuzzing.py)
from conftest import corpus_files  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--budget", type=float, default=600, help="seconds to run (default 600)")
    ap.add_argument("--inputs", type=int, help="stop after this many inputs instead")
    ap.add_argument("--seed", type=int, help="default: a random one (printed)")
    ap.add_argument("--fix-every", type=int, default=1, help="run the fixer on every K-th input (default 1)")
    ap.add_argument("--out", type=Path, help="where failing inputs go (default .ci-cache/fuzz/<seed>)")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**31)
    out = args.out or ROOT / ".ci-cache" / "fuzz" / str(seed)
    corpus = [p.read_bytes().decode("utf-8", "replace") for p in corpus_files()]
    import dockerfile  # noqa: F401  (the oracle: pip install dockerfile)

    print(f"fuzz: seed {seed}, budget {args.inputs or ''}{' inputs' if args.inputs else f'{args.budget:.0f} s'}, "
          f"{len(corpus)} corpus files, failures to {out}", flush=True)
    start = last = time.monotonic()
    count = 0

    def on_failure(kind: str, text: str, problems: list[str]) -> None:
        nonlocal count
        count += 1
        out.mkdir(parents=True, exist_ok=True)
        small = fuzzing.shrink(text, lambda t: bool(fuzzing.Checker().check(t)))
        (out / f"{count:04}.Dockerfile").write_text(text, encoding="utf-8", errors="surrogateescape")
        (out / f"{count:04}.small.Dockerfile").write_text(small, encoding="utf-8", errors="surrogateescape")
        (out / f"{count:04}.txt").write_text(json.dumps({"kind": kind, "problems": problems}, indent=1) + "\n")
        print(f"FAILED ({kind}): {problems[0][:200]}  -> {out / f'{count:04}.Dockerfile'}", flush=True)

    # run in slices of a minute, to print progress
    checker_total: dict[str, int] = {}
    remaining = args.inputs
    slice_seed = seed
    while True:
        elapsed = time.monotonic() - start
        if args.inputs is None and elapsed >= args.budget:
            break
        if remaining is not None and remaining <= 0:
            break
        seconds = None if args.inputs else min(60.0, args.budget - elapsed)
        inputs = min(remaining, 2000) if remaining is not None else None
        checker, _ = fuzzing.run(slice_seed, corpus, inputs=inputs, seconds=seconds, fix_every=args.fix_every,
                                 on_failure=on_failure)
        slice_seed += 1
        for k, v in checker.figures.items():
            checker_total[k] = checker_total.get(k, 0) + v
        if remaining is not None:
            remaining -= checker.figures["inputs"]
        if time.monotonic() - last >= 60:
            last = time.monotonic()
            print(f"[{time.monotonic() - start:6.0f} s] {summary(checker_total, count)}", flush=True)
    checker_total["seconds"] = round(time.monotonic() - start)
    print(f"fuzz: done. {summary(checker_total, count)}")
    print("figures: " + json.dumps(checker_total, sort_keys=True))
    return 1 if count else 0


def summary(f: dict, failures: int) -> str:
    return (f"{f.get('inputs', 0)} inputs ({f.get('generated', 0)} generated, {f.get('mutated', 0)} mutated), "
            f"{f.get('exceptions', 0)} exceptions, {f.get('hangs', 0)} hangs; BuildKit compared "
            f"{f.get('compared with BuildKit', 0)} (accepts {f.get('BuildKit accepts', 0)}, rejects "
            f"{f.get('BuildKit rejects', 0)}): parity failures {f.get('parser parity failures', 0)}, DL1000 "
            f"disagreements {f.get('DL1000 disagreements', 0)}; fix ran {f.get('fixed', 0)}, changed "
            f"{f.get('changed by fix', 0)}, failures {f.get('fix failures', 0)}; failing inputs {failures}")


if __name__ == "__main__":
    sys.exit(main())
