"""Every rule's cases from the catalogue (``rules/*.md``), run through the whole pipeline by the one case runner
(``fastlint.testing``, which ``fastlint test-rules`` and the pytest plugin run too): the case's files are written
to a folder, ``fastlint check --select CODE`` runs on it, and the findings are compared with what the case says
(fail: the rule fires, at exactly the listed lines when the heading lists them; pass: it does not fire; a fix is
graded as the rule declares). Each page: its sections, cases, heading and examples. (The ``fixed`` blocks:
``test_fix_rules.py``.)"""

from __future__ import annotations

import pytest

from fastlint.testing import builtin_suite, check_case, docs_problems, example_problems

SUITE = builtin_suite()
CASES = SUITE.cases()


@pytest.mark.parametrize(("code", "index", "case"), CASES, ids=[f"{c}-{i}-{k.kind}" for c, i, k in CASES])
def test_case(tmp_path, code, index, case):
    problems = check_case(SUITE, code, case, tmp_path)
    assert not problems, f"{code} case {index + 1} ({case.kind}: {case.title}):\n" + "\n".join(problems)


def test_every_rule_has_a_page():
    assert SUITE.problems() == []


@pytest.mark.parametrize("code", sorted(SUITE.rules))
def test_rule_is_documented(tmp_path, code):
    assert code in SUITE.pages, f"{code} has no rules/{code}.md"
    problems = docs_problems(SUITE, code, tmp_path)
    assert not problems, f"{code}: " + "\n".join(problems)


@pytest.mark.parametrize("code", sorted(SUITE.rules))
def test_docs_examples(tmp_path, code):
    """The docs' Example triggers the rule; its 'Use instead' does not (with the first case's path and config)."""
    problems = example_problems(SUITE, code, tmp_path)
    assert not problems, f"{code}: " + "\n".join(problems)


def test_pages_without_a_rule():
    assert sorted(set(SUITE.pages) - set(SUITE.rules)) == []


def test_the_runner_serves_a_case_engine_block(tmp_path):
    """A case's ``engine`` block is the local Docker engine its rule reads base images from (a fake one, started
    by the runner); without the block no engine answers, whatever the machine runs."""
    served = [(code, case) for code, _, case in CASES if case.engine and case.kind == "fail"]
    assert served
    code, case = served[0]
    assert check_case(SUITE, code, case, tmp_path / "with") == []
    engine, case.engine = case.engine, None
    try:
        problems = check_case(SUITE, code, case, tmp_path / "without")
    finally:
        case.engine = engine
    assert problems and problems[0].startswith(f"{code} should fire and does not.")
