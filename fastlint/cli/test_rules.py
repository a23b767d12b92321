"""``fastlint test-rules PACKAGE_OR_PATH``: run a rule catalogue's cases as fastlint's own tests run the built-in
catalogue (``fastlint.testing``: one case runner for both). Exit codes: 0 every check passed; 1 a check failed
(each failure said with what was expected and what happened, a unified diff for a fixed block); 2 nothing to
test (no such package or folder, a configuration file that cannot be read)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from .spec import Command, Option, parse

TEST_RULES = Command(
    "test-rules",
    "Run a rule catalogue's cases (fail, pass, fixed) and docs checks as fastlint's own tests do.",
    options=[
        Option(("--config",), "config", metavar="FILE",
               help="a fastlint.yaml for the cases that bring none (data rules)"),
        Option(("--select",), "select", metavar="IDS", default="",
               help="only the pages of these rule IDs or prefixes"),
        Option(("--verbose", "-v"), "verbose", kind="flag", help="list every check that passed"),
    ],
    positional=("target", "PACKAGE_OR_PATH", "1",
                "an installed rule package (distribution name or prefix), a folder of catalogue pages or one "
                "page; 'fastlint' for the built-in catalogue"),
)


def main(argv: list[str]) -> int:
    args = parse(TEST_RULES, argv)
    return run(args.target, config=args.config, select=args.select, verbose=args.verbose)


def run(target: str, *, config: str | None = None, select: str = "", verbose: bool = False,
        out=None) -> int:
    """The whole command; returns the exit code."""
    from ..engine.ids import split_option
    from ..engine.registry import package_errors as errors
    from ..testing import SuiteError, run_suite, suite_for

    out = out or sys.stdout
    try:
        suite = suite_for(target, Path(config) if config else None)
    except SuiteError as err:
        print(f"fastlint: {err}", file=sys.stderr)
        return 2
    for e in errors():
        print(f"fastlint: {e}", file=sys.stderr)
    cases = sum(len(doc.cases) for doc in suite.pages.values())
    print(f"{suite.name}: {len(suite.pages)} page{'s' if len(suite.pages) != 1 else ''}, {cases} cases", file=out)
    with tempfile.TemporaryDirectory(prefix="fastlint-test-rules-") as tmp:
        results = run_suite(suite, Path(tmp), split_option(select) or None)
    failed = [r for r in results if r.problems]
    by_code: dict[str, list] = {}
    for r in results:
        by_code.setdefault(r.code, []).append(r)
    for code, rs in by_code.items():
        bad = [r for r in rs if r.problems]
        if not bad:
            print(f"{code:<8} ok      {len(rs) - 1} case{'s' if len(rs) != 2 else ''} and the docs", file=out)
            if verbose:
                for r in rs:
                    print(f"           ok {r.what}", file=out)
            continue
        for r in bad:
            print(f"{code:<8} FAILED  {r.what}", file=out)
            for problem in r.problems:
                print("\n".join("           " + line for line in problem.splitlines()), file=out)
    passed = len(results) - len(failed)
    summary = f"{passed} check{'s' if passed != 1 else ''} passed"
    if failed:
        summary += f", {len(failed)} failed"
    print(summary + ".", file=out)
    return 1 if failed or errors() else 0
