"""The report formats as a CI system reads them: SARIF (validated against the OASIS schema), GitHub workflow
commands, JUnit, Checkstyle and GitLab Code Quality. Each test runs ``fastlint check`` in-process on real files
and parses what it prints."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT, SARIF_SCHEMA
from fastlint.catalogue import load
from fastlint.cli.check import main
from fastlint.engine.registry import all_rules

# One finding at each level: DL4000 error (fixable), DL3006 warning, DL3025 warning (fixable), DL3059 info,
# DL3048 style.
DOCKERFILE = """FROM node
MAINTAINER someone
LABEL com.example.Bad_Key=x
RUN echo a
RUN echo b
CMD node index.js
"""
SELECT = "DL4000,DL3006,DL3025,DL3059,DL3048"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder (with .git, so no configuration above it is found) as the working folder."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "Dockerfile").write_text(DOCKERFILE)
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "Dockerfile").write_text("FROM node:20-alpine\nCMD [\"node\", \"index.js\"]\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(capsys, *args) -> tuple[int, str, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def json_findings(capsys, *args) -> list[dict]:
    rc, out, _ = check(capsys, "--format", "json", *args)
    return json.loads(out)


# -- SARIF --------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sarif_schema():
    return json.loads(SARIF_SCHEMA.read_text())


def test_sarif_validates_and_carries_rule_metadata(project, capsys, sarif_schema):
    rc, out, _ = check(capsys, "--format", "sarif", "--select", SELECT, ".")
    assert rc == 1
    doc = json.loads(out)
    jsonschema.Draft4Validator(sarif_schema).validate(doc)
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "fastlint"
    assert driver["version"]
    assert driver["informationUri"].startswith("https://")

    rules = {r["id"]: r for r in driver["rules"]}
    assert set(rules) == set(SELECT.split(","))  # the rules that ran, no others
    classes = all_rules()
    expected_level = {"error": "error", "warning": "warning", "info": "note", "style": "note"}
    for code, r in rules.items():
        cls, doc_ = classes[code], load(code)
        assert doc_ is not None, f"{code} has no catalogue page"
        assert r["name"] == (cls.name or code)
        assert r["shortDescription"]["text"] == doc_.title
        assert r["fullDescription"]["text"] == doc_.summary
        assert doc_.section("What it does").split("\n")[0] in r["help"]["text"]
        assert r["help"]["markdown"].startswith(f"# {code}")
        assert r["helpUri"].endswith(f"/rules/{code}.md")
        assert r["defaultConfiguration"]["level"] == expected_level[cls.level]
        assert r["properties"]["fixable"] == (cls.fix_safety is not None)
        assert "dockerfile" in r["properties"]["tags"]
    assert rules["DL3048"]["defaultConfiguration"]["level"] == "note"  # style
    assert rules["DL4000"]["defaultConfiguration"]["level"] == "error"


def test_sarif_results_match_the_json_positions(project, capsys):
    findings = json_findings(capsys, "--select", SELECT, "svc")
    rc, out, _ = check(capsys, "--format", "sarif", "--select", SELECT, "svc")
    run = json.loads(out)["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    got = []
    for res in run["results"]:
        assert ids[res["ruleIndex"]] == res["ruleId"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"] == {"uri": "svc/Dockerfile", "uriBaseId": "%SRCROOT%"}
        reg = loc["region"]
        got.append((res["ruleId"], res["level"], reg["startLine"], reg["startColumn"], reg["endLine"],
                    reg["endColumn"], res["message"]["text"]))
    level = {"error": "error", "warning": "warning", "info": "note", "style": "note"}
    want = [(f["code"], level[f["level"]], f["line"], f["column"], f["end_line"], f["end_column"], f["message"])
            for f in findings]
    assert sorted(got) == sorted(want)
    assert len(got) == 5


def test_sarif_fix_replaces_the_right_text(project, capsys):
    rc, out, _ = check(capsys, "--format", "sarif", "--select", "DL3025", "svc")
    (res,) = json.loads(out)["runs"][0]["results"]
    (fix,) = res["fixes"]
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "svc/Dockerfile"
    lines = DOCKERFILE.splitlines(keepends=True)
    for rep in reversed(change["replacements"]):
        d = rep["deletedRegion"]
        assert d["startLine"] == d["endLine"] == 6
        line = lines[5]
        lines[5] = line[: d["startColumn"] - 1] + rep["insertedContent"]["text"] + line[d["endColumn"] - 1 :]
    assert lines[5] == 'CMD ["node", "index.js"]\n'
    assert "unsafe" in fix["description"]["text"]


def test_sarif_lists_rules_that_ran_without_findings(project, capsys, sarif_schema):
    rc, out, _ = check(capsys, "--format", "sarif", "--select", "DL40", "clean")
    assert rc == 0
    doc = json.loads(out)
    jsonschema.Draft4Validator(sarif_schema).validate(doc)
    run = doc["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert ids == sorted(c for c in all_rules() if c.startswith("DL40"))
    assert run["results"] == []
    assert run["invocations"][0]["executionSuccessful"] is True


def test_sarif_fingerprints_survive_lines_moving(project, capsys):
    def prints():
        _, out, _ = check(capsys, "--format", "sarif", "--select", SELECT, "svc")
        return {(r["ruleId"], r["partialFingerprints"]["fastlint/v1"]) for r in json.loads(out)["runs"][0]["results"]}

    before = prints()
    dockerfile = project / "svc" / "Dockerfile"
    dockerfile.write_text("# a comment\n\n" + DOCKERFILE)
    after = prints()
    assert before == after
    assert len({fp for _, fp in before}) == len(before)  # unique
    dockerfile.write_text(DOCKERFILE.replace("RUN echo b", "RUN echo c"))
    changed = prints()
    assert {c for c, _ in before - changed} == {"DL3059"}  # only the finding on the edited line changed


def test_sarif_unreadable_path_is_a_notification(project, capsys, sarif_schema):
    (project / "svc" / "Dockerfile.link").symlink_to(project / "missing")
    rc, out, err = check(capsys, "--format", "sarif", "--select", "DL3006", "svc")
    assert rc == 2
    doc = json.loads(out)
    jsonschema.Draft4Validator(sarif_schema).validate(doc)
    inv = doc["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert "Dockerfile.link" in inv["toolExecutionNotifications"][0]["message"]["text"]
    assert len(doc["runs"][0]["results"]) == 1


def test_sarif_path_with_spaces_is_a_uri(project, capsys, sarif_schema):
    (project / "my svc").mkdir()
    (project / "my svc" / "Dockerfile").write_text("FROM node\n")
    _, out, _ = check(capsys, "--format", "sarif", "--select", "DL3006", "my svc")
    doc = json.loads(out)
    jsonschema.Draft4Validator(sarif_schema).validate(doc)
    loc = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert loc["uri"] == "my%20svc/Dockerfile"


# -- GitHub -------------------------------------------------------------------------------------------------------
_COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def _github(out: str) -> list[tuple[str, dict, str]]:
    rows = []
    for line in out.splitlines():
        m = _COMMAND.match(line)
        assert m, f"not a workflow command: {line!r}"
        props = dict(p.split("=", 1) for p in m.group(2).split(","))
        rows.append((m.group(1), props, m.group(3)))
    return rows


def test_github_annotations_have_positions_and_levels(project, capsys):
    findings = json_findings(capsys, "--select", SELECT, "svc")
    rc, out, _ = check(capsys, "--format", "github", "--select", SELECT, "svc")
    assert rc == 1
    rows = _github(out)
    level = {"error": "error", "warning": "warning", "info": "notice", "style": "notice"}
    want = sorted((level[f["level"]], f["code"], str(f["line"]), str(f["column"]), str(f["end_column"] - 1),
                   f["message"]) for f in findings)
    got = sorted((cmd, p["title"], p["line"], p["col"], p["endColumn"], msg) for cmd, p, msg in rows)
    assert got == want
    assert {p["file"] for _, p, _ in rows} == {"svc/Dockerfile"}
    assert {cmd for cmd, _, _ in rows} == {"error", "warning", "notice"}


def test_github_escapes_properties_and_messages(tmp_path, monkeypatch, capsys):
    (tmp_path / ".git").mkdir()
    odd = tmp_path / "a,b:c"
    odd.mkdir()
    (odd / "Dockerfile").write_text("# escape=%\nFROM node\n")  # a parse error whose message holds a %
    monkeypatch.chdir(tmp_path)
    rc, out, _ = check(capsys, "--format", "github", "a,b:c")
    assert rc == 1
    (line,) = out.splitlines()
    assert line.startswith("::error file=a%2Cb%3Ac/Dockerfile,line=1,")
    assert "title=DL1000::" in line
    message = line.split("::", 2)[2]
    assert "%25" in message and "%" not in message.replace("%25", "")


# -- JUnit --------------------------------------------------------------------------------------------------------
def test_junit_one_suite_per_file_and_a_passing_case_for_a_clean_file(project, capsys):
    rc, out, _ = check(capsys, "--format", "junit", "--select", SELECT, ".")
    assert rc == 1
    root = ET.fromstring(out)
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"svc/Dockerfile", "clean/Dockerfile"}
    clean = suites["clean/Dockerfile"]
    (case,) = clean.findall("testcase")
    assert case.find("failure") is None and clean.get("failures") == "0" and clean.get("tests") == "1"
    svc = suites["svc/Dockerfile"]
    failures = [c.find("failure") for c in svc.findall("testcase")]
    assert len(failures) == 5 and all(f is not None for f in failures)
    assert svc.get("failures") == "5"
    assert sorted(f.get("type") for f in failures) == sorted(SELECT.split(","))
    dl4000 = next(c for c in svc.findall("testcase") if c.find("failure").get("type") == "DL4000")
    assert dl4000.get("line") == "2"
    assert "svc/Dockerfile:2:1: DL4000" in dl4000.find("failure").text
    assert root.get("tests") == "6" and root.get("failures") == "5"


def test_junit_escapes_names_and_control_characters(tmp_path, monkeypatch, capsys):
    (tmp_path / ".git").mkdir()
    odd = tmp_path / 'a&b<c>"d\x1be'
    odd.mkdir()
    (odd / "Dockerfile").write_text("FROM node\n")
    monkeypatch.chdir(tmp_path)
    rc, out, _ = check(capsys, "--format", "junit", "--select", "DL3006", ".")
    root = ET.fromstring(out)  # parses: & < > " escaped, ESC replaced
    (suite,) = root.iter("testsuite")
    assert suite.get("name") == 'a&b<c>"d\\x1be/Dockerfile'


# -- Checkstyle ---------------------------------------------------------------------------------------------------
def test_checkstyle_like_hadolint(project, capsys):
    findings = json_findings(capsys, "--select", SELECT, ".")
    rc, out, _ = check(capsys, "--format", "checkstyle", "--select", SELECT, ".")
    assert rc == 1
    root = ET.fromstring(out)
    assert root.tag == "checkstyle" and root.get("version") == "4.3"
    files = {f.get("name"): f for f in root.findall("file")}
    assert set(files) == {"svc/Dockerfile", "clean/Dockerfile"}
    assert files["clean/Dockerfile"].findall("error") == []
    severity = {"error": "error", "warning": "warning", "info": "info", "style": "info"}
    got = sorted((e.get("source"), e.get("line"), e.get("column"), e.get("severity"), e.get("message"))
                 for e in files["svc/Dockerfile"].findall("error"))
    want = sorted((f["code"], str(f["line"]), str(f["column"]), severity[f["level"]], f["message"])
                  for f in findings)
    assert got == want


# -- GitLab -------------------------------------------------------------------------------------------------------
def _gitlab(capsys, *paths) -> list[dict]:
    rc, out, _ = check(capsys, "--format", "gitlab", "--select", SELECT, *paths)
    return json.loads(out)


def test_gitlab_code_quality_fields(project, capsys):
    findings = json_findings(capsys, "--select", SELECT, ".")
    issues = _gitlab(capsys, ".")
    assert len(issues) == len(findings) == 5
    severity = {"error": "critical", "warning": "major", "info": "minor", "style": "info"}
    got = sorted((i["check_name"], i["location"]["lines"]["begin"], i["severity"]) for i in issues)
    want = sorted((f["code"], f["line"], severity[f["level"]]) for f in findings)
    assert got == want
    for i in issues:
        assert i["location"]["path"] == "svc/Dockerfile"
        assert i["description"].startswith(i["check_name"])
        assert re.fullmatch(r"[0-9a-f]{32}", i["fingerprint"])
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_gitlab_fingerprints_are_stable(project, capsys):
    first = {i["check_name"]: i["fingerprint"] for i in _gitlab(capsys, ".")}
    assert first == {i["check_name"]: i["fingerprint"] for i in _gitlab(capsys, ".")}  # same run, same prints
    (project / "svc" / "Dockerfile").write_text("# syntax=docker/dockerfile:1\n# moved down\n\n" + DOCKERFILE)
    moved = {i["check_name"]: (i["fingerprint"], i["location"]["lines"]["begin"]) for i in _gitlab(capsys, ".")}
    assert {c: fp for c, (fp, _) in moved.items()} == first
    assert moved["DL4000"][1] == 5  # the line did change


def test_gitlab_parse_error_is_a_blocker(project, capsys):
    (project / "svc" / "Dockerfile").write_text("FROM node\nRUN <<EOT\necho\n")
    rc, out, _ = check(capsys, "--format", "gitlab", "svc")
    (issue,) = json.loads(out)
    assert issue["check_name"] == "DL1000" and issue["severity"] == "blocker"
    assert issue["location"]["lines"]["begin"] == 2


# -- all formats --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit", "checkstyle", "gitlab"])
def test_every_format_on_the_fixture_services(fmt, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    rc, out, err = check(capsys, "--format", fmt, "fixtures/services")
    assert rc == 1, err
    assert err == ""
    assert "fast-validation-service/Dockerfile" in out
    if fmt in ("json", "sarif", "gitlab"):
        json.loads(out)
    elif fmt in ("junit", "checkstyle"):
        ET.fromstring(out)


@pytest.mark.parametrize("fmt, loaded", [("text", False), ("json", False), ("junit", True), ("checkstyle", True)])
def test_xml_is_imported_only_for_the_xml_formats(fmt, loaded):
    import subprocess
    import sys

    code = (f"import sys; from fastlint.cli.check import main; main(['--format', '{fmt}', 'fixtures/services']); "
            "print('XML' if 'xml.etree.ElementTree' in sys.modules else 'NO-XML')")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True).stdout
    assert out.strip().splitlines()[-1] == ("XML" if loaded else "NO-XML")
