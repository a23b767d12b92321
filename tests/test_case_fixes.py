"""A catalogue case says whether its rule offers a fix: a failing case with a ``fixed`` block must be fixable (the
block may equal the case when the fix writes another file, FL404's .dockerignore); a failing case without one must offer no fix at all.
So a case titled "... no fix" (DL3019's later `apk upgrade`, DL3000's unknown base WORKDIR, ...) fails the suite
the day the rule starts offering a fix there, and a rule cannot gain a fix that no case shows.

Both directions go through the command line: ``fastlint check --format json`` (each finding's ``fixable``) and
``fastlint fix --unsafe-fixes --no-template`` (which must leave every file of a case without ``fixed`` byte for
byte as it was, the Dockerfile and the files beside it)."""

from __future__ import annotations

import json
import os

import pytest
from test_rule_cases import case_engine
from typer.testing import CliRunner

from fastlint.catalogue import load_all
from fastlint.cli.app import app
from fastlint.cli.check import main as check_main
from fastlint.engine.config import reset_caches

DOCS = load_all()
FAILING = [(code, i, case) for code, doc in DOCS.items() for i, case in enumerate(doc.cases) if case.kind == "fail"]
WITHOUT_FIX = [c for c in FAILING if c[2].fixed is None]
# BuildKit's checks read base images from a local engine: the case's fake one (its engine block), else none
pytestmark = pytest.mark.usefixtures("no_engine")
WITH_FIX = [c for c in FAILING if c[2].fixed is not None]


def _ids(cases):
    return [f"{code}-{i}" for code, i, _ in cases]


def write_case(root, case):
    dockerfile = root / case.path
    dockerfile.parent.mkdir(parents=True, exist_ok=True)
    dockerfile.write_bytes(case.dockerfile.encode("utf-8"))
    for name, content in case.files.items():
        target = dockerfile.parent / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8"))
    if case.config is not None:
        (root / "fastlint.yaml").write_bytes(case.config.encode("utf-8"))
    (root / ".git").mkdir(exist_ok=True)
    return dockerfile


def mine(code: str, findings: list[dict]) -> list[dict]:
    return [f for f in findings if f["code"] == code or (code == "SC" and f["code"].startswith("SC"))]


def check_json(capsys, code: str, path: str) -> list[dict]:
    reset_caches()
    capsys.readouterr()
    check_main(["--format", "json", "--select", code, path])
    out = capsys.readouterr().out
    return mine(code, json.loads(out)) if out.strip() else []


def snapshot(root) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("code", "index", "case"), WITHOUT_FIX, ids=_ids(WITHOUT_FIX))
def test_a_case_without_fixed_offers_no_fix(tmp_path, monkeypatch, capsys, code, index, case):
    path = write_case(tmp_path, case)
    with case_engine(tmp_path, case, monkeypatch):
        found = check_json(capsys, code, str(path))
        assert found, f"{code} should fire on {case.title!r}"
        assert not [f for f in found if f["fixable"]], \
            f"{code}: {case.title!r} has no fixed block but the rule offers a fix: {found}"
        before = snapshot(tmp_path)
        monkeypatch.chdir(tmp_path)
        reset_caches()
        r = CliRunner().invoke(app, ["fix", "--unsafe-fixes", "--no-template", "--select", code,
                                     os.path.relpath(path, tmp_path)])
    assert r.exit_code in (0, 1), r.stdout + r.stderr
    assert snapshot(tmp_path) == before, f"{code}: fix changed a file of {case.title!r}"


@pytest.mark.parametrize(("code", "index", "case"), WITH_FIX, ids=_ids(WITH_FIX))
def test_a_case_with_fixed_offers_a_fix(tmp_path, monkeypatch, capsys, code, index, case):
    path = write_case(tmp_path, case)
    with case_engine(tmp_path, case, monkeypatch):
        found = check_json(capsys, code, str(path))
    assert [f for f in found if f["fixable"]], f"{code}: {case.title!r} has a fixed block but no fixable finding"
