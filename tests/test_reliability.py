"""Inputs a fuzzing run found that broke fastlint, each as a user meets it: deep nesting, a ShellCheck run that
would not end, Ctrl-C. (Parser parity cases are in test_parser_parity.py, the fuzzer itself in test_fuzz.py.)"""

from __future__ import annotations

import json

from fastlint.cli.check import main as check_main
from fastlint.parser.shell import parse_shell


def nested(depth: int, inner: str = "x") -> str:
    return "$(" * depth + inner + ")" * depth


def test_500_nested_substitutions_are_read_to_the_innermost_command():
    script = parse_shell("echo " + nested(500, "ssh host"))
    assert len(script.commands) == 501
    assert script.commands[-1].name == "ssh" and script.commands[-1].in_subshell


def test_deep_nesting_is_linted_not_a_traceback(tmp_path, capsys):
    """``RUN echo $($($(... ssh ...)))`` 500 levels deep (a RecursionError traceback before): DL3001 finds the
    ssh at the bottom."""
    (tmp_path / ".git").mkdir()
    path = tmp_path / "Dockerfile"
    path.write_text("FROM alpine:3.19\nRUN echo " + nested(500, "ssh host") + "\n")
    code = check_main(["--format", "json", "--no-shellcheck", "--select", "DL3001", str(path)])
    captured = capsys.readouterr()
    assert code == 1, captured.err
    assert [(f["code"], f["line"]) for f in json.loads(captured.out)] == [("DL3001", 2)]
    assert "Traceback" not in captured.err


def test_deep_subshells_and_pipelines_keep_their_order():
    """The walk keeps source order and the pipeline stages with nesting 300 levels deep."""
    script = parse_shell("( " * 300 + "a | b $(c | d) | e" + " )" * 300 + " && f")
    assert [c.name for c in script.commands] == ["a", "b", "c", "d", "e", "f"]
    assert [[s.name for s in p] for p in script.pipelines] == [["c", "d"], ["a", "b", "e"]]
    assert all(c.in_subshell for c in script.commands[:5]) and not script.commands[5].in_subshell
