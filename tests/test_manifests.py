"""Kubernetes manifests and CI files (FL7xx, fastlint/engine/manifests.py), as a user of `fastlint check` sees
them: which files are read, where findings point, that they appear in every output format, that bad YAML is a
one-line error, and that a Dockerfile-only run never imports the YAML parser."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from fastlint.cli.check import main as check_main
from fastlint.engine.config import reset_caches
from fastlint.engine.discovery import discover
from fastlint.engine.manifests import quantity
from fastlint.report import FORMATS

ROOT = Path(__file__).resolve().parent.parent

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: fast-orchestrator-service
spec:
  template:
    spec:
      containers:
      - name: fast-orchestrator-service
        image: "gcr.io/gpp-g3/fast-orchestrator-service:latest"
        resources:
          limits:
            memory: 512Mi
        securityContext:
          runAsNonRoot: true
          runAsUser: 1001
          runAsGroup: 1001
"""


def run(capsys, *args) -> tuple[int, list[dict], str]:
    reset_caches()
    code = check_main(["--format", "json", *args])
    captured = capsys.readouterr()
    return code, (json.loads(captured.out) if captured.out.strip() else []), captured.err


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    (tmp_path / ".git").mkdir(exist_ok=True)
    return tmp_path


# -- quantities ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("a,b", [("512Mi", "0.5Gi"), ("512Mi", 536870912), ("1Gi", "1024Mi"), ("1G", "1000M"),
                                 ("128974848", "129e6"), ("1.5Gi", "1536Mi"), ("500m", "0.5")])
def test_quantities_are_compared_as_numbers(a, b):
    if (a, b) == ("128974848", "129e6"):
        assert quantity(a) != quantity(b)  # close, not equal: 129e6 is 129000000
        return
    assert quantity(a) == quantity(b)


def test_quantity_values():
    assert quantity("512Mi") == 512 * 2**20
    assert quantity("0.5Gi") == Fraction(2**30, 2)
    assert quantity("lots") is None and quantity(True) is None and quantity(None) is None


# -- which files are read --------------------------------------------------------------------------------------------
def test_folders_yield_manifests_and_ci_files_but_not_other_yaml(tmp_path):
    root = project(tmp_path, {
        "svc/Dockerfile": "FROM node:20-alpine\n",
        "svc/deploy/deployment.yaml": DEPLOYMENT,
        "svc/config/limits.yaml": "limits:\n  EUR: 1000\n",
        "chart/templates/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
        ".gitlab-ci.yml": "image: node:20\n",
        ".github/workflows/ci.yml": "on: push\njobs: {}\n",
        "docs/notes.yml": "kind: note\n",
    })
    found, errors = discover([str(root)], manifests=True)
    names = sorted(Path(p).relative_to(root).as_posix() for p, _ in found)
    assert errors == []
    assert names == [".github/workflows/ci.yml", ".gitlab-ci.yml", "svc/Dockerfile", "svc/deploy/deployment.yaml"]
    dockerfiles_only, _ = discover([str(root)])
    assert [Path(p).name for p, _ in dockerfiles_only] == ["Dockerfile"]


def test_selection_without_fl7_does_not_read_yaml(tmp_path, capsys):
    broken = "apiVersion: v1\nkind: Pod\nspec: [\n"  # an error if it were read
    root = project(tmp_path, {"svc/deploy/pod.yaml": broken, "svc/Dockerfile": "FROM node\n"})
    code, findings, err = run(capsys, "--select", "DL3006", str(root))
    assert (code, err) == (1, "")
    assert {f["file"].rsplit("/", 1)[-1] for f in findings} == {"Dockerfile"}
    code, _, err = run(capsys, "--ignore", "FL7", str(root))
    assert code != 2 and "pod.yaml" not in err
    code, _, err = run(capsys, "--select", "FL70", str(root))
    assert code == 2 and "pod.yaml:4:1: invalid YAML" in err


def test_a_yaml_file_given_directly_is_linted(tmp_path, capsys):
    root = project(tmp_path, {"k8s/app.yaml": DEPLOYMENT})
    code, findings, _ = run(capsys, str(root / "k8s/app.yaml"))
    assert code == 1
    assert sorted((f["code"], f["line"]) for f in findings) == [("FL701", 13), ("FL703", 10)]
    assert all(f["file"] == str(root / "k8s/app.yaml") for f in findings)


def test_a_yaml_file_that_is_neither_is_left_alone(tmp_path, capsys):
    root = project(tmp_path, {"values.yaml": "replicas: 2\nimage: node\n"})
    code, findings, err = run(capsys, str(root / "values.yaml"))
    assert (code, findings, err) == (0, [], "")


def test_invalid_yaml_is_a_one_line_error_with_its_place(tmp_path, capsys):
    root = project(tmp_path, {"k8s/bad.yaml": "apiVersion: v1\nkind: Pod\nspec:\n  containers: [\n",
                              "k8s/good.yaml": DEPLOYMENT})
    code, findings, err = run(capsys, str(root / "k8s"))
    assert code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"fastlint: {root / 'k8s/bad.yaml'}:5:1: invalid YAML"), err
    assert {f["code"] for f in findings} == {"FL701", "FL703"}  # the other file is still checked


def test_policy_from_the_nearest_fastlint_yaml(tmp_path, capsys):
    root = project(tmp_path, {
        "fastlint.yaml": "services:\n  fast-orchestrator-service: {type: http, port: 3004, memory: 0.5Gi}\n"
                         "rules:\n  ignore: [FL703]\n",
        "deploy/app.yaml": DEPLOYMENT,
    })
    code, findings, _ = run(capsys, str(root))
    assert (code, findings) == (0, [])


# -- what is read, where it is reported -----------------------------------------------------------------------------
def test_positions_kinds_and_overrides(tmp_path, capsys):
    text = """\
# a comment first
apiVersion: v1
kind: List
items:
- apiVersion: batch/v1
  kind: CronJob
  metadata: {name: eod}
  spec:
    jobTemplate:
      spec:
        template:
          spec:
            securityContext: {runAsNonRoot: true, runAsUser: 1001, runAsGroup: 1001}
            initContainers:
            - name: wait
              image: busybox
            containers:
            - name: snapshot
              image: gcr.io/gpp-g3/fast-accounting-service@sha256:abc
              resources: {limits: {memory: 1Gi}}
              securityContext:
                runAsUser: 0
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fast-validation-service
spec:
  template:
    spec:
      containers:
      - image: registry.example.com/agent:1.2
"""
    root = project(tmp_path, {"k8s/all.yaml": text})
    _, findings, _ = run(capsys, str(root / "k8s/all.yaml"))
    got = sorted((f["code"], f["line"], f["column"], f["end_column"]) for f in findings)
    assert got == [
        ("FL701", 20, 44, 47),  # 1Gi inside flow mappings (matched by the image's repository)
        ("FL701", 32, 9, 14),   # matched by metadata.name; no resources: at the container's first key
        ("FL702", 22, 28, 29),  # the container's runAsUser 0 overrides the pod's 1001
        ("FL702", 32, 9, 14),   # no securityContext at all
        ("FL703", 16, 22, 29),  # an initContainer's image without a tag
    ]
    # not reported: the init container runs with the pod-level context; a digest pins an image


def test_exact_columns_of_image_and_memory(tmp_path, capsys):
    root = project(tmp_path, {"deploy/app.yaml": DEPLOYMENT})
    _, findings, _ = run(capsys, str(root))
    by_code = {f["code"]: f for f in findings}
    line10 = DEPLOYMENT.splitlines()[9]
    image = by_code["FL703"]
    assert line10[image["column"] - 1:image["end_column"] - 1] == '"gcr.io/gpp-g3/fast-orchestrator-service:latest"'
    memory = by_code["FL701"]
    assert (memory["line"], memory["column"], memory["end_column"]) == (13, 21, 26)
    assert "1024Mi" in memory["message"] and "512Mi" in memory["message"]


def test_github_workflow_scripts_map_to_the_file(tmp_path, capsys):
    workflow = """\
name: build
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - name: Build
        run: |
          echo building
          docker build \\
            --pull \\
            -t ${{ env.REGISTRY }}/app .
      - run: "docker run --rm -v /a:/b node:latest npm test"
"""
    root = project(tmp_path, {".github/workflows/build.yml": workflow})
    _, findings, _ = run(capsys, str(root))
    got = [(f["line"], f["column"], f["end_column"]) for f in findings if f["code"] == "FL703"]
    lines = workflow.splitlines()
    assert [(line, lines[line - 1][col - 1:end - 1]) for line, col, end in got] == [
        (12, "${{ env.REGISTRY }}/app"), (13, "node:latest")]


def test_pragmas_in_yaml(tmp_path, capsys):
    text = DEPLOYMENT.replace('        image: "gcr', '        # fastlint: ignore=FL703\n        image: "gcr')
    root = project(tmp_path, {"a/app.yaml": text, "b/app.yaml": "# fastlint: global ignore=FL7\n" + DEPLOYMENT})
    _, findings, _ = run(capsys, str(root))
    assert [(f["file"].split("/")[-2], f["code"]) for f in findings] == [("a", "FL701")]


# -- output formats and speed ---------------------------------------------------------------------------------------
# How each format writes the finding's line (10: the image line of DEPLOYMENT).
LINE_IN_FORMAT = {"text": "app.yaml:10:16: FL703", "json": '"line": 10,', "sarif": '"startLine": 10,',
                  "github": "app.yaml,line=10,col=16,", "junit": 'app.yaml" line="10"',
                  "checkstyle": '<error line="10" column="16"', "gitlab": '"begin": 10',
                  "concise": "app.yaml:10:16: FL703", "tty": "app.yaml:10 FL703", "codeclimate": '"begin":10',
                  "gitlab_codeclimate": '"begin": 10', "gnu": "app.yaml:10: FL703", "codacy": '"line":10,',
                  "sonarqube": '"startLine": 10,'}


@pytest.mark.parametrize("fmt", FORMATS)
def test_manifest_findings_in_every_format(tmp_path, capsys, fmt):
    root = project(tmp_path, {"deploy/app.yaml": DEPLOYMENT})
    assert DEPLOYMENT.splitlines()[9].lstrip().startswith("image:")
    reset_caches()
    code = check_main(["--format", fmt, "--select", "FL703", str(root)])
    out = capsys.readouterr().out
    assert code == (0 if fmt in ("codeclimate", "codacy") else 1)  # hadolint's engine formats always exit 0
    assert "app.yaml" in out and "FL703" in out, out
    assert LINE_IN_FORMAT[fmt] in out, out  # the finding's line, where this format writes it


def test_dockerfile_runs_do_not_import_yaml(tmp_path):
    root = project(tmp_path, {"svc/Dockerfile": "FROM node:20-alpine\nCMD [\"node\"]\n"})
    script = ("import sys; from fastlint.cli.check import main; main(['--no-config', '-o', '/dev/null', sys.argv[1]]);"
              " print('ruamel.yaml' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", script, str(root / "svc")], capture_output=True, text=True, cwd=ROOT)
    assert r.stdout.strip() == "False", r.stderr
    (root / "svc/deploy.yaml").write_text(DEPLOYMENT)
    r = subprocess.run([sys.executable, "-c", script, str(root / "svc")], capture_output=True, text=True, cwd=ROOT)
    assert r.stdout.strip() == "True", r.stderr  # the same run with a manifest does read YAML
