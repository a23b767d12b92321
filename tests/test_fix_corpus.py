"""``fastlint fix`` with every safe fix (and again with the unsafe ones too) over the corpus (336 real
Dockerfiles), on a temporary copy.

For every file: the fix never fails (a file that did not parse is left untouched), the result parses, the rules
it fixed no longer fire where they can be fixed, every comment of the original is still there, each fix is graded
as its rule declares, and a second run writes nothing.
"""

from __future__ import annotations

import shutil
from collections import Counter

import pytest

from conftest import CORPUS, corpus_files
from fastlint.engine.config import reset_caches
from fastlint.engine.registry import all_rules
from fastlint.engine.runner import Selection, decode
from fastlint.fixer.run import FixOptions, fix_file
from fastlint.parser import parse

FILES = [p.relative_to(CORPUS).as_posix() for p in corpus_files()]
RULES = all_rules()


def rule_of(code: str):
    if code in RULES:
        return RULES[code]
    family = [c for c, cls in RULES.items() if cls.family and code.startswith(c)]
    return RULES[family[0]] if family else None


def fix_corpus(tmp_path_factory, unsafe: bool):
    """rel path -> (original text or None, first report, second report, path of the copy)."""
    if not FILES:
        pytest.fail(f"no corpus at {CORPUS}")
    root = tmp_path_factory.mktemp("corpus-unsafe" if unsafe else "corpus")
    (root / ".git").mkdir()
    # ShellCheck (the SC rule) fixes nothing and is most of the lint time: off, unless it learns to fix.
    sc = RULES.get("SC")
    if sc is None or sc.fix_safety is None:
        (root / "fastlint.yaml").write_text("shellcheck: false\n")
    out = {}
    for rel in FILES:
        dst = root / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CORPUS / rel, dst)
    opts = FixOptions(template=False, unsafe=unsafe, selection=Selection())
    for rel in FILES:
        path = root / rel
        text, _, _ = decode(path.read_bytes())
        reset_caches()
        first = fix_file(path, str(path), opts)
        reset_caches()
        second = fix_file(path, str(path), opts)
        out[rel] = (text, first, second, path)
    return out


@pytest.fixture(scope="module")
def fixed(tmp_path_factory):
    return fix_corpus(tmp_path_factory, unsafe=False)


@pytest.fixture(scope="module")
def fixed_unsafe(tmp_path_factory):
    return fix_corpus(tmp_path_factory, unsafe=True)


def test_figures(fixed):
    """Some files get fixed (the test is not vacuous), and every safe-fixable rule is exercised somewhere."""
    applied = Counter(a.code for _, first, _, _ in fixed.values() for a in first.applied)
    assert sum(applied.values()) > 0
    print(f"\ncorpus: {len(fixed)} files, {sum(1 for _, f, _, _ in fixed.values() if f.written)} written, "
          f"{sum(applied.values())} fixes: {dict(sorted(applied.items()))}")


def test_figures_unsafe(fixed_unsafe):
    """The unsafe run applies fixes the safe run does not (unsafe=True is not ignored)."""
    unsafe_codes = {code for code, cls in RULES.items() if cls.fix_safety == "unsafe"}
    applied = Counter(a.code for _, first, _, _ in fixed_unsafe.values() for a in first.applied)
    assert unsafe_codes & set(applied), dict(applied)


@pytest.mark.parametrize("rel", FILES)
def test_corpus_file(fixed, rel):
    check(fixed[rel], safe=True)


@pytest.mark.parametrize("rel", FILES)
def test_corpus_file_unsafe(fixed_unsafe, rel):
    """With the unsafe fixes too: more code runs; a rule whose fix does not settle is left out and said."""
    check(fixed_unsafe[rel], safe=False)


def check(outcome, safe: bool) -> None:
    original, first, second, path = outcome
    if original is None:  # not text: reported, untouched
        assert first.errors and not first.written
        return
    if parse(original).error is not None:
        assert any("does not parse" in e for e in first.errors)
        assert path.read_text() == original and not first.written
        return
    assert first.errors == [], first.errors
    result = path.read_text()
    assert result == first.text
    df = parse(result)
    assert df.error is None, f"the fixed file does not parse: {df.error}"
    assert [c.text for c in parse(original).comments] == [c.text for c in df.comments]
    fixed_codes = {a.code for a in first.applied}
    left_out = " ".join(w for w in first.warnings if "without the fixes of" in w or "fix not applied" in w)
    for f in first.remaining:
        if f.code in fixed_codes and f.code not in left_out:
            assert f.fix is None or (safe and f.fix.safety != "safe"), \
                f"{f.code} still fires (fixable) at line {f.line}"
    for f in first.remaining:
        if f.fix is not None:
            owner = rule_of(f.code)
            assert owner is not None and f.fix.safety == owner.fix_safety, f"{f.code}: fix graded {f.fix.safety}"
    assert second.written == [] and second.applied == [], "a second run changed the file"
    assert second.text == result
