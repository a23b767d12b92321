"""Edits on offsets: what is outside an edit is kept byte for byte; overlapping edits never go together."""

from __future__ import annotations

import pytest

from fastlint.engine.rule import Edit, Fix
from fastlint.fixer.edits import EditError, apply_edits, choose, conflicts, line_ending


def test_text_outside_the_edits_is_kept_exactly():
    text = "# syntax=docker/dockerfile:1\n\nFROM node:20   # trailing\n\n\nMAINTAINER me\n# last comment"
    start = text.index("MAINTAINER")
    end = start + len("MAINTAINER me")
    out = apply_edits(text, [Edit(start, end, 'LABEL a="me"')])
    assert out == text[:start] + 'LABEL a="me"' + text[end:]
    assert out.endswith("# last comment")  # no final newline added


def test_edits_apply_in_offset_order_whatever_order_they_come_in():
    text = "0123456789"
    out = apply_edits(text, [Edit(7, 8, "H"), Edit(1, 3, "ab"), Edit(5, 5, "+")])
    assert out == "0ab34+56H89"


def test_crlf_file_gets_crlf_in_inserted_text():
    text = "FROM a\r\nRUN b\r\n"
    out = apply_edits(text, [Edit(8, 13, "RUN c\nRUN d")])
    assert out == "FROM a\r\nRUN c\r\nRUN d\r\n"
    assert "\n" not in out.replace("\r\n", "")


def test_lf_file_keeps_inserted_text_as_it_is():
    assert apply_edits("FROM a\nX\n", [Edit(7, 8, "RUN c\nRUN d")]) == "FROM a\nRUN c\nRUN d\n"


def test_backtick_escape_is_untouched():
    text = "# escape=`\nFROM a\nRUN echo a `\n    b\nMAINTAINER x\n"
    start = text.index("MAINTAINER")
    out = apply_edits(text, [Edit(start, start + len("MAINTAINER x"), "LABEL x=1")])
    assert out.startswith("# escape=`\nFROM a\nRUN echo a `\n    b\n")


def test_line_ending_detection():
    assert line_ending("a\r\nb\r\n") == "\r\n"
    assert line_ending("a\nb\n") == "\n"
    assert line_ending("no newline") == "\n"


@pytest.mark.parametrize(("a", "b", "expected"), [
    ((0, 5), (5, 9), False),  # touching spans
    ((0, 5), (4, 9), True),  # overlapping
    ((3, 3), (3, 3), True),  # two insertions at one place: the order would be a guess
    ((3, 3), (3, 6), True),  # an insertion at the start of a replacement
    ((3, 3), (1, 3), False),  # an insertion right after a replacement
    ((2, 8), (4, 5), True),  # nested
])
def test_conflicts(a, b, expected):
    assert conflicts(Edit(*a, ""), Edit(*b, "")) is expected
    assert conflicts(Edit(*b, ""), Edit(*a, "")) is expected


def test_overlapping_edits_are_refused():
    with pytest.raises(EditError):
        apply_edits("0123456789", [Edit(0, 5, "a"), Edit(3, 7, "b")])
    with pytest.raises(EditError):
        apply_edits("0123", [Edit(2, 9, "a")])


def test_choose_first_come_first_served_by_offset():
    late = Fix([Edit(6, 9, "x")])
    early = Fix([Edit(2, 7, "y")])  # overlaps `late`, starts first: wins
    apart = Fix([Edit(10, 11, "z")])
    broken = Fix([Edit(0, 2, "a"), Edit(1, 3, "b")])  # its own edits overlap
    choice = choose([late, apart, early, broken], 20)
    assert choice.accepted == [early, apart]
    assert choice.deferred == [late]
    assert choice.broken == [broken]


def test_choose_ignores_edits_of_other_files():
    own = Fix([Edit(0, 4, "x")])
    other = Fix([Edit(0, 4, "y", path=".dockerignore")])
    choice = choose([own, other], 10)
    assert choice.accepted == [own, other]
