"""Baselines as a team adopting fastlint uses them: record today's findings, then fail only on new ones, even
after lines moved above the old ones."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT
from fastlint.cli.check import main

OLD = """FROM node
MAINTAINER someone
RUN echo hi
"""
SELECT = ["--select", "DL3006,DL4000,DL3007"]


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "Dockerfile").write_text(OLD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(capsys, *args):
    rc = main([*SELECT, *args])
    out, err = capsys.readouterr()
    return rc, out, err


def codes(out: str) -> list[tuple[str, int]]:
    return sorted((f["code"], f["line"]) for f in json.loads(out))


def test_write_then_check_with_the_baseline_exits_0(project, capsys):
    rc, out, err = check(capsys, "--write-baseline", "baseline.json", ".")
    assert rc == 1  # writing a baseline still reports what it recorded
    data = json.loads((project / "baseline.json").read_text())
    assert sorted((e["file"], e["code"]) for e in data["findings"]) == [("svc/Dockerfile", "DL3006"),
                                                                         ("svc/Dockerfile", "DL4000")]
    rc, out, err = check(capsys, "--baseline", "baseline.json", ".")
    assert rc == 0, out + err
    assert "2 known findings in the baseline" in out


def test_old_findings_pass_and_a_new_one_fails_after_lines_moved(project, capsys):
    check(capsys, "--write-baseline", "baseline.json", ".")
    moved = "# syntax=docker/dockerfile:1\n# a new comment\n\nFROM node:latest AS base\n" + OLD
    (project / "svc" / "Dockerfile").write_text(moved)
    rc, out, err = check(capsys, "--baseline", "baseline.json", "--format", "json", ".")
    assert rc == 1
    assert codes(out) == [("DL3007", 4)]  # only the new FROM; DL3006 (now line 5), DL4000 (line 6) are known


def test_identical_findings_are_counted(project, capsys):
    (project / "svc" / "Dockerfile").write_text("FROM node AS a\nRUN x\nFROM node AS b\nRUN y\n")
    check(capsys, "--write-baseline", "baseline.json", ".")
    rc, _, _ = check(capsys, "--baseline", "baseline.json", ".")
    assert rc == 0
    # a third identical FROM line: the same key, one occurrence more than recorded
    (project / "svc" / "Dockerfile").write_text("FROM node AS a\nRUN x\nFROM node AS b\nRUN y\nFROM node AS c\n")
    rc, out, _ = check(capsys, "--baseline", "baseline.json", "--format", "json", ".")
    assert rc == 1
    assert [c for c, _ in codes(out)] == ["DL3006"]


def test_an_edited_line_is_a_new_finding(project, capsys):
    check(capsys, "--write-baseline", "baseline.json", ".")
    (project / "svc" / "Dockerfile").write_text(OLD.replace("MAINTAINER someone", "MAINTAINER someone else"))
    rc, out, _ = check(capsys, "--baseline", "baseline.json", "--format", "json", ".")
    assert rc == 1 and codes(out) == [("DL4000", 2)]


def test_baseline_works_from_another_folder(project, capsys, monkeypatch):
    check(capsys, "--write-baseline", "baseline.json", ".")
    monkeypatch.chdir(project / "svc")
    rc, out, err = check(capsys, "--baseline", "../baseline.json", ".")
    assert rc == 0, out + err


def test_baseline_file_is_sorted_and_stable(project, capsys):
    (project / "a").mkdir()
    (project / "a" / "Dockerfile").write_text(OLD)
    check(capsys, "--write-baseline", "baseline.json", ".")
    first = (project / "baseline.json").read_text()
    entries = json.loads(first)["findings"]
    keys = [(e["file"], e["code"], e["text"], e["occurrence"]) for e in entries]
    assert keys == sorted(keys)
    assert [e["file"] for e in entries] == ["a/Dockerfile"] * 2 + ["svc/Dockerfile"] * 2
    assert all("line" not in e for e in entries)  # nothing that changes when lines move
    (project / "svc" / "Dockerfile").write_text("\n\n" + OLD)
    check(capsys, "--write-baseline", "baseline.json", ".")
    assert (project / "baseline.json").read_text() == first
    assert first.count("\n") == len(entries) + 5  # one entry per line: small diffs in git


def test_bad_baseline_is_a_one_line_error(project, capsys):
    (project / "bad.json").write_text("{not json")
    rc, out, err = check(capsys, "--baseline", "bad.json", ".")
    assert rc == 2
    assert err.strip().count("\n") == 0 and err.startswith("fastlint: bad.json:1:2: not a baseline file")
    (project / "other.json").write_text('[{"code": "DL3006"}]')
    rc, out, err = check(capsys, "--baseline", "other.json", ".")
    assert rc == 2 and "not a fastlint baseline" in err
    rc, out, err = check(capsys, "--baseline", "missing.json", ".")
    assert rc == 2 and err.startswith("fastlint: missing.json: cannot read the baseline")
    (project / "entry.json").write_text('{"fastlint_baseline": 1, "findings": [{"file": "x"}]}')
    rc, out, err = check(capsys, "--baseline", "entry.json", ".")
    assert rc == 2 and "entry 1 needs file, code, text and occurrence" in err


def test_unwritable_baseline_is_a_one_line_error(project, capsys):
    rc, out, err = check(capsys, "--write-baseline", "no/such/folder/baseline.json", ".")
    assert rc == 2
    assert err.startswith("fastlint: no/such/folder/baseline.json: cannot write the baseline")
    assert "Traceback" not in err


def test_baseline_through_the_command_line(project):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "fastlint", "check", *SELECT]
    first = subprocess.run([*cmd, "--write-baseline", "b.json", "."], capture_output=True, text=True, env=env)
    assert first.returncode == 1, first.stderr
    again = subprocess.run([*cmd, "--baseline", "b.json", "."], capture_output=True, text=True, env=env)
    assert again.returncode == 0, again.stdout + again.stderr
    (project / "svc" / "Dockerfile").write_text(OLD + "FROM alpine:latest\n")
    new = subprocess.run([*cmd, "--baseline", "b.json", "."], capture_output=True, text=True, env=env)
    assert new.returncode == 1
    assert "svc/Dockerfile:4:6: DL3007" in new.stdout
    assert "2 more are in the baseline" in new.stdout
