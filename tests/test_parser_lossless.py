"""The syntax tree is lossless: it prints back the exact original text, for every corpus file and for random
Dockerfile-like text (hypothesis), and on random text it agrees with BuildKit's parser."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import corpus_files
from fastlint.parser import parse
from test_parser_parity import compare

FILES = corpus_files()


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_corpus_file_prints_back_exactly(path):
    raw = path.read_bytes()
    text = raw.decode("utf-8", "surrogateescape")
    df = parse(text, str(path))
    assert df.print().encode("utf-8", "surrogateescape") == raw
    # the items tile the text: no gap, no overlap
    pos = 0
    for item in df.items:
        assert item.start == pos
        pos = item.end
    assert pos == len(text)


KEYWORDS = ["FROM", "RUN", "COPY", "ADD", "ENV", "LABEL", "ARG", "CMD", "ENTRYPOINT", "HEALTHCHECK", "ONBUILD",
            "EXPOSE", "USER", "WORKDIR", "SHELL", "VOLUME", "MAINTAINER", "STOPSIGNAL", "from", "run", "FOO"]
FRAGMENTS = ["alpine:3.19", " AS build", "--from=build", "--mount=type=cache,target=/x", "<<EOF", "<<-EOT",
             "<<'EOF'", '<<"E F"', "EOF", "\tEOT", "echo hi", "&&", "\\", "`", "#", "# comment", "# escape=`",
             "# syntax=docker/dockerfile:1", "# check=skip=all", '["a", "b"]', "[1]", "[", "a=1", 'b="x y"',
             "c='z'", "=", "NONE", "CMD", "$VAR", "${VAR:-x}", " ", "  ", "\t", "\r", "--", "-", "'", '"', "x"]


@st.composite
def dockerfile_like(draw):
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        parts = draw(st.lists(st.sampled_from(KEYWORDS + FRAGMENTS), min_size=0, max_size=6))
        lines.append(" ".join(parts) if draw(st.booleans()) else "".join(parts))
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    text = ending.join(lines)
    if draw(st.booleans()):
        text += ending
    if draw(st.integers(0, 9)) == 0:
        text = "\ufeff" + text
    return text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dockerfile_like())
def test_random_text_prints_back_exactly(text):
    assert parse(text).print() == text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300))
def test_arbitrary_text_prints_back_exactly(text):
    assert parse(text).print() == text


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dockerfile_like())
def test_random_text_agrees_with_buildkit(text):
    pytest.importorskip("dockerfile")
    # The oracle wraps an older BuildKit that does not know the `# check=` directive (BuildKit >= 0.14 does,
    # and so does fastlint): before it, the older parser stops reading directives.
    assume("check=" not in text)
    problem = compare(text)
    assert problem is None, f"{text!r}: {problem}"
