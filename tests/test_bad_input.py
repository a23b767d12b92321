"""Files that are not clean Dockerfiles: each gets a DL1000 finding at the right line or a one-line error naming
the file, the other files are still checked, nothing prints a traceback, and the exit code says what happened
(1: findings, 2: a path could not be read).

Unreadable files: the tests run as root, for whom ``chmod 000`` changes nothing. So "unreadable" is produced
honestly in four ways: ``chmod 000`` with fastlint running as the ``nobody`` user (a subprocess that drops to
that user after a warm-up run; skipped when not root), a symbolic link to ``/proc/self/mem`` (a regular file whose read fails with EIO
for anyone), a broken symbolic link, and a FIFO (which must not be opened: reading it would block forever).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import ROOT
from fastlint.cli.check import main

ENV = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1")
GOOD = "FROM node\n"  # one DL3006 finding


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "Dockerfile").write_text(GOOD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(capsys, *args) -> tuple[int, list[dict], str]:
    select = [] if "--select" in args else ["--select", "DL"]  # repeated --select options add up
    rc = main(["--format", "json", *select, "--no-shellcheck", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return rc, json.loads(out), err


def dl1000(findings, file) -> list[tuple[int, str]]:
    return [(f["line"], f["message"]) for f in findings if f["file"] == file and f["code"] == "DL1000"]


def good_checked(findings) -> bool:
    return ("good/Dockerfile", "DL3006") in {(f["file"], f["code"]) for f in findings}


# -- files that are read but are not valid Dockerfiles: DL1000, exit 1 ----------------------------------------------
def test_empty_file(project, capsys):
    (project / "Dockerfile").write_bytes(b"")
    rc, findings, err = check(capsys, ".")
    assert rc == 1 and err == ""
    assert dl1000(findings, "Dockerfile") == [(1, "file with no instructions")]
    assert good_checked(findings)


def test_binary_file(project, capsys):
    (project / "Dockerfile").write_bytes(b"FROM alpine\n\x00\x01\x02\xff\xfe" * 10)
    rc, findings, err = check(capsys, ".")
    assert rc == 1 and err == ""
    ((line, message),) = dl1000(findings, "Dockerfile")
    assert line == 1 and "binary file" in message
    assert good_checked(findings)


def test_invalid_utf8_names_the_line(project, capsys):
    (project / "Dockerfile").write_bytes(b"FROM alpine:3.19\nRUN echo caf\xe9\nRUN echo ok\n")
    rc, findings, err = check(capsys, ".")
    assert rc == 1
    assert dl1000(findings, "Dockerfile") == [(2, "invalid UTF-8 (byte 0xe9 at offset 29)")]
    assert good_checked(findings)


def test_bom_is_accepted(project, capsys):
    (project / "Dockerfile").write_bytes(b"\xef\xbb\xbfFROM node\nMAINTAINER x\n")
    rc, findings, err = check(capsys, "--select", "DL3006,DL4000,DL1000", ".")
    assert rc == 1
    assert sorted((f["file"], f["code"], f["line"]) for f in findings) == [
        ("Dockerfile", "DL3006", 1), ("Dockerfile", "DL4000", 2), ("good/Dockerfile", "DL3006", 1)]


def test_crlf_line_endings(project, capsys):
    (project / "Dockerfile").write_bytes(b"FROM node\r\nMAINTAINER x\r\nRUN echo a \\\r\n  && echo b\r\n")
    rc, findings, err = check(capsys, "--select", "DL3006,DL4000,DL1000", "Dockerfile")
    assert rc == 1
    assert [(f["code"], f["line"], f["column"], f["end_line"], f["end_column"]) for f in findings] == [
        ("DL3006", 1, 6, 1, 10), ("DL4000", 2, 1, 2, 13)]
    main(["--select", "DL4000", "--color", "never", "Dockerfile"])
    text = capsys.readouterr().out
    assert "2 | MAINTAINER x\n" in text and "\r" not in text  # the snippet without the \r


def test_unterminated_heredoc(project, capsys):
    (project / "Dockerfile").write_text("FROM alpine:3.19\nRUN <<EOT\necho hi\n")
    rc, findings, err = check(capsys, ".")
    assert rc == 1
    assert dl1000(findings, "Dockerfile") == [(2, "unterminated heredoc <<EOT (opened on line 2)")]
    assert good_checked(findings)


def test_ten_megabyte_file(project, capsys):
    body = "hello world, a line of data in a heredoc body\n" * 230_000
    text = "FROM node\nCOPY <<EOF /data.txt\n" + body + "EOF\nMAINTAINER x\n"
    (project / "Dockerfile").write_text(text)
    assert len(text) > 10_000_000
    rc, findings, err = check(capsys, "--select", "DL3006,DL4000,DL1000", ".")
    assert rc == 1 and err == ""
    last = text.count("\n")
    assert sorted((f["file"], f["code"], f["line"]) for f in findings) == [
        ("Dockerfile", "DL3006", 1), ("Dockerfile", "DL4000", last), ("good/Dockerfile", "DL3006", 1)]


def test_line_longer_than_buildkit_accepts(project, capsys):
    import dockerfile  # BuildKit's parser, a test dependency: a broken install fails here, not skips
    too_long = "FROM alpine:3.19\nRUN echo " + "a" * 70_000 + "\nRUN echo ok\n"
    at_limit = "FROM alpine:3.19\nRUN echo " + "a" * (65_535 - 9) + "\n"
    (project / "Dockerfile").write_text(too_long)
    (project / "limit.Dockerfile").write_text(at_limit)
    # the oracle: BuildKit's own parser rejects the first and accepts the second
    with pytest.raises(dockerfile.GoParseError, match="line greater than max allowed size of 65535"):
        dockerfile.parse_string(too_long)
    dockerfile.parse_string(at_limit)
    rc, findings, err = check(capsys, ".")
    assert rc == 1
    assert dl1000(findings, "Dockerfile") == [
        (2, "line too long (70009 bytes): BuildKit rejects lines longer than 65535 bytes")]
    assert dl1000(findings, "limit.Dockerfile") == []
    assert good_checked(findings)
    # the text report shows a window of the line, not 70 000 characters
    main(["--select", "DL1000", "--color", "never", "Dockerfile"])
    text = capsys.readouterr().out
    assert max(len(line) for line in text.splitlines()) < 200


def test_control_characters_do_not_reach_the_terminal(project, capsys):
    (project / "Dockerfile").write_text("FROM node\x1b]0;pwned\x07\n")
    main(["--select", "DL3006,DL1000", "--color", "never", "Dockerfile"])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out


# -- paths that are not Dockerfiles or cannot be read ------------------------------------------------------------
def test_folder_named_dockerfile_is_searched_not_read(project, capsys):
    (project / "svc" / "Dockerfile").mkdir(parents=True)
    (project / "svc" / "Dockerfile" / "Dockerfile").write_text(GOOD)
    rc, findings, err = check(capsys, ".")
    assert rc == 1 and err == ""
    assert {f["file"] for f in findings} == {"good/Dockerfile", "svc/Dockerfile/Dockerfile"}
    rc, findings, err = check(capsys, "svc/Dockerfile")
    assert rc == 1 and {f["file"] for f in findings} == {"svc/Dockerfile/Dockerfile"}


@pytest.mark.parametrize("kind", ["proc-mem", "broken-link", "fifo"])
def test_unreadable_file_is_a_one_line_error(project, capsys, kind):
    target = project / "Dockerfile"
    if kind == "proc-mem":
        target.symlink_to("/proc/self/mem")  # stat: a regular file; read(): EIO, even for root
        expected = "fastlint: Dockerfile: cannot read: Input/output error\n"
    elif kind == "broken-link":
        target.symlink_to(project / "gone")
        expected = "fastlint: Dockerfile: cannot read: broken symbolic link\n"
    else:
        os.mkfifo(target)  # nobody writes to it: opening it for reading would block the run forever
        expected = "fastlint: Dockerfile: not a regular file (a FIFO), not read\n"
    rc, findings, err = check(capsys, ".")
    assert rc == 2
    assert err == expected
    assert good_checked(findings)
    assert all(f["file"] != "Dockerfile" for f in findings)


def _nobody():
    try:
        import pwd

        return pwd.getpwnam("nobody")
    except (ImportError, KeyError):
        return None


_AS_NOBODY = """
import contextlib, io, os, sys
from fastlint.cli.check import main
args = ["--select", "DL3006", "--format", "json", "--no-shellcheck"]
with contextlib.redirect_stdout(io.StringIO()):
    main(args + ["warmup"])  # as root: import everything a run needs (the interpreter lives under /root)
os.setgroups([])
os.setgid(int(sys.argv[2]))
os.setuid(int(sys.argv[1]))
sys.exit(main(args + ["project"]))
"""


@pytest.mark.skipif(os.geteuid() != 0 or _nobody() is None, reason="needs root to become 'nobody'")
def test_permission_denied_as_an_ordinary_user():
    """chmod 000 as it bites a real user: the run drops to 'nobody' (after a warm-up run as root has imported
    what it needs, since the interpreter's own files are not readable by 'nobody' here)."""
    nobody = _nobody()
    folder = Path(tempfile.mkdtemp(prefix="fastlint-perm-"))  # not under pytest's 0700 tmp folder
    try:
        folder.chmod(0o755)
        for name in ("warmup", "project", "project/good"):
            (folder / name).mkdir()
        (folder / "warmup" / "Dockerfile").write_text(GOOD)
        (folder / "project" / "good" / "Dockerfile").write_text(GOOD)
        secret = folder / "project" / "Dockerfile"
        secret.write_text(GOOD)
        secret.chmod(0)
        proc = subprocess.run([sys.executable, "-c", _AS_NOBODY, str(nobody.pw_uid), str(nobody.pw_gid)],
                              cwd=folder, env=ENV, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr == "fastlint: project/Dockerfile: cannot read: Permission denied\n"
        assert [f["file"] for f in json.loads(proc.stdout)] == ["project/good/Dockerfile"]
    finally:
        shutil.rmtree(folder)


# -- all of them at once, through the real command line -----------------------------------------------------------
def test_a_folder_of_bad_files_through_the_command_line(project):
    (project / "empty.Dockerfile").write_bytes(b"")
    (project / "binary.Dockerfile").write_bytes(b"\x00\x01\x02")
    (project / "latin1.Dockerfile").write_bytes(b"FROM alpine\nLABEL x=\xe9\n")
    (project / "bom.Dockerfile").write_bytes(b"\xef\xbb\xbfFROM alpine:3.19\n")
    (project / "crlf.Dockerfile").write_bytes(b"FROM alpine:3.19\r\n")
    (project / "heredoc.Dockerfile").write_text("FROM alpine:3.19\nRUN <<EOT\n")
    (project / "long.Dockerfile").write_text("FROM alpine:3.19\n# " + "x" * 70_000 + "\n")
    (project / "dir.Dockerfile").mkdir()
    (project / "link.Dockerfile").symlink_to(project / "nowhere")
    os.mkfifo(project / "fifo.Dockerfile")
    proc = subprocess.run([sys.executable, "-m", "fastlint", "check", "--select", "DL", "--format", "json", "."],
                          cwd=project, env=ENV, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 2
    findings = json.loads(proc.stdout)
    parse_errors = {f["file"]: f["line"] for f in findings if f["code"] == "DL1000"}
    assert parse_errors == {"empty.Dockerfile": 1, "binary.Dockerfile": 1, "latin1.Dockerfile": 2,
                            "heredoc.Dockerfile": 2, "long.Dockerfile": 2}
    assert good_checked(findings)
    assert sorted(proc.stderr.splitlines()) == [
        "fastlint: fifo.Dockerfile: not a regular file (a FIFO), not read",
        "fastlint: link.Dockerfile: cannot read: broken symbolic link",
    ]
    assert stat.S_ISFIFO((project / "fifo.Dockerfile").lstat().st_mode)
