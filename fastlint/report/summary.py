"""A Markdown summary of a run for a CI job page (``$GITHUB_STEP_SUMMARY``) or a pull-request comment: findings
per rule and per file from ``fastlint check --format json``, and, when given, the before/after image table from
``fastlint verify --format json`` (the same table as ``fastlint verify --report``).

    python -m fastlint.report.summary --findings findings.json [--fail-on LEVEL] [--verify verify.json]

The GitHub Action (action.yml) appends its output to ``$GITHUB_STEP_SUMMARY``. Bad input (a missing file, text
that is not a report) is one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict

from ..engine.rule import LEVEL_RANK as RANK, LEVELS


class SummaryError(Exception):
    """Input that is not what the summary reads."""


def rule_link(code: str) -> str:
    """The rule's docs, as SARIF's ``helpUri`` gives them (the rule's ``docs_url``)."""
    from ..engine.index import docs_url

    return f"[`{code}`]({docs_url(code)})"


def findings_markdown(findings: list[dict], fail_on: str | None = None) -> str:
    """Counts per rule (most frequent first) and per file (by level); with ``fail_on``, how many findings fail."""
    if not isinstance(findings, list) or not all(isinstance(f, dict) for f in findings):
        raise SummaryError("not a `fastlint check --format json` report (expected a JSON array of findings)")
    try:
        return _findings_markdown(findings, fail_on)
    except KeyError as err:
        raise SummaryError(f"a finding has no {err.args[0]!r} key: not a `fastlint check --format json` report") \
            from None


def _findings_markdown(findings: list[dict], fail_on: str | None) -> str:
    if not findings:
        return "### fastlint\n\nNo findings. :white_check_mark:\n"
    by_rule = Counter(f["code"] for f in findings)
    message = {f["code"]: f["message"] for f in findings}
    levels: dict[str, set] = defaultdict(set)
    for f in findings:
        levels[f["code"]].add(f["level"])
    fixable = sum(1 for f in findings if f.get("fixable"))
    by_file: dict[str, Counter] = defaultdict(Counter)
    for f in findings:
        by_file[f["file"]][f["level"]] += 1
    n, files = len(findings), len(by_file)
    lines = [
        "### fastlint",
        "",
        f"**{n} finding{'s' if n != 1 else ''}** in {files} file{'s' if files != 1 else ''}; "
        f"{fixable} fixable with `fastlint fix`.",
    ]
    if fail_on and fail_on != "none":
        failing = sum(1 for f in findings if RANK.get(f["level"], 0) >= RANK.get(fail_on, 99))
        lines.append(f"{failing} at `{fail_on}` or above (`--fail-on {fail_on}`): the check "
                     f"{'fails' if failing else 'passes'}.")
    lines += ["", "| Rule | Level | Count | Message |", "|---|---|---:|---|"]
    for code, count in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
        level = ", ".join(sorted(levels[code], key=lambda lv: -RANK.get(lv, 0)))
        lines.append(f"| {rule_link(code)} | {level} | {count} | {_cell(message[code])} |")
    lines += ["", "| File | Errors | Warnings | Info | Style |", "|---|---:|---:|---:|---:|"]
    for file, counts in sorted(by_file.items()):
        lines.append(f"| `{_cell(file)}` | " + " | ".join(str(counts[lv]) for lv in LEVELS) + " |")
    return "\n".join(lines) + "\n"


def verify_markdown(report: dict) -> str:
    """The image table of ``fastlint verify`` (new image, baseline, change) and the failures."""
    from ..verifier.report import to_markdown

    if not isinstance(report, dict) or not isinstance(report.get("services"), list):
        raise SummaryError("not a `fastlint verify --format json` report (expected {\"services\": [...]})")
    if not report["services"]:
        return ""
    try:
        return to_markdown(report)
    except (KeyError, TypeError, AttributeError) as err:
        raise SummaryError(f"not a `fastlint verify --format json` report ({type(err).__name__}: {err})") from None


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _read(path: str, markdown) -> str:
    """``markdown`` of the JSON in the file; every error as a SummaryError naming the file."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as err:
        raise SummaryError(f"{path}: cannot read: {err.strerror or err}") from None
    except ValueError as err:
        raise SummaryError(f"{path}: not JSON: {err}") from None
    try:
        return markdown(data)
    except SummaryError as err:
        raise SummaryError(f"{path}: {err}") from None


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m fastlint.report.summary", description=__doc__.split("\n\n")[0])
    p.add_argument("--findings", metavar="FILE", help="fastlint check --format json output")
    p.add_argument("--fail-on", choices=(*LEVELS, "none"), help="the check's --fail-on, to say what fails")
    p.add_argument("--verify", metavar="FILE", help="fastlint verify --format json output")
    args = p.parse_args(argv)
    out = []
    try:
        if args.findings:
            out.append(_read(args.findings, lambda data: findings_markdown(data, args.fail_on)))
        if args.verify:
            out.append(_read(args.verify, verify_markdown))
    except SummaryError as err:
        print(f"fastlint summary: {err}", file=sys.stderr)
        return 2
    sys.stdout.write("\n".join(o for o in out if o))
    return 0


if __name__ == "__main__":
    sys.exit(main())
