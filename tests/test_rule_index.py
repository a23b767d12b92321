"""The generated rule index says what the rule classes say: a rule added or changed without
``python scripts/update_rule_index.py`` fails here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from fastlint.engine import index
from fastlint.engine.registry import all_rules, index_source, load

INDEX = Path(__file__).resolve().parent.parent / "fastlint" / "engine" / "rule_index.py"


def test_the_index_is_up_to_date():
    assert INDEX.read_text(encoding="utf-8") == index_source(), \
        "fastlint/engine/rule_index.py is stale: run `python scripts/update_rule_index.py`"


def test_each_entry_is_its_class():
    rules = all_rules()
    assert set(index.rules()) == set(rules)
    for code, info in index.rules().items():
        cls = rules[code]
        assert (info.level, info.message, info.fix_safety, info.kinds, info.family, info.docs_url) == \
            (cls.level, cls.message, cls.fix_safety, tuple(cls.kinds), cls.family, cls.docs_url)
        assert load([code]) == [cls]


def test_choosing_rules_imports_none_and_a_run_imports_only_the_rules_it_runs(tmp_path):
    """Rule IDs, the hadolint profile, the choice of file kinds read the index; a run of DL3006 imports one rule
    module."""
    (tmp_path / "Dockerfile").write_text("FROM node\n")
    code = (
        "import sys\n"
        "from fastlint.engine.index import unknown_ids\n"
        "from fastlint.engine.pipeline import YAML_KINDS, Selection, wants_kinds\n"
        "from fastlint.engine.config import builtin_policy\n"
        "assert unknown_ids(['DL3006', 'SC2086', 'XX12', 'fl4']) == ['XX12']\n"
        "assert wants_kinds(Selection(), YAML_KINDS) and builtin_policy('hadolint').disabled\n"
        "before = sorted(m for m in sys.modules if m.startswith('fastlint.rules.') and '.lib' not in m)\n"
        "from fastlint.cli import run\n"
        f"run(['check', '--no-config', '--select', 'DL3006', {str(tmp_path / 'Dockerfile')!r}])\n"
        "after = sorted(m for m in sys.modules if m.startswith('fastlint.rules.') and '.lib' not in m)\n"
        "print(before, after, file=sys.stderr)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    before, after = r.stderr.strip().splitlines()[-1].split("] [")
    assert before == "[", r.stderr
    assert after == "'fastlint.rules.dl3006']", r.stderr


def _without(text: str, keywords: tuple[str, ...]) -> str:
    """The text with every instruction of these keywords removed (an ONBUILD of one of them too)."""
    from fastlint.parser import parse

    df = parse(text, "Dockerfile")
    spans = [(i.start, i.end) for i in df.instructions
             if i.keyword in keywords or (i.sub is not None and i.sub.keyword in keywords)]
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + text[end:]
    return text


def test_a_rule_needing_instructions_reports_nothing_without_them():
    """``Rule.needs_instructions`` lets a run skip (and not import) a rule on a file without those instructions:
    each declaration is checked on every corpus file and catalogue case with those instructions taken out (the
    rule run on it directly, nothing skipped): no finding."""
    from conftest import corpus_files

    from fastlint.catalogue import load_all
    from fastlint.engine.config import builtin_policy
    from fastlint.engine.pipeline import Selection
    from fastlint.engine.runner import lint_dockerfile
    from fastlint.engine.state import RunState
    from fastlint.parser import parse

    rules = all_rules()
    groups: dict[tuple[str, ...], list] = {}
    for cls in rules.values():
        if cls.needs_instructions:
            groups.setdefault(tuple(cls.needs_instructions), []).append(cls)
    assert sum(map(len, groups.values())) >= 60
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in corpus_files()]
    texts += [case.dockerfile for doc in load_all().values() for case in doc.cases]
    policy = builtin_policy()
    policy.label_schema = {"maintainer": "email", "version": "semver", "url": "url", "rev": "hash",
                           "created": "rfc3339", "license": "spdx", "title": "text"}
    policy.strict_labels = True
    state, checked = RunState(), 0
    for needs, classes in groups.items():
        selection = Selection(select=[c.code for c in classes])
        for text in texts:
            df = parse(_without(text, needs), "Dockerfile")
            if df.error is not None:
                continue
            found = [f for f in lint_dockerfile(df, policy, classes, selection, state) if f.code != "DL1000"]
            assert found == [], f"{[f.code for f in found]} fired on a file without {needs}"
            checked += 1
    assert checked > 5000


def test_a_rule_needing_words_reports_nothing_without_them():
    """``Rule.needs_words`` lets a run skip (and not import) a rule on a file whose text has none of those words:
    each declaration is checked on every corpus file and catalogue case with the words taken out (each
    occurrence, as written, replaced by as many ``q``; the rule run on it directly): no finding."""
    from conftest import corpus_files

    from fastlint.catalogue import load_all
    from fastlint.engine.config import builtin_policy
    from fastlint.engine.pipeline import Selection
    from fastlint.engine.runner import lint_dockerfile
    from fastlint.engine.state import RunState
    from fastlint.parser import parse

    rules = all_rules()
    groups: dict[tuple[str, ...], list] = {}
    for cls in rules.values():
        if cls.needs_words:
            groups.setdefault(tuple(cls.needs_words), []).append(cls)
    assert sum(map(len, groups.values())) >= 25
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in corpus_files()]
    texts += [case.dockerfile for doc in load_all().values() for case in doc.cases]
    policy, state, checked, had = builtin_policy(), RunState(), 0, 0
    for words, classes in groups.items():
        selection = Selection(select=[c.code for c in classes])
        for text in texts:
            if not any(w in text for w in words):
                continue
            had += 1
            for w in words:
                text = text.replace(w, "q" * len(w))
            df = parse(text, "Dockerfile")
            if df.error is not None:
                continue
            found = [f for f in lint_dockerfile(df, policy, classes, selection, state) if f.code != "DL1000"]
            assert found == [], f"{[f.code for f in found]} fired on a file without {words}"
            checked += 1
    assert checked > 500 and checked > had * 0.9
