"""A catalogue case says whether its rule offers a fix: a failing case with a ``fixed`` block must be fixable (the
block may equal the case when the fix writes another file, FL404's .dockerignore); a failing case without one must
offer no fix at all. So a case titled "... no fix" (DL3019's later `apk upgrade`, DL3000's unknown base WORKDIR,
...) fails the suite the day the rule starts offering a fix there, and a rule cannot gain a fix that no case shows.

Both directions are checks of the one case runner (``fastlint.testing``, also ``fastlint test-rules``): the
findings' fixes (``check_case``, run for every case by ``test_rule_cases.py``), and here ``fastlint fix
--unsafe-fixes --no-template``, which must leave every file of a case without ``fixed`` byte for byte as it was,
the Dockerfile and the files beside it (``no_fix_case``)."""

from __future__ import annotations

import pytest

from fastlint.testing import builtin_suite, check_case, no_fix_case

SUITE = builtin_suite()
FAILING = [(code, i, case) for code, i, case in SUITE.cases() if case.kind == "fail"]
WITHOUT_FIX = [c for c in FAILING if c[2].fixed is None]
WITH_FIX = [c for c in FAILING if c[2].fixed is not None]


def _ids(cases):
    return [f"{code}-{i}" for code, i, _ in cases]


@pytest.mark.parametrize(("code", "index", "case"), WITHOUT_FIX, ids=_ids(WITHOUT_FIX))
def test_a_case_without_fixed_offers_no_fix(tmp_path, code, index, case):
    problems = no_fix_case(SUITE, code, case, tmp_path)
    assert not problems, f"{code} {case.title!r}: " + "\n".join(problems)


def test_the_check_says_when_a_case_offers_a_fix_it_does_not_show(tmp_path):
    """``check_case`` (every case, test_rule_cases.py) holds the other half: a case with a fixed block whose rule
    offers no fix fails, and so does one without a fixed block whose rule offers one."""
    code, _, case = WITH_FIX[0]
    assert check_case(SUITE, code, case, tmp_path / "with") == []
    case.fixed, fixed = None, case.fixed
    try:
        problems = check_case(SUITE, code, case, tmp_path / "without")
    finally:
        case.fixed = fixed
    assert problems and problems[0].startswith(f"the case has no fixed block but {code} offers a fix:")
