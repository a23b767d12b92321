"""fastlint's pytest plugin: a rule catalogue's checks as pytest tests, for rule authors who prefer pytest to
``fastlint test-rules``. Opt-in: installed with fastlint (entry point ``pytest11``), it collects nothing unless
asked::

    pytest --fastlint-rules fastlint-acme-rules          # an installed rule package, a folder of pages, or fastlint
    pytest --fastlint-rules rules/ --fastlint-rules-config fastlint.yaml     # data rules' pages

or in the package's pytest configuration: ``fastlint_rules = fastlint-acme-rules`` (``[tool.pytest.ini_options]``
takes a list). Each page's docs and each case is one test (``ACME003::case 2 (fail: ...)``, selectable with
``-k``), run by ``fastlint.testing``, the runner of ``fastlint test-rules``: a failure shows the same explanation
and diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_addoption(parser) -> None:
    group = parser.getgroup("fastlint", "fastlint rule catalogues")
    group.addoption("--fastlint-rules", action="append", default=[], metavar="PACKAGE_OR_PATH",
                    help="run this rule package's (or folder's) catalogue cases as tests; repeatable")
    group.addoption("--fastlint-rules-config", default=None, metavar="FILE",
                    help="a fastlint.yaml for the cases that bring none (data rules)")
    parser.addini("fastlint_rules", type="args", default=[],
                  help="rule packages or folders of catalogue pages whose cases to run as tests")


@pytest.hookimpl(tryfirst=True)  # before -k and -m deselect
def pytest_collection_modifyitems(session, config, items) -> None:
    targets = config.getoption("fastlint_rules") or config.getini("fastlint_rules")
    if not targets:
        return
    from .testing import SuiteError, suite_for

    cfg = config.getoption("fastlint_rules_config")
    for target in targets:
        try:
            suite = suite_for(target, Path(cfg) if cfg else None)
        except SuiteError as err:
            raise pytest.UsageError(f"--fastlint-rules: {err}") from None
        name = f"fastlint-rules[{Path(target).name or target}]"
        collector = Catalogue.from_parent(session, name=name, nodeid=name)
        for problem in suite.problems():
            items.append(Check.from_parent(collector, name=problem.split()[0] + "::package", suite=suite,
                                           code=problem.split()[0], index=None, problem=problem))
        for code, doc in suite.pages.items():
            items.append(Check.from_parent(collector, name=f"{code}::docs", suite=suite, code=code, index=None))
            for i, case in enumerate(doc.cases):
                items.append(Check.from_parent(collector, name=f"{code}::case {i + 1} ({case.kind}: {case.title})",
                                               suite=suite, code=code, index=i))


class Catalogue(pytest.Collector):
    """The checks of one ``--fastlint-rules`` target (made by the hook above, not collected from files)."""

    def collect(self):
        return []


class CheckFailed(Exception):
    pass


class Check(pytest.Item):
    """One page's docs (``index`` None) or one case."""

    def __init__(self, *, suite, code: str, index: int | None, problem: str | None = None, **kw):
        super().__init__(**kw)
        self.suite, self.code, self.index, self.problem = suite, code, index, problem
        # no fixtures, as a test function without arguments: some plugins' pytest_runtest_call wrappers read
        # item.funcargs and break on an item without it (pytest-lsp 1.0 returns before its yield)
        self.funcargs: dict = {}

    def runtest(self) -> None:
        from .testing import docs_problems, example_problems, run_case

        root = self.config._tmp_path_factory.mktemp("fastlint-case")
        if self.problem is not None:
            problems = [self.problem]
        elif self.index is None:
            problems = docs_problems(self.suite, self.code, root / "docs") + \
                example_problems(self.suite, self.code, root / "examples")
        else:
            case = self.suite.pages[self.code].cases[self.index]
            problems = run_case(self.suite, self.code, case, root)
        if problems:
            raise CheckFailed("\n".join(problems))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CheckFailed):
            return f"{self.name}:\n{excinfo.value}"
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"{self.parent.name}::{self.name}"
