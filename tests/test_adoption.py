"""Adopting fastlint on a repository that already has findings (README, "Adopting on a repository that already has
findings"): record today's findings with ``--write-baseline``, commit the file, and run ``--baseline`` in CI, so
that a pull request fails only on findings it adds. Everything goes through the real command line
(``python -m fastlint`` in a subprocess), from the repository root as CI runs it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

SERVICE = "fast-validation-service"
BASELINE = ".fastlint-baseline.json"


def fastlint(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fastlint", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def findings(cwd: Path, *args: str) -> tuple[int, list[dict]]:
    out = fastlint(cwd, "check", "--format", "json", *args)
    assert out.returncode in (0, 1), out.stderr
    return out.returncode, json.loads(out.stdout)


@pytest.fixture()
def repo(tmp_path) -> Path:
    """A repository with one legacy FAST service, and its baseline written and "committed"."""
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "fixtures" / "services" / SERVICE, root / "services" / SERVICE)
    out = fastlint(root, "check", "--write-baseline", BASELINE, "services")
    # writing the baseline still reports (and fails on) today's findings
    assert out.returncode == 1, out.stderr
    assert (root / BASELINE).is_file()
    return root


def test_the_baseline_records_every_finding_of_today(repo):
    code, today = findings(repo, "services")
    assert code == 1 and today
    recorded = json.loads((repo / BASELINE).read_text(encoding="utf-8"))["findings"]
    assert sorted((e["file"], e["code"]) for e in recorded) == sorted((f["file"], f["code"]) for f in today)
    out = fastlint(repo, "check", "--baseline", BASELINE, "services")
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"{len(today)} known findings in the baseline" in out.stdout


def test_old_findings_pass_after_lines_moved_and_a_new_one_fails(repo):
    dockerfile = repo / "services" / SERVICE / "Dockerfile"
    _, before = findings(repo, "services")
    text = dockerfile.read_text(encoding="utf-8")

    # a pull request adds two comment lines at the top: every old finding moves down two lines
    dockerfile.write_text("# fast-validation-service\n# owner: payments team\n" + text, encoding="utf-8")
    _, moved = findings(repo, "services")
    old_dockerfile = [(f["code"], f["line"]) for f in before if f["file"].endswith("/Dockerfile")]
    assert sorted((f["code"], f["line"]) for f in moved if f["file"].endswith("/Dockerfile")) == \
        sorted((c, line + 2) for c, line in old_dockerfile)
    code, reported = findings(repo, "--baseline", BASELINE, "services")
    assert (code, reported) == (0, [])
    out = fastlint(repo, "check", "--baseline", BASELINE, "services")
    assert out.returncode == 0, out.stdout + out.stderr

    # ... and a secret in ENV: that finding is new, and it alone fails the check
    lines = dockerfile.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("WORKDIR"))
    lines.insert(at + 1, "ENV API_TOKEN=s3cr3t\n")
    dockerfile.write_text("".join(lines), encoding="utf-8")
    new_line = at + 2
    code, reported = findings(repo, "--baseline", BASELINE, "services")
    assert code == 1
    assert reported and {f["line"] for f in reported} == {new_line}
    assert "FL601" in {f["code"] for f in reported}
    out = fastlint(repo, "check", "--baseline", BASELINE, "services")
    assert out.returncode == 1
    assert f"services/{SERVICE}/Dockerfile:{new_line}:5: FL601" in out.stdout
    # without the baseline, everything is reported again
    _, everything = findings(repo, "services")
    assert len(everything) == len(before) + len(reported)


def test_the_baseline_works_from_another_folder(repo):
    """Paths in the baseline are relative to its own folder: CI may run fastlint from a subfolder."""
    out = fastlint(repo / "services", "check", "--baseline", f"../{BASELINE}", SERVICE)
    assert out.returncode == 0, out.stdout + out.stderr
    code, reported = findings(repo / "services" / SERVICE, "--baseline", f"../../{BASELINE}")
    assert (code, reported) == (0, [])


def test_a_broken_baseline_is_a_clear_error(repo):
    (repo / BASELINE).write_text("{not json", encoding="utf-8")
    out = fastlint(repo, "check", "--baseline", BASELINE, "services")
    assert out.returncode == 2
    assert BASELINE in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
