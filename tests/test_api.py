"""The library API (``fastlint.api``): what the CLI, the tests, the fuzzer and an editor server call."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from fastlint import api
from fastlint.cli.check import main as check_main

LEGACY = "FROM node:latest\nMAINTAINER me <me@example.com>\nRUN apt-get update && apt-get install -y curl\n"


def test_lint_text_gives_findings_with_fixes():
    findings = api.lint_text(LEGACY, "svc/Dockerfile", no_config=True, select=["DL"])
    codes = [f.code for f in findings]
    assert "DL3007" in codes and "DL4000" in codes and "DL3008" in codes
    assert all(f.code.startswith("DL") for f in findings)
    maintainer = next(f for f in findings if f.code == "DL4000")
    assert maintainer.line == 2 and maintainer.fix is not None and maintainer.fixable
    assert [f.line for f in findings] == sorted(f.line for f in findings)


def test_lint_text_takes_a_comma_separated_selection_too():
    assert {f.code for f in api.lint_text(LEGACY, no_config=True, select="DL4000,DL3007")} == {"DL4000", "DL3007"}
    assert "DL4000" not in {f.code for f in api.lint_text(LEGACY, no_config=True, ignore=["DL4000"])}


def test_lint_text_of_a_file_that_does_not_parse_is_dl1000_not_an_exception():
    findings = api.lint_text("FROM alpine\nRUN [\"a\", 1]\n", no_config=True)
    assert [f.code for f in findings] == ["DL1000"]


def test_fix_text_applies_safe_fixes_and_says_what_is_left():
    out = api.fix_text(LEGACY, "svc/Dockerfile", no_config=True, select=["DL4000"])
    assert "MAINTAINER" not in out.text and "LABEL" in out.text
    assert [a.code for a in out.applied] == ["DL4000"]
    assert out.remaining == [] and out.original == LEGACY


def test_check_finds_files_and_their_policy_each_call(tmp_path):
    svc = tmp_path / "svc"
    svc.mkdir()
    (tmp_path / ".git").mkdir()
    (svc / "Dockerfile").write_text(LEGACY)
    run = api.check([str(tmp_path)], select=["DL4000", "DL3007"])
    assert [(r.path, sorted(f.code for f in r.findings)) for r in run.results] == [
        (str(svc / "Dockerfile"), ["DL3007", "DL4000"])]
    assert run.errors == [] and run.rules == ["DL3007", "DL4000"]
    # nothing is kept between calls: a configuration file written now is read by the next call
    (tmp_path / "fastlint.yaml").write_text("rules:\n  ignore: [DL4000]\n")
    run = api.check([str(tmp_path)], select=["DL4000", "DL3007"])
    assert [f.code for f in run.results[0].findings] == ["DL3007"]


def test_check_reports_missing_paths_and_bad_configuration(tmp_path):
    run = api.check([str(tmp_path / "nope")], no_config=True)
    assert run.results == [] and len(run.errors) == 1
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  ignore: [crazy]\n")
    with pytest.raises(api.ConfigError):
        api.check([str(tmp_path)], config=bad)


def test_the_cli_check_is_the_api_check(tmp_path, capsys):
    (tmp_path / "Dockerfile").write_text(LEGACY)
    code = check_main(["--no-config", "--format", "json", "--select", "DL", str(tmp_path / "Dockerfile")])
    out = json.loads(capsys.readouterr().out)
    run = api.check([str(tmp_path / "Dockerfile")], no_config=True, select=["DL"])
    assert code == 1
    assert out == [f.to_dict() for r in run.results for f in r.findings]


def test_importing_fastlint_stays_cheap():
    """``import fastlint`` loads nothing but the package's face; the API is imported when used."""
    code = "import sys, fastlint; print(sorted(m for m in sys.modules if m.startswith('fastlint')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['fastlint']"


def test_the_readme_example_runs(tmp_path, monkeypatch, capsys):
    """The README's "Library" section is a program that works."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Library", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    (tmp_path / "services" / "web").mkdir(parents=True)
    (tmp_path / "services" / "web" / "Dockerfile").write_text(LEGACY)
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "DL4000" in out and "['DL4000']" in out and "LABEL" in out


def test_fix_text_with_the_template_rewrites_a_legacy_service():
    from pathlib import Path

    service = Path(__file__).resolve().parent.parent / "fixtures" / "services" / "fast-validation-service"
    text = (service / "Dockerfile").read_text()
    plain = api.fix_text(text, str(service / "Dockerfile"), no_config=True)
    assert plain.rewrite is None and any(f.code.startswith("FL1") for f in plain.remaining)
    out = api.fix_text(text, str(service / "Dockerfile"), no_config=True, template=True)
    assert out.rewrite is not None
    assert " AS production" in out.text and " AS production" not in text
    assert not any(f.code.startswith("FL1") for f in out.remaining)
    assert {a.safety for a in out.applied} >= {"structural"}
    assert (service / "Dockerfile").read_text() == text  # nothing written


RUN_SC = "FROM node:20-alpine\nRUN cd /app && echo $name\n"


def test_lint_text_without_shellcheck_leaves_out_only_sc_findings():
    everything = api.lint_text(RUN_SC, no_config=True)
    without = api.lint_text(RUN_SC, no_config=True, shellcheck=False)
    assert any(f.code.startswith("SC") for f in everything)
    assert [f.code for f in without] == [f.code for f in everything if not f.code.startswith("SC")]
    # a selection naming ShellCheck runs it all the same, as --no-shellcheck does on the command line
    assert any(f.code == "SC2086" for f in api.lint_text(RUN_SC, no_config=True, shellcheck=False, select=["SC"]))


def test_document_kind_knows_every_name_discovery_knows():
    assert [api.document_kind(p) for p in ("Dockerfile", "svc/Dockerfile.prod", "web.Dockerfile", "Containerfile",
                                           "a/b.dockerfile")] == ["dockerfile"] * 5
    assert api.document_kind("Dockerfile.bak") is None and api.document_kind("README.md") is None
    assert api.document_kind(".github/workflows/ci.yml") == "github"
    assert api.document_kind("ci/.gitlab-ci.yml") == "gitlab"
    assert api.document_kind("k8s/app.yaml", "apiVersion: v1\nkind: Pod\n") == "kubernetes"
    assert api.document_kind("k8s/app.yaml", "apiVersion: v1\nkind: Pod\nimage: {{ .Values.x }}\n") is None
    assert api.document_kind("values.yaml", "replicas: 2\n") is None


DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
      - name: web
        image: registry.example.com/web:latest
"""


def test_lint_document_of_yaml_text_gives_what_check_gives_for_the_file(tmp_path, capsys):
    path = tmp_path / "deploy.yaml"
    path.write_text(DEPLOYMENT)
    result = api.lint_document(DEPLOYMENT, str(path), no_config=True)
    assert result.error is None and {f.code for f in result.findings} >= {"FL703"}
    assert check_main(["--no-config", "--format", "json", str(path)]) == 1
    from_cli = json.loads(capsys.readouterr().out)
    assert [f.to_dict() for f in result.findings] == from_cli
    broken = api.lint_document("apiVersion: v1\nkind: Pod\nspec: [\n", str(path), no_config=True)
    assert broken.findings == [] and f"{path}:4:1: invalid YAML" in broken.error
    assert api.lint_document("x: 1\n", "values.yaml", no_config=True).findings == []
