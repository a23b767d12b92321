"""Parser parity with BuildKit: every corpus file, the regression cases below and thousands of generated texts give,
field for field, what BuildKit's own parser gives.

The oracle is the ``dockerfile`` package on PyPI (BuildKit 0.12's parser compiled into a Python extension); it is
a test-only dependency. Its artefacts (a NUL cuts a string on its way through C; an ONBUILD's heredocs are not
reported) are corrected for in ``fuzzing.compare``.

The generated texts (``fuzzing.generate``) aim at the parser's branches: quotes, escapes and continuation
characters, ``$`` expansions with every operator and their syntax errors, heredoc openers (quoted, empty,
chomped, with a descriptor) with bodies that end or nearly end, builder flags with values and non-ASCII bytes,
JSON forms, directives. They are seeded, so a run in CI is repeatable: ``FASTLINT_PARITY_SEED`` and
``FASTLINT_PARITY_EXAMPLES`` change the seed and the count (``scripts/fuzz.py`` runs the same comparison for a
time budget).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from conftest import corpus_files
from fastlint.engine.runner import build_error
from fastlint.parser import parse
from fuzzing import DrawChooser, comparable, compare, generate, oracle  # noqa: F401  (oracle: for other tests)

dockerfile = pytest.importorskip("dockerfile")

FILES = corpus_files()
SEED = int(os.environ.get("FASTLINT_PARITY_SEED", "19"))
EXAMPLES = int(os.environ.get("FASTLINT_PARITY_EXAMPLES", "2000"))


def test_corpus_is_there():
    assert len(FILES) > 300


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_corpus_file_matches_buildkit(path):
    text = path.read_bytes().decode("utf-8", "replace")
    problem = compare(text)
    assert problem is None, f"{path}: {problem}"


# Each found by a fuzzing run or the generator below, with what BuildKit does.
REGRESSIONS = {
    # an empty heredoc name is no heredoc: the next line is an instruction
    "empty quoted name": "FROM alpine\nRUN <<''\necho hi\n\nRUN true\n",
    "empty double-quoted name": 'FROM alpine\nRUN <<""\necho hi\n',
    "empty chomped name": "FROM alpine\nRUN <<-''\n\techo hi\n",
    "empty quotes then a name": "FROM alpine\nRUN <<''X\necho hi\nX\n",
    # a line the lexer fails on has no heredocs at all
    "unclosed ${ in a quote": 'FROM alpine\nRUN echo "${HOME" <<EOF\necho hi\nEOF\n',
    "unsupported ${ modifier": "FROM alpine\nRUN echo ${a%b} <<EOF\nEOF\n",
    "unclosed quote": "FROM alpine\nRUN echo 'x <<EOF\nEOF\n",
    "<<${ alone": "FROM alpine\nRUN <<${\n",
    # the name is the lexed word: expansions kept as written, quotes and escapes resolved
    "name with an expansion": "FROM alpine\nRUN <<${a:-x}\nx\n${a:-x}\n",
    "name $": "FROM alpine\nRUN <<$\nx\n$\n",
    "quoted name with a space": 'FROM alpine\nRUN cat <<"a b"\nx\na b\n',
    "escaped backslash in a quoted name": 'FROM alpine\nRUN cat <<"E\\F"\nhi\nE\\F\n',
    "descriptor": "FROM alpine\nRUN 3<<EOF\nx\nEOF\n",
    "two heredocs in one word": "FROM alpine\nRUN <<EOF<<X\nx\nEOF\n",
    "heredoc in an ${a-...} word": "FROM alpine\nRUN ${a-<<EOF}\nx\n",
    "chomped terminator with tabs": "FROM alpine\nRUN <<-EOT\n\tx\n\t\tEOT\n",
    "spaces before the terminator of a chomped heredoc": "FROM alpine\nRUN <<-EOT\n x\n  EOT\nEOT\n",
    # BuildKit rejects the file when the heredoc word's rest does not lex
    "heredoc word cut in an expansion": 'FROM alpine\nRUN <<${a:-"x y"}\nx\n',
    # hundreds of nested ${a:-...} on a line with a heredoc: BuildKit's lexer recurses, fastlint's does not need to
    "heredoc after ${a:-...} 600 deep": "FROM alpine\nRUN cat <<EOF " + "${a:-" * 600 + "x" + "}" * 600 + "\nx\nEOF\n",
    "heredoc after ${a:-...} 600 deep, not closed": "FROM alpine\nRUN cat <<EOF " + "${a:-" * 600 + "}" * 599 + "\n",
    # flags are read byte by byte: a 0xA0 byte ends a flag, U+3000 does not, non-ASCII comes out as Latin-1
    "NBSP after a flag": "FROM alpine\nRUN --mount=type=cache,target=/x\u00a0echo hi\n",
    "U+3000 after a flag": "FROM alpine\nRUN --network=none\u3000echo hi\n",
    "U+2005 inside a flag": "FROM alpine\nRUN --a=x\u2005y z\n",
    "non-ASCII flag value": "FROM alpine\nCOPY --chown=\u00e9 a b\n",
    "HEALTHCHECK type word and U+3000": "FROM alpine\nHEALTHCHECK CMD\u3000x\n",
    # JSON nested deeper than Python's decoder goes: Go's goes to 10,000, so an array of arrays (rejected) ...
    "JSON array 1,500 deep": "FROM alpine\nCMD " + "[" * 1500 + "]" * 1500 + "\n",
    "JSON array 1,500 deep, not closed": "FROM alpine\nCMD " + "[" * 1500 + "]" * 1499 + "\n",
    # ... but not past 10,000 (not JSON: the shell form)
    "JSON array 10,001 deep": "FROM alpine\nCMD " + "[" * 10001 + "]" * 10001 + "\n",
    # the oracle drops an ONBUILD's heredocs; BuildKit reads them (the end line shows it)
    "ONBUILD heredoc": "FROM alpine\nONBUILD RUN <<EOF\nx\nEOF\nRUN y\n",
}


@pytest.mark.parametrize("text", REGRESSIONS.values(), ids=REGRESSIONS.keys())
def test_regression_matches_buildkit(text):
    problem = compare(text)
    assert problem is None, f"{text!r}: {problem}"


@pytest.mark.parametrize("text, line, message", [
    ("FROM alpine\nRUN <<''\necho hi\n\nRUN true\n", 3, "unknown instruction: echo"),
    ('FROM alpine\nRUN echo "${HOME" <<EOF\necho hi\nEOF\n', 3, "unknown instruction: echo"),
    ("FROM alpine\nRUN <<${\n", None, None),
    ('FROM alpine\nRUN <<${a:-"x y"}\nx\n', 2, "syntax error: missing '}'"),
])
def test_docker_build_verdict(text, line, message):
    """What ``docker build`` does with the issue's cases: DL1000 at the line it fails on, or no error."""
    found = build_error(parse(text))
    if line is None:
        assert found is None
    else:
        assert found is not None and found[0] == line and message in found[1], found


def test_onbuild_heredoc_is_read():
    df = parse("FROM alpine\nONBUILD RUN <<EOF\nx\nEOF\nRUN y\n")
    assert [h.name for h in df.instructions[1].sub.heredocs] == ["EOF"]
    assert oracle("FROM alpine\nONBUILD RUN <<EOF\nx\nEOF\nRUN y\n")[0][1]["end_line"] == 4


@seed(SEED)
@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
@given(st.data())
def test_generated_text_matches_buildkit(data):
    text = generate(DrawChooser(data))
    assert parse(text).print() == text
    if not comparable(text):
        return
    problem = compare(text)
    assert problem is None, f"{text!r}: {problem}"
