"""Parser parity with BuildKit: every corpus file gives, field for field, what BuildKit's own parser gives.

The oracle is the ``dockerfile`` package on PyPI (BuildKit's parser compiled into a Python extension); it is a
test-only dependency. One artefact of the oracle is corrected for: it passes strings through C, so a value that
contains a NUL character is cut at the NUL (BuildKit itself keeps it). fastlint keeps the whole value.
"""

from __future__ import annotations

import pytest

from conftest import corpus_files
from fastlint.parser import parse
from fastlint.parser.buildkit import to_buildkit

dockerfile = pytest.importorskip("dockerfile")


def oracle(text: str):
    """BuildKit's view of the text: (instructions, None) or (None, error message)."""
    try:
        cmds = dockerfile.parse_string(text)
    except dockerfile.GoParseError as err:
        return None, str(err)
    return [
        {
            "instruction": (c.cmd or "").upper(),
            "sub_instruction": c.sub_cmd.upper() if c.sub_cmd else None,
            "line": c.start_line,
            "end_line": c.end_line,
            "flags": list(c.flags),
            "value": list(c.value),
            "json": c.json,
            "heredocs": [{"name": h.name, "content": h.content} for h in c.heredocs],
        }
        for c in cmds
    ], None


def cut_at_nul(instructions: list[dict]) -> list[dict]:
    for ins in instructions:
        ins["value"] = [v.split("\x00", 1)[0] for v in ins["value"]]
    return instructions


def compare(text: str) -> str | None:
    """None when fastlint agrees with BuildKit on ``text``, else a description of the first difference."""
    want, err = oracle(text)
    df = parse(text)
    if want is None:
        if df.error is None:
            return f"BuildKit rejects the file ({err}) but fastlint accepts it"
        return None
    if df.error is not None:
        return f"BuildKit accepts the file but fastlint rejects it: {df.error}"
    got = cut_at_nul(to_buildkit(df))
    for g, w in zip(got, want):
        if g != w:
            return f"got {g}\nwant {w}"
    if len(got) != len(want):
        return f"{len(got)} instructions, BuildKit has {len(want)}"
    return None


FILES = corpus_files()


def test_corpus_is_there():
    assert len(FILES) >= 356


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_corpus_file_matches_buildkit(path):
    text = path.read_bytes().decode("utf-8", "replace")
    problem = compare(text)
    assert problem is None, f"{path}: {problem}"
