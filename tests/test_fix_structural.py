"""The template migration as the fix loop's structural fix: applied like every other fix, its findings known."""

from __future__ import annotations

import shutil
from pathlib import Path

from cli_runner import CliRunner

from fastlint.cli import main as app
from fastlint.engine.config import builtin_policy
from fastlint.fixer.loop import STRUCTURAL, StructuralError, fix_text

ROOT = Path(__file__).resolve().parent.parent
LEGACY = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install\nCMD [\"node\", \"index.js\"]\n"
NEW = ("FROM node:20-alpine AS dependencies\nFROM dependencies AS builder\nFROM node:20-alpine AS runtime-tools\n"
       "FROM node:20-alpine AS production\n")


def test_the_structural_fix_is_applied_for_the_structure_findings_and_the_loop_goes_on():
    seen = []

    def rewrite(original):
        seen.append(original)
        return type("Rewrite", (), {"text": NEW, "warnings": []})()

    out = fix_text(LEGACY, "/nonexistent/svc/Dockerfile", builtin_policy(), structural=rewrite)
    assert seen == [LEGACY]  # the rewrite reads the original
    structural = [a for a in out.applied if a.safety == STRUCTURAL]
    assert structural and all(a.code.startswith("FL1") for a in structural)
    assert {a.description for a in structural} == {"rewrite from the template"}
    assert out.text.startswith("FROM node:20-alpine AS dependencies") and out.original == LEGACY
    assert out.rewrite is not None and out.rewrite_error is None


def test_a_rewrite_that_cannot_be_done_keeps_the_loops_result_and_says_why():
    def rewrite(original):
        raise StructuralError("no package.json in svc")

    out = fix_text(LEGACY, "/nonexistent/svc/Dockerfile", builtin_policy(), structural=rewrite)
    assert out.rewrite is None and out.rewrite_error == "no package.json in svc"
    assert not any(a.safety == STRUCTURAL for a in out.applied)
    assert any(f.code.startswith("FL1") for f in out.remaining)


def test_a_broken_rewrite_is_reported_not_raised():
    def rewrite(original):
        raise KeyError("port")

    out = fix_text(LEGACY, "/nonexistent/svc/Dockerfile", builtin_policy(), structural=rewrite)
    assert out.rewrite_failed == "the template rewrite failed (KeyError: 'port')"


def test_fix_diff_lists_the_rewrite_like_every_other_fix(tmp_path, monkeypatch):
    name = "fast-validation-service"
    shutil.copytree(ROOT / "fixtures" / "services" / name, tmp_path / name)
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(app, ["fix", "--diff", name])
    lines = r.stderr.splitlines()
    fixes = [line for line in lines if "(rewrite from the template)" in line]
    assert fixes and all(line.startswith(f"{name}/Dockerfile:") and ": would fix FL1" in line for line in fixes)
    summary = lines[-1]
    listed = sum(1 for line in lines if ": would fix " in line)
    assert summary.startswith(f"Would fix {listed} finding"), summary
    assert f"{name}/Dockerfile: would be rewritten from the template" in lines
