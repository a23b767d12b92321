"""A Markdown summary of a run for a CI job page (``$GITHUB_STEP_SUMMARY``) or a pull-request comment: findings
per rule and per file from ``fastlint check --format json``, and, when given, the before/after image table from
``fastlint verify --format json``.

    python -m fastlint.report.summary --findings findings.json [--verify verify.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict


def findings_markdown(findings: list[dict]) -> str:
    if not findings:
        return "### fastlint\n\nNo findings. :white_check_mark:\n"
    by_rule = Counter(f["code"] for f in findings)
    message = {f["code"]: f["message"] for f in findings}
    level = {f["code"]: f["level"] for f in findings}
    fixable = sum(1 for f in findings if f.get("fixable"))
    by_file: dict[str, Counter] = defaultdict(Counter)
    for f in findings:
        by_file[f["file"]][f["level"]] += 1
    lines = [
        "### fastlint",
        "",
        f"**{len(findings)} finding{'s' if len(findings) != 1 else ''}** in {len(by_file)} "
        f"file{'s' if len(by_file) != 1 else ''}; {fixable} fixable with `fastlint fix`.",
        "",
        "| Rule | Level | Count | Message |",
        "|---|---|---:|---|",
    ]
    for code, n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"| `{code}` | {level[code]} | {n} | {_cell(message[code])} |")
    lines += ["", "| File | Errors | Warnings | Info | Style |", "|---|---:|---:|---:|---:|"]
    for file, counts in sorted(by_file.items()):
        lines.append(f"| `{file}` | {counts['error']} | {counts['warning']} | {counts['info']} | {counts['style']} |")
    return "\n".join(lines) + "\n"


def verify_markdown(report: dict) -> str:
    services = report.get("services", [])
    if not services:
        return ""
    lines = [
        "### Images (fastlint verify)",
        "",
        "| Service | Size | Layers | Build | Rebuild | Healthy | UID | Size change | Passed |",
        "|---|---:|---:|---:|---:|---|---:|---:|---|",
    ]
    for s in services:
        change = s.get("change") or {}
        size_pct = change.get("size_pct")
        lines.append(
            f"| {s.get('service')} | {s.get('size_bytes', 0) / 1e6:.0f} MB | {s.get('layers')} | "
            f"{s.get('build_seconds', 0):.1f} s | {s.get('rebuild_seconds', 0):.1f} s | "
            f"{'yes' if s.get('healthy') else 'no'} | {s.get('uid')} | "
            f"{'' if size_pct is None else f'{size_pct:+.0f}%'} | {'yes' if s.get('passed') else 'no'} |"
        )
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m fastlint.report.summary", description=__doc__.split("\n\n")[0])
    p.add_argument("--findings", help="fastlint check --format json output")
    p.add_argument("--verify", help="fastlint verify --format json output")
    args = p.parse_args(argv)
    out = []
    try:
        if args.findings:
            with open(args.findings, encoding="utf-8") as f:
                out.append(findings_markdown(json.load(f)))
        if args.verify:
            with open(args.verify, encoding="utf-8") as f:
                out.append(verify_markdown(json.load(f)))
    except (OSError, ValueError) as err:
        print(f"fastlint summary: {err}", file=sys.stderr)
        return 2
    sys.stdout.write("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
