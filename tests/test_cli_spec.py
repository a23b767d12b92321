"""The command line of every command: the fast parser reads what argparse reads; help and errors in one style;
``fastlint -h`` works; every command's exit codes as the README's table says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from fastlint.cli import COMMANDS, command
from fastlint.cli.spec import Namespace, build_parser, fast_parse

ROOT = Path(__file__).resolve().parent.parent

CHECK = command("check")[0]
WORDS = [f for o in CHECK.options for f in o.flags if f not in ("-h", "--help")]
VALUES = ["json", "tty", "DL3008", "DL3008,DL3015", "x.yaml", "-", "none", "error", "hadolint", "a=b", "Dockerfile",
          "", "--", "-x", "sub/Dockerfile"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(VALUES),
                          st.builds(lambda f, v: f"{f}={v}", st.sampled_from(WORDS), st.sampled_from(VALUES))),
                max_size=8))
def test_the_fast_parser_reads_what_argparse_reads(argv):
    fast = fast_parse(CHECK, argv)
    if fast is None:
        return  # argparse reads it (or reports the error)
    try:
        slow = build_parser(CHECK).parse_intermixed_args(argv)
    except SystemExit:
        pytest.fail(f"the fast parser accepted {argv!r}, argparse refuses it")
    assert fast == Namespace(**vars(slow)), argv


def run(*args, input=None):
    return subprocess.run([sys.executable, "-m", "fastlint", *args], capture_output=True, text=True, input=input,
                          timeout=60)


def test_fastlint_h_works():
    for flag in ("-h", "--help"):
        r = run(flag)
        assert r.returncode == 0 and "usage: fastlint" in r.stdout and all(c in r.stdout for c in COMMANDS)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_has_the_same_help_and_error_style(name):
    r = run(name, "--help")
    assert r.returncode == 0 and r.stdout.startswith(f"usage: fastlint {name} ")
    assert "<list" not in r.stdout and "[required]" not in r.stdout
    r = run(name, "--no-such-option")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith("fastlint: ") and r.stderr.count("\n") == 1
    assert f"(try 'fastlint {name} --help')" in r.stderr


def test_an_unknown_command_is_one_line():
    r = run("lint")
    assert r.returncode == 2 and r.stderr.startswith("fastlint: unknown command 'lint'") and r.stderr.count("\n") == 1


# -- the README's exit-code table, a test per row and command ------------------------------------------------------
@pytest.fixture
def folder(tmp_path):
    (tmp_path / ".git").mkdir()
    return tmp_path


def test_check_exit_codes(folder):
    (folder / "Dockerfile").write_text("FROM node:20\n")
    assert subprocess.run([sys.executable, "-m", "fastlint", "check", "--select", "DL3006", "."], cwd=folder,
                          capture_output=True).returncode == 0
    (folder / "Dockerfile").write_text("FROM node\n")
    assert subprocess.run([sys.executable, "-m", "fastlint", "check", "--select", "DL3006", "."], cwd=folder,
                          capture_output=True).returncode == 1
    assert subprocess.run([sys.executable, "-m", "fastlint", "check", "missing"], cwd=folder,
                          capture_output=True).returncode == 2


def test_fix_exit_codes(folder):
    def fix(*args):
        return subprocess.run([sys.executable, "-m", "fastlint", "fix", "--no-template", *args], cwd=folder,
                              capture_output=True, text=True)

    (folder / "Dockerfile").write_text("FROM node:20\nMAINTAINER x\n")
    assert fix("--diff", "--select", "DL4000", ".").returncode == 1  # --diff shows a change
    assert fix("--select", "DL4000", ".").returncode == 0  # all fixed: nothing left
    assert fix("--diff", "--select", "DL4000", ".").returncode == 0  # nothing to change, nothing left
    (folder / "Dockerfile").write_text("FROM node\n")
    assert fix("--select", "DL3006", ".").returncode == 1  # left unfixed
    assert fix("--diff", "--select", "DL3006", ".").returncode == 1  # --diff with findings left
    (folder / "k8s.yaml").write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  template:"
                                     "\n    spec:\n      containers:\n        - name: a\n          image: node\n")
    (folder / "Dockerfile").write_text("FROM node:20\n")
    r = fix("--select", "FL703", ".")  # YAML findings have no fix: left unfixed, as `check` says
    assert r.returncode == 1 and "FL703" in r.stdout
    assert fix("missing").returncode == 2


def test_fix_stdin_writes_the_fixed_text():
    r = run("fix", "--no-template", "--select", "DL4000", "-", input="FROM node:20\nMAINTAINER x\n")
    assert r.returncode == 0 and r.stdout.startswith("FROM node:20\nLABEL ") and "MAINTAINER" not in r.stdout


def test_parse_exit_codes_and_stdin(tmp_path):
    r = run("parse", "-", input="FROM node:20\n")
    assert r.returncode == 0 and '"instruction": "FROM"' in r.stdout
    assert run("parse", "-", input="FROM a\nRUN <<EOT\n").returncode == 1
    assert run("parse", str(tmp_path / "missing")).returncode == 2


def test_test_rules_exit_codes(tmp_path):
    """0 every check passed; 1 a case failed (a fail case's line changed); 2 nothing to test."""
    pages = tmp_path / "pages"
    pages.mkdir()
    page = (ROOT / "rules" / "DL3006.md").read_text(encoding="utf-8")
    (pages / "DL3006.md").write_text(page, encoding="utf-8")
    r = run("test-rules", str(pages))
    assert r.returncode == 0 and r.stdout.splitlines()[-1].endswith("checks passed."), r.stdout
    assert "(line 1)" in page
    (pages / "DL3006.md").write_text(page.replace("(line 1)", "(line 2)", 1), encoding="utf-8")
    r = run("test-rules", str(pages))
    assert r.returncode == 1 and r.stdout.splitlines()[-1].endswith("1 failed."), r.stdout
    r = run("test-rules", str(tmp_path / "missing"))
    assert r.returncode == 2 and r.stderr.startswith("fastlint: ") and r.stdout == ""


def test_other_commands_usage_errors_exit_2():
    for args in (["verify", "--rebuilds", "0", "."], ["build", "--parallel", "x"], ["rule", "NOPE1"],
                 ["rules", "--format", "yaml"], ["init", "--force", "a", "b"]):
        r = run(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert r.stderr.startswith("fastlint: ") and "Traceback" not in r.stderr
