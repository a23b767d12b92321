"""FL001 (ruff's RUF100): an ignore pragma that turns nothing off is a finding; a pragma naming no rule is said.
Run through ``fastlint check`` as a user runs it, in one process and in parallel ones."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from fastlint.cli.check import main as check_main

SOURCE = (
    "FROM debian:12.5\n"
    "# hadolint ignore=DL3008\n"                       # used: DL3008 fires on line 3
    "RUN apt-get install -y --no-install-recommends curl\n"
    "# hadolint ignore=DL3008,DL3015\n"                # unused: nothing to turn off on line 5
    "RUN echo hi\n"
    "# hadolint ignore=SC2086\n"                       # used by ShellCheck (a batching rule)
    "RUN echo $HOME\n"
    "# fastlint: ignore=DL3900\n"                      # unknown: no such rule
    "RUN echo done\n"
)


def check(capsys, *args) -> tuple[int, list[dict], str]:
    code = check_main(["--no-config", "--format", "json", *args])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else [], err


def fl001(findings) -> list[tuple[int, str]]:
    return [(f["line"], f["message"]) for f in findings if f["code"] == "FL001"]


def write(tmp_path, text=SOURCE, name="Dockerfile"):
    (tmp_path / ".git").mkdir(exist_ok=True)
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_unused_and_unknown_ids_are_reported_and_used_ones_are_not(tmp_path, capsys):
    path = write(tmp_path)
    code, findings, err = check(capsys, "--select", "FL001,DL3008,DL3015,SC2086", path)
    assert code == 1
    assert fl001(findings) == [(4, "Unused suppression (unused: DL3008, DL3015)"),
                               (8, "Unused suppression (unknown: DL3900)")]
    assert not [f for f in findings if f["code"] in ("DL3008", "SC2086")]  # still turned off
    assert err == ""  # FL001 says it: no warning besides


def test_a_pragma_for_a_rule_that_did_not_run_is_not_reported(tmp_path, capsys):
    path = write(tmp_path)
    _, findings, _ = check(capsys, "--select", "FL001", path)
    assert fl001(findings) == [(8, "Unused suppression (unknown: DL3900)")]  # the others may serve another run
    _, findings, _ = check(capsys, "--select", "FL001,DL3008,DL3015", "--no-shellcheck", path)
    assert 6 not in [line for line, _ in fl001(findings)]  # ShellCheck did not run: its pragma is not judged


def test_on_by_default_off_in_the_hadolint_profile_where_a_warning_says_it(tmp_path, capsys):
    path = write(tmp_path)
    _, findings, _ = check(capsys, path)
    assert [line for line, _ in fl001(findings)] == [4, 8]
    code, findings, err = check(capsys, "--profile", "hadolint", path)
    assert fl001(findings) == []
    assert err == (f"fastlint: warning: {path}:8: unknown rule ID or prefix 'DL3900' (`fastlint rules` lists them) "
                   "in a pragma; it turns nothing off\n")


def test_a_parallel_run_judges_the_pragmas_as_one_process_does(tmp_path):
    """Workers lint without ShellCheck (it runs in the parent, batched): what a pragma turned off in either pass
    counts."""
    for i in range(70):
        write(tmp_path, SOURCE, f"{i:02d}.Dockerfile")
    runs = {}
    for jobs in ("1", "2"):
        env = {**os.environ, "FASTLINT_JOBS": jobs, "FASTLINT_NO_CACHE": "1"}
        r = subprocess.run([sys.executable, "-m", "fastlint", "check", "--no-config", "--format", "json", "--select",
                            "FL001,DL3008,DL3015,SC2086", str(tmp_path)], capture_output=True, text=True, env=env,
                           timeout=300)
        assert r.returncode == 1, r.stderr
        runs[jobs] = json.loads(r.stdout)
    assert runs["1"] == runs["2"]
    assert sorted({f["line"] for f in runs["2"] if f["code"] == "FL001"}) == [4, 8]


def test_yaml_pragmas_are_judged_too(tmp_path, capsys):
    (tmp_path / ".git").mkdir()
    deploy = tmp_path / "deploy.yaml"
    deploy.write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n"
        "      containers:\n"
        "        # fastlint: ignore=FL703\n"
        "        - name: web\n"
        "          image: gcr.io/acme/web:1.2.3\n")
    _, findings, _ = check(capsys, "--select", "FL001,FL703", str(deploy))
    assert fl001(findings) == [(9, "Unused suppression (unused: FL703)")]


def test_fix_removes_a_pragma_that_turns_nothing_off(tmp_path):
    path = write(tmp_path, "FROM debian:12.5\n# hadolint ignore=DL3008\nRUN echo hi\n")
    r = subprocess.run([sys.executable, "-m", "fastlint", "fix", "--no-config", "--no-template", "--select",
                        "FL001,DL3008", path], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert (tmp_path / "Dockerfile").read_text() == "FROM debian:12.5\nRUN echo hi\n"
