"""BuildKit's checks on the corpus (tests/data: 336 real Dockerfiles) beside every other rule: a BuildKit check and the
DL/FL rule that says the same thing never both report the same instruction, and the pairs do meet in the corpus
(so the test is not passing for want of them). The run goes through `lint_paths`, so the many-process path of
the engine is the one tested."""

from __future__ import annotations

import os

import pytest
from conftest import corpus_files

from fastlint.engine.config import builtin_policy
from fastlint.engine.registry import all_rules
from fastlint.engine.runner import Selection, lint_paths
from fastlint.parser import parse

RULES = all_rules()
BUILDKIT = sorted(code for code, cls in RULES.items() if cls.buildkit)


@pytest.fixture(scope="module")
def corpus_runs(tmp_path_factory):
    """(the run with every rule, the run with BuildKit's checks alone), each {file: findings}."""
    files = corpus_files()
    if len(files) < 300:
        pytest.fail(f"the shared corpus is missing or short ({len(files)} files)")
    old = os.environ.get("DOCKER_HOST")
    os.environ["DOCKER_HOST"] = f"unix://{tmp_path_factory.mktemp('engine') / 'none.sock'}"
    try:
        policy = builtin_policy()
        entries = [(p, str(p), policy) for p in files]
        every = {r.path: r.findings for r in lint_paths(entries, Selection(select=["ALL"]))}
        alone = {r.path: r.findings for r in lint_paths(entries, Selection(select=BUILDKIT))}
    finally:
        if old is None:
            os.environ.pop("DOCKER_HOST", None)
        else:
            os.environ["DOCKER_HOST"] = old
    return every, alone


def twin_instruction(df, code: str, line: int):
    """The instruction where the twin of a BuildKit finding would report: the one at the line, or for
    MultipleInstructionsDisallowed the next one of the same kind in the stage."""
    ins = next(i for i in df.instructions if i.line <= line <= i.end_line)
    if code == "MultipleInstructionsDisallowed":
        later = [i for i in ins.stage.instructions if i.keyword == ins.keyword and i.line > ins.line]
        return later[0]
    return ins


def twins_of(code: str, keyword: str) -> list[str]:
    """The twins of a BuildKit check that report this instruction (MultipleInstructionsDisallowed: the one of its
    kind)."""
    if code == "MultipleInstructionsDisallowed":
        return [{"CMD": "DL4003", "ENTRYPOINT": "DL4004", "HEALTHCHECK": "DL3012"}[keyword]]
    return list(RULES[code].twins())


def test_no_finding_twice(corpus_runs):
    every, _ = corpus_runs
    doubles = []
    for path, findings in every.items():
        paired = [f for f in findings if f.code in BUILDKIT and RULES[f.code].twins()]
        if not paired:
            continue
        df = parse(open(path, encoding="utf-8").read(), path)
        for f in paired:
            ins = twin_instruction(df, f.code, f.line)
            for g in findings:
                if g.code in twins_of(f.code, ins.keyword) and ins.line <= g.line <= ins.end_line:
                    doubles.append((path, f.code, f.line, g.code, g.line))
    assert not doubles, doubles[:10]


def test_the_pairs_meet_in_the_corpus(corpus_runs):
    """Where BuildKit's check fires alone and its twin fires in the full run at the same instruction, the full run
    has the twin's finding instead: each such pair is counted, and there must be some for several checks."""
    every, alone = corpus_runs
    met: dict[str, int] = {}
    for path, findings in alone.items():
        full = every.get(path, [])
        df = None
        for f in findings:
            if not RULES[f.code].twins():
                continue
            df = df or parse(open(path, encoding="utf-8").read(), path)
            ins = twin_instruction(df, f.code, f.line)
            twin_here = [g for g in full if g.code in twins_of(f.code, ins.keyword)
                         and ins.line <= g.line <= ins.end_line]
            if twin_here:
                met[f.code] = met.get(f.code, 0) + 1
                assert not any(g.code == f.code and g.line == f.line for g in full), (path, f.code, f.line)
            else:  # no twin there: the BuildKit finding stays
                assert any(g.code == f.code and g.line == f.line for g in full), (path, f.code, f.line)
    assert {"MaintainerDeprecated", "JSONArgsRecommended", "MultipleInstructionsDisallowed"} <= set(met), met


def test_buildkit_checks_run_on_the_corpus(corpus_runs):
    """Every file that parses gets BuildKit's checks, and no check crashes a file (a crash is a read error)."""
    every, alone = corpus_runs
    assert sum(len(v) for v in alone.values()) > 500
    assert {f.code for v in every.values() for f in v} & set(BUILDKIT) >= {
        "LegacyKeyValueFormat", "FromAsCasing", "NoEmptyContinuation"}


def test_safe_fixes_keep_what_buildkit_reads(tmp_path, no_engine):
    """The BuildKit checks' safe fixes on a copy of the corpus: every changed file still parses with BuildKit's own
    parser (the ``dockerfile`` package), has the same instructions with the same values, and its ENV and LABEL
    pairs are the same keys and values; only keyword case, AS case, a stage name's case, a protocol's case and
    empty continuation lines may change."""
    import dockerfile as buildkit_parser

    from fastlint.cli.fix import run as fix_run

    # (MaintainerDeprecated and RedundantTargetPlatform reuse DL4000's and DL3065's fixes, tested with those)
    fixable = [c for c in BUILDKIT if RULES[c].fix_safety == "safe"
               and c not in ("MaintainerDeprecated", "RedundantTargetPlatform")]
    (tmp_path / ".git").mkdir()
    originals = {}
    for k, p in enumerate(corpus_files()):
        text = p.read_text(encoding="utf-8", errors="surrogateescape")
        target = tmp_path / f"f{k}.Dockerfile"
        target.write_text(text, encoding="utf-8", errors="surrogateescape")
        originals[target] = text
    fix_run([str(tmp_path)], select=",".join(fixable), no_config=True, template=False)
    changed = 0
    for path, before in originals.items():
        after = path.read_text(encoding="utf-8", errors="surrogateescape")
        if after == before:
            continue
        changed += 1
        old, new = buildkit_parser.parse_string(before), buildkit_parser.parse_string(after)
        assert [i.cmd.lower() for i in old] == [i.cmd.lower() for i in new], path
        pairs = [[(p.key, p.value) for p in i.pairs] for i in parse(before).instructions]
        assert pairs == [[(p.key, p.value) for p in i.pairs] for i in parse(after).instructions], path
        for a, b in zip(old, new):
            if a.cmd.lower() in ("env", "label"):
                continue
            same = [v.lower() for v in a.value] == [v.lower() for v in b.value]  # AS, a stage name, a protocol
            assert a.value == b.value or (a.cmd.lower() in ("from", "expose") and same), (path, a, b)
    assert changed > 200  # the legacy ENV/LABEL form alone is in most of the corpus
