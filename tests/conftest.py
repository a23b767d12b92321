"""Shared test helpers. Paths: the repository root and the shared folder beside it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _shared() -> Path:
    """The shared folder (corpus, hadolint cases, SARIF schema): ``FASTLINT_SHARED``, else ``../shared`` beside the
    checkout (as CI has it), else, for a clone of a local checkout (``git clone /work/main /tmp/x``), the one
    beside the checkout it was cloned from. Tests that need it fail when none exists."""
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
CORPUS = SHARED / "corpus"


def corpus_files() -> list[Path]:
    """Every Dockerfile of the shared corpus (README and MANIFEST left out)."""
    if not CORPUS.is_dir():
        return []
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
    if not SHARED.is_dir():
        pytest.fail(f"the shared folder is missing: {SHARED} (set FASTLINT_SHARED)")
    return SHARED
