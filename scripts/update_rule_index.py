#!/usr/bin/env python3
"""Write fastlint/engine/rule_index.py from the rule classes (run it after adding or changing a rule's declared
attributes; tests/test_rule_index.py fails until then)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
INDEX = ROOT / "fastlint" / "engine" / "rule_index.py"


def main() -> int:
    INDEX.write_text("RULES = {}\n", encoding="utf-8")  # importing the registry must not need the old index
    from fastlint.engine.registry import index_source

    INDEX.write_text(index_source(), encoding="utf-8")
    print(f"wrote {INDEX.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
