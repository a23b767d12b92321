"""``fastlint rules`` (the rule table) and ``fastlint rule ID`` (one rule's docs)."""

from __future__ import annotations

import json

from .spec import Command, Option, fail, parse

RULES = Command(
    "rules",
    "List every rule: code, default level, fix (safe: `fastlint fix` applies it; unsafe: only with "
    "--unsafe-fixes), message.",
    options=[Option(("--format",), "fmt", choices=("text", "json"), metavar="FORMAT", default="text",
                    help="text (default) or json")],
)

RULE = Command(
    "rule",
    "Print one rule's docs: what it checks, why, a failing and a passing example, fix safety.",
    positional=("code", "ID", "1", "a rule ID, e.g. DL3006 or FL301"),
)


def rules_main(argv: list[str]) -> int:
    args = parse(RULES, argv)
    from ..engine.registry import all_rules

    rows = [
        {"code": code, "level": cls.level, "message": cls.message, "fixable": cls.fix_safety is not None,
         "fix": cls.fix_safety}
        for code, cls in all_rules().items()
    ]
    if args.fmt == "json":
        print(json.dumps(rows, indent=2))
        return 0
    for r in rows:
        print(f"{r['code']:<7} {r['level']:<8} {r['fix'] or '':<6}  {r['message']}")
    safe = sum(1 for r in rows if r["fix"] == "safe")
    unsafe = sum(1 for r in rows if r["fix"] == "unsafe")
    print(f"\n{len(rows)} rules; {safe} with a safe fix (`fastlint fix`), {unsafe} with an unsafe fix "
          "(`fastlint fix --unsafe-fixes`).")
    return 0


def rule_main(argv: list[str]) -> int:
    args = parse(RULE, argv)
    import sys

    from ..catalogue import load
    from ..engine.registry import all_rules

    code = args.code.upper()
    rules = all_rules()
    doc = load(code)
    if doc is None and code.startswith("SC") and code[2:].isdigit():
        # ShellCheck's codes are one family here: its page, then ShellCheck's own page for that code
        from ..report.sarif_format import SHELLCHECK_URI

        print(f"{code} is reported by ShellCheck on RUN instructions: {SHELLCHECK_URI.format(code=code)}\n")
        code, doc = "SC", load("SC")
    if doc is None:
        if code in rules:
            cls = rules[code]
            print(f"# {code}: {cls.message}\n\n(level {cls.level}; no docs in the catalogue yet)")
            return 0
        fail(f"unknown rule {code!r} (`fastlint rules` lists them)")
    cls = rules.get(code)
    head = doc.docs_text()
    if cls is not None:
        fix = cls.fix_safety or "no fix"
        head = head.replace("\n", f"\n\nLevel: {cls.level} · Fix: {fix}\n", 1)
    sys.stdout.write(head)
    return 0
