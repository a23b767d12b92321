"""Shared test helpers. Paths: the repository root, the test data kept in the repository (``tests/data``: the
corpus and the SARIF schema, see its NOTICE) and the shared folder beside the checkout (only hadolint's own rule
cases, which are GPL-3.0 and stay outside the repository)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _shared() -> Path:
    """The shared folder (hadolint's cases): ``FASTLINT_SHARED``, else ``../shared`` beside the
    checkout (as CI has it), else, for a clone of a local checkout (``git clone /work/main /tmp/x``), the one
    beside the checkout it was cloned from."""
    if os.environ.get("FASTLINT_SHARED"):
        return Path(os.environ["FASTLINT_SHARED"])
    beside = ROOT.parent / "shared"
    if beside.is_dir():
        return beside
    try:
        origin = subprocess.run(["git", "-C", str(ROOT), "config", "--get", "remote.origin.url"],
                                capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        origin = ""
    if origin and "://" not in origin and ":" not in origin.split("/", 1)[0]:  # a local path, not a URL
        cloned_from = (ROOT / origin).resolve().parent / "shared"
        if cloned_from.is_dir():
            return cloned_from
    return beside


SHARED = _shared()
DATA = ROOT / "tests" / "data"
CORPUS = DATA / "corpus"
SARIF_SCHEMA = DATA / "sarif-schema-2.1.0.json"
HADOLINT_CASES = SHARED / "hadolint-cases" / "cases.jsonl"
IN_CI = os.environ.get("CI", "").lower() in ("true", "1", "yes")


def corpus_files() -> list[Path]:
    """Every Dockerfile of the corpus (README and MANIFEST left out)."""
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name not in ("README.md", "MANIFEST.tsv"))


@pytest.fixture(autouse=True)
def _fresh_config():
    """Every test starts without cached policies or found configuration files (they live for a run)."""
    from fastlint.engine import config

    config.reset_caches()
    yield
    config.reset_caches()


@pytest.fixture()
def no_engine(tmp_path, monkeypatch):
    """No Docker engine answers fastlint's base-image lookups (fastlint/images.py): results never depend on the
    images the machine's engine happens to hold (each run asks again: its Lookups live in its RunState). A test that
    wants an engine starts tests/fake_engine.py."""
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path / 'no-engine.sock'}")
    yield


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared folder, for a test that needs what only it holds (hadolint's cases): fails when it is missing."""
    if not SHARED.is_dir():
        pytest.fail(f"the shared folder is missing: {SHARED} (set FASTLINT_SHARED)")
    return SHARED
