"""Every catalogue case with a ``fixed`` block, through the one case runner (``fastlint.testing.fix_case``):
``fastlint fix --select CODE`` (``--unsafe-fixes`` when the rule's fix is unsafe) turns the case into exactly the
``fixed`` text, and ``fastlint check`` no longer reports the rule. (That a rule declaring ``fix_safety`` shows a
fix, and that every fix is graded as declared: ``test_rule_cases.py``.)"""

from __future__ import annotations

import pytest

from fastlint.testing import builtin_suite, fix_case

SUITE = builtin_suite()
FIXED_CASES = [(code, i, case) for code, i, case in SUITE.cases() if case.fixed is not None]


def test_there_are_fixed_cases():
    assert len(FIXED_CASES) >= 40


@pytest.mark.parametrize(("code", "index", "case"), FIXED_CASES, ids=[f"{c}-{i}" for c, i, _ in FIXED_CASES])
def test_fixed_case(tmp_path, code, index, case):
    problems = fix_case(SUITE, code, case, tmp_path)
    assert not problems, f"{code} case {index + 1} ({case.title}):\n" + "\n".join(problems)
