"""The shape of the code, checked: no import circle, no rule module importing another, the rule contract read
without probing, one pragma and rule-ID grammar, one message per rule."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from fastlint.catalogue import load
from fastlint.engine.registry import all_rules

PACKAGE = Path(__file__).resolve().parent.parent / "fastlint"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules this module imports, at the top or inside a function (a function-local import is
    still a dependency: it only hides the circle until the function runs)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            targets = [mod] + [f"{mod}.{a.name}" for a in node.names]
        else:
            continue
        for t in targets:
            if t in known and t != name:
                out.add(t)
    return out


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def test_the_import_walk_sees_the_package():
    g = graph()
    assert "fastlint.engine.runner" in g and "fastlint.rules.lib.run" in g
    assert "fastlint.engine.pipeline" in g["fastlint.engine.runner"]
    assert "fastlint.rules.lib.run" in g["fastlint.rules.dl3001"]


def test_no_import_circle():
    g = graph()
    state: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(n: str) -> None:
        state[n] = 1
        stack.append(n)
        for m in sorted(g[n]):
            if state.get(m) == 1:
                circles.append(stack[stack.index(m):] + [m])
            elif m not in state:
                visit(m)
        stack.pop()
        state[n] = 2

    for n in sorted(g):
        if n not in state:
            visit(n)
    assert circles == [], "import circles: " + "; ".join(" -> ".join(c) for c in circles)


def rule_modules() -> set[str]:
    return {name for name, path in modules().items()
            if name.startswith("fastlint.rules.") and path.parent == PACKAGE / "rules"}


def test_no_rule_module_imports_another_rule_module():
    g = graph()
    rules = rule_modules()
    assert len(rules) >= 90
    bad = {name: sorted(g[name] & rules) for name in sorted(rules) if g[name] & rules}
    assert bad == {}, ("shared helpers belong in fastlint/rules/lib/, not in a rule module: "
                       + "; ".join(f"{k} imports {', '.join(v)}" for k, v in bad.items()))


def test_nothing_outside_the_rules_imports_a_rule_module():
    """Code that needs what a rule knows (the migration and FL601's secrets) reads it from fastlint/rules/lib."""
    g = graph()
    rules = rule_modules()
    bad = {name: sorted(deps & rules) for name, deps in g.items()
           if not name.startswith("fastlint.rules") and deps & rules}
    assert bad == {}


_HOOKS = ("prepare", "check_manifest", "reports_many", "docs_examples_partial", "family", "external", "batches",
          "same_as", "kinds", "start_file", "start_stage", "check", "finish", "tier", "prefetch", "off_with",
          "buildkit", "check_scope", "url", "about")
_PROBE = re.compile(r"\b(?:getattr|hasattr)\([^,()]+,\s*[\"'](?:" + "|".join(_HOOKS) + r")[\"']")


def test_the_rule_contract_is_read_without_probing():
    found = [f"{p.relative_to(PACKAGE)}:{n}" for p in PACKAGE.rglob("*.py")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if _PROBE.search(line)]
    assert found == [], "declare the hook on fastlint.engine.rule.Rule and read it: " + ", ".join(found)


def test_one_pragma_grammar_and_one_rule_id_grammar():
    """The pragma's regular expression lives in engine/pragmas.py, the rule IDs' in engine/ids.py."""
    pragma = re.compile(r"fastlint:\?\|hadolint|fastlint\|hadolint")
    rule_id = re.compile(r"DL\|SC\|FL")
    places = {"pragma": set(), "id": set()}
    for p in PACKAGE.rglob("*.py"):
        text = p.read_text(encoding="utf-8")
        if pragma.search(text):
            places["pragma"].add(str(p.relative_to(PACKAGE)))
        if rule_id.search(text):
            places["id"].add(str(p.relative_to(PACKAGE)))
    assert places["pragma"] <= {"engine/pragmas.py", "engine/manifests.py"}  # the YAML comment finder hands over
    assert places["id"] == {"engine/ids.py"}


def test_both_kinds_of_file_go_through_the_one_finalize_step():
    for module in ("engine/runner.py", "engine/manifests.py"):
        assert "finalize(" in (PACKAGE / module).read_text(encoding="utf-8"), module


def test_each_rule_message_is_its_catalogue_heading():
    differ = {}
    for code, cls in all_rules().items():
        doc = load(code)
        assert doc is not None, f"{code} has no catalogue page"
        if doc.title != cls.message:
            differ[code] = (cls.message, doc.title)
    assert differ == {}, "the class's message and the heading '# CODE: message' of rules/CODE.md differ"
