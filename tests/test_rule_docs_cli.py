"""``fastlint rule ID`` prints the docs the README links to: the rule table's ``[ID](rules/ID.md)`` pages, without
their test cases, with one line added under the title (the rule's level and fix safety, as ``fastlint rules``
gives them). SARIF's ``helpUri`` points to the same page (tests/test_action.py)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from cli_runner import CliRunner

from conftest import ROOT

LINK = re.compile(r"^\| \[([A-Z]+\d+)\]\((rules/[A-Z]+\d+\.md)\) \|", re.MULTILINE)


def _readme_links() -> list[tuple[str, str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return LINK.findall(readme)


def _rules() -> dict[str, dict]:
    out = subprocess.run([sys.executable, "-m", "fastlint", "rules", "--format", "json"], capture_output=True,
                         text=True, check=True, timeout=60)
    return {r["code"]: r for r in json.loads(out.stdout)}


def _rule(runner: CliRunner, code: str):
    from fastlint.cli import main as app

    return runner.invoke(app, ["rule", code])


def test_every_rule_the_readme_links_to_prints_its_page():
    links = _readme_links()
    rules = _rules()
    assert len(links) > 80  # the whole table (that it matches `fastlint rules` is tests/test_readme.py's job)
    runner = CliRunner()
    for code, path in links:
        assert path == f"rules/{code}.md"
        page = (ROOT / path).read_text(encoding="utf-8")
        docs = page.split("\n## Cases", 1)[0].rstrip() + "\n"
        title = docs.split("\n", 1)[0]
        assert title.startswith(f"# {code}: "), path
        result = _rule(runner, code)
        assert result.exit_code == 0, (code, result.output)
        lines = result.output.split("\n")
        assert lines[0] == title and lines[1] == "", (code, result.output[:200])
        level_line = lines[2]
        assert code in rules, f"the README links to {code}, which `fastlint rules` does not list"
        rule = rules[code]
        assert re.fullmatch(rf"Level: {rule['level']} · Fix: (safe|unsafe|no fix)", level_line), (code, level_line)
        assert level_line.endswith("no fix") == (not rule["fixable"]), code
        # the rest is the page, word for word, up to its cases
        rest = "\n".join(lines[3:])
        assert "\n".join([title, *lines[3:]]) == docs, f"`fastlint rule {code}` differs from {path}"
        for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
            assert section in rest, f"{path} has no {section!r}"


def test_the_real_command_line_prints_the_same_and_accepts_lower_case():
    runner = CliRunner()
    for code in ("FL301", "DL3006"):
        expected = _rule(runner, code).output
        for given in (code, code.lower()):
            out = subprocess.run([sys.executable, "-m", "fastlint", "rule", given], capture_output=True, text=True,
                                 timeout=60)
            assert out.returncode == 0, out.stderr
            assert out.stdout == expected


@pytest.mark.parametrize("given", ["FL999", "nonsense"])
def test_an_unknown_rule_is_a_one_line_error(given):
    out = subprocess.run([sys.executable, "-m", "fastlint", "rule", given], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr.strip().splitlines() == [f"fastlint: unknown rule {given.upper()!r} (`fastlint rules` lists them)"]


def test_a_named_rule_is_found_in_any_case_with_its_level_and_fix():
    """BuildKit's checks are named, not numbered (``StageNameCasing``): ``fastlint rule`` finds them in any case."""
    for given in ("stagenamecasing", "StageNameCasing", "STAGENAMECASING"):
        result = _rule(CliRunner(), given)
        assert result.exit_code == 0, result.output
        assert result.output.split("\n")[:3] == ["# StageNameCasing: Stage names should be lowercase", "",
                                                 "Level: warning · Fix: safe"]


def test_the_rule_table_aligns_long_codes():
    """The longest name (FromPlatformFlagConstDisallowed) sets the column of every row's level."""
    from fastlint.cli import main as app
    from fastlint.engine.index import rules

    out = CliRunner().invoke(app, ["rules"]).stdout.splitlines()
    rows = [line for line in out if line.split(" ", 1)[0] in rules()]
    assert len(rows) == len(rules())
    width = max(len(code) for code in rules())
    assert {line.index(line.split()[1], len(line.split()[0])) for line in rows} == {width + 1}, out[:3]
    assert any(line.split()[:3] == ["StageNameCasing", "warning", "safe"] for line in rows)


def test_a_family_code_links_to_its_own_docs():
    result = _rule(CliRunner(), "sc2086")
    first = result.output.split("\n", 1)[0]
    assert result.exit_code == 0 and first.startswith("SC2086 is one of the codes of SC")
    assert first.endswith("https://www.shellcheck.net/wiki/SC2086")
