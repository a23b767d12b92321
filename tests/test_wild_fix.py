"""`fastlint fix` on every wild service (fixtures/wild/: real services as their authors published them), as a user
runs it, on a copy: a refused service is left byte for byte as it was, with the one-line reason on stderr; every
other one is rewritten from the template (the original kept as Dockerfile.backup) into a file `fastlint check`
finds no error in. No engine needed: tests/test_wild_migration.py builds, starts and watches the same files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "standins"))

from standins.wild import MIGRATION, SERVICES, WILD  # noqa: E402


def _fastlint(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fastlint", *args], capture_output=True, text=True, timeout=300)


def test_every_service_has_an_expected_outcome():
    assert sorted(MIGRATION) == SERVICES


@pytest.mark.parametrize("name", SERVICES)
def test_wild_service_is_migrated_clean_or_refused_untouched(tmp_path, name):
    outcome, words = MIGRATION[name]
    folder = tmp_path / name
    shutil.copytree(WILD / name, folder)
    (tmp_path / ".git").mkdir()  # the search for fastlint.yaml stops here
    original = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    fixed = _fastlint("fix", "--no-config", str(folder))
    after = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    if outcome == "refused":
        assert after == original, fixed.stderr  # nothing written, not even a .dockerignore
        reason = [line for line in fixed.stderr.splitlines() if "left untouched" in line]
        assert len(reason) == 1 and words in reason[0], fixed.stderr
        return
    assert after[Path("Dockerfile")] != original[Path("Dockerfile")], fixed.stderr
    assert after[Path("Dockerfile.backup")] == original[Path("Dockerfile")]
    checked = _fastlint("check", "--no-config", "--format", "json", str(folder / "Dockerfile"))
    errors = [f"{f['code']}:{f['line']} {f['message']}" for f in json.loads(checked.stdout) if f["level"] == "error"]
    assert errors == [], folder.joinpath("Dockerfile").read_text()


def test_fix_port_names_the_port_the_health_check_probes(tmp_path):
    """`fix --port N` overrides what the files say (node-media-server exposes 8000, 1935 and 8443)."""
    folder = tmp_path / "node-media-server"
    shutil.copytree(WILD / "node-media-server", folder)
    (tmp_path / ".git").mkdir()
    fixed = _fastlint("fix", "--no-config", "--port", "1935", str(folder))
    text = (folder / "Dockerfile").read_text()
    assert "http://127.0.0.1:1935/" in text and "http://127.0.0.1:8000/" not in text, fixed.stderr
    bad = _fastlint("fix", "--no-config", "--port", "http", str(folder))
    assert bad.returncode == 2 and bad.stderr.strip() == "fastlint: --port takes a port number (1-65535), not 'http'"


def test_published_dist_stays_in_the_context_and_a_stale_lockfile_is_not_frozen(tmp_path):
    """postgres-meta runs from its published dist/ (its build cannot run from the folder): the .dockerignore the fix
    writes leaves dist in (the standard's excludes it), production copies it, no build step runs; its lockfile is
    out of sync, so the install is `npm install`, never the `npm ci` that would stop the build (FL403's fix does
    not put it back)."""
    folder = tmp_path / "postgres-meta"
    shutil.copytree(WILD / "postgres-meta", folder)
    (tmp_path / ".git").mkdir()
    fixed = _fastlint("fix", "--no-config", str(folder))
    text = (folder / "Dockerfile").read_text()
    ignored = (folder / ".dockerignore").read_text().splitlines()
    assert "node_modules" in ignored and "dist" not in ignored, fixed.stderr
    assert "COPY --from=builder --chown=nodejs:nodejs /usr/src/app/dist ./dist" in text
    assert "npm run build" not in text and "npm ci" not in text and "RUN npm install --ignore-scripts" in text
    assert "the build cannot run from this folder" in fixed.stderr
    # the migrated file's `npm install` with the stale lockfile: FL406 says so, once; FL403 adds no second finding
    checked = _fastlint("check", "--no-config", "--select", "FL403,FL406", "--format", "json", str(folder / "Dockerfile"))
    findings = [(f["code"], f["line"]) for f in json.loads(checked.stdout)]
    install = next(n for n, line in enumerate(text.splitlines(), 1) if "RUN npm install" in line)
    assert findings == [("FL406", install)], checked.stdout


def test_no_fixture_file_is_ignored_by_git():
    """A fixture file that .gitignore hides (a published `dist/`, say) passes here and is missing from every clone:
    no file under fixtures/ may be ignored."""
    root = Path(__file__).resolve().parent.parent
    listed = subprocess.run(["git", "ls-files", "--others", "--ignored", "--exclude-standard", "fixtures"],
                            cwd=root, capture_output=True, text=True)
    if listed.returncode != 0:
        pytest.skip(f"not a git checkout: {listed.stderr.strip()[:200]}")
    ignored = [p for p in listed.stdout.splitlines() if "__pycache__" not in p and not p.endswith(".pyc")]
    assert ignored == []
