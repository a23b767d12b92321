"""The fuzzer, on a fixed budget: inputs generated to hit the parser's branches and real files mutated a little
(``tests/fuzzing.py``), each checked for what must always hold:

- no exception and no hang (an answer within ``fuzzing.HANG_SECONDS``) from the parser, every rule (ShellCheck
  aside) and the fixer;
- the syntax tree prints the text back exactly, and gives what BuildKit's parser gives (``fuzzing.compare``);
- DL1000 exactly where BuildKit rejects the file (its parser, the ``dockerfile`` package, fails, or an instruction
  is one BuildKit does not know);
- ``fix`` (safe and unsafe fixes) leaves a file docker build rejects untouched, keeps every other file parsing,
  keeps its comments (but those that go with a removed instruction) and changes nothing when run again.

Seeded, so a CI run is repeatable: ``FASTLINT_FUZZ_SEED`` and ``FASTLINT_FUZZ_INPUTS`` (default 4,000: about a
minute here) change it; ``scripts/fuzz.py --budget SECONDS`` runs the same checks for longer.
"""

from __future__ import annotations

import os

import pytest

import fuzzing
from conftest import corpus_files

pytest.importorskip("dockerfile")

SEED = int(os.environ.get("FASTLINT_FUZZ_SEED", "13"))
INPUTS = int(os.environ.get("FASTLINT_FUZZ_INPUTS", "4000"))


@pytest.mark.slow
def test_fuzz():
    corpus = [p.read_bytes().decode("utf-8", "replace") for p in corpus_files()]
    checker, failures = fuzzing.run(SEED, corpus, inputs=INPUTS)
    figures = dict(checker.figures)
    print(f"\nfuzz (seed {SEED}): {figures}")
    # the run reached what it is for: both kinds of input, files BuildKit takes and files it rejects, fixes
    assert figures["inputs"] == INPUTS
    assert figures["BuildKit accepts"] > INPUTS // 10 and figures["BuildKit rejects"] > INPUTS // 10
    assert figures["changed by fix"] > INPUTS // 20
    report = []
    for kind, text, problems in failures[:3]:
        small = fuzzing.shrink(text, lambda t: bool(fuzzing.Checker().check(t)))
        report.append(f"{kind} input {text[:300]!r}\n  smallest failing: {small!r}\n  problems: {problems}")
    assert not failures, f"{len(failures)} of {INPUTS} inputs failed:\n" + "\n".join(report)
