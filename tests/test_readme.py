"""The README's rule table is generated from the registry: it must match `fastlint rules`."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT


def test_readme_rule_table_matches_fastlint_rules():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- rules:start -->", 1)[1].split("<!-- rules:end -->", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| [")]
    listed = subprocess.run([sys.executable, "-m", "fastlint", "rules", "--format", "json"], capture_output=True,
                            text=True, check=True)
    rules = json.loads(listed.stdout)
    assert [r.split("]", 1)[0][3:] for r in rows] == [r["code"] for r in rules], (
        "README.md's rule table differs from `fastlint rules`: run python scripts/update_readme.py")
    for row, rule in zip(rows, rules):
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[1] == rule["level"]
        assert cells[3].replace("\\|", "|") == rule["message"]
        assert bool(cells[2]) == rule["fixable"]


def test_readme_quick_start_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python3 -m pip install . && fastlint check fixtures/services" in readme
    assert "bash scripts/test.sh" in readme
    assert "scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
