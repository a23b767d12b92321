"""The progress line of a long run: only on a terminal, only after a few seconds, erased before the report."""

from __future__ import annotations

import io

from fastlint.cli import progress
from fastlint.cli.check import main as check_main


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_long_run_on_a_terminal_shows_how_far_it_got_then_erases_it(tmp_path, monkeypatch, capsys):
    for i in range(3):
        (tmp_path / f"{i}.Dockerfile").write_text("FROM node:20-alpine\n")
    (tmp_path / ".git").mkdir()
    monkeypatch.setattr(progress, "DELAY", 0.0)  # as if the run had already taken a while
    monkeypatch.setattr(progress, "EVERY", 0.0)
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    check_main(["--no-config", "--select", "DL3006", "--format", "json", str(tmp_path)])
    err = terminal.getvalue()
    assert "\r\x1b[Kfastlint: reading 0/3 files (0 s)" in err and "fastlint: linting 2/3 files" in err
    assert err.endswith("\r\x1b[K")  # erased: the report and the messages start on a clean line
    assert capsys.readouterr().out.strip() == "[]"  # the report is untouched


def test_no_line_when_not_a_terminal_or_a_short_run(tmp_path, monkeypatch, capsys):
    (tmp_path / "Dockerfile").write_text("FROM node:20-alpine\n")
    check_main(["--no-config", "--select", "DL3006", str(tmp_path / "Dockerfile")])
    assert capsys.readouterr().err == ""  # not a terminal
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    check_main(["--no-config", "--select", "DL3006", str(tmp_path / "Dockerfile")])
    assert terminal.getvalue() == ""  # a terminal, but a run of milliseconds
