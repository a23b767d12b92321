"""Regenerate schema/fastlint.schema.json, the JSON Schema of fastlint.yaml, from the configuration's own
declaration (fastlint/engine/config_spec.py: FASTLINT_YAML; fastlint/engine/config_schema.py adds the rule names).

    python scripts/update_schema.py          # rewrite the schema file
    python scripts/update_schema.py --check  # exit 1 when the file is out of date (tests/test_config_schema.py does
                                             # the same)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from fastlint.engine.config_schema import schema_text
    from fastlint.engine.config_spec import SCHEMA_PATH
    from fastlint.fsutil import atomic_write

    path = ROOT / SCHEMA_PATH
    new = schema_text()
    if "--check" in sys.argv:
        if not path.is_file() or path.read_text(encoding="utf-8") != new:
            print(f"{SCHEMA_PATH} is out of date: run python scripts/update_schema.py", file=sys.stderr)
            return 1
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, new)
    print(f"wrote {SCHEMA_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
