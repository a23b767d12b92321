"""``fastlint rules`` (the rule table) and ``fastlint rule ID`` (one rule's docs)."""

from __future__ import annotations

import json

from .spec import Command, Option, fail, parse

CONFIG = Option(("--config",), "config", metavar="FILE",
                help="the fastlint.yaml whose data rules (custom_rules) count (default: the nearest one)")

RULES = Command(
    "rules",
    "List every rule: code, default level, fix (safe: `fastlint fix` applies it; unsafe: only with "
    "--unsafe-fixes), message, and where it comes from (a rule package, a fastlint.yaml's custom_rules).",
    options=[Option(("--format",), "fmt", choices=("text", "json"), metavar="FORMAT", default="text",
                    help="text (default) or json"), CONFIG],
)

RULE = Command(
    "rule",
    "Print one rule's docs: what it checks, why, a failing and a passing example, fix safety.",
    options=[CONFIG],
    positional=("code", "ID", "1", "a rule ID or name, e.g. DL3006, FL301 or StageNameCasing (any case)"),
)


def _package_errors() -> None:
    """Rule packages whose prefixes clash: said on stderr (the table lists the other rules)."""
    import sys

    from ..engine.registry import package_errors

    for e in package_errors():
        print(f"fastlint: {e}", file=sys.stderr)


def rules_main(argv: list[str]) -> int:
    args = parse(RULES, argv)
    from ..api import ConfigError, rules

    try:
        rows = [r.to_dict() for r in rules(config=args.config)]
    except ConfigError as err:
        fail(str(err))
    _package_errors()
    if args.fmt == "json":
        print(json.dumps(rows, indent=2))
        return 0
    width = max(len(r["code"]) for r in rows)
    for r in rows:
        source = "" if r["source"] == "fastlint" else f"  [{r['source']}]"
        print(f"{r['code']:<{width}} {r['level']:<8} {r['fix'] or '':<6}  {r['message']}{source}")
    safe = sum(1 for r in rows if r["fix"] == "safe")
    unsafe = sum(1 for r in rows if r["fix"] == "unsafe")
    print(f"\n{len(rows)} rules; {safe} with a safe fix (`fastlint fix`), {unsafe} with an unsafe fix "
          "(`fastlint fix --unsafe-fixes`).")
    return 0


def rule_main(argv: list[str]) -> int:
    """The page of a rule found by its ID or name in any case (``dl3006``, ``stagenamecasing``); a code of a
    family (``SC2086``) gives the family's page after a link to the code's own docs (``api.rule_docs``)."""
    args = parse(RULE, argv)
    import sys

    from ..api import ConfigError, rule_docs
    from ..engine.ids import canonical

    try:
        text = rule_docs(args.code, config=args.config)
    except ConfigError as err:
        fail(str(err))
    if text is None:
        fail(f"unknown rule {canonical(args.code)!r} (`fastlint rules` lists them)")
    sys.stdout.write(text)
    return 0
