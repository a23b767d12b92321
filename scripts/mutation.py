"""Mutation testing for fastlint: does the suite notice when a line of the code is wrong?

cosmic-ray makes the mutants (one small change each: ``==`` to ``!=``, ``and`` to ``or``, a ``True`` to ``False``,
a ``continue`` to ``break`` ...) and runs, for each, the tests that cover the changed lines: this script gives it
that test command (``mutation.py _test``), from a coverage map of the fast suite with one context per test. A
mutant that no test fails has *survived*: a behaviour no test pins (or an equivalent mutant: list it, with the
reason, in ``tests/mutation_equivalents.txt``).

    python scripts/mutation.py run --base main     # the lines changed since main (the before-stop review)
    python scripts/mutation.py run --full          # fastlint/rules, parser, engine, fixer and report
    python scripts/mutation.py run --full --sample 60   # 60 mutants per package, drawn with the seed in the config
    python scripts/mutation.py rerun               # the survivors again, with the tests as they are now
    python scripts/mutation.py resume              # go on with a run that was stopped
    python scripts/mutation.py report              # the score and the survivors of the last run
    python scripts/mutation.py count --full        # how many mutants a run would make (nothing runs)

Everything happens in a scratch copy, ``.mutation/work`` (a clone of HEAD with the working tree's changes laid
over it): cosmic-ray writes each mutant into the file it mutates, and the checkout stays untouched while it runs.
Runs are niced. Needs cosmic-ray and coverage (``pip install -e '.[mutation]'``) and the shared folder
(``FASTLINT_SHARED``, as for the suite). Settings: ``scripts/cosmic-ray.toml``.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / ".mutation"
WORK = STATE / "work"
PRISTINE = STATE / "pristine"
SESSION = STATE / "session.sqlite"
CONFIG = STATE / "cosmic-ray.toml"
COVERAGE = STATE / "coverage.sqlite"
COVERAGE_KEY = STATE / "coverage.key"
DURATIONS = STATE / "durations.json"
SETTINGS = ROOT / "scripts" / "cosmic-ray.toml"
EQUIVALENTS = ROOT / "tests" / "mutation_equivalents.txt"
# files of the mutation tooling itself: no test reads them, so a change to them keeps the coverage map
OWN_FILES = {"scripts/mutation.py", "scripts/cosmic-ray.toml", "scripts/mutation_contexts.py"}


def settings() -> dict:
    return tomllib.loads(SETTINGS.read_text(encoding="utf-8"))


def env() -> dict:
    e = dict(os.environ, PYTHONPATH=str(WORK), PYTHONDONTWRITEBYTECODE="1")
    if "FASTLINT_SHARED" not in e and (ROOT.parent / "shared").is_dir():
        e["FASTLINT_SHARED"] = str(ROOT.parent / "shared")
    return e


def git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


# -- the scratch copy -------------------------------------------------------------------------------------------

def prepare() -> None:
    """``.mutation/work``: HEAD, plus the working tree's changed and new files (deleted ones removed)."""
    if WORK.exists():
        shutil.rmtree(WORK)
    STATE.mkdir(exist_ok=True)
    subprocess.run(["git", "clone", "-q", "--shared", "--no-checkout", str(ROOT), str(WORK)], check=True)
    git("checkout", "-q", "--detach", git("rev-parse", "HEAD").strip(), cwd=WORK)
    changed = git("ls-files", "-m", "-o", "--exclude-standard", "-z").split("\0")
    for name in filter(None, changed):
        src, dst = ROOT / name, WORK / name
        if src.is_file():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
        elif dst.exists():
            dst.unlink()


def tree_key() -> str:
    """A hash of every file the tests can see in the scratch copy: the coverage map is kept while it matches."""
    h = hashlib.sha256()
    for name in sorted(git("ls-files", "-c", "-o", "--exclude-standard", cwd=WORK).split("\n")):
        p = WORK / name
        if name and p.is_file() and name not in OWN_FILES:
            h.update(name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def coverage_map() -> None:
    """The fast suite once, under coverage, with one context per test (its node id): which tests run which line."""
    key = tree_key()
    if COVERAGE.exists() and COVERAGE_KEY.exists() and COVERAGE_KEY.read_text() == key:
        print("coverage map: up to date")
        return
    print("coverage map: running the fast suite under coverage (one context per test) ...", flush=True)
    COVERAGE.unlink(missing_ok=True)
    t = time.monotonic()
    # every process writes its own data file into a folder anyone may write to (a test may run fastlint as
    # another user: an unwritable data file would put coverage's error on that process's stderr)
    parts = Path(tempfile.mkdtemp(prefix="fastlint-mutation-coverage-"))
    parts.chmod(0o1777)
    # Processes the tests start (python -m fastlint, the action's script) are measured too: coverage starts in
    # them through COVERAGE_PROCESS_START, and the test that started one is their static context (the plugin
    # sets MUTATION_CONTEXT before each test); every process writes its own file, combined at the end.
    rc = STATE / "coveragerc"
    rc.write_text(f"[run]\nparallel = True\nsource = {WORK / 'fastlint'}\ndata_file = {parts / COVERAGE.name}\n"
                  "context = ${MUTATION_CONTEXT-}\n", encoding="utf-8")
    cmd = ["nice", "-n", "10", sys.executable, "-m", "coverage", "run", f"--rcfile={rc}",
           "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not docker", "-p", "mutation_contexts"]
    e = env()
    e["PYTHONPATH"] = f"{WORK}{os.pathsep}{WORK / 'scripts'}"
    e.pop("PYTHONDONTWRITEBYTECODE")  # compiled once here, so that each mutant's run compiles only its module
    e["MUTATION_DURATIONS"] = str(DURATIONS)
    e["COVERAGE_PROCESS_START"] = str(rc)
    e.pop("MUTATION_CONTEXT", None)
    proc = subprocess.run(cmd, cwd=WORK, env=e, capture_output=True, text=True)
    lines = proc.stdout.strip().splitlines() or ["(no output)"]
    tail = lines[-1]
    if proc.returncode != 0:
        shutil.rmtree(parts, ignore_errors=True)
        failed = "\n".join(line for line in lines if line.startswith(("FAILED", "ERROR")))
        sys.exit(f"mutation: the suite does not pass in the scratch copy, so no mutant can be judged:\n{failed}\n{tail}")
    subprocess.run([sys.executable, "-m", "coverage", "combine", f"--rcfile={rc}", f"--data-file={COVERAGE}", "-q",
                    str(parts)], cwd=STATE, check=True)
    shutil.rmtree(parts, ignore_errors=True)
    COVERAGE_KEY.write_text(key)
    print(f"coverage map: {tail} ({time.monotonic() - t:.0f} s)")


# -- choosing mutants -------------------------------------------------------------------------------------------

def python_files(paths: list[str]) -> list[str]:
    out: list[str] = []
    for p in paths:
        path = WORK / p
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        out += [str(f.relative_to(WORK)) for f in files if f.is_file()]
    return out


def changed_lines(base: str) -> dict[str, set[int]]:
    """Lines of fastlint/*.py added or changed since ``base`` (since where the branch left it: what the branch
    changed, not what ``base`` did meanwhile; the working tree included), by file."""
    fork = git("merge-base", base, "HEAD").strip()
    diff = git("diff", "-U0", "--no-color", fork, "--", "fastlint/")
    out: dict[str, set[int]] = {}
    current = None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            name = line[4:].removeprefix("b/")
            current = name if name.endswith(".py") and name != "/dev/null" else None
        elif line.startswith("@@") and current:
            m = re.match(r"@@ -\S+ \+(\d+)(?:,(\d+))? @@", line)
            start, count = int(m.group(1)), int(m.group(2) or 1)
            out.setdefault(current, set()).update(range(start, start + count))
    return {k: v for k, v in out.items() if v}


def annotation_spans(path: Path) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Where a module's type annotations are, when it has ``from __future__ import annotations``: they are never
    evaluated there, so a mutant inside one (``str | None`` to ``str // None``) is equivalent by construction."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    future = any(isinstance(n, ast.ImportFrom) and n.module == "__future__" and
                 any(a.name == "annotations" for a in n.names) for n in tree.body)
    if not future:
        return []
    spans = []
    for node in ast.walk(tree):
        notes = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            a = node.args
            notes = [x.annotation for x in [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg] if x]
            notes.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            notes = [node.annotation]
        spans += [((n.lineno, n.col_offset), (n.end_lineno, n.end_col_offset)) for n in notes if n is not None]
    return spans


def package_of(path: str, packages: list[str]) -> str:
    return next((p for p in packages if path == p or path.startswith(p.rstrip("/") + "/")), path)


def init_session(targets: list[str], lines: dict[str, set[int]] | None, sample: int | None) -> None:
    """A cosmic-ray session over ``targets``; mutants outside ``lines`` (when given), left out of the sample or
    made by an excluded operator are marked skipped."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    cfg = settings()
    mine = cfg["mutation"]
    text = SETTINGS.read_text(encoding="utf-8").split("\n[mutation]")[0]
    text = text.replace("module-path = []", f"module-path = {targets!r}".replace("'", '"'))
    test_cmd = f"{sys.executable} {Path(__file__).resolve()} _test"
    text = text.replace('test-command = ""', f'test-command = "{test_cmd}"')
    CONFIG.write_text(text, encoding="utf-8")
    PRISTINE.exists() and shutil.rmtree(PRISTINE)
    for t in targets:
        (PRISTINE / t).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(WORK / t, PRISTINE / t)
    SESSION.unlink(missing_ok=True)
    subprocess.run([sys.executable, "-m", "cosmic_ray.cli", "init", str(CONFIG), str(SESSION)], cwd=WORK,
                   check=True)
    excluded = [re.compile(x) for x in mine.get("exclude-operators", [])]
    annotations = {t: annotation_spans(WORK / t) for t in targets}
    skip: list[str] = []
    keep: dict[str, list] = {}
    with use_db(str(SESSION), WorkDB.Mode.open) as db:
        for item in db.work_items:
            m = item.mutations[0]
            path = str(m.module_path)
            rows = range(m.start_pos[0], m.end_pos[0] + 1)
            at = tuple(m.start_pos)
            if any(x.search(m.operator_name) for x in excluded):
                skip.append(item.job_id)
            elif any(a <= at < b for a, b in annotations.get(path, [])):
                skip.append(item.job_id)  # in a type annotation: never evaluated
            elif lines is not None and not lines.get(path, set()).intersection(rows):
                skip.append(item.job_id)
            else:
                keep.setdefault(package_of(path, mine["packages"]), []).append(item)
        if sample:
            rng = random.Random(mine["seed"])
            for package, items in sorted(keep.items()):
                items.sort(key=lambda i: (str(i.mutations[0].module_path), i.mutations[0].operator_name,
                                          i.mutations[0].occurrence))
                chosen = {i.job_id for i in rng.sample(items, min(sample, len(items)))}
                skip += [i.job_id for i in items if i.job_id not in chosen]
        if skip:
            db.set_multiple_results(skip, WorkResult(worker_outcome=WorkerOutcome.SKIPPED,
                                                     output="not chosen for this run"))
        total = db.num_work_items
    print(f"mutants: {total} made, {total - len(skip)} to run")


def execute() -> float:
    t = time.monotonic()
    subprocess.run(["nice", "-n", "10", sys.executable, "-m", "cosmic_ray.cli", "exec", str(CONFIG), str(SESSION)],
                   cwd=WORK, env=env(), check=True)
    return time.monotonic() - t


# -- one mutant's tests (cosmic-ray's test command) -------------------------------------------------------------

def mutated() -> tuple[str, list[int]] | None:
    """The file cosmic-ray has mutated and the lines of the original that changed."""
    for p in PRISTINE.rglob("*.py"):
        rel = str(p.relative_to(PRISTINE))
        before, now = p.read_bytes(), (WORK / rel).read_bytes()
        if before != now:
            a = before.decode().splitlines()
            b = now.decode().splitlines()
            rows: list[int] = []
            for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
                if tag != "equal":
                    rows += list(range(i1 + 1, max(i2, i1 + 1) + 1))
            return rel, rows
    return None


def tests_for(rel: str, rows: list[int]) -> list[str]:
    """The tests that run the changed lines (node ids, in a stable order). A line run only at import (a class
    attribute, a default value) is tied to no test: then every test that runs anything in the module."""
    from coverage import CoverageData

    data = CoverageData(basename=str(COVERAGE))
    data.read()
    by_line = data.contexts_by_lineno(str(WORK / rel))
    hit = [r for r in rows if r in by_line]
    if not hit:  # a continuation line: the statement's first line is the one coverage records
        first = min(rows)
        hit = [next((r for r in range(first, max(first - 15, 0), -1) if r in by_line), first)]
    tests = {c for r in hit for c in by_line.get(r, []) if c}
    if tests or not any(r in by_line for r in hit):
        took = json.loads(DURATIONS.read_text()) if DURATIONS.exists() else {}
        return sorted(tests, key=lambda t: (took.get(t, 60.0), t))  # the fastest first: -x stops at the first fail
    every = {c for cs in by_line.values() for c in cs if c}
    took = json.loads(DURATIONS.read_text()) if DURATIONS.exists() else {}
    return sorted(every, key=lambda t: (took.get(t, 60.0), t))


def spread(tests: list[str], cap: int) -> list[str]:
    """At most ``cap`` of ``tests`` (fastest first), taken in turns from each group: a test function, or one rule's
    cases of it (``test_case[DL4003-...]``), so that code every rule runs is tried against every rule's cases
    rather than against the first 400 cases of one rule."""
    if len(tests) <= cap:
        return tests
    groups: dict[str, list[str]] = {}
    for t in tests:
        base, _, param = t.partition("[")
        groups.setdefault(base + "[" + param.split("-")[0] if param else base, []).append(t)
    out: list[str] = []
    for turn in range(max(len(g) for g in groups.values())):
        for g in groups.values():
            if turn < len(g):
                out.append(g[turn])
                if len(out) == cap:
                    return out
    return out


def run_tests() -> int:
    found = mutated()
    if found is None:
        print("mutation: no mutated file found (the test command runs only under cosmic-ray)")
        return 2
    rel, rows = found
    tests = tests_for(rel, rows)
    if not tests:
        print(f"no test runs {rel}:{rows[0]}")
        return 0
    cfg = settings()["mutation"]
    tests = spread(tests, cfg["max-tests"])  # a survivor in code every test runs costs no whole suite run
    args_file = STATE / "tests.args"
    args_file.write_text("\n".join(tests) + "\n", encoding="utf-8")
    took = json.loads(DURATIONS.read_text()) if DURATIONS.exists() else {}
    limit = 60 + 3 * sum(took.get(t, 10.0) for t in tests)  # past this the mutant loops: killed
    try:
        proc = subprocess.run([sys.executable, "-m", "pytest", *cfg["pytest-args"], f"@{args_file}"],
                              cwd=WORK, env=env(), capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        print(f"{len(tests)} tests for {rel}:{rows}: no end after {limit:.0f} s")
        return 1
    print(f"{len(tests)} tests for {rel}:{rows}\n{proc.stdout[-3000:]}{proc.stderr[-2000:]}")
    return 0 if proc.returncode in (0, 5) else 1


# -- pytest plugin for the coverage map (loaded as -p mutation_contexts) ----------------------------------------

def contexts_plugin_source() -> str:
    return '''"""Written by scripts/mutation.py: one coverage context per test, and each test's duration."""
import json
import os
import time

import coverage
import pytest

DURATIONS = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    cov = coverage.Coverage.current()
    if cov is not None:
        cov.switch_context(item.nodeid)
    os.environ["MUTATION_CONTEXT"] = item.nodeid  # the processes this test starts
    t = time.monotonic()
    yield
    DURATIONS[item.nodeid] = round(time.monotonic() - t, 3)
    os.environ.pop("MUTATION_CONTEXT", None)
    if cov is not None:
        cov.switch_context("")


def pytest_sessionfinish(session):
    if os.environ.get("MUTATION_DURATIONS"):
        with open(os.environ["MUTATION_DURATIONS"], "w") as f:
            json.dump(DURATIONS, f)
'''


# -- report -----------------------------------------------------------------------------------------------------

def equivalents() -> list[tuple[str, str, str, str]]:
    """(file, original line, mutated line, reason) from tests/mutation_equivalents.txt (tab-separated)."""
    out = []
    if EQUIVALENTS.exists():
        for line in EQUIVALENTS.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                parts = line.split("\t")
                if len(parts) == 4:
                    out.append(tuple(p.strip() for p in parts))
    return out


def diff_lines(diff: str | None) -> tuple[str, str]:
    minus = " / ".join(x[1:].strip() for x in (diff or "").splitlines() if x.startswith("-") and not x.startswith("---"))
    plus = " / ".join(x[1:].strip() for x in (diff or "").splitlines() if x.startswith("+") and not x.startswith("+++"))
    return minus, plus


def report(seconds: float | None = None) -> int:
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome

    packages = settings()["mutation"]["packages"]
    equiv = equivalents()
    counts: dict[str, Counter] = {}
    survivors = []
    with use_db(str(SESSION), WorkDB.Mode.open) as db:
        results = dict(db.results)
        for item in db.work_items:
            m = item.mutations[0]
            path = str(m.module_path)
            c = counts.setdefault(package_of(path, packages), Counter())
            r = results.get(item.job_id)
            if r is None:
                c["pending"] += 1
            elif r.worker_outcome == WorkerOutcome.SKIPPED:
                c["skipped"] += 1
            elif r.test_outcome == TestOutcome.SURVIVED:
                minus, plus = diff_lines(r.diff)
                if any(e[0] == path and e[1] == minus and e[2] == plus for e in equiv):
                    c["equivalent"] += 1
                else:
                    c["survived"] += 1
                    survivors.append((path, m.start_pos[0], m.operator_name, minus, plus))
            else:
                c["killed"] += 1
    total = Counter()
    print(f"{'package':<24}{'killed':>8}{'survived':>10}{'equivalent':>12}{'score':>8}")
    for package, c in sorted(counts.items()):
        total.update(c)
        judged = c["killed"] + c["survived"]
        if judged or c["equivalent"]:
            score = f"{100 * c['killed'] / judged:.1f}%" if judged else "-"
            print(f"{package:<24}{c['killed']:>8}{c['survived']:>10}{c['equivalent']:>12}{score:>8}")
    judged = total["killed"] + total["survived"]
    score = 100 * total["killed"] / judged if judged else 100.0
    print(f"{'total':<24}{total['killed']:>8}{total['survived']:>10}{total['equivalent']:>12}{score:>7.1f}%")
    print(f"killed {total['killed']}/{judged} ({score:.1f}%), {total['equivalent']} equivalent left out, "
          f"{total['skipped']} not chosen, {total['pending']} not run"
          + (f"; {seconds / 60:.1f} min" if seconds is not None else ""))
    for path, line, op, minus, plus in sorted(survivors):
        print(f"survived: {path}:{line} {op}: {minus!r} -> {plus!r}")
    return 0


# -- commands ---------------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    for name in ("run", "count"):
        p = sub.add_parser(name)
        what = p.add_mutually_exclusive_group(required=True)
        what.add_argument("--base", metavar="REF", help="mutate only the lines of fastlint/ changed since REF")
        what.add_argument("--full", action="store_true", help="mutate the packages of the config")
        what.add_argument("--paths", nargs="+", metavar="PATH", help="mutate these files or folders")
        p.add_argument("--sample", type=int, metavar="N", help="N mutants per package, drawn with the config's seed")
    sub.add_parser("rerun", help="run the survivors of the last run again with the current tests")
    sub.add_parser("resume", help="go on with the mutants of the last run that have not run yet")
    sub.add_parser("report", help="the score and the survivors of the last run")
    sub.add_parser("_test", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.command == "_test":
        return run_tests()
    if args.command == "report":
        return report()
    if args.command == "rerun":
        return rerun()
    if args.command == "resume":
        return report(execute())
    prepare()
    (WORK / "scripts" / "mutation_contexts.py").write_text(contexts_plugin_source(), encoding="utf-8")
    lines = changed_lines(args.base) if args.base else None
    if args.base:
        targets = sorted(f for f in lines if (WORK / f).is_file())
        if not targets:
            print(f"mutation: no Python line of fastlint/ changed since {args.base}")
            return 0
    else:
        targets = python_files(settings()["mutation"]["packages"] if args.full else args.paths)
    if args.command == "count":
        init_session(targets, lines, args.sample)
        return 0
    coverage_map()
    init_session(targets, lines, args.sample)
    return report(execute())


def rerun() -> int:
    """The last run's survivors again: the tests are laid over the scratch copy anew (the code must be as it was,
    else the mutants' positions are stale: start a new run)."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome

    for p in PRISTINE.rglob("*.py"):
        rel = p.relative_to(PRISTINE)
        if p.read_bytes() != (ROOT / rel).read_bytes():
            sys.exit(f"mutation: {rel} changed since the run: start a new run")
    for name in filter(None, git("ls-files", "-c", "-o", "--exclude-standard", "-z", "tests", "rules").split("\0")):
        if (ROOT / name).is_file():
            (WORK / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, WORK / name)
    coverage_map()
    with use_db(str(SESSION), WorkDB.Mode.open) as db:
        again = [job for job, r in db.results if r.test_outcome == TestOutcome.SURVIVED]
    forget(again)
    print(f"rerun: {len(again)} survivors")
    return report(execute())


def forget(job_ids: list[str]) -> None:
    """Drop these jobs' results, so that ``cosmic-ray exec`` runs them again."""
    import sqlite3

    con = sqlite3.connect(str(SESSION))
    con.executemany("DELETE FROM work_results WHERE job_id = ?", [(j,) for j in job_ids])
    con.commit()
    con.close()


if __name__ == "__main__":
    sys.exit(main())
