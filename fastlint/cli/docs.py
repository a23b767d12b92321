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
    from ..engine.index import rules

    rows = [
        {"code": code, "level": info.level, "message": info.message, "fixable": info.fix_safety is not None,
         "fix": info.fix_safety}
        for code, info in rules().items()
    ]
    if args.fmt == "json":
        print(json.dumps(rows, indent=2))
        return 0
    width = max(len(r["code"]) for r in rows)
    for r in rows:
        print(f"{r['code']:<{width}} {r['level']:<8} {r['fix'] or '':<6}  {r['message']}")
    safe = sum(1 for r in rows if r["fix"] == "safe")
    unsafe = sum(1 for r in rows if r["fix"] == "unsafe")
    print(f"\n{len(rows)} rules; {safe} with a safe fix (`fastlint fix`), {unsafe} with an unsafe fix "
          "(`fastlint fix --unsafe-fixes`).")
    return 0


def rule_main(argv: list[str]) -> int:
    """The page of a rule found by its ID in any case (``dl3006``, ``stagenamecasing``: the rule's own code);
    a code of a family (``SC2086``) gives the family's page after a link to the code's own docs."""
    args = parse(RULE, argv)
    import sys

    from ..catalogue import load
    from ..engine.ids import canonical
    from ..engine.index import owner, rules

    wanted = canonical(args.code)
    info = next((i for code, i in rules().items() if canonical(code) == wanted), None)
    code = info.code if info is not None else args.code.strip()
    doc = load(code)
    if info is None:
        family = owner(wanted)
        if family is None or not family.family:
            fail(f"unknown rule {wanted!r} (`fastlint rules` lists them)")
        code, info = wanted, family
        print(f"{code} is one of the codes of {family.code} ({family.message}); its own docs: "
              f"{family.docs_url.format(code=code)}\n")
        code, doc = family.code, load(family.code)
    if doc is None:
        print(f"# {code}: {info.message}\n\nLevel: {info.level} · Fix: {info.fix_safety or 'no fix'} "
              "(no docs in the catalogue yet)")
        return 0
    head = doc.docs_text()
    head = head.replace("\n", f"\n\nLevel: {info.level} · Fix: {info.fix_safety or 'no fix'}\n", 1)
    sys.stdout.write(head)
    return 0
