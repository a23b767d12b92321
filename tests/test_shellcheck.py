"""ShellCheck on RUN (the SC rule family), through ``fastlint check`` as a user runs it: exact positions, which
scripts are checked, which variables count as set, pragmas, and one ShellCheck process for a whole run."""

from __future__ import annotations

import json
import uuid

import pytest

from fastlint.cli.check import main as check_main
from fastlint.engine.config import reset_caches
from fastlint.rules import shellcheck


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """Each test with its own (empty) disk cache: ShellCheck really runs, and nothing of ~/.cache is used."""
    monkeypatch.setenv("FASTLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("FASTLINT_NO_CACHE", raising=False)


def check(tmp_path, capsys, files: dict[str, str], *args: str) -> list[dict]:
    (tmp_path / ".git").mkdir(exist_ok=True)  # no fastlint.yaml from above the test folder
    paths = []
    for name, text in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        paths.append(str(p))
    reset_caches()
    code = check_main(["--format", "json", "--select", "SC", *args, *paths])
    out = capsys.readouterr().out
    assert code in (0, 1), f"fastlint check failed with exit {code}"
    return json.loads(out) if out.strip() else []


def where(findings, code):
    return [(f["line"], f["column"], f["end_line"], f["end_column"]) for f in findings if f["code"] == code]


def test_unquoted_variable_at_its_line_and_column(tmp_path, capsys):
    findings = check(tmp_path, capsys, {"Dockerfile": "FROM alpine:3.19\nRUN cp $SRC_DIR /app/\n"})
    assert where(findings, "SC2086") == [(2, 8, 2, 16)]
    f = next(f for f in findings if f["code"] == "SC2086")
    assert f["level"] == "info"
    assert "Double quote" in f["message"]


def test_continuation_lines_map_to_the_physical_line(tmp_path, capsys):
    text = (
        "FROM debian:12.5\n"
        "RUN --mount=type=cache,target=/var/cache/apt apt-get update \\\n"
        "# a comment line inside the instruction\n"
        "    && mkdir -p /opt/app \\\n"
        "\t&& cp $SRC_DIR /opt/app/\n"
    )
    findings = check(tmp_path, capsys, {"Dockerfile": text})
    assert where(findings, "SC2086") == [(5, 8, 5, 16)]


def test_heredoc_script_maps_to_its_body_line(tmp_path, capsys):
    text = "FROM alpine:3.19\nRUN <<EOF\nset -e\ncp $SRC_DIR /opt/\nEOF\n"
    findings = check(tmp_path, capsys, {"Dockerfile": text})
    assert where(findings, "SC2086") == [(4, 4, 4, 12)]


def test_exec_form_and_powershell_are_not_checked(tmp_path, capsys):
    text = (
        "FROM alpine:3.19\n"
        'RUN ["sh", "-c", "cp $SRC_DIR /app/"]\n'
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
        'SHELL ["pwsh", "-Command"]\n'
        "RUN Get-ChildItem $env:TEMP | Remove-Item\n"
        "FROM alpine:3.19\n"
        "RUN cp $SRC_DIR /app/\n"
    )
    # only the shell-form RUN of the last stage (proof that ShellCheck ran) is reported
    assert [(f["code"], f["line"]) for f in check(tmp_path, capsys, {"Dockerfile": text})] == [("SC2086", 7)]


def test_arg_and_env_of_the_stage_count_as_set(tmp_path, capsys):
    text = (
        "ARG global_only=1\n"
        "FROM alpine:3.19\n"
        "ARG version\n"
        "ENV app_home=/opt/app\n"
        'RUN echo "$version" "$app_home" "$global_only" "$nobody_sets_this"\n'
    )
    findings = check(tmp_path, capsys, {"Dockerfile": text})
    unset = sorted(f["message"].split()[0] for f in findings if f["code"] == "SC2154")
    assert unset == ["global_only", "nobody_sets_this"]


def test_dialect_follows_shell_instruction(tmp_path, capsys):
    text = (
        "FROM debian:12.5 AS sh_stage\n"
        "RUN [[ -f /etc/os-release ]] && echo found\n"
        "FROM debian:12.5\n"
        'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\n'
        "RUN [[ -f /etc/os-release ]] && echo found\n"
    )
    findings = check(tmp_path, capsys, {"Dockerfile": text})
    assert {f["line"] for f in findings} == {2}
    assert any(f["code"].startswith("SC3") for f in findings)  # "In POSIX sh, [[ ]] is undefined"


def test_ignore_pragma_silences_only_the_named_code(tmp_path, capsys):
    text = "FROM alpine:3.19\n# hadolint ignore=SC2086\nRUN cp $src_dir /app/\n"
    findings = check(tmp_path, capsys, {"Dockerfile": text})
    codes = {f["code"] for f in findings}
    assert "SC2086" not in codes
    assert "SC2154" in codes  # src_dir is referenced but not assigned


def test_select_one_code(tmp_path, capsys):
    text = "FROM alpine:3.19\nRUN cp $src_dir /app/\n"
    (tmp_path / "Dockerfile").write_text(text)
    reset_caches()
    check_main(["--format", "json", "--select", "SC2154", str(tmp_path / "Dockerfile")])
    findings = json.loads(capsys.readouterr().out)
    assert {f["code"] for f in findings} == {"SC2154"}


def test_many_env_lines_keep_the_misspelling_hint(tmp_path, capsys):
    """A stage with hundreds of ENV names: each RUN still sees the ones it reads, and ShellCheck still offers the
    declared name a misspelt one is close to (SC2153), though a script is not handed every name."""
    lines = ["FROM alpine:3.19"]
    for i in range(200):
        lines.append(f"ENV SETTING_{i}=value{i}")
        lines.append(f'RUN echo "$SETTING_{i}" > /tmp/setting_{i}')
    lines.append('RUN echo "$SETTNG_150"')  # a letter left out
    findings = check(tmp_path, capsys, {"Dockerfile": "\n".join(lines) + "\n"})
    assert [(f["code"], f["line"]) for f in findings] == [("SC2153", len(lines))]
    assert findings[0]["message"].endswith("Did you mean SETTING_150?")


def test_one_shellcheck_process_for_a_run(tmp_path, capsys):
    token = uuid.uuid4().hex[:8]  # scripts no earlier test has checked (results are cached per script)
    files = {
        f"svc{i}/Dockerfile": f"FROM alpine:3.19\nRUN cp $src_{token}_{i} /a/\nRUN echo {token} && cd /tmp\n"
        for i in range(3)
    }
    before = shellcheck.STATS["processes"]
    findings = check(tmp_path, capsys, files)
    assert shellcheck.STATS["processes"] - before == 1
    assert len({f["file"] for f in findings if f["code"] == "SC2154"}) == 3


def test_a_second_run_takes_the_findings_from_the_disk_cache(tmp_path, capsys, monkeypatch):
    token = uuid.uuid4().hex[:8]
    files = {"Dockerfile": f"FROM alpine:3.19\nRUN cp $src_{token} /a/\nRUN echo {token} $HOME\n"}
    first = check(tmp_path, capsys, files)
    assert {f["code"] for f in first} == {"SC2086", "SC2154"}
    # each run starts with nothing in memory (ShellCheck's findings live in the run's state)
    before = dict(shellcheck.STATS)
    assert check(tmp_path, capsys, files) == first
    assert shellcheck.STATS["processes"] == before["processes"]  # no ShellCheck started
    assert shellcheck.STATS["cached"] - before["cached"] == 2
    monkeypatch.setenv("FASTLINT_NO_CACHE", "1")
    assert check(tmp_path, capsys, files) == first
    assert shellcheck.STATS["processes"] == before["processes"] + 1


def test_missing_shellcheck_is_a_warning_not_a_crash(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FASTLINT_SHELLCHECK", str(tmp_path / "no-such-shellcheck"))
    # warnings are printed once per run (the run's state): nothing to reset
    text = f"FROM alpine:3.19\nRUN cp $src_{uuid.uuid4().hex[:8]} /a/\n"
    (tmp_path / "Dockerfile").write_text(text)
    reset_caches()
    code = check_main(["--format", "json", "--select", "SC", str(tmp_path / "Dockerfile")])
    captured = capsys.readouterr()
    assert code == 0
    assert "cannot run ShellCheck" in captured.err
    assert json.loads(captured.out) == []


@pytest.mark.parametrize(("words", "expected"), [
    (["/bin/sh", "-c"], "sh"),
    (["/bin/bash", "-eo", "pipefail", "-c"], "bash"),
    (["/bin/ash", "-o", "pipefail", "-c"], "ash"),
    (["/usr/bin/env", "bash", "-c"], "bash"),
    (["/bin/busybox", "sh", "-c"], "busybox sh"),
    (["pwsh", "-c"], None),
    (["cmd.exe", "/c"], None),
    (["C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "-command"], None),
    (["/bin/zsh", "-c"], None),
])
def test_shell_dialects(words, expected):
    assert shellcheck.dialect(words) == expected


def test_fix_of_several_files_starts_one_shellcheck_batch_not_one_per_file(tmp_path, monkeypatch):
    """`fastlint fix` lints each file several times, file after file; the RUN scripts of all of them are checked
    in one batch first, and a script a fix does not touch is not checked again."""
    from cli_runner import CliRunner

    from fastlint.cli import main as app

    token = uuid.uuid4().hex[:8]
    (tmp_path / ".git").mkdir()
    for i in range(4):
        d = tmp_path / f"svc{i}"
        d.mkdir()
        (d / "Dockerfile").write_text(f"FROM alpine:3.19\nMAINTAINER x\nRUN cp $src_{token}_{i} /a/\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FASTLINT_NO_CACHE", "1")
    before = dict(shellcheck.STATS)
    r = CliRunner().invoke(app, ["fix", "--no-template", "--select", "DL4000,SC", "."])
    assert r.exit_code == 1, r.output  # SC2154 has no fix
    assert r.stdout.count("fixed DL4000") == 4 and r.stdout.count("SC2154") == 4
    assert shellcheck.STATS["processes"] - before["processes"] == 1
    assert shellcheck.STATS["scripts"] - before["scripts"] == 4


def test_ctrl_c_stops_the_run_in_flight_not_the_next_one(tmp_path, monkeypatch):
    """``stop`` (the CLI's Ctrl-C) stops the ShellCheck batch a run has in the background; a later run in the same
    process (the library API, an editor server) runs ShellCheck as usual."""
    from fastlint import api
    from fastlint.parser import parse

    slow = tmp_path / "slow-shellcheck"
    slow.write_text("#!/bin/sh\nsleep 1\necho '{\"comments\": []}'\n")
    slow.chmod(0o755)
    text = f"FROM alpine:3.19\nRUN cp $src_{uuid.uuid4().hex[:8]} /a/\n"
    monkeypatch.setenv("FASTLINT_SHELLCHECK", str(slow))
    first = api.RunState()
    shellcheck.ShellCheck.prepare(first, [parse(text)])
    shellcheck.stop()
    in_flight = first.of(shellcheck.ShellCheck, shellcheck.ShellCheckRun)
    in_flight.wait()
    monkeypatch.delenv("FASTLINT_SHELLCHECK")
    found = api.lint_text(text, path=str(tmp_path / "Dockerfile"), no_config=True, select=("SC",))
    assert {f.code for f in found} == {"SC2086", "SC2154"}
    assert in_flight.stopped and in_flight.results == {next(iter(in_flight.results)): []}
