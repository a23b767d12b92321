"""``fastlint check`` as a user and a CI pipeline see it: exit codes, --fail-on, selection, pragmas,
.hadolint.yaml, --statistics, --output, file discovery and colour."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import pytest

from conftest import ROOT
from fastlint.cli.check import main
from fastlint.engine import config

ENV = dict(os.environ, PYTHONPATH=str(ROOT))
ENV.pop("NO_COLOR", None)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty project (with .git, so no configuration above it is found) as the working folder."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def check(capsys, *args) -> tuple[int, str, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def found(capsys, *args) -> list[tuple[str, str, int]]:
    """(file, code, line) of each finding of a JSON run."""
    rc, out, err = check(capsys, "--format", "json", *args)
    assert rc in (0, 1), err
    return sorted((f["file"], f["code"], f["line"]) for f in json.loads(out))


def cli(*args, cwd, env=ENV) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fastlint", "check", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)


# -- exit codes ---------------------------------------------------------------------------------------------------
def test_exit_0_when_clean(project, capsys):
    write(project / "Dockerfile", "FROM node:20-alpine\nHEALTHCHECK CMD [\"true\"]\nCMD [\"node\"]\n")
    rc, out, err = check(capsys, "--select", "DL", "--no-shellcheck", ".")
    assert rc == 0, out
    assert "All checks passed! (1 file checked)" in out


def test_exit_1_on_findings(project, capsys):
    write(project / "Dockerfile", "FROM node\n")
    rc, out, err = check(capsys, "--select", "DL3006", ".")
    assert rc == 1
    assert "Dockerfile:1:6: DL3006 Always tag the version of an image explicitly (warning)" in out


def test_exit_2_on_usage_errors(project, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--fail-on", "sometimes", "."])
    assert exc.value.code == 2
    assert "invalid choice: 'sometimes'" in capsys.readouterr().err
    proc = cli("--no-such-option", cwd=project)
    assert proc.returncode == 2 and "unrecognized arguments" in proc.stderr
    proc = cli("--format", "yaml", cwd=project)
    assert proc.returncode == 2


def test_exit_2_on_a_missing_path_and_the_rest_is_still_checked(project, capsys):
    write(project / "Dockerfile", "FROM node\n")
    rc, out, err = check(capsys, "--select", "DL3006", "nowhere", "Dockerfile")
    assert rc == 2
    assert "DL3006" in out
    assert err == "fastlint: nowhere: no such file or directory\n"


def test_exit_2_on_a_bad_configuration(project, capsys):
    write(project / "Dockerfile", "FROM node\n")
    write(project / "fastlint.yaml", "rules:\n  ignore: [DL3006]\n  severity: {DL3007: loud}\n")
    rc, out, err = check(capsys, ".")
    assert rc == 2
    assert err.startswith("fastlint: ") and "fastlint.yaml:3:" in err and err.count("\n") == 1
    rc, out, err = check(capsys, "--config", "missing.yaml", ".")
    assert rc == 2 and "missing.yaml" in err


# -- --fail-on ----------------------------------------------------------------------------------------------------
LEVELS_FILE = """FROM node
MAINTAINER someone
LABEL com.example.Bad_Key=x
RUN echo a
RUN echo b
"""
# DL4000 error, DL3006 warning, DL3059 info, DL3048 style


@pytest.mark.parametrize("select, fail_on, rc", [
    ("DL3048", None, 0),  # style is below the default (info)
    ("DL3048", "style", 1),
    ("DL3059", None, 1),
    ("DL3059", "info", 1),
    ("DL3059", "warning", 0),
    ("DL3006", "warning", 1),
    ("DL3006", "error", 0),
    ("DL4000", "error", 1),
    ("DL4000,DL3006,DL3059,DL3048", "none", 0),
])
def test_fail_on(project, capsys, select, fail_on, rc):
    write(project / "Dockerfile", LEVELS_FILE)
    args = ["--select", select, "."] + (["--fail-on", fail_on] if fail_on else [])
    got, out, err = check(capsys, *args)
    assert got == rc, out + err
    assert select.split(",")[0] in out  # the findings are reported whatever the exit code


# -- --select / --ignore ------------------------------------------------------------------------------------------
def test_select_and_ignore_by_id_and_prefix(project, capsys):
    write(project / "Dockerfile", LEVELS_FILE)
    assert {c for _, c, _ in found(capsys, "--select", "DL4000", ".")} == {"DL4000"}
    assert {c for _, c, _ in found(capsys, "--select", "DL40", ".")} == {"DL4000"}
    dl30 = {c for _, c, _ in found(capsys, "--select", "dl30", ".")}  # case-insensitive
    assert {"DL3006", "DL3048", "DL3059"} <= dl30 and all(c.startswith("DL30") for c in dl30)
    both = {c for _, c, _ in found(capsys, "--select", "DL4000, DL3006", ".")}
    assert both == {"DL4000", "DL3006"}
    ignored = {c for _, c, _ in found(capsys, "--select", "DL", "--ignore", "DL30", ".")}
    assert "DL4000" in ignored and not any(c.startswith("DL30") for c in ignored)
    everything = {c for _, c, _ in found(capsys, ".")}
    assert {"DL4000", "DL3006"} <= everything and any(c.startswith("FL") for c in everything)
    no_fl = {c for _, c, _ in found(capsys, "--ignore", "FL,DL3006", ".")}
    assert "DL4000" in no_fl and "DL3006" not in no_fl and not any(c.startswith("FL") for c in no_fl)


# -- pragmas ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("pragma", ["# fastlint: ignore=DL3006", "# hadolint ignore=DL3006",
                                    "# fastlint: ignore=DL4000,DL3006"])
def test_ignore_pragma_on_the_line_before(project, capsys, pragma):
    write(project / "Dockerfile", f"{pragma}\nFROM node\nFROM node AS two\nRUN x\n")
    assert found(capsys, "--select", "DL3006", ".") == [("Dockerfile", "DL3006", 3)]


@pytest.mark.parametrize("pragma", ["# fastlint: global ignore=DL3006", "# hadolint global ignore=DL3006"])
def test_global_ignore_pragma(project, capsys, pragma):
    write(project / "Dockerfile", f"FROM node\nMAINTAINER x\n{pragma}\nFROM node AS two\n")
    assert found(capsys, "--select", "DL3006,DL4000", ".") == [("Dockerfile", "DL4000", 2)]


def test_pragma_for_another_rule_does_not_hide(project, capsys):
    write(project / "Dockerfile", "# hadolint ignore=DL3007\nFROM node\n")
    assert found(capsys, "--select", "DL3006", ".") == [("Dockerfile", "DL3006", 2)]


# -- .hadolint.yaml -----------------------------------------------------------------------------------------------
def test_hadolint_yaml_ignored_and_override(project, capsys):
    write(project / "Dockerfile", LEVELS_FILE)
    write(project / ".hadolint.yaml", "ignored:\n  - DL4000\noverride:\n  error:\n    - DL3006\n")
    rc, out, err = check(capsys, "--format", "json", "--select", "DL4000,DL3006", ".")
    assert [(f["code"], f["level"]) for f in json.loads(out)] == [("DL3006", "error")]


def test_hadolint_yaml_failure_threshold(project, capsys):
    write(project / "Dockerfile", LEVELS_FILE)
    write(project / ".hadolint.yaml", "failure-threshold: error\n")
    rc, out, err = check(capsys, "--select", "DL3006", ".")
    assert rc == 0 and "DL3006" in out  # a warning is below the file's threshold
    rc, out, err = check(capsys, "--select", "DL3006", "--fail-on", "warning", ".")
    assert rc == 1  # the command line wins


def test_hadolint_yaml_not_read_when_fastlint_yaml_exists_or_no_config(project, capsys):
    write(project / "Dockerfile", LEVELS_FILE)
    write(project / ".hadolint.yaml", "ignored: [DL4000]\n")
    assert [c for _, c, _ in found(capsys, "--select", "DL4000", ".")] == []
    assert [c for _, c, _ in found(capsys, "--select", "DL4000", "--no-config", ".")] == ["DL4000"]
    config.reset_caches()
    write(project / "fastlint.yaml", "rules:\n  ignore: [DL3006]\n")
    assert [c for _, c, _ in found(capsys, "--select", "DL4000,DL3006", ".")] == ["DL4000"]


# -- --statistics -------------------------------------------------------------------------------------------------
def test_statistics(project, capsys):
    write(project / "a" / "Dockerfile", "FROM node\nMAINTAINER x\n")
    write(project / "b" / "Dockerfile", "FROM node\n")
    rc, out, err = check(capsys, "--select", "DL3006,DL4000", "--statistics", ".")
    lines = [line.split("\t") for line in out.splitlines()]
    assert [(n.strip(), code.strip(), name) for n, code, name in lines] == [
        ("2", "DL3006", "untagged-image"),
        ("1", "DL4000", "[*] maintainer-deprecated"),
    ]  # the table alone: no findings, no summary
    assert rc == 1
    rc, out, err = check(capsys, "--select", "DL3006,DL4000", "--statistics", "--format", "json", ".")
    assert json.loads(out) == [
        {"code": "DL3006", "count": 2, "name": "untagged-image", "fixable": False, "unsafe_fixable": False},
        {"code": "DL4000", "count": 1, "name": "maintainer-deprecated", "fixable": True, "unsafe_fixable": False},
    ]


# -- --output -----------------------------------------------------------------------------------------------------
def test_output_writes_the_report_atomically(project, capsys):
    write(project / "Dockerfile", "FROM node\n")
    report = project / "out" / "report.json"
    report.parent.mkdir()
    report.write_text("old report")
    report.chmod(0o640)
    old_inode = report.stat().st_ino
    rc, out, err = check(capsys, "--format", "json", "--select", "DL3006", "--output", str(report), ".")
    assert rc == 1 and out == "" and err == ""
    assert [f["code"] for f in json.loads(report.read_text())] == ["DL3006"]
    assert report.stat().st_ino != old_inode  # replaced by a rename, not rewritten in place
    assert report.stat().st_mode & 0o777 == 0o640  # its mode kept
    assert sorted(p.name for p in report.parent.iterdir()) == ["report.json"]  # no temporary file left


def test_output_to_a_missing_folder_is_a_one_line_error(project, capsys):
    write(project / "Dockerfile", "FROM node\n")
    rc, out, err = check(capsys, "--output", "no/such/dir/report.txt", ".")
    assert rc == 2
    assert err.startswith("fastlint: cannot write no/such/dir/report.txt:") and err.count("\n") == 1


# -- discovery ----------------------------------------------------------------------------------------------------
def test_recursive_discovery(project, capsys):
    names = ["Dockerfile", "svc/Dockerfile", "svc/Dockerfile.prod", "web/api.Dockerfile", "web/worker.dockerfile",
             "deep/er/Containerfile"]
    skipped = ["notes.txt", "Dockerfile.backup", ".git/Dockerfile", "node_modules/pkg/Dockerfile",
               "build/Dockerfile", "vendor/x/Dockerfile", "svc/Dockerfile.ignored"]
    for n in names + skipped:
        write(project / n, "FROM node\n")
    write(project / ".gitignore", "build/\n/vendor\n")
    write(project / "svc" / ".gitignore", "*.ignored\n")
    got = {f for f, _, _ in found(capsys, "--select", "DL3006", ".")}
    assert got == set(names)
    # a folder given on the command line keeps its prefix
    assert {f for f, _, _ in found(capsys, "--select", "DL3006", "svc")} == {"svc/Dockerfile", "svc/Dockerfile.prod"}
    # a file given explicitly is checked whatever its name
    assert {f for f, _, _ in found(capsys, "--select", "DL3006", "notes.txt")} == {"notes.txt"}


def test_default_path_is_the_current_folder(project, capsys):
    write(project / "svc" / "Dockerfile", "FROM node\n")
    assert found(capsys, "--select", "DL3006") == [("svc/Dockerfile", "DL3006", 1)]


# -- colour -------------------------------------------------------------------------------------------------------
def test_no_colour_when_not_a_terminal(project, capsys):
    write(project / "Dockerfile", "FROM node\n")
    rc, out, err = check(capsys, "--select", "DL3006", ".")
    assert "\x1b[" not in out
    rc, out, err = check(capsys, "--select", "DL3006", "--color", "always", ".")
    assert "\x1b[" in out
    proc = cli("--select", "DL3006", ".", cwd=project)
    assert proc.returncode == 1 and "DL3006" in proc.stdout and "\x1b[" not in proc.stdout


def _on_a_terminal(project, *args, env=ENV) -> str:
    """Run fastlint with its stdout on a pseudo-terminal; what it wrote."""
    main_fd, child_fd = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "fastlint", "check", *args], cwd=project, env=env,
                            stdout=child_fd, stderr=subprocess.PIPE)
    os.close(child_fd)
    chunks = []
    while True:
        try:
            data = os.read(main_fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(main_fd)
    return b"".join(chunks).decode()


def test_colour_on_a_terminal_unless_no_color(project):
    write(project / "Dockerfile", "FROM node\n")
    assert "\x1b[" in _on_a_terminal(project, "--select", "DL3006", ".")
    assert "\x1b[" not in _on_a_terminal(project, "--select", "DL3006", ".", env=dict(ENV, NO_COLOR="1"))
    assert "\x1b[" not in _on_a_terminal(project, "--select", "DL3006", "--color", "never", ".")
    out = _on_a_terminal(project, "--select", "DL3006", "--output", "r.txt", ".")
    assert "\x1b[" not in (project / "r.txt").read_text() and out == ""
    assert "\x1b[" not in _on_a_terminal(project, "--select", "DL3006", "--format", "json", ".")


# -- many files: several processes ----------------------------------------------------------------------------------
def test_a_run_of_many_files_in_several_processes_reports_what_one_process_reports(tmp_path):
    """The corpus and the fixture services (ShellCheck findings, pragmas, DL1000 of a file BuildKit rejects,
    FL findings in YAML manifests), linted by one process and by three: the same report, byte for byte."""
    from conftest import corpus_files

    bad = write(tmp_path / "broken" / "Dockerfile", "FROM alpine:3.19\nFOO bar\n")
    paths = [*map(str, corpus_files()), str(ROOT / "fixtures" / "services"), str(bad)]
    reports = {}
    for jobs in ("1", "3"):
        r = subprocess.run([sys.executable, "-m", "fastlint", "check", "--no-config", "--select", "ALL", "--format",
                            "json", *paths], cwd=tmp_path, env=dict(ENV, FASTLINT_JOBS=jobs), capture_output=True,
                           text=True)
        assert r.returncode == 1, r.stderr
        reports[jobs] = r.stdout
    findings = json.loads(reports["1"])
    assert len(findings) > 5000 and {"DL1000", "SC2086", "FL101", "FL701"} <= {f["code"] for f in findings}
    assert reports["3"] == reports["1"]


_PARENT = os.getpid()


def _share_that_dies_in_a_worker(job):
    """Stands for a worker killed mid-run (out of memory, a signal): it exits without answering."""
    from fastlint.engine import runner

    if os.getpid() != _PARENT:
        os._exit(3)
    return runner._LINT_SHARE(job)


def test_a_worker_that_dies_does_not_hang_the_run_or_lose_files(monkeypatch):
    from conftest import corpus_files

    from fastlint.engine import runner

    policy = config.builtin_policy()
    entries = [(p, str(p), policy) for p in corpus_files()[:80]]
    monkeypatch.setenv("FASTLINT_JOBS", "1")
    alone = [[(f.code, f.line, f.column) for f in r.findings] for r in runner.lint_paths(entries, runner.Selection())]
    monkeypatch.setenv("FASTLINT_JOBS", "2")
    monkeypatch.setattr(runner, "_LINT_SHARE", runner._lint_share, raising=False)
    monkeypatch.setattr(runner, "_lint_share", _share_that_dies_in_a_worker)
    results = runner.lint_paths(entries, runner.Selection())
    assert [[(f.code, f.line, f.column) for f in r.findings] for r in results] == alone
    assert sum(map(len, alone)) > 100
