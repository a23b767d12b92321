"""Positions as the reporters show them, pinned exactly (issue 19: mutants of the end position and of the caret's
width survived): JSON's end_line/end_column of a finding over several lines, and the text report's caret, under
exactly the finding's columns, to the end of the first line when the finding goes on."""

from __future__ import annotations

import json

import pytest

from fastlint.cli.check import main

DOCKERFILE = "FROM node\nCMD node dist/index.js \\\n  -v\nRUN\tapt-get install -y curl\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *args) -> str:
    capsys.readouterr()
    main(["--select", "DL3006,DL3025,DL3008", "--color", "never", *args, "Dockerfile"])
    return capsys.readouterr().out


def test_json_positions_of_one_line_and_multi_line_findings(project, capsys):
    found = json.loads(run(capsys, "--format", "json"))
    got = [(f["code"], f["line"], f["column"], f["end_line"], f["end_column"]) for f in found]
    assert got == [
        ("DL3006", 1, 6, 1, 10),    # `node`: end_column is one past the last character
        ("DL3025", 2, 1, 3, 5),     # the whole CMD, to the end of its continuation line
        ("DL3008", 4, 24, 4, 28),   # the unpinned package, after a tab
    ]


def test_text_caret_covers_exactly_the_finding(project, capsys):
    out = run(capsys, "--format", "text").split("\n")
    at = out.index("Dockerfile:1:6: DL3006 Always tag the version of an image explicitly (warning)")
    assert out[at + 1: at + 4] == ["  |", "1 | FROM node", "  |      ^^^^"]
    at = next(i for i, line in enumerate(out) if line.startswith("Dockerfile:2:1: DL3025"))
    assert out[at + 1: at + 4] == ["  |", "2 | CMD node dist/index.js \\", "  | " + "^" * 24]  # all of line 2
    at = next(i for i, line in enumerate(out) if line.startswith("Dockerfile:4:24: DL3008"))
    assert out[at + 1: at + 4] == ["  |", "4 | RUN apt-get install -y curl", "  | " + " " * 23 + "^^^^"]  # a tab shows as one space


def test_text_caret_of_a_finding_past_line_256(project, capsys):
    """Python caches small ints up to 256: an identity test where equality is meant shows only past that line."""
    (project / "Dockerfile").write_text("# x\n" * 299 + "FROM node AS base\n")
    out = run(capsys, "--format", "text").split("\n")
    at = out.index("Dockerfile:300:6: DL3006 Always tag the version of an image explicitly (warning)")
    assert out[at + 1: at + 4] == ["    |", "300 | FROM node AS base", "    |      ^^^^"]
