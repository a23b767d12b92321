"""Running a rule catalogue's cases: the one case runner, for fastlint's own tests (``tests/test_rule_cases.py``,
``tests/test_fix_rules.py``), ``fastlint test-rules PACKAGE_OR_PATH`` and the pytest plugin
(``fastlint.pytest_plugin``).

A ``Suite`` is catalogue pages (``fastlint.catalogue``) and the rules they document: fastlint's own
(``builtin_suite``), an installed rule package's (found by distribution name, prefix or module), or a folder of
pages whose rules are installed or defined by the cases' ``fastlint.yaml`` (data rules) or by ``config``.

What is checked, as fastlint's tests check the built-in catalogue:

* each case (``check_case``): its files are written to a folder of their own, ``fastlint check --select CODE``
  runs on it (``api.check``), and the rule fires (a ``fail`` case; at exactly the lines its heading lists), or
  does not (a ``pass`` case); a fix a finding carries is graded as the rule declares (``fix_safety``); a failing
  case offers a fix exactly when it has a ``fixed`` block;
* each case with a ``fixed`` block (``fix_case``): ``fastlint fix --select CODE`` (``--unsafe-fixes`` when the
  rule's fix is unsafe) makes exactly that text of it (else a unified diff), and the rule no longer fires; each
  failing case without one (``no_fix_case``): ``fastlint fix --unsafe-fixes --no-template --select CODE``
  changes none of its files;
* each page (``docs_problems``, ``example_problems``): the docs' sections, at least one failing and one passing case, the heading
  ``# CODE: message`` equal to the rule's message, a rule that declares a fix shows one in a case, the docs'
  Example fires and its "Use instead" does not;
* the suite: every rule of a package has a page, every page a rule.

Each check runs with the local Docker engine the case says (its ``engine`` block: a fake one,
``testing/engine.py``), else with none answering (``case_engine``): results never depend on the machine's engine.

Each check returns problems, one readable paragraph each; no problem means it passed.
"""

from __future__ import annotations

import contextlib
import difflib
import os
from pathlib import Path

from ..catalogue import Case, RuleDoc, catalogue_dir, parse_doc

DOC_SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "Fix safety")


class Suite:
    """What a test run covers: ``name`` (for messages), ``pages`` by code, ``rules`` by code (the rules the
    suite must document; empty for a folder of pages), ``config`` (a fastlint.yaml's text for the cases that
    bring none)."""

    def __init__(self, name: str, pages: dict[str, RuleDoc], rules: dict | None = None, config: str | None = None):
        self.name = name
        self.pages = pages
        self.rules = {} if rules is None else rules
        self.config = config

    def cases(self) -> list[tuple[str, int, Case]]:
        return [(code, i, case) for code, doc in self.pages.items() for i, case in enumerate(doc.cases)]

    def problems(self) -> list[str]:
        """The suite's own: rules without a page (pages without a rule are the pages' problem)."""
        return [f"{code} has no catalogue page ({code}.md)" for code in self.rules if code not in self.pages]


class SuiteError(Exception):
    """What to test cannot be found (one line)."""


# -- finding what to test ----------------------------------------------------------------------------------------
def load_pages(directory: Path) -> dict[str, RuleDoc]:
    """The catalogue pages of a folder: ``CODE.md`` files (upper-case names; README.md left out)."""
    out = {}
    for p in sorted(directory.glob("*.md")):
        if p.stem[:1].isupper() and p.stem.upper() != "README":
            out[p.stem] = parse_doc(p)
    return out


def builtin_suite() -> Suite:
    from .. import __version__
    from ..engine.registry import all_rules

    return Suite(f"fastlint {__version__}", load_pages(catalogue_dir()), all_rules())


def suite_for(target: str, config: Path | None = None) -> Suite:
    """The suite of ``target``: ``fastlint`` (the built-in catalogue), an installed rule package (distribution
    name, prefix or module), or a catalogue page or a folder of pages. ``config``: a fastlint.yaml for the cases
    that bring none (data rules). Raises SuiteError."""
    config_text = None
    if config is not None:
        try:
            config_text = config.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise SuiteError(f"{config}: cannot read: {getattr(err, 'strerror', None) or err}") from None
    path = Path(target)
    if path.exists():
        if path.is_dir():
            pages = load_pages(path)
            if not pages:
                raise SuiteError(f"{target}: no catalogue pages (CODE.md files) in this folder")
        elif path.suffix == ".md":
            pages = {path.stem: parse_doc(path)}
        else:
            raise SuiteError(f"{target}: not a catalogue page (CODE.md) or a folder of pages")
        return Suite(str(path), pages, config=config_text)
    if target.lower() == "fastlint":
        suite = builtin_suite()
        suite.config = config_text
        return suite
    from ..engine.packages import find
    from ..engine.registry import installed_packages, load_package

    pkg = find(target)
    if pkg is None or pkg not in installed_packages():
        names = ", ".join(f"{p.dist} ({p.prefix})" for p in installed_packages()) or "none"
        raise SuiteError(f"{target!r} is neither a folder of catalogue pages nor an installed rule package "
                         f"(installed: {names})")
    loaded = load_package(pkg)
    if not loaded.rules:
        raise SuiteError(f"rule package {pkg.label} could not be loaded (see the warning above)")
    if loaded.catalogue is None or not loaded.catalogue.is_dir():
        raise SuiteError(f"rule package {pkg.label}: its catalogue folder {loaded.catalogue} does not exist")
    return Suite(f"{pkg.label} ({pkg.prefix})", load_pages(loaded.catalogue), dict(loaded.rules), config_text)


# -- one case ----------------------------------------------------------------------------------------------------
def write_case(root: Path, case: Case, config: str | None = None) -> Path:
    """Lay out a case's files under ``root`` (its Dockerfile, ``file`` blocks, its fastlint.yaml, else
    ``config``); returns the Dockerfile's path. A ``.git`` folder stops the search for configuration files
    at ``root``."""
    dockerfile = root / case.path
    dockerfile.parent.mkdir(parents=True, exist_ok=True)
    dockerfile.write_bytes(case.dockerfile.encode("utf-8"))
    for name, content in case.files.items():
        target = dockerfile.parent / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    text = case.config if case.config is not None else config
    if text is not None:
        (root / "fastlint.yaml").write_text(text, encoding="utf-8")
    (root / ".git").mkdir(exist_ok=True)
    return dockerfile


def rule_of(code: str, suite: Suite, dockerfile: Path | None = None):
    """The rule a page documents: the suite's, fastlint's or an installed package's (``registry.rule_for``), or
    a data rule of the case's configuration. None when there is none."""
    cls = suite.rules.get(code)
    if cls is not None:
        return cls
    from ..engine.registry import rule_for

    cls = rule_for(code)
    if cls is not None or dockerfile is None:
        return cls
    from .. import api

    policy = api.policy_for(dockerfile)
    if policy.custom_rules is None:
        return None
    from ..datarules.checks import rule_classes

    return rule_classes(policy).get(code.upper())


@contextlib.contextmanager
def case_engine(case: Case | None):
    """``DOCKER_HOST`` for the block: the fake engine of the case's ``engine`` block (JSON: ``{"arch": ...,
    "images": {reference: {"os", "arch", "variant", "env", "shell", "files"}}}``; ``files``: {path: text or
    {"link": target}}, read through a container), else a socket nothing listens on. The
    variable is restored after."""
    import json
    import tempfile

    from .engine import FakeEngine, image

    old = os.environ.get("DOCKER_HOST")
    with tempfile.TemporaryDirectory(prefix="fastlint-engine-") as folder:  # short: a socket path has a limit
        socket = os.path.join(folder, "engine.sock")
        try:
            if case is not None and case.engine:
                spec = json.loads(case.engine)
                table = {ref: image(i.get("os", "linux"), i.get("arch", "amd64"), i.get("env"), i.get("variant", ""),
                                    i.get("shell")) for ref, i in spec.get("images", {}).items()}
                files = {ref: i["files"] for ref, i in spec.get("images", {}).items() if i.get("files")}
                with FakeEngine(socket, table, spec.get("arch", "amd64"), files) as engine:
                    os.environ["DOCKER_HOST"] = engine.docker_host
                    yield
            else:
                os.environ["DOCKER_HOST"] = f"unix://{socket}"
                yield
        finally:
            if old is None:
                os.environ.pop("DOCKER_HOST", None)
            else:
                os.environ["DOCKER_HOST"] = old


def findings_of(dockerfile: Path, code: str) -> list:
    """``fastlint check --select CODE`` on the file (the library's ``check``)."""
    from .. import api

    run = api.check([str(dockerfile)], select=[code])
    if run.errors:
        raise CaseError("; ".join(run.errors))
    return [f for r in run.results for f in r.findings]


class CaseError(Exception):
    """A case cannot run (its fastlint.yaml is bad, its files cannot be read)."""


def _listing(findings) -> str:
    if not findings:
        return "    (no finding)"
    return "\n".join(f"    line {f.line}:{f.column} {f.code} {f.message}" + (" [fix]" if f.fix else "")
                     for f in findings)


def _lines(lines) -> str:
    lines = sorted(set(lines))
    return ("line " if len(lines) == 1 else "lines ") + ", ".join(map(str, lines))


def check_case(suite: Suite, code: str, case: Case, root: Path) -> list[str]:
    """A case's findings against what it says (see the module docstring)."""
    try:
        path = write_case(root, case, suite.config)
        cls = rule_of(code, suite, path)
        if cls is None:
            return [f"{code}: no such rule (not fastlint's, not an installed package's, not a data rule of the "
                    "case's fastlint.yaml)"]
        with case_engine(case):
            findings = findings_of(path, code)
    except CaseError as err:
        return [f"the case cannot run: {err}"]
    except Exception as err:  # noqa: BLE001  (a ConfigError, a rule's bug: said, not a traceback)
        return [f"the case cannot run: {type(err).__name__}: {err}"]
    mine = [f for f in findings if cls.owns(f.code)]
    problems = []
    if case.kind == "fail":
        if not mine:
            problems.append(f"{code} should fire and does not. Findings:\n{_listing(findings)}")
        elif case.lines and sorted({f.line for f in mine}) != sorted(set(case.lines)):
            problems.append(f"{code} should fire at {_lines(case.lines)} and fires at "
                            f"{_lines(f.line for f in mine)}:\n{_listing(mine)}")
        if case.fixed is not None and mine and not any(f.fix is not None for f in mine):
            problems.append(f"the case has a fixed block but no finding of {code} carries a fix")
        fixable = [f for f in mine if f.fix is not None]
        if case.fixed is None and fixable:
            problems.append(f"the case has no fixed block but {code} offers a fix:\n{_listing(fixable)}")
    elif mine:
        problems.append(f"{code} should not fire and does:\n{_listing(mine)}")
    for f in mine:
        if f.fix is not None and f.fix.safety != cls.fix_safety:
            problems.append(f"line {f.line}: a fix graded {f.fix.safety!r}, the rule declares fix_safety="
                            f"{cls.fix_safety!r}")
            break
    return problems


def fix_case(suite: Suite, code: str, case: Case, root: Path) -> list[str]:
    """A case's ``fixed`` block against what ``fastlint fix --select CODE`` makes of it (with
    ``--unsafe-fixes`` when the rule's fix is unsafe), then the rule must no longer fire."""
    if case.fixed is None:
        return []
    from ..engine.pipeline import Selection
    from ..fixer.run import FixOptions, fix_file

    try:
        path = write_case(root, case, suite.config)
        cls = rule_of(code, suite, path)
        if cls is None:
            return [f"{code}: no such rule"]
        unsafe = cls.fix_safety == "unsafe"
        with case_engine(case):
            report = fix_file(path, str(path), FixOptions(selection=Selection(select=[code]), unsafe=unsafe))
            if report.errors:
                return ["fastlint fix failed: " + "; ".join(report.errors)]
            result = path.read_text(encoding="utf-8")
            command = f"fastlint fix --select {code}{' --unsafe-fixes' if unsafe else ''}"
            if result != case.fixed:
                diff = "".join(difflib.unified_diff(case.fixed.splitlines(True), result.splitlines(True),
                                                    "the case's fixed block", command))
                return [f"`{command}` makes another text of the case:\n{_indent(diff)}"]
            left = [f for f in findings_of(path, code) if cls.owns(f.code)]
    except CaseError as err:
        return [f"the case cannot run: {err}"]
    except Exception as err:  # noqa: BLE001
        return [f"the case cannot run: {type(err).__name__}: {err}"]
    if left:
        return [f"{code} still fires on the fixed text:\n{_listing(left)}"]
    return []


def no_fix_case(suite: Suite, code: str, case: Case, root: Path) -> list[str]:
    """A failing case without a ``fixed`` block: ``fastlint fix --unsafe-fixes --no-template --select CODE``
    leaves every file of the case (the Dockerfile and the files beside it) byte for byte as it was."""
    if case.kind != "fail" or case.fixed is not None:
        return []
    from ..engine.pipeline import Selection
    from ..fixer.run import FixOptions, fix_file

    from ..engine.manifests import is_yaml_name

    if is_yaml_name(Path(case.path).name):
        return []  # `fastlint fix` leaves YAML files alone (their rules have no fixes)
    try:
        path = write_case(root, case, suite.config)
        before = _snapshot(root)
        with case_engine(case):
            report = fix_file(path, str(path), FixOptions(selection=Selection(select=[code]), unsafe=True,
                                                          template=False))
    except Exception as err:  # noqa: BLE001
        return [f"the case cannot run: {type(err).__name__}: {err}"]
    if report.errors:
        return ["fastlint fix failed: " + "; ".join(report.errors)]
    after = _snapshot(root)
    changed = sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))
    if changed:
        return [f"the case has no fixed block but `fastlint fix --unsafe-fixes --no-template --select {code}` "
                f"changes {', '.join(changed)}"]
    return []


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def run_case(suite: Suite, code: str, case: Case, root: Path) -> list[str]:
    """``check_case``, ``fix_case`` and ``no_fix_case`` (each in a folder of its own under ``root``)."""
    return (check_case(suite, code, case, root / "check") + fix_case(suite, code, case, root / "fix")
            + no_fix_case(suite, code, case, root / "nofix"))


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.rstrip("\n").splitlines())


# -- one page ----------------------------------------------------------------------------------------------------
def page_rule(suite: Suite, code: str, root: Path):
    """The rule a page documents (a data rule: from its first failing case's configuration, written under
    ``root``), or None."""
    cls = rule_of(code, suite)
    if cls is None:
        first = next((c for c in suite.pages[code].cases if c.kind == "fail"), None)
        if first is not None:
            cls = rule_of(code, suite, write_case(root, first, suite.config))
    return cls


def docs_problems(suite: Suite, code: str, root: Path) -> list[str]:
    """The page's docs against its rule: the sections, a failing and a passing case, the heading equal to the
    rule's message, a fixed block when the rule declares a fix."""
    doc = suite.pages[code]
    problems = [f"section {section!r} is missing or empty" for section in DOC_SECTIONS if not doc.section(section)]
    if {c.kind for c in doc.cases} != {"fail", "pass"}:
        problems.append("the page needs at least one failing and one passing case")
    try:
        cls = page_rule(suite, code, root)
    except Exception as err:  # noqa: BLE001  (a bad fastlint.yaml in a case: said, not a traceback)
        return problems + [f"the rule cannot be found: {type(err).__name__}: {err}"]
    if cls is None:
        return problems + [f"{code} has a page but no rule"]
    if doc.title != cls.message:
        problems.append(f"the heading says {doc.title!r}, the rule's message is {cls.message!r}")
    if cls.fix_safety is not None and not any(c.fixed is not None for c in doc.cases):
        problems.append(f"the rule declares fix_safety={cls.fix_safety!r} but no case has a fixed block")
    return problems


def example_problems(suite: Suite, code: str, root: Path) -> list[str]:
    """The docs' Example fires, its "Use instead" does not (with the first failing case's path, files and
    configuration); nothing to check when the rule's examples are fragments (``docs_examples_partial``)."""
    doc = suite.pages[code]
    first = next((c for c in doc.cases if c.kind == "fail"), None)
    try:
        cls = page_rule(suite, code, root / "rule")
    except Exception:  # noqa: BLE001  (docs_problems says it)
        return []
    if cls is None or cls.docs_examples_partial:
        return []
    return _example_problems(suite, code, doc, first, cls, root)


def _example_problems(suite: Suite, code: str, doc: RuleDoc, first: Case | None, cls, root: Path) -> list[str]:
    """The docs' Example fires, its "Use instead" does not (with the first failing case's path, files and
    configuration)."""
    problems = []
    for section, should_fire in (("Example", True), ("Use instead", False)):
        body = doc.section(section)
        if "```dockerfile" not in body:
            continue
        text = body.split("```dockerfile", 1)[1].split("```", 1)[0].lstrip("\n")
        case = Case(kind="fail", title=section, dockerfile=text, path=first.path if first else "Dockerfile",
                    files=dict(first.files) if first else {}, config=first.config if first else None)
        try:
            with case_engine(first):
                findings = findings_of(write_case(root / section.replace(" ", "_"), case, suite.config), code)
        except Exception as err:  # noqa: BLE001
            problems.append(f"the docs' {section} cannot run: {type(err).__name__}: {err}")
            continue
        fired = [f for f in findings if cls.owns(f.code)]
        if bool(fired) != should_fire:
            problems.append(f"the docs' {section} {'should' if should_fire else 'should not'} fire "
                            f"{code}:\n{_indent(text)}\n  Findings:\n{_listing(fired)}")
    return problems


# -- a whole suite, for `fastlint test-rules` -------------------------------------------------------------------
class Result:
    """One check of a run: ``what`` (a page or a case), its problems."""

    def __init__(self, code: str, what: str, problems: list[str]):
        self.code = code
        self.what = what
        self.problems = problems


def run_suite(suite: Suite, root: Path, select: list[str] | None = None) -> list[Result]:
    """Every check of the suite, in page order (``select``: only the pages of these codes or prefixes)."""
    from ..engine.ids import matches

    results = [Result(code, "package", [p]) for p in suite.problems() for code in [p.split()[0]]]
    for n, code in enumerate(suite.pages):
        if select and not matches(code, select):
            continue
        results.append(Result(code, "docs", docs_problems(suite, code, root / f"{n}-docs")
                              + example_problems(suite, code, root / f"{n}-examples")))
        for i, case in enumerate(suite.pages[code].cases):
            label = f"case {i + 1} ({case.kind}: {case.title})" if case.title else f"case {i + 1} ({case.kind})"
            results.append(Result(code, label, run_case(suite, code, case, root / f"{n}-{i}")))
    return results
