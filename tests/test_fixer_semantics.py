"""``fastlint fix`` behaviours mutation testing (issue 19) found unpinned: the line ending of inserted text when
exactly half of a file's line breaks are CRLF, and a fix of another file (FL404's .dockerignore) that keeps
firing while other fixes change the Dockerfile over several passes: it is applied once, not once per pass."""

from __future__ import annotations

import pytest
from cli_runner import CliRunner

from fastlint.cli import main as app
from fastlint.engine.config import reset_caches


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def fix(*args: str):
    reset_caches()
    r = CliRunner().invoke(app, ["fix", "--no-template", *args])
    assert r.exit_code in (0, 1), r.stdout + r.stderr
    return r


USER_ADDED = b"RUN addgroup -g 1001 -S nodejs && adduser -S -u 1001 -G nodejs nodejs"


@pytest.mark.parametrize(("breaks", "inserted"), [
    ([b"\r\n", b"\n"], b"USER nodejs\r\n"),          # exactly half CRLF: CRLF
    ([b"\r\n", b"\r\n"], b"USER nodejs\r\n"),
    ([b"\n", b"\r\n", b"\n"], b"USER nodejs\n"),     # fewer than half: LF
    ([b"\n", b"\n"], b"USER nodejs\n"),
])
def test_inserted_lines_take_the_line_ending_of_at_least_half_the_file(project, breaks, inserted):
    lines = [b"FROM node:20-alpine AS production", USER_ADDED, b"WORKDIR /app"][: len(breaks)]
    original = b"".join(line + eol for line, eol in zip(lines, breaks))
    (project / "Dockerfile").write_bytes(original)
    fix("--unsafe-fixes", "--select", "FL301", "Dockerfile")
    assert (project / "Dockerfile").read_bytes() == original + inserted


def test_a_dockerignore_fix_is_applied_once_while_other_fixes_take_several_passes(project):
    (project / "Dockerfile").write_text(
        "FROM node:20-alpine\n"
        "RUN apk add --update curl=8.5.0-r0\n"
        "RUN apk add -U git=2.43.0-r0\n")
    (project / ".dockerignore").write_text("node_modules\n")
    fix("--unsafe-fixes", "--select", "FL404,DL3019", "Dockerfile")
    assert (project / "Dockerfile").read_text() == (
        "FROM node:20-alpine\n"
        "RUN apk add --no-cache --update curl=8.5.0-r0\n"
        "RUN apk add --no-cache -U git=2.43.0-r0\n")
    ignore = (project / ".dockerignore").read_text()
    assert ignore.count("# added by fastlint (FL404)") == 1, ignore
    assert ignore.startswith("node_modules\n# added by fastlint (FL404)\n")
    assert ignore.count("\n.git\n") == 1, ignore


@pytest.mark.parametrize("existing", [None, "node_modules\n"])
def test_two_dockerfiles_sharing_a_dockerignore_fix_it_once(project, existing):
    """One run over a folder with two Dockerfiles that read the same .dockerignore: both report FL404, the file
    is written (or appended to) once, and it then satisfies both."""
    for name in ("Dockerfile", "Dockerfile.dev"):
        (project / name).write_text("FROM node:20-alpine\n")
    if existing is not None:
        (project / ".dockerignore").write_text(existing)
    fix("--unsafe-fixes", "--select", "FL404", ".")
    ignore = (project / ".dockerignore").read_text()
    for entry in ("node_modules", ".git", "dist", ".env"):
        assert ignore.split("\n").count(entry) == 1, ignore
    if existing is not None:
        assert ignore.startswith(existing) and ignore.count("# added by fastlint (FL404)") == 1, ignore
    reset_caches()
    r = CliRunner().invoke(app, ["check", "--select", "FL404", "."])
    assert r.exit_code == 0, r.stdout + r.stderr
