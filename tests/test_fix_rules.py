"""Every rule's fixes against its declaration and its catalogue cases.

* A rule that yields a Fix declares ``fix_safety``; the Fix's safety is the declared one; a rule that declares a
  safety shows a fix in at least one of its catalogue cases.
* Every catalogue case with a ``fixed`` block: ``fastlint fix --select CODE`` (``--unsafe-fixes`` when the rule's
  fix is unsafe) turns the case into exactly the ``fixed`` text, and ``fastlint check`` no longer reports the rule.
"""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from fastlint.catalogue import load_all
from fastlint.cli.app import app
from fastlint.cli.check import main as check_main
from fastlint.engine.config import policy_for, reset_caches
from fastlint.engine.registry import all_rules
from fastlint.engine.runner import Selection, lint_path

DOCS = load_all()
RULES = all_rules()
pytestmark = pytest.mark.usefixtures("no_engine")  # BuildKit's checks read base images from an engine: none here
FIXED_CASES = [(code, i, case) for code, doc in DOCS.items() for i, case in enumerate(doc.cases)
               if case.fixed is not None]


def rule_of(code: str):
    """The rule class that reports a code (ShellCheck's SCxxxx come from the SC rule)."""
    if code in RULES:
        return RULES[code]
    family = [c for c, cls in RULES.items() if cls.family and code.startswith(c)]
    return RULES[family[0]] if family else None


def write_case(root, case):
    """The case's files under ``root``; returns the Dockerfile's path."""
    dockerfile = root / case.path
    dockerfile.parent.mkdir(parents=True, exist_ok=True)
    dockerfile.write_bytes(case.dockerfile.encode("utf-8"))
    for name, content in case.files.items():
        target = dockerfile.parent / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    if case.config is not None:
        (root / "fastlint.yaml").write_text(case.config, encoding="utf-8")
    (root / ".git").mkdir(exist_ok=True)
    return dockerfile


def case_findings(tmp_path, case, select: list[str]):
    path = write_case(tmp_path, case)
    reset_caches()
    policy = policy_for(path)
    return lint_path(path, str(path), policy, Selection(select=select)).findings


@pytest.mark.parametrize("code", sorted(set(RULES) | set(DOCS)))
def test_fix_safety_matches_the_fixes(tmp_path, code):
    assert RULES.get(code) is None or RULES[code].fix_safety in (None, "safe", "unsafe")
    doc = DOCS.get(code)
    if doc is None:
        pytest.skip(f"{code} has no catalogue page yet (test_rule_cases reports it)")
    cls = rule_of(code)
    assert cls is not None
    fixes = []
    for n, case in enumerate(doc.cases):
        for f in case_findings(tmp_path / str(n), case, [code]):
            if f.fix is None:
                continue
            owner = rule_of(f.code)
            assert owner is not None and owner.fix_safety in ("safe", "unsafe"), \
                f"{f.code} yields a fix but declares no fix_safety"
            assert f.fix.safety == owner.fix_safety, \
                f"{f.code}: a fix graded {f.fix.safety!r}, the rule declares {owner.fix_safety!r}"
            if f.code == code or owner is cls:
                fixes.append(f)
    if cls.fix_safety is not None:
        assert fixes, f"{code} declares fix_safety={cls.fix_safety!r} but none of its cases shows a fix"


@pytest.mark.parametrize(("code", "index", "case"), FIXED_CASES,
                         ids=[f"{c}-{i}" for c, i, _ in FIXED_CASES])
def test_fixed_case(tmp_path, monkeypatch, capsys, code, index, case):
    path = write_case(tmp_path, case)
    monkeypatch.chdir(tmp_path)
    rel = os.path.relpath(path, tmp_path)
    args = ["fix", "--select", code, rel]
    if rule_of(code).fix_safety == "unsafe":
        args.insert(1, "--unsafe-fixes")
    reset_caches()
    r = CliRunner().invoke(app, args)
    assert r.exit_code in (0, 1), r.stdout + r.stderr
    assert path.read_text(encoding="utf-8") == case.fixed, r.stdout + r.stderr
    reset_caches()
    capsys.readouterr()
    check_main(["--format", "json", "--select", code, rel])
    out = capsys.readouterr().out
    left = [f for f in json.loads(out) if f["code"] == code] if out.strip() else []
    assert left == [], f"{code} still fires on the fixed text"
