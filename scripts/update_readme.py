"""Regenerate the rule table of README.md from the registry (between the rules:start/rules:end markers).

    python scripts/update_readme.py          # rewrite README.md
    python scripts/update_readme.py --check  # exit 1 when README.md is out of date (the test does the same)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def rule_table() -> str:
    sys.path.insert(0, str(ROOT))
    from fastlint.engine.registry import all_rules

    lines = ["| Rule | Level | Fix | Message |", "|---|---|---|---|"]
    for code, cls in all_rules().items():
        fix = cls.fix_safety or ""
        message = cls.message.replace("|", "\\|")
        lines.append(f"| [{code}](rules/{code}.md) | {cls.level} | {fix} | {message} |")
    return "\n".join(lines)


def render(readme: str) -> str:
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{rule_table()}\n{END}{tail}"


def main() -> int:
    path = ROOT / "README.md"
    text = path.read_text(encoding="utf-8")
    new = render(text)
    if "--check" in sys.argv:
        if new != text:
            print("README.md's rule table is out of date: run python scripts/update_readme.py", file=sys.stderr)
            return 1
        return 0
    path.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
