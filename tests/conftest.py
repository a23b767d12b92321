"""Shared test helpers. Paths: the repository root and the shared folder beside it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("FASTLINT_SHARED", ROOT.parent / "shared"))
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


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"the shared folder is missing: {SHARED} (set FASTLINT_SHARED)")
    return SHARED
