#!/usr/bin/env python3
"""Measure the two Python shell parsers on the RUN scripts of the shared corpus: tree-sitter-bash (what
``fastlint/parser/shell.py`` uses) and bashlex.

For every Dockerfile of the corpus (parsed with ``fastlint.parser.parse``), every shell script a RUN runs (shell-form
text with the heredocs it feeds, ONBUILD RUN included, a lone heredoc's body) is parsed by both; the table gives how many parse without error,
the import time of each parser (``python -X importtime`` in a fresh interpreter, median of runs) and the time to
parse all scripts (best of runs). ``--show N`` prints N scripts that one parser rejects and the other accepts.

    python scripts/measure_shell_parsers.py [--corpus DIR] [--runs 5] [--show 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_CORPUS = Path(os.environ.get("FASTLINT_SHARED", ROOT.parent / "shared")) / "corpus"


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.is_file() and p.name not in ("README.md", "MANIFEST.tsv"))


def run_scripts(files: list[Path]) -> list[tuple[str, str]]:
    """(where, script) for every RUN script of the files, as the shell gets it: the shell-form text with the
    heredoc bodies it feeds, or the body of a lone ``RUN <<EOF`` (bodies whose ``#!`` names another interpreter
    are left out)."""
    from fastlint.parser import parse
    from fastlint.parser.shell import shell_input as run_script
    from fastlint.rules.shellcheck import dialect

    out: list[tuple[str, str]] = []
    for path in files:
        df = parse(path.read_text(encoding="utf-8", errors="replace"), str(path))
        if df.error is not None:
            continue
        for ins in df.instructions:
            ins = ins.effective
            if ins.keyword != "RUN" or ins.json:
                continue
            built = run_script(ins, df.source.text)
            if built is None or (built[2] is not None and dialect(built[2]) is None) or not built[0].strip():
                continue
            out.append((f"{path.relative_to(path.parents[1])}:{ins.line}", built[0]))
    return out


def import_ms(module: str, runs: int) -> float:
    """Median cumulative import time of a module in a fresh interpreter, in ms."""
    times = []
    for _ in range(runs):
        r = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"],
                           capture_output=True, text=True, check=True)
        total = 0
        for line in r.stderr.splitlines():
            # "import time: self [us] | cumulative | imported package"; top-level entries have no leading space
            parts = line.split("|")
            if len(parts) == 3 and parts[2].rstrip() and not parts[2][1:].startswith(" "):
                try:
                    total += int(parts[1])
                except ValueError:
                    pass
        times.append(total / 1000)
    return statistics.median(times)


def ts_parse_all(scripts: list[str]) -> list[bool]:
    import tree_sitter
    import tree_sitter_bash

    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_bash.language()))
    return [not parser.parse(s.encode("utf-8")).root_node.has_error for s in scripts]


def bashlex_parse_all(scripts: list[str]) -> list[bool]:
    import bashlex

    ok = []
    for s in scripts:
        try:
            bashlex.parse(s)
            ok.append(True)
        except Exception:  # bashlex raises its own errors and NotImplementedError for what it does not know
            ok.append(False)
    return ok


def model_parse_all(scripts: list[str]) -> list[bool]:
    """fastlint's shell model (tree-sitter plus the walk into commands), uncached."""
    from fastlint.parser.shell import parse_shell

    return [parse_shell.__wrapped__(s).ok for s in scripts]


def best_time(fn, scripts, runs: int) -> tuple[float, list[bool]]:
    best, result = float("inf"), []
    for _ in range(runs):
        t = time.perf_counter()
        result = fn(scripts)
        best = min(best, time.perf_counter() - t)
    return best, result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--show", type=int, default=0, help="print N scripts the parsers disagree on")
    args = ap.parse_args()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus} (set FASTLINT_SHARED or --corpus)", file=sys.stderr)
        return 2
    files = corpus_files(args.corpus)
    items = run_scripts(files)
    scripts = [s for _, s in items]
    size = sum(len(s.encode("utf-8")) for s in scripts)
    print(f"{len(files)} Dockerfiles, {len(scripts)} RUN scripts, {size / 1024:.0f} KiB of shell")

    ts_import = import_ms("tree_sitter_bash, tree_sitter", args.runs)
    # fastlint imports tree_sitter and loads the grammar from the extension module, skipping the package __init__
    ts_core_import = import_ms("tree_sitter", args.runs)
    bl_import = import_ms("bashlex", args.runs)
    ts_time, ts_ok = best_time(ts_parse_all, scripts, args.runs)
    bl_time, bl_ok = best_time(bashlex_parse_all, scripts, args.runs)
    model_time, _ = best_time(model_parse_all, scripts, args.runs)

    n = len(scripts)
    rows = [
        ("parser", "parse without error", "import (ms)", "parse all (ms)", "per script (us)"),
        ("tree-sitter-bash", f"{sum(ts_ok)}/{n} ({100 * sum(ts_ok) / n:.1f}%)", f"{ts_import:.1f}",
         f"{ts_time * 1000:.0f}", f"{ts_time / n * 1e6:.0f}"),
        ("bashlex", f"{sum(bl_ok)}/{n} ({100 * sum(bl_ok) / n:.1f}%)", f"{bl_import:.1f}",
         f"{bl_time * 1000:.0f}", f"{bl_time / n * 1e6:.0f}"),
        ("fastlint shell model (tree-sitter + walk)", "", f"{ts_core_import:.1f}+", f"{model_time * 1000:.0f}",
         f"{model_time / n * 1e6:.0f}"),
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for i, r in enumerate(rows):
        print("  ".join(c.ljust(w) if j == 0 else c.rjust(w) for j, (c, w) in enumerate(zip(r, widths))))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print("(import: the model imports tree_sitter and loads the grammar's extension module directly, not through "
          "the tree_sitter_bash package, whose __init__ imports importlib.resources; '+' is that load, ~1 ms)")
    both_fail = sum(1 for a, b in zip(ts_ok, bl_ok) if not a and not b)
    only_ts = sum(1 for a, b in zip(ts_ok, bl_ok) if a and not b)
    only_bl = sum(1 for a, b in zip(ts_ok, bl_ok) if b and not a)
    print(f"only tree-sitter parses: {only_ts}; only bashlex parses: {only_bl}; neither: {both_fail}")
    if args.show:
        for label, mask in (("tree-sitter rejects, bashlex accepts", [b and not a for a, b in zip(ts_ok, bl_ok)]),
                            ("neither parses", [not a and not b for a, b in zip(ts_ok, bl_ok)]),
                            ("bashlex rejects, tree-sitter accepts", [a and not b for a, b in zip(ts_ok, bl_ok)])):
            picked = [items[i] for i, m in enumerate(mask) if m][: args.show]
            if picked:
                print(f"\n== {label}")
                for where, s in picked:
                    print(f"-- {where}\n{s[:400]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
