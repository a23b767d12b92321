"""What the parser makes of the words BuildKit's own rules define: heredoc chomping, quotes and escapes in ENV,
LABEL and ARG, and the variable operators of FROM lines. Each case is a behaviour a one-line slip in the parser
would change (found by mutation testing, issue 19) and the rules then read wrong."""

from __future__ import annotations

import pytest

from fastlint.parser import parse


def test_heredoc_dash_strips_leading_tabs_only():
    """``<<-EOT``: a terminator indented with tabs ends the heredoc; one indented with spaces is body text."""
    df = parse("FROM alpine:3.19\nRUN <<-EOT sh\n\techo a\n  EOT\n\tEOT\nRUN echo after\n", "Dockerfile")
    run, after = df.instructions[1], df.instructions[2]
    (doc,) = run.heredocs
    assert doc.chomp
    assert doc.content == "\techo a\n  EOT\n"
    assert after.keyword == "RUN" and after.line == 6


def test_heredoc_without_dash_needs_the_terminator_at_the_line_start():
    df = parse("FROM alpine:3.19\nRUN <<EOT sh\necho a\n\tEOT\nEOT\n", "Dockerfile")
    (doc,) = df.instructions[1].heredocs
    assert not doc.chomp
    assert doc.content == "echo a\n\tEOT\n"


def values(text: str) -> dict[str, str]:
    df = parse(text, "Dockerfile")
    return {p.key: p.value for ins in df.instructions for p in ins.pairs}


def test_env_words_single_quotes_keep_backslashes_and_dollars():
    got = values("FROM alpine:3.19\nENV A='a\\b' B=\"c\\\"d\" C=e\\f D='$x' E=\"it's\"\n")
    assert got == {"A": "a\\b", "B": 'c"d', "C": "ef", "D": "$x", "E": "it's"}


def test_label_key_and_arg_default_in_single_quotes_keep_backslashes():
    got = values("FROM alpine:3.19\nLABEL 'k\\1'=v\nARG P='C:\\tmp'\n")
    assert got == {"k\\1": "v", "P": "C:\\tmp"}


@pytest.mark.parametrize(("word", "resolved"), [
    ("${SET_EMPTY-.1}", "alpine:3.19"),      # set (even empty): its value
    ("${SET_EMPTY:-.1}", "alpine:3.19.1"),   # set but empty: the default
    ("${SET_EMPTY+.1}", "alpine:3.19.1"),    # set (even empty): the alternative
    ("${SET_EMPTY:+.1}", "alpine:3.19"),     # set but empty: nothing
    ("${UNSET-.1}", "alpine:3.19.1"),
    ("${UNSET+.1}", "alpine:3.19"),
    ("${FULL-.1}", "alpine:3.19.2"),
    ("${FULL:+.1}", "alpine:3.19.1"),
])
def test_from_variable_operators_tell_set_and_empty_from_unset(word, resolved):
    df = parse(f"ARG SET_EMPTY=\nARG UNSET\nARG FULL=.2\nFROM alpine:3.19{word}\n", "Dockerfile")
    (stage,) = df.stages
    assert stage.resolved == resolved
    assert not stage.unresolved


@pytest.mark.parametrize(("line", "too_long"), [
    ("# " + "x" * 29998, False),        # long, but well within the limit
    ("# " + "x" * 65533, False),        # 65535 bytes: the longest line BuildKit's scanner takes
    ("# " + "x" * 65534, True),         # 65536 bytes
    ("# " + "\U0001F600" * 16400, True),  # 16,402 characters but 65,602 bytes (4 bytes each in UTF-8)
])
def test_the_longest_line_is_counted_in_bytes(line, too_long):
    df = parse(f"FROM alpine:3.19\n{line}\nRUN true\n", "Dockerfile")
    if too_long:
        assert df.error is not None and df.error.line == 2 and "line too long" in df.error.message
    else:
        assert df.error is None


def test_an_escaped_quote_inside_double_quotes_does_not_end_them_before_a_heredoc():
    df = parse('FROM alpine:3.19\nRUN echo "\\"" <<EOT\nhi\nEOT\n', "Dockerfile")
    assert df.error is None
    (doc,) = df.instructions[1].heredocs
    assert (doc.name, doc.content) == ("EOT", "hi\n")


def test_healthcheck_type_word_after_a_long_run_of_spaces():
    """Offsets past 256 (Python's cached small ints end there: an ``is`` for ``<`` would only show here)."""
    df = parse("FROM alpine:3.19\nHEALTHCHECK --interval=30s" + " " * 300 + "NONE\n", "Dockerfile")
    assert df.error is None
    assert df.instructions[1].value == ["NONE"]


def test_shell_words_lose_their_double_quotes():
    from fastlint.parser.shell import parse_shell

    (cmd,) = parse_shell('echo "a b" \'c d\' e"f"').commands
    assert cmd.arg_texts == ["a b", "c d", "ef"]


@pytest.mark.parametrize(("text", "removed"), [
    ("rm -rf /var/lib/{x,apt}/lists", True),      # the folder named after the first comma
    ("rm -rf /var/lib/{x,y,apt}/lists", True),
    ("rm -rf /var/lib/{x,apt-old}/lists", False),
])
def test_rm_of_a_brace_expansion_covers_each_alternative(text, removed):
    from fastlint.parser.shell import parse_shell

    (cmd,) = parse_shell(text).commands
    assert cmd.removes("/var/lib/apt/lists") is removed
