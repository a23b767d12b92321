"""The standard's template, rendered for each of the ten services of the built-in matrix, passes
`fastlint check --no-config`: every FL and DL rule the built-in policy enables (and ShellCheck), with the
standard `.dockerignore` (FL404's) beside it, as a migrated service has it."""

from __future__ import annotations

import json

import pytest

from fastlint.cli.check import main as check_main
from fastlint.engine.config import reset_caches
from fastlint.policy import builtin
from fastlint.policy.template import render
from fastlint.rules.fl404 import STANDARD_DOCKERIGNORE

# Findings of rules that are not the FAST policy's, on lines the template writes, that wait for a template change:
# code -> the start of the line they are allowed on. Empty now: the last one (hadolint's DL3025 on the shell-form
# `HEALTHCHECK CMD`) went when the template wrote its health checks in exec form. A new entry needs a reason here,
# and test_pending_template_changes fails as soon as the template no longer needs it.
PENDING: dict[str, str] = {}

EXTRA = {  # runtime files the services need (fixtures/README.md), as a migration would pass them
    "fast-limitcheck-service": {"extra_copy": ["config"]},
    "fast-referencedata-service": {"extra_copy": ["config"]},
}


def context(name: str) -> dict:
    spec = builtin.SERVICES[name]
    ctx = {"service": name, "type": spec["type"], "port": spec["port"], "has_proto": spec["type"] == "grpc",
           "health_service": spec.get("health_service")}
    ctx.update(EXTRA.get(name, {}))
    return ctx


def lint_rendered(tmp_path, capsys, name: str) -> tuple[int, list[dict], str]:
    (tmp_path / ".git").mkdir(exist_ok=True)
    folder = tmp_path / name
    folder.mkdir()
    text = render(context(name))
    (folder / "Dockerfile").write_text(text, encoding="utf-8")
    (folder / ".dockerignore").write_text(STANDARD_DOCKERIGNORE, encoding="utf-8")
    reset_caches()
    code = check_main(["--no-config", "--format", "json", str(folder / "Dockerfile")])
    out = capsys.readouterr()
    return code, json.loads(out.out) if out.out.strip() else [], text


@pytest.mark.parametrize("name", sorted(builtin.SERVICES))
def test_template_passes_every_rule(tmp_path, capsys, name):
    code, findings, text = lint_rendered(tmp_path, capsys, name)
    lines = text.splitlines()
    left = [f for f in findings
            if not (f["code"] in PENDING and lines[f["line"] - 1].startswith(PENDING[f["code"]]))]
    assert left == [], "\n" + text + "\n" + "\n".join(f"{f['line']}: {f['code']} {f['message']}" for f in left)
    assert not [f for f in findings if f["code"].startswith("FL")]
    assert code in (0, 1)


def test_pending_template_changes(tmp_path, capsys):
    """The exemptions above are still needed (each pending finding still appears); when the template changes,
    this fails and PENDING must be emptied, so the exemption cannot outlive its reason."""
    _, findings, _ = lint_rendered(tmp_path, capsys, "fast-validation-service")
    assert {f["code"] for f in findings} == set(PENDING)


def test_the_fast_rules_ran(tmp_path, capsys):
    """The same check on a legacy-style file finds the FAST policy's problems: the run above was not empty by
    accident (rules off, wrong folder, no service)."""
    (tmp_path / ".git").mkdir()
    folder = tmp_path / "fast-validation-service"
    folder.mkdir()
    (folder / "Dockerfile").write_text("FROM node:20\nCOPY . .\nRUN npm install\nEXPOSE 3000\n"
                                       "HEALTHCHECK CMD curl -f http://localhost:3000/health\n")
    reset_caches()
    assert check_main(["--no-config", "--format", "json", str(folder / "Dockerfile")]) == 1
    found = {f["code"] for f in json.loads(capsys.readouterr().out)}
    assert {"FL101", "FL102", "FL104", "FL301", "FL302", "FL403", "FL404", "FL502", "FL503", "FL504",
            "FL602"} <= found
