"""Behaviours a full mutation run (scripts/mutation.py, docs/mutation.md) found that no test pinned: each test
here fails on the mutant named in its docstring. Through public entry points: the command line, ``migrate``."""

from __future__ import annotations

import json

import pytest

from fastlint.cli.check import main as check_main
from fastlint.engine.config import builtin_policy, reset_caches
from fastlint.fixer.migrate import migrate

PACKAGE = {"name": "svc", "main": "dist/index.js", "scripts": {"build": "tsc", "start": "node dist/index.js"},
           "dependencies": {"@grpc/grpc-js": "^1"}}


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(capsys, *args) -> str:
    reset_caches()
    capsys.readouterr()
    check_main(list(args))
    return capsys.readouterr().out


def migrated(root, folder: str, dockerfile: str):
    d = root / folder
    d.mkdir(parents=True, exist_ok=True)
    (d / "Dockerfile").write_text(dockerfile)
    (d / "package.json").write_text(json.dumps(PACKAGE))
    reset_caches()
    return migrate(dockerfile, str(d / "Dockerfile"), builtin_policy())


# -- fixer/migrate --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("env_port", "warns"), [("3000", True), ("50052", False)])
def test_migration_warns_when_env_port_differs_from_the_matrix(tmp_path, env_port, warns):
    """Mutant: ``int(env_port) != port`` -> ``int(env_port) is port`` (no warning for a different port)."""
    m = migrated(tmp_path, "fast-validation-service", f"FROM node:18\nENV PORT={env_port}\nCMD node dist/index.js\n")
    said = [(line, msg) for line, msg in m.warnings if "ENV PORT" in msg]
    if warns:
        assert said == [(2, f"ENV PORT={env_port} differs from the service matrix's port 50052: check which port "
                            "the service listens on")]
    else:
        assert said == []


# -- report/sarif ---------------------------------------------------------------------------------------------------
def test_sarif_fix_description_is_the_rules_own(project, capsys):
    """Mutant: ``f.fix.description or "apply fastlint's fix"`` -> ``and`` (every fix described generically)."""
    (project / "Dockerfile").write_text("FROM node:20-alpine\nCMD node dist/index.js\n")
    doc = json.loads(check(capsys, "--format", "sarif", "--select", "DL3025", "Dockerfile"))
    (result,) = doc["runs"][0]["results"]
    assert [f["description"]["text"] for f in result["fixes"]] == ["rewrite in exec form (unsafe fix)"]
