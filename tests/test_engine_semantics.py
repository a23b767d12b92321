"""Engine behaviours the docs state and mutation testing (issue 19) found unpinned: a pragma in a block of comments
above an instruction, the policy's severity override over a rule that grades its own findings, and a baseline's
occurrence numbers for findings that share a key. All through ``fastlint check`` as a user runs it."""

from __future__ import annotations

import json

import pytest

from fastlint.cli.check import main


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()  # no configuration above the project is found
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(capsys, *args) -> tuple[int, list[dict]]:
    capsys.readouterr()
    rc = main(["--format", "json", *args])
    out = capsys.readouterr().out
    return rc, json.loads(out) if out.strip() else []


def lines_of(findings, code):
    return [f["line"] for f in findings if f["code"] == code]


# -- pragmas --------------------------------------------------------------------------------------------------------
def test_a_pragma_above_another_comment_line_still_applies(project, capsys):
    (project / "Dockerfile").write_text(
        "FROM debian:12.5\n"
        "# hadolint ignore=DL3008\n"
        "# the tools the build needs\n"
        "RUN apt-get install -y curl\n"
        "RUN apt-get install -y wget\n")
    _, found = check(capsys, "--select", "DL3008", "Dockerfile")
    assert lines_of(found, "DL3008") == [5]


def test_a_blank_line_ends_the_block_a_pragma_applies_to(project, capsys):
    (project / "Dockerfile").write_text(
        "FROM debian:12.5\n"
        "# hadolint ignore=DL3008\n"
        "\n"
        "RUN apt-get install -y curl\n")
    _, found = check(capsys, "--select", "DL3008", "Dockerfile")
    assert lines_of(found, "DL3008") == [4]


# -- severity -------------------------------------------------------------------------------------------------------
def test_the_policys_severity_beats_a_level_the_rule_gives_its_finding(project, capsys):
    """ShellCheck grades each finding itself (SC2086 is info); the policy's override still wins."""
    (project / "Dockerfile").write_text("FROM debian:12.5\nRUN echo $HOME\n")
    _, plain = check(capsys, "--select", "SC2086", "Dockerfile")
    assert [(f["code"], f["level"]) for f in plain] == [("SC2086", "info")]
    (project / "fastlint.yaml").write_text("rules:\n  severity: {SC2086: error}\n")
    _, raised = check(capsys, "--config", "fastlint.yaml", "--select", "SC2086", "Dockerfile")
    assert [(f["code"], f["level"]) for f in raised] == [("SC2086", "error")]


# -- baseline -------------------------------------------------------------------------------------------------------
def test_findings_with_the_same_key_are_told_apart_by_occurrence(project, capsys):
    """Two identical `FROM node` lines: the same (file, code, text), occurrences 0 and 1. A third identical line
    is one finding more than the baseline knows."""
    dockerfile = project / "Dockerfile"
    dockerfile.write_text("FROM node\nRUN x\nFROM node\nRUN y\n")
    check(capsys, "--select", "DL3006", "--write-baseline", "baseline.json", "Dockerfile")
    entries = json.loads((project / "baseline.json").read_text())["findings"]
    assert [(e["text"], e["occurrence"]) for e in entries] == [("FROM node", 0), ("FROM node", 1)]
    rc, found = check(capsys, "--select", "DL3006", "--baseline", "baseline.json", "Dockerfile")
    assert (rc, found) == (0, [])
    dockerfile.write_text("FROM node\nRUN x\nFROM node\nRUN y\nFROM node\n")
    rc, found = check(capsys, "--select", "DL3006", "--baseline", "baseline.json", "Dockerfile")
    assert rc == 1
    assert lines_of(found, "DL3006") == [5]
