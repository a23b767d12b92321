"""``fastlint fix`` as a user runs it: options, what is written, what is printed, exit codes, bad inputs."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from cli_runner import CliRunner

from fastlint.cli import main as app
from fastlint.engine.config import reset_caches

ROOT = Path(__file__).resolve().parent.parent
LEGACY = "FROM node:20\nMAINTAINER Team <team@example.com>\n# the start command\nCMD node dist/index.js\n"
LABEL = 'LABEL org.opencontainers.image.authors="Team <team@example.com>"'
EXEC = 'CMD ["node", "dist/index.js"]'


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A project folder as the current directory (``.git`` stops the search for fastlint.yaml there)."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def fix(*args):
    reset_caches()
    return CliRunner().invoke(app, ["fix", *args])


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


# -- fixing in place ---------------------------------------------------------------------------------------------
def test_safe_fixes_in_place_and_a_summary(work):
    df = write(work / "Dockerfile", LEGACY)
    r = fix("--no-template", "--select", "DL4000,DL3025", "Dockerfile")
    assert df.read_text() == LEGACY.replace("MAINTAINER Team <team@example.com>", LABEL)
    assert "Dockerfile:2: fixed DL4000" in r.stdout
    assert "Fixed 1 finding in 1 file" in r.stdout
    # DL3025's fix is unsafe: left, and the summary says how to get it
    assert "Dockerfile:4:1: DL3025 Use arguments JSON" in r.stdout  # no [*]: `fix` alone does not fix it
    assert "1 fixable with --unsafe-fixes" in r.stdout
    assert r.exit_code == 1


def test_unsafe_fixes_on_request(work):
    df = write(work / "Dockerfile", LEGACY)
    r = fix("--no-template", "--unsafe-fixes", "--select", "DL4000,DL3025", "Dockerfile")
    assert df.read_text() == f"FROM node:20\n{LABEL}\n# the start command\n{EXEC}\n"
    assert "Fixed 2 findings" in r.stdout and "nothing left to fix" in r.stdout
    assert r.exit_code == 0


def test_exit_0_when_nothing_is_left(work):
    write(work / "Dockerfile", "FROM node:20\nMAINTAINER me\n")
    assert fix("--select", "DL4000", "Dockerfile").exit_code == 0
    r = fix("--select", "DL4000", "Dockerfile")
    assert r.exit_code == 0 and "No fixes applied" in r.stdout


def test_a_second_run_changes_nothing_not_even_the_mtime(work):
    df = write(work / "Dockerfile", LEGACY)
    fix("--no-template", "--unsafe-fixes", "Dockerfile")
    first = df.read_bytes()
    os.utime(df, (1_000_000, 1_000_000))
    r = fix("--no-template", "--unsafe-fixes", "Dockerfile")
    assert df.read_bytes() == first
    assert df.stat().st_mtime == 1_000_000
    assert "No fixes applied" in r.stdout


def test_folders_are_searched_and_each_file_is_reported(work):
    write(work / "a" / "Dockerfile", LEGACY)
    write(work / "b" / "Dockerfile.prod", "FROM node:20\nMAINTAINER x\n")
    r = fix("--select", "DL4000", ".")
    assert "a/Dockerfile:2: fixed DL4000" in r.stdout
    assert "b/Dockerfile.prod:2: fixed DL4000" in r.stdout
    assert "Fixed 2 findings in 2 files (2 files checked)" in r.stdout
    assert r.exit_code == 0


def test_mode_crlf_and_missing_final_newline_are_kept(work):
    text = "FROM node:20\r\n# keep\r\nMAINTAINER me\r\nRUN echo hi"
    df = write(work / "Dockerfile", text)
    df.chmod(0o640)
    assert fix("--select", "DL4000", "Dockerfile").exit_code == 0
    assert df.read_bytes() == text.replace("MAINTAINER me", 'LABEL org.opencontainers.image.authors="me"').encode()
    assert stat.S_IMODE(df.stat().st_mode) == 0o640
    assert [p.name for p in work.iterdir() if p.name.endswith(".tmp")] == []  # no temporary file left


# -- --diff ------------------------------------------------------------------------------------------------------
def test_diff_prints_and_writes_nothing(work):
    df = write(work / "Dockerfile", LEGACY)
    r = fix("--diff", "--no-template", "--unsafe-fixes", "--select", "DL4000,DL3025", "Dockerfile")
    assert df.read_text() == LEGACY
    assert r.stdout.startswith("--- a/Dockerfile\n+++ b/Dockerfile\n")
    assert "-MAINTAINER Team <team@example.com>\n" in r.stdout
    assert f"+{LABEL}\n" in r.stdout and f"+{EXEC}\n" in r.stdout
    assert " # the start command\n" in r.stdout
    assert "Would fix 2 findings" in r.stderr  # the summary goes to stderr: stdout is the diff
    assert r.exit_code == 1


def test_diff_without_changes_exits_0(work):
    write(work / "Dockerfile", "FROM node:20\nCMD node x.js\n")
    r = fix("--diff", "--select", "DL4000", "Dockerfile")
    assert r.stdout == "" and r.exit_code == 0


def test_diff_marks_a_missing_final_newline(work):
    write(work / "Dockerfile", "FROM node:20\nMAINTAINER me")
    r = fix("--diff", "--select", "DL4000", "Dockerfile")
    assert r.stdout.endswith('+LABEL org.opencontainers.image.authors="me"\n\\ No newline at end of file\n')


# -- --output ----------------------------------------------------------------------------------------------------
def test_output_writes_beside_the_input_and_keeps_it(work):
    df = write(work / "svc" / "Dockerfile", LEGACY)
    df.chmod(0o600)
    r = fix("--select", "DL4000", "--output", "Dockerfile.optimized", "svc")
    out = work / "svc" / "Dockerfile.optimized"
    assert df.read_text() == LEGACY
    assert out.read_text() == LEGACY.replace("MAINTAINER Team <team@example.com>", LABEL)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "result written to svc/Dockerfile.optimized" in r.stdout
    # a second run does not take the output for an input
    r = fix("--select", "DL4000", "--output", "Dockerfile.optimized", "svc")
    assert "1 file checked" in r.stdout


def test_output_must_be_a_name(work):
    write(work / "Dockerfile", LEGACY)
    r = fix("--output", "sub/Dockerfile", "Dockerfile")
    assert r.exit_code == 2 and "--save-as takes a file name" in r.stderr


# -- the template rewrite: backup ------------------------------------------------------------------------------
def service(work: Path, name: str = "fast-validation-service") -> Path:
    """A temporary copy of a fixture service."""
    import shutil

    dst = work / name
    shutil.copytree(ROOT / "fixtures" / "services" / name, dst)
    return dst


def test_rewrite_keeps_a_backup(work):
    svc = service(work)
    original = (svc / "Dockerfile").read_text()
    r = fix(str(svc.name))
    assert (svc / "Dockerfile.backup").read_text() == original
    assert "AS production" in (svc / "Dockerfile").read_text()
    assert f"original kept as {svc.name}/Dockerfile.backup" in r.stdout
    assert "rewritten from the template" in r.stdout


def test_no_backup(work):
    svc = service(work)
    fix("--no-backup", svc.name)
    assert not (svc / "Dockerfile.backup").exists()
    assert "AS production" in (svc / "Dockerfile").read_text()


def test_no_template_leaves_the_structure_alone(work):
    svc = service(work)
    r = fix("--no-template", svc.name)
    assert "AS production" not in (svc / "Dockerfile").read_text()
    assert "FL101" in r.stdout and r.exit_code == 1


def test_a_backup_in_the_way_stops_the_rewrite(work):
    svc = service(work)
    original = (svc / "Dockerfile").read_text()
    (svc / "Dockerfile.backup").write_text("something else\n")
    r = fix(svc.name)
    assert r.exit_code == 2
    assert "Dockerfile.backup: a backup from an earlier rewrite is in the way" in r.stderr
    assert (svc / "Dockerfile").read_text() == original
    assert not (svc / ".dockerignore").exists()  # nothing half written


def test_custom_template_file(work):
    svc = service(work)
    from fastlint.policy.template import TEMPLATE_PATH

    custom = TEMPLATE_PATH.read_text().replace("# Stage 1: dependencies", "# Stage 1 (custom): dependencies")
    write(work / "my.template", custom)
    r = fix("--template-file", "my.template", svc.name)
    assert r.exit_code in (0, 1) and "rewritten from the template" in r.stdout, r.stderr
    assert "# Stage 1 (custom): dependencies" in (svc / "Dockerfile").read_text()


def test_missing_template_file(work):
    write(work / "Dockerfile", LEGACY)
    r = fix("--template-file", "nope.template", "Dockerfile")
    assert r.exit_code == 2 and "nope.template: cannot read the template" in r.stderr
    assert (work / "Dockerfile").read_text() == LEGACY


def test_missing_package_json_other_fixes_still_apply(work):
    """Documented choice: no package.json means no Node.js service to rewrite; one warning, the other fixes."""
    df = write(work / "svc" / "Dockerfile", LEGACY)
    r = fix("svc")
    assert "svc/Dockerfile: not rewritten from the template: no package.json in svc" in r.stderr
    assert r.stderr.count("\n") >= 1 and "Traceback" not in r.stderr
    assert LABEL in df.read_text()  # the safe fixes were applied
    assert not (work / "svc" / "Dockerfile.backup").exists()
    assert "FL101" in r.stdout and r.exit_code == 1


def test_invalid_package_json(work):
    svc = service(work)
    (svc / "package.json").write_text('{"name": "x",\n  "scripts": }\n')
    r = fix(svc.name)
    assert f"{svc.name}/package.json:2: invalid JSON" in r.stderr
    assert r.exit_code == 1 and not (svc / "Dockerfile.backup").exists()


# -- bad inputs ----------------------------------------------------------------------------------------------------
def test_a_file_that_does_not_parse_is_left_untouched(work):
    text = "FROM node:20\nMAINTAINER me\nRUN <<EOT\necho hi\n"
    df = write(work / "Dockerfile", text)
    r = fix("Dockerfile")
    assert r.exit_code == 2
    assert df.read_text() == text
    line = [l for l in r.stderr.splitlines() if "does not parse" in l]
    assert line and line[0].startswith("fastlint: Dockerfile:3: cannot fix")
    assert "Traceback" not in r.stderr


def test_a_file_docker_build_rejects_for_an_unknown_instruction_is_left_untouched(work):
    text = "FROM node:20\nMAINTAINER me\nFOO bar\n"
    df = write(work / "Dockerfile", text)
    r = fix("Dockerfile")
    assert r.exit_code == 2
    assert df.read_text() == text
    assert "fastlint: Dockerfile:3: cannot fix: the file does not parse: unknown instruction: FOO" in r.stderr


def test_a_fifo_named_dockerfile_is_an_error_not_a_hang(work):
    write(work / "b" / "Dockerfile", "FROM node:20\nMAINTAINER me\n")
    (work / "a").mkdir()
    os.mkfifo(work / "a" / "Dockerfile")  # reading it would block forever
    r = fix("--select", "DL4000", ".")
    assert r.exit_code == 2
    assert "a/Dockerfile: not a regular file (a FIFO), not read" in r.stderr
    assert "LABEL" in (work / "b" / "Dockerfile").read_text()


def test_other_files_are_still_fixed_when_one_is_broken(work):
    write(work / "a" / "Dockerfile", "FROM node:20\nRUN <<EOT\n")
    good = write(work / "b" / "Dockerfile", "FROM node:20\nMAINTAINER me\n")
    r = fix("--select", "DL4000", ".")
    assert r.exit_code == 2
    assert "LABEL" in good.read_text()


def test_symlink_is_refused(work):
    target = write(work / "real" / "Dockerfile", LEGACY)
    link = work / "Dockerfile"
    link.symlink_to(target)
    r = fix("--select", "DL4000", "Dockerfile")
    assert r.exit_code == 2
    assert "Dockerfile: is a symbolic link" in r.stderr
    assert link.is_symlink() and target.read_text() == LEGACY
    # --diff only reads: allowed
    r = fix("--diff", "--select", "DL4000", "Dockerfile")
    assert r.exit_code == 1 and f"+{LABEL}" in r.stdout


def test_read_only_file_is_refused(work):
    df = write(work / "Dockerfile", LEGACY)
    df.chmod(0o444)
    r = fix("--select", "DL4000", "Dockerfile")
    assert r.exit_code == 2
    assert "Dockerfile: is read-only; nothing written" in r.stderr
    assert df.read_text() == LEGACY and stat.S_IMODE(df.stat().st_mode) == 0o444


def test_missing_path_and_binary_file(work):
    (work / "Dockerfile").write_bytes(b"FROM a\x00\x01\n")
    r = fix("Dockerfile", "missing/Dockerfile")
    assert r.exit_code == 2
    assert "missing/Dockerfile: no such file or directory" in r.stderr
    assert "Dockerfile:1: cannot fix: binary file" in r.stderr


def test_bad_config_is_exit_2(work):
    write(work / "Dockerfile", LEGACY)
    r = fix("--config", "nope.yaml", "Dockerfile")
    assert r.exit_code == 2 and "nope.yaml" in r.stderr
    assert (work / "Dockerfile").read_text() == LEGACY


# -- the hadolint profile ----------------------------------------------------------------------------------------
NO_STANDARD = "FROM node:20\nMAINTAINER Team <team@example.com>\nUSER root\n"


@pytest.mark.parametrize("how", ["option", "environment"])
def test_the_hadolint_profile_fixes_with_hadolint_rules_alone(work, monkeypatch, how):
    """``fix --profile hadolint`` (or FASTLINT_PROFILE) applies hadolint's rules' fixes and none of the FAST
    policy's: no FL finding, no template rewrite; the default profile reports the FL findings it cannot fix."""
    write(work / "Dockerfile", NO_STANDARD)
    args = ["--profile", "hadolint"] if how == "option" else []
    if how == "environment":
        monkeypatch.setenv("FASTLINT_PROFILE", "hadolint")
    r = fix("--no-template", *args, "Dockerfile")
    assert (work / "Dockerfile").read_text() == NO_STANDARD.replace("MAINTAINER Team <team@example.com>", LABEL)
    assert "FL" not in r.output and "DL3002" in r.output, r.output
    monkeypatch.delenv("FASTLINT_PROFILE", raising=False)
    write(work / "Dockerfile", NO_STANDARD)
    assert "FL501" in fix("--no-template", "Dockerfile").output


def test_a_bad_profile_is_a_usage_error(work, monkeypatch):
    write(work / "Dockerfile", NO_STANDARD)
    assert fix("--profile", "strict", "Dockerfile").exit_code == 2
    monkeypatch.setenv("FASTLINT_PROFILE", "strict")
    r = fix("Dockerfile")
    assert r.exit_code == 2 and r.output.strip() == "fastlint: FASTLINT_PROFILE must be fast or hadolint, not 'strict'"
    assert (work / "Dockerfile").read_text() == NO_STANDARD


def test_fastlint_failing_on_a_file_is_not_called_a_parse_error(work, monkeypatch):
    """A bug of fastlint's (here: the engine raising) is reported as such, not blamed on the file."""
    import fastlint.fixer.loop as loop

    def broken(*args, **kwargs):
        raise ModuleNotFoundError("No module named 'nodesemver'")

    monkeypatch.setattr(loop, "lint_text", broken)
    df = write(work / "Dockerfile", LEGACY)
    r = fix("--no-template", "Dockerfile")
    assert r.exit_code == 2 and df.read_text() == LEGACY
    assert "cannot fix: fastlint failed on this file (ModuleNotFoundError: No module named 'nodesemver'); please " \
           "report it; left untouched" in r.stderr
    assert "does not parse" not in r.stderr
