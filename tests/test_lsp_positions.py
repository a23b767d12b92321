"""The server's positions (fastlint/lsp/positions.py) against LSP's rules, computed here another way: lines end at
\\n, \\r\\n or \\r only; characters are UTF-16 code units (or UTF-8, UTF-32 when agreed)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("pygls")

from fastlint.lsp.positions import LineIndex  # noqa: E402

ALPHABET = st.sampled_from(["a", " ", "\n", "\r", "\r\n", "é", "☕", "😀", "\x0c", "\u2028", "\t", "𝄞"])
TEXTS = st.lists(ALPHABET, max_size=40).map("".join)
CODEC = {"utf-16": "utf-16-le", "utf-8": "utf-8", "utf-32": "utf-32-le"}
WIDTH = {"utf-16": 2, "utf-8": 1, "utf-32": 4}


def reference(text: str, offset: int, encoding: str) -> tuple[int, int]:
    breaks = list(re.finditer(r"\r\n|\r|\n", text))
    starts = [0] + [m.end() for m in breaks]
    ends = [m.start() for m in breaks] + [len(text)]
    line = max(i for i, s in enumerate(starts) if s <= offset)
    end = min(ends[line], offset)  # an offset inside a line break is at its line's end
    return line, len(text[starts[line]:end].encode(CODEC[encoding])) // WIDTH[encoding]


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.sampled_from(["utf-16", "utf-8", "utf-32"]), st.data())
def test_positions_follow_lsp_lines_and_code_units(text, encoding, data):
    index = LineIndex(text, encoding)
    offset = data.draw(st.integers(0, len(text)))
    assert index.position(offset) == reference(text, offset, encoding)
    # back again: the same offset, unless it is inside a line break
    line, char = index.position(offset)
    inside_break = offset < len(text) and offset > 0 and text[offset - 1] == "\r" and text[offset] == "\n"
    if not inside_break:
        assert index.offset(line, char) == offset


def test_form_feeds_and_line_separators_do_not_end_lines():
    text = "a\x0cb\u2028c\nd"
    index = LineIndex(text)
    assert index.position(text.index("c")) == (0, 4)
    assert index.position(text.index("d")) == (1, 0)


def test_astral_characters_are_two_utf16_units():
    index = LineIndex("😀x")
    assert index.position(1) == (0, 2) and index.offset(0, 2) == 1
    assert LineIndex("😀x", "utf-8").position(1) == (0, 4)
    assert LineIndex("😀x", "utf-32").position(1) == (0, 1)


def test_yaml_line_and_column_in_code_points():
    index = LineIndex("a: 1\nimage: \"wéb😀:latest\"\n")
    assert index.at_line_col(2, 8) == (1, 7)
    assert index.at_line_col(2, 21) == (1, 21)  # the end, after the emoji: one more UTF-16 unit than code points
    assert index.at_line_col(2, 40) == (1, 21) and index.at_line_col(9, 1) == (2, 0)  # clamped


@settings(max_examples=300, deadline=None)
@given(TEXTS, TEXTS)
def test_one_replacement_turns_the_old_text_into_the_new_one_at_lsp_positions(old, new):
    """The whole-file actions' one edit: applied at its LSP positions (as a client does), it gives the new text."""
    from fastlint.lsp.actions import replacement

    e = replacement(old, new)
    assert old[:e.start] + e.text + old[e.end:] == new
    index = LineIndex(old)
    start, end = index.offset(*index.position(e.start)), index.offset(*index.position(e.end))
    assert (start, end) == (e.start, e.end)  # both ends have a position of their own (not inside a \r\n)
