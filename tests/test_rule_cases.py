"""Every rule's cases from the catalogue (``rules/*.md``), run through the whole pipeline: the case's files are
written to a folder, ``fastlint check --select CODE --format json`` runs on it, and the findings are compared with
what the case says (fail: the rule fires, at exactly the listed lines when the heading lists them; pass: it does
not fire)."""

from __future__ import annotations

import contextlib
import json

import pytest

from fastlint.catalogue import load_all
from fastlint.cli.check import main as check_main
from fastlint.engine.config import reset_caches
from fastlint.engine.registry import all_rules

DOCS = load_all()
RULES = all_rules()
CASES = [(code, i, case) for code, doc in DOCS.items() for i, case in enumerate(doc.cases)]


def write_case(root, case) -> str:
    """Lay out a case's files under ``root``; return the Dockerfile's path."""
    dockerfile = root / case.path
    dockerfile.parent.mkdir(parents=True, exist_ok=True)
    dockerfile.write_text(case.dockerfile, encoding="utf-8")
    for name, content in case.files.items():
        target = dockerfile.parent / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    if case.config is not None:
        (root / "fastlint.yaml").write_text(case.config, encoding="utf-8")
    (root / ".git").mkdir(exist_ok=True)  # stop the search for fastlint.yaml at the case's folder
    return str(dockerfile)


# cases never depend on the machine's Docker engine: none answers unless a case brings a fake one
pytestmark = pytest.mark.usefixtures("no_engine")


@contextlib.contextmanager
def case_engine(tmp_path, case, monkeypatch):
    """The fake engine a case's ``engine`` block describes (nothing without one)."""
    if case.engine is None:
        yield
        return
    from fake_engine import FakeEngine, image

    spec = json.loads(case.engine)
    table = {ref: image(i.get("os", "linux"), i.get("arch", "amd64"), i.get("env"), i.get("variant", ""),
                        i.get("shell")) for ref, i in spec.get("images", {}).items()}
    with FakeEngine(tmp_path / "engine.sock", table, spec.get("arch", "amd64")) as engine:
        monkeypatch.setenv("DOCKER_HOST", engine.docker_host)
        yield


def run_check(capsys, *args) -> tuple[int, list[dict]]:
    reset_caches()
    code = check_main(["--format", "json", *args])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else []


@pytest.mark.parametrize(("code", "index", "case"), CASES, ids=[f"{c}-{i}-{k.kind}" for c, i, k in CASES])
def test_case(tmp_path, capsys, monkeypatch, code, index, case):
    assert code in RULES, f"{code} has docs but no registered rule"
    path = write_case(tmp_path, case)
    with case_engine(tmp_path, case, monkeypatch):
        exit_code, findings = run_check(capsys, "--select", code, path)
    mine = [f for f in findings if f["code"] == code or (code == "SC" and f["code"].startswith("SC"))]
    if case.kind == "fail":
        assert mine, f"{code} should fire on case {case.title!r}\n{case.dockerfile}"
        if case.lines:
            assert sorted({f["line"] for f in mine}) == sorted(set(case.lines)), mine
        if case.fixed is not None:
            assert any(f["fixable"] for f in mine), f"{code}: the case has a fixed form but no finding is fixable"
    else:
        assert not mine, f"{code} should not fire on case {case.title!r}: {mine}"


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_is_documented(code):
    doc = DOCS.get(code)
    assert doc is not None, f"{code} has no rules/{code}.md"
    for section in ("What it does", "Why is this bad?", "Example", "Use instead", "Fix safety"):
        assert doc.section(section), f"{code}: section {section!r} is missing or empty"
    kinds = {c.kind for c in doc.cases}
    assert kinds == {"fail", "pass"}, f"{code} needs at least one failing and one passing case"


@pytest.mark.parametrize("code", sorted(RULES))
def test_docs_examples(tmp_path, capsys, monkeypatch, code):
    """The docs' Example triggers the rule; its 'Use instead' does not (with the first case's path and config)."""
    doc = DOCS.get(code)
    if doc is None:
        pytest.fail(f"{code} has no docs")
    cls = RULES[code]
    if cls.docs_examples_partial:
        pytest.skip(f"{code}: the examples are fragments; the cases carry the full files")
    first = next((c for c in doc.cases if c.kind == "fail"), None)
    for section, should_fire in (("Example", True), ("Use instead", False)):
        body = doc.section(section)
        if "```dockerfile" not in body:
            continue
        text = body.split("```dockerfile", 1)[1].split("```", 1)[0].lstrip("\n")
        case_dir = tmp_path / section.replace(" ", "_")
        from fastlint.catalogue import Case

        case = Case(kind="fail", title=section, dockerfile=text,
                    path=first.path if first else "Dockerfile",
                    files=dict(first.files) if first else {}, config=first.config if first else None)
        path = write_case(case_dir, case)
        case.engine = first.engine if first else None
        with case_engine(case_dir, case, monkeypatch):
            _, findings = run_check(capsys, "--select", code, path)
        fired = any(f["code"] == code or (code == "SC" and f["code"].startswith("SC")) for f in findings)
        assert fired == should_fire, f"{code}: the docs' {section} {'should' if should_fire else 'should not'} fire"
