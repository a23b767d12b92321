"""Shell completion (``fastlint/cli/completion.py``), made from the same option descriptions as the help.

The protocol: the shell's completion function runs ``fastlint`` with ``_FASTLINT_COMPLETE=complete_bash`` (or
``complete_zsh``, ...) and the words typed so far in ``COMP_WORDS``/``COMP_CWORD``; fastlint prints the candidates.
``fastlint/cli/__init__.py`` sends ``fastlint check ...`` straight to its fast path, except when
``_FASTLINT_COMPLETE`` is set: then completion must answer, not the linter. The tests run the installed console
script (this virtualenv's ``bin/fastlint``), as the shell would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BINDIR = Path(sys.executable).parent


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("_FASTLINT_", "COMP_", "_TYPER_"))}
    env["PATH"] = f"{BINDIR}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def complete(words: str, *argv: str, cwd: Path | None = None) -> list[str]:
    """What bash completion offers for ``words`` (the cursor on the last word)."""
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    out = subprocess.run([str(BINDIR / "fastlint"), *argv], env=_env(_FASTLINT_COMPLETE="complete_bash",
                         COMP_WORDS=words, COMP_CWORD=str(cword)), cwd=cwd, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def _commands() -> list[str]:
    from fastlint.cli import COMMANDS

    return list(COMMANDS)


@pytest.fixture(scope="module", autouse=True)
def _console_script():
    if not (BINDIR / "fastlint").exists():
        pytest.fail(f"no fastlint console script in {BINDIR}: pip install -e . first")


def test_command_names_complete():
    commands = _commands()
    assert {"check", "fix", "verify", "build", "parse", "rules", "rule", "init"} <= set(commands)
    assert complete("fastlint ch") == ["check"]
    assert sorted(complete("fastlint ru")) == ["rule", "rules"]
    assert sorted(complete("fastlint ")) == sorted(commands)


def test_completion_with_check_on_the_command_line_is_answered_by_completion_not_by_the_linter(tmp_path):
    """``fastlint check`` goes to the linter's fast path; with _FASTLINT_COMPLETE set completion must answer. In a
    folder with a failing Dockerfile, the linter would print findings and exit 1."""
    (tmp_path / "Dockerfile").write_text("FROM node:latest\nUSER root\n", encoding="utf-8")
    assert complete("fastlint ch", "check", cwd=tmp_path) == ["check"]
    assert complete("fastlint check ", "check", cwd=tmp_path) == []  # file names: left to the shell (-o default)


def test_options_of_check_complete_from_its_own_parser(tmp_path):
    """Completion reads ``check``'s options from the description its help and its parser use."""
    (tmp_path / "Dockerfile").write_text("FROM node:latest\n", encoding="utf-8")
    assert complete("fastlint check --fo", "check", cwd=tmp_path) == ["--format"]
    assert complete("fastlint check --no-", "check", cwd=tmp_path) == ["--no-config", "--no-fail", "--no-shellcheck",
                                                                       "--no-color"]
    assert complete("fastlint check --format sa", "check", cwd=tmp_path) == ["sarif"]
    assert complete("fastlint check -f ", "check", cwd=tmp_path) == [
        "text", "concise", "json", "sarif", "github", "junit", "checkstyle", "gitlab", "tty", "codeclimate",
        "gitlab_codeclimate", "gnu", "codacy", "sonarqube"]
    assert complete("fastlint check --profile ", "check", cwd=tmp_path) == ["fast", "hadolint"]
    assert complete("fastlint check Dockerfile --fail-on w", "check", cwd=tmp_path) == ["warning"]
    assert complete("fastlint check --output ", "check", cwd=tmp_path) == []  # a file name: the shell's


def test_options_of_another_command_complete():
    assert complete("fastlint fix --no-b") == ["--no-backup"]
    assert "--format" in complete("fastlint verify --f")


def test_completion_scripts():
    bash = subprocess.run([str(BINDIR / "fastlint")], env=_env(_FASTLINT_COMPLETE="source_bash"),
                          capture_output=True, text=True, timeout=60)
    assert bash.returncode == 0, bash.stderr
    assert "complete -o default -F _fastlint_completion fastlint" in bash.stdout
    assert "_FASTLINT_COMPLETE=complete_bash" in bash.stdout
    zsh = subprocess.run([str(BINDIR / "fastlint")], env=_env(_FASTLINT_COMPLETE="source_zsh"),
                         capture_output=True, text=True, timeout=60)
    assert zsh.returncode == 0 and "#compdef fastlint" in zsh.stdout
    # --show-completion prints the script for the shell it runs in (detected from the parent processes)
    shown = subprocess.run(["bash", "--norc", "-c", "fastlint --show-completion; true"], env=_env(),
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == bash.stdout.strip()


def test_tab_in_bash_completes_check():
    """The whole loop in a real bash: load the script, press TAB after ``fastlint ch``."""
    script = ('eval "$(_FASTLINT_COMPLETE=source_bash fastlint)"; COMP_WORDS=(fastlint ch); COMP_CWORD=1; '
              '_fastlint_completion fastlint; printf "%s\\n" "${COMPREPLY[@]}"')
    out = subprocess.run(["bash", "--norc", "-c", script], env=_env(), capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["check"]
