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


def production_lines(text: str, keyword: str) -> list[str]:
    final = text.split(" AS production\n", 1)[1]
    return [line for line in final.splitlines() if line.startswith(keyword + " ")]


def test_migration_resolves_env_variables_in_workdir_and_keeps_single_quoted_values(tmp_path):
    """Mutants: the ENV substitution loop of WORKDIR made empty (the workdir becomes /app/$APP_HOME), and
    ``raw[0] == raw[-1]`` -> ``raw[-2]`` in the quoted-value test (a single-quoted `$HOME` rewritten in double
    quotes, where the shell would expand it)."""
    m = migrated(tmp_path, "svc", "FROM node:18\nENV APP_HOME=/srv/app GREETING='$HOME says hi'\n"
                                  "WORKDIR $APP_HOME\nLABEL note='a $b c'\nEXPOSE 3000\nCMD node dist/index.js\n")
    assert production_lines(m.text, "WORKDIR") == ["WORKDIR /srv/app"]
    assert "ENV APP_HOME=/srv/app GREETING='$HOME says hi'" in production_lines(m.text, "ENV")
    assert production_lines(m.text, "LABEL") == ["LABEL note='a $b c'"]


# -- report: fingerprints, SARIF rule metadata, the text window -----------------------------------------------------
def test_fingerprints_of_two_rules_on_one_line_differ(project, capsys):
    """Mutant: the key string built from (path, path, text, occurrence) instead of (path, code, text, occurrence)."""
    (project / "Dockerfile").write_text("FROM debian:12.5\nRUN apt-get install curl\n")
    sarif = json.loads(check(capsys, "--format", "sarif", "--select", "DL3008,DL3015", "Dockerfile"))
    results = sarif["runs"][0]["results"]
    assert sorted(r["ruleId"] for r in results) == ["DL3008", "DL3015"]
    assert len({json.dumps(r["partialFingerprints"]) for r in results}) == 2
    gitlab = json.loads(check(capsys, "--format", "gitlab", "--select", "DL3008,DL3015", "Dockerfile"))
    assert len({i["fingerprint"] for i in gitlab}) == 2


def test_sarif_describes_the_parse_error_rule(project, capsys):
    """Mutant: ``code == DL1000[0]`` -> ``<``: DL1000 described as an unknown rule (named by its code)."""
    (project / "Dockerfile").write_text("FROM alpine:3.19\nRUN <<EOT\n")
    sarif = json.loads(check(capsys, "--format", "sarif", "Dockerfile"))
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["DL1000"]["name"] == "parse-error"
    assert rules["DL1000"]["defaultConfiguration"]["level"] == "error"


def test_text_report_shows_a_window_around_a_finding_at_the_end_of_a_long_line(project, capsys):
    """Mutant: ``len(src) - MAX_SNIPPET`` -> ``len(src) % MAX_SNIPPET`` (the window does not reach the finding)."""
    packages = " ".join(f"pkg{i:03d}=1.0" for i in range(40))  # 400 characters of pinned packages
    line = f"RUN apt-get install -y {packages} curl"
    (project / "Dockerfile").write_text(f"FROM debian:12.5\n{line}\n")
    out = check(capsys, "--format", "text", "--color", "never", "--select", "DL3008", "Dockerfile").split("\n")
    at = next(i for i, text in enumerate(out) if text.startswith("Dockerfile:2:"))
    shown, caret = out[at + 2], out[at + 3]
    assert shown.startswith("2 | ...") and shown.endswith(" curl")
    assert caret.endswith("^^^^") and len(caret) == len(shown)


def test_migration_refuses_a_custom_template_whose_output_does_not_parse(tmp_path):
    """Mutant: ``df.error is not None or not df.stages`` -> ``and`` (COPY lines inserted into a broken file)."""
    from fastlint.fixer.migrate import MigrationError
    from fastlint.policy.template import TEMPLATE_PATH

    d = tmp_path / "svc"
    d.mkdir()
    (d / "package.json").write_text(json.dumps(PACKAGE))
    text = "FROM node:18\nWORKDIR /app\nCOPY config /etc/app/config\nEXPOSE 3000\nCMD node dist/index.js\n"
    broken = TEMPLATE_PATH.read_text(encoding="utf-8") + "RUN <<EOT\n"  # an unterminated heredoc at the end
    with pytest.raises(MigrationError, match="the template's output does not parse"):
        migrate(text, str(d / "Dockerfile"), builtin_policy(), broken)


# -- engine/manifests -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("indent", ["- {}", "-  {}"])
def test_a_finding_on_an_empty_container_is_placed_at_it(project, capsys, indent):
    """Mutant: the fallback position's end column ``col + 1`` -> ``col | 1`` (before the start on an odd column)."""
    (project / "deploy").mkdir()
    (project / "deploy" / "d.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: fast-validation-service\nspec:\n  template:\n"
        f"    spec:\n      containers:\n      {indent}\n")
    found = json.loads(check(capsys, "--format", "json", "--select", "FL701", "deploy/d.yaml"))
    column = 6 + len(indent) - 1  # the `{`, 1-based
    assert [(f["line"], f["column"], f["end_line"], f["end_column"]) for f in found] == [(9, column, 9, column)]
