"""Inputs for the parser and the whole linter that real files seldom hold, and BuildKit's parser as the oracle.

Used by the BuildKit parity test (``tests/test_parser_parity.py``), the fuzz test (``tests/test_fuzz.py``) and the
long fuzz run by hand (``scripts/fuzz.py``):

- ``oracle`` / ``compare``: what BuildKit's own parser (the ``dockerfile`` package, test-only) makes of a text,
  and the first difference from fastlint's parser;
- ``generate(chooser)``: Dockerfile text aimed at the parser's branches: quotes, escapes and continuation
  characters, ``$`` expansions with every operator and their errors, heredoc openers (quoted, empty, chomped,
  with a descriptor) and bodies with the terminators they may or may not match, builder flags with values, JSON
  forms, directives, comment and empty lines inside continuations, CRLF, a BOM, Unicode spaces;
- ``mutate(text, chooser, donors)``: a real file changed a little (lines dropped, doubled, swapped or taken
  from another file, fragments and special characters inserted, spans deleted).

A chooser makes every choice, so the same generator serves hypothesis (``DrawChooser``: shrinkable examples) and a
plain seeded ``random.Random`` (``RandomChooser``: a time budget, millions of inputs).
"""

from __future__ import annotations

import random
from pathlib import Path

KNOWN_KEYWORDS = ["FROM", "RUN", "COPY", "ADD", "ENV", "LABEL", "ARG", "CMD", "ENTRYPOINT", "HEALTHCHECK",
                  "ONBUILD", "EXPOSE", "USER", "WORKDIR", "SHELL", "VOLUME", "MAINTAINER", "STOPSIGNAL", "run", "Copy",
                  "from"]
KEYWORDS = KNOWN_KEYWORDS + ["FOO", "echo", "EOF"]
WORDS = ["a", "echo", "hi", "/x", "k=v", "k=", "=v", "a=b=c", 'k="v w"', "k='v w'", 'k=\\"', "build", "AS", "as",
         "alpine:3.19", "NONE", "CMD", "RUN", "80/tcp", "&&", "|", ";", "#", "#x", "--", "-", "--x", "-y", "=", "[",
         "]", ",", "x\u00e9", "{", "}", "(", "$(", ")"]
QUOTES = ["'", '"', "''", '""', "'a b'", '"a b"', '"a\\"b"', "'a\\'", '"$a"', '"${a}"', "'${a'", '"${a"',
          '"a\\\\"', '"\\$x"', '"\\x"', "\"'\"", "'\"'", '"a\\', "'<<EOF'", '"<<EOF"']
ESCAPES = ["\\", "\\ ", "\\\\", "\\'", '\\"', "\\$", "\\$x", "\\n", "`", "``", "`'", "\\<<EOF", "`\\"]
VARIABLES = ["$", "$a", "$1", "$12", "$@", "$*", "$#", "$?", "$-", "$$", "$!", "$0", "${a}", "${1}", "${@}",
             "${a:-b}", "${a-b}", "${a:+c d}", "${a+'q'}", '${a-"x y"}', "${a?err}", "${a:?}", "${a:x}", "${a%b}",
             "${a#b}", "${a/b/c}", "${}", "${:}", "${{a}", "${", "${a", "${a:", "${a:-", "${a:-${b}}",
             "${a:-'}'}", '${a:-"}"}', "${a:-\\}}", "${\u00e9}", "${a b}", "$\u00e9", "${a}}", "${a:-$(x)}",
             "${a-<<EOF}", "${#a}", "${!a}"]
HEREDOCS = ["<<EOF", "<<-EOF", "<<'EOF'", '<<"EOF"', "<<''", '<<""', "<<-''", '<<-""', "<<\\EOF", '<<E"O"F',
            "<<E'O'F", "2<<X", "0<<-X", "<<${x}", "<<$x", "<<${", "<<${a:-x}", '<<"a b"', "<<EOF<<X", "<<<x",
            "<<'", '<<"', "<<-", "<<", "<<X", "<<-X", "<<$", "<<''X", "<<'E'\"F\"", "<<E\\ F", "cat<<EOF",
            "<<\u00e9", '<<${a:-"x y"}', "<<-\tEOF", "<<EOF)", "<<'EOF' <<X", "1<<", "<<-'X'"]
JSON = ['["a", "b"]', '["a"]', "[]", "[1]", '["a", 1]', '[ "a\\"b" ]', '["\\u0041"]', '["a"] x', '["a" "b"]', "[",
        '["a",]', "[null]", "[true]", '["<<EOF"]', "{}", '"a"', '["a\\u0000b"]', "[[]]", '["sh", "-c", "x"]']
FLAGS = ["--mount=type=cache,target=/x", "--mount=type=secret,id=x", "--from=build", "--from=0",
         '--chown="a b"', "--chmod='755'", "--link", "--", "--=x", "--a\\ b=c", "--network=none", "-x",
         "--platform=$BUILDPLATFORM", '--from="', "--x='a b'", "--interval=5s", "--start-period=0s", "--a=<<EOF",
         '--"a"=b', "--mount=type=bind,source=<<x", "--a=${b", "--x=\\"]
SEPARATORS = [" ", " ", " ", "", "  ", "\t", "\u00a0", "\u2003", "\x0b", "\x0c", "\u3000"]
CONTINUATIONS = ["\\", "\\", "`", "\\ ", "\\\t", "\\\\"]
INSIDE = ["# a comment", "  # indented", "#", "", "   ", "\t", "RUN x", "\\"]
BODY = ["echo hi", "EOF", "EOF", "\tEOF", "\t\tEOF", " EOF", "EOF ", "X", "\tX", "$", "${x}", "${a:-x}", 'E"O"F',
        "EOF\\", "", "  ", "# not a comment", "a b", "'EOF'", "\\", "E F", "a\tb", "E'O'F", "''X", "\u00e9",
        "EOF<<X", "a b", "${"]
# heredoc openers with the name BuildKit gives them (or would give them), for bodies that end where they should
OPENERS = [("<<EOF", "EOF"), ("<<-EOF", "EOF"), ("<<'EOF'", "EOF"), ('<<"EOF"', "EOF"), ("<<-'EOT'", "EOT"),
           ('<<E"O"F', "EOF"), ("2<<X", "X"), ("<<''X", "X"), ("<<${x}", "${x}"), ("<<$x", "$x"),
           ('<<"a b"', "a b"), ("<<\\EOF", "EOF"), ("<<-\\X", "X"), ("0<<-X", "X"), ("<<''", ""),
           ('<<-""', ""), ("<<${a:-x}", "${a:-x}"), ("<<E\\ F", "E F"), ("<<'a\\'", "a\\"), ("<<\u00e9", "\u00e9")]
HEREDOC_KEYWORDS = ["RUN", "RUN", "COPY", "ADD", "run", "ONBUILD RUN", "ONBUILD COPY", "COPY --chown=1:1", "CMD",
                    "RUN --mount=type=cache,target=/x", "RUN [\"a\"]", "FOO"]
DIRECTIVES = ["# escape=`", "# escape=\\", "# syntax=docker/dockerfile:1", "#escape = `", "# ESCAPE=`",
              "# directive=x", "# escape=x", "# escape=`", "#  syntax = a", "# escape="]
TOKENS = [WORDS, QUOTES, ESCAPES, VARIABLES, HEREDOCS, JSON]


class RandomChooser:
    """Choices from a seeded ``random.Random``."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def between(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def chance(self, percent: int) -> bool:
        return self.rng.randrange(100) < percent


class DrawChooser:
    """Choices drawn by hypothesis (``st.data()``), so that a failing example shrinks."""

    def __init__(self, data):
        from hypothesis import strategies as st

        self.data, self.st = data, st

    def pick(self, seq):
        return self.data.draw(self.st.sampled_from(seq))

    def between(self, lo: int, hi: int) -> int:
        return self.data.draw(self.st.integers(lo, hi))

    def chance(self, percent: int) -> bool:
        return self.data.draw(self.st.integers(0, 99)) < percent


TAME_TOKENS = [WORDS, QUOTES, ESCAPES, VARIABLES, JSON]  # no heredoc openers (most would be left unterminated)


def _token(c, tame: bool = False) -> str:
    groups = TAME_TOKENS if tame else TOKENS
    token = c.pick(c.pick(groups))
    if c.chance(25):  # glue two tokens into one word: a"b", <<$x, ${a}''
        token += c.pick(c.pick(groups))
    return token


def _instruction(c, eol: str, tame: bool = False) -> list[str]:
    """One instruction's physical lines, and the heredoc body lines after it (``tame``: known instructions and
    no stray body lines, so that more files are ones BuildKit accepts and every rule looks at)."""
    keywords = KNOWN_KEYWORDS if tame else KEYWORDS
    keyword = c.pick(keywords)
    if keyword == "ONBUILD" and c.chance(80):
        keyword += c.pick(SEPARATORS[:3]) + c.pick(keywords)
    parts = [c.pick(FLAGS) for _ in range(c.between(0, 2))] if c.chance(40) else []
    if c.chance(3):  # nesting hundreds deep: recursion in the parser, the shell model or a rule
        parts.append(_deep(c))
    elif c.chance(15):
        parts.append(c.pick(JSON))
    else:
        parts += [_token(c, tame) for _ in range(c.between(0, 5))]
    lines = [keyword]
    for part in parts:
        if c.chance(12):  # a continuation between two parts, maybe with comment or empty lines inside
            lines[-1] += c.pick(["", " "]) + c.pick(CONTINUATIONS)
            lines += [c.pick(INSIDE) for _ in range(c.between(0, 2)) if c.chance(40)]
            lines.append(c.pick(SEPARATORS[:6]) + part)
        else:
            lines[-1] += c.pick(SEPARATORS) + part
    if c.chance(8):
        lines[-1] += c.pick(CONTINUATIONS)  # a continuation at the end: the next line joins (or the file ends)
    if any("<<" in p for p in parts) or (c.chance(10) and not tame):
        lines += [c.pick(BODY) for _ in range(c.between(0, 6))]
    if c.chance(10):
        lines[0] = c.pick(SEPARATORS[:6]) + lines[0]
    return lines


def _deep(c) -> str:
    k = c.between(50, 1200)
    j = min(k, 400)  # BuildKit's own lexer takes seconds on ${a:-...} a thousand deep: the oracle stays quick
    return c.pick(["$(" * k + "x" + ")" * k, "( " * k + "x" + " )" * k, "[" * k + "]" * k,
                   "${a:-" * j + "x" + "}" * j, "<<EOF ${a:-" * j + "x" + "}" * j, "{ " * k + "x;" + " }" * k,
                   '"$(' * k + "x" + ')"' * k,
                   "$((" + "(" * k + "1" + ")" * k + "))", "a=" * k, "`echo " * 3 + "x" + "`" * 3])


def _heredoc_instruction(c) -> list[str]:
    """A RUN/COPY with one to three heredocs whose bodies end (or nearly end) with their terminators."""
    openers = [c.pick(OPENERS) for _ in range(c.between(1, 3))]
    words = [c.pick(HEREDOC_KEYWORDS)]
    for opener, _ in openers:
        if c.chance(40):
            words.append(c.pick(["cat", "python3", "bash", "-c", "> /f", "x", "&&", c.pick(VARIABLES), c.pick(QUOTES)]))
        words.append(opener)
    lines = [c.pick(SEPARATORS[:4]).join(words) if c.chance(90) else " ".join(words)]
    for _, name in openers:
        lines += [c.pick(BODY[:1] + BODY[14:]) for _ in range(c.between(0, 3))]
        if c.chance(90):
            lines.append(c.pick(["", "", "", "\t", "\t\t", " "]) + name + c.pick(["", "", "", " ", "\\"]))
    return lines


def generate(c) -> str:
    """A Dockerfile-like text aimed at the parser's branches."""
    tame = c.chance(40)
    eol = c.pick(["\n", "\n", "\r\n"])
    lines: list[str] = []
    if c.chance(25):
        lines += [c.pick(DIRECTIVES) for _ in range(2 if c.chance(20) else 1)]
    if c.chance(85):
        lines.append("FROM alpine:3.19" if c.chance(80) else c.pick(["FROM", "ARG a=1", "from x AS b"]))
    for _ in range(c.between(0, 6)):
        kind = c.between(0, 29)
        if kind == 0:
            lines.append(c.pick(["RUN", "CMD", "ONBUILD RUN", "ENV a=", "LABEL a="]) + " " + _deep(c))
        elif kind < 4:
            lines.append(c.pick(INSIDE))
        elif kind < 10:
            lines += _heredoc_instruction(c)
        else:
            lines += _instruction(c, eol, tame)
    if c.chance(5):
        eol2 = "\r\n" if eol == "\n" else "\n"
        text = "".join(line + (eol if c.chance(70) else eol2) for line in lines)
    else:
        text = eol.join(lines) + (eol if c.chance(80) else "")
    if c.chance(3):
        text = "\ufeff" + text
    return text


FRAGMENTS = ([t for group in TOKENS for t in group] + FLAGS + BODY + DIRECTIVES +
             ["\n", "\r\n", "\\\n", "`\n", "\t", "\u00a0", "\x00", "\r", "\ufeff", "\u2028", "\x85"])


def mutate(text: str, c, donors: list[str]) -> str:
    """A real file changed by one to four small edits (``donors``: other files' texts to take lines from)."""
    for _ in range(c.between(1, 4)):
        lines = text.splitlines(keepends=True) or [""]
        op = c.between(0, 8)
        i = c.between(0, len(lines) - 1)
        if op == 0:  # drop a line
            del lines[i]
        elif op == 1:  # double a line
            lines.insert(i, lines[i])
        elif op == 2:  # swap two lines
            j = c.between(0, len(lines) - 1)
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3 and donors:  # a line from another file
            donor = c.pick(donors).splitlines(keepends=True)
            if donor:
                lines.insert(i, c.pick(donor))
        elif op == 4:  # a generated instruction
            lines.insert(i, "\n".join(_instruction(c, "\n")) + "\n")
        else:  # a fragment or a special character at a random place, or a span deleted
            joined = "".join(lines)
            at = c.between(0, len(joined))
            if op == 8 and joined:
                end = min(len(joined), at + c.between(1, 40))
                joined = joined[:at] + joined[end:]
            else:
                joined = joined[:at] + c.pick(FRAGMENTS) + joined[at:]
            lines = [joined]
        text = "".join(lines)
    return text


# -- the oracle --------------------------------------------------------------------------------------------------

STATS = {"undecodable": 0}  # texts whose BuildKit reading the oracle cannot hand back (see ``oracle``)


class Undecodable(Exception):
    """BuildKit cut a character in two (a HEALTHCHECK type word ending in the middle of U+00A0): the oracle
    cannot hand back the invalid UTF-8 BuildKit made, so it cannot judge that text."""


def oracle(text: str):
    """BuildKit's view of the text: (instructions, None) or (None, error message); ``Undecodable``."""
    import dockerfile

    try:
        cmds = dockerfile.parse_string(text)
    except dockerfile.GoParseError as err:
        return None, str(err)
    except UnicodeDecodeError as err:
        raise Undecodable(str(err)) from None
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


def as_oracle_gives(instructions: list[dict]) -> list[dict]:
    """fastlint's BuildKit view with the oracle's two artefacts applied: it passes strings through C, so a
    value with a NUL is cut there, and it reads an ONBUILD's heredocs from the inner instruction, where BuildKit
    never puts them (they hang on the ONBUILD node), so it never reports them. BuildKit itself keeps both."""
    for ins in instructions:
        if ins["sub_instruction"] is not None:
            ins["heredocs"] = []
        ins["value"] = [v.split("\x00", 1)[0] for v in ins["value"]]
        for h in ins["heredocs"]:
            h["content"] = h["content"].split("\x00", 1)[0]
            h["name"] = h["name"].split("\x00", 1)[0]
    return instructions


def comparable(text: str) -> bool:
    """False for text the oracle cannot judge: it wraps BuildKit 0.12, which does not know the ``# check=``
    directive (BuildKit 0.14 and fastlint do; before it, the older parser stops reading directives), and a NUL
    ends a string on its way through C."""
    return "check=" not in text and "\x00" not in text


def compare(text: str, seen=None) -> str | None:
    """None when fastlint's parser agrees with BuildKit's on ``text``, else a description of the first
    difference (``seen``: the oracle's answer, when the caller has it already)."""
    from fastlint.parser import parse
    from fastlint.parser.buildkit import to_buildkit

    try:
        want, err = oracle(text) if seen is None else seen
    except Undecodable:
        STATS["undecodable"] += 1
        return None
    df = parse(text)
    if want is None:
        if df.error is None:
            return f"BuildKit rejects the file ({err}) but fastlint accepts it"
        return None
    if df.error is not None:
        return f"BuildKit accepts the file but fastlint rejects it: {df.error}"
    got = as_oracle_gives(to_buildkit(df))
    for g, w in zip(got, want):
        if g != w:
            return f"got {g}\nwant {w}"
    if len(got) != len(want):
        return f"{len(got)} instructions, BuildKit has {len(want)}"
    return None


# -- the fuzzer: what every input must satisfy ---------------------------------------------------------------------

HANG_SECONDS = 20  # one input's parse, lint and fixes; far above the slowest seen (a file of the corpus: < 1 s)


class Hang(Exception):
    pass


class _Deadline:
    """Raise ``Hang`` in the main thread when the block takes longer than ``seconds`` (SIGALRM; POSIX)."""

    def __init__(self, seconds: float):
        self.seconds = seconds

    def __enter__(self):
        import signal

        def ring(signum, frame):  # noqa: ARG001
            raise Hang()

        self.previous = signal.signal(signal.SIGALRM, ring)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc):
        import signal

        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self.previous)
        return False


class Checker:
    """Runs the checks on one input; ``figures`` counts what was checked. The linter runs every rule (``ALL``)
    but ShellCheck (a process per script would make the fuzzer a ShellCheck benchmark; its bounds have their own
    tests)."""

    def __init__(self, fix_every: int = 1):
        import copy
        import tempfile
        from collections import Counter

        from fastlint.engine.config import builtin_policy
        from fastlint.engine.runner import Selection
        from fastlint.parser.parse import INSTRUCTIONS

        self.policy = copy.copy(builtin_policy())
        self.policy.shellcheck = False
        self.selection = Selection(select=["ALL"], ignore=["SC"])
        self.path = str(Path(tempfile.mkdtemp(prefix="fastlint-fuzz-")) / "svc" / "Dockerfile")
        self.known = frozenset(INSTRUCTIONS)
        self.fix_every = fix_every
        self.figures: Counter = Counter()

    def check(self, text: str) -> list[str]:
        """The problems of one input (none when all is well)."""
        self.figures["inputs"] += 1
        seen = None
        try:
            if comparable(text):
                try:  # not under the deadline: BuildKit's own lexer is slow on ${a:-${a:-...}} hundreds deep
                    seen = oracle(text)
                except Undecodable:
                    self.figures["not comparable (oracle)"] += 1
            else:
                self.figures["not comparable (check= or NUL)"] += 1
            with _Deadline(HANG_SECONDS):
                return self._check(text, seen)
        except Hang:
            self.figures["hangs"] += 1
            return [f"no answer within {HANG_SECONDS} s"]
        except Exception as err:  # the point of the fuzzer: any exception is a finding
            import traceback

            self.figures["exceptions"] += 1
            frame = traceback.extract_tb(err.__traceback__)[-1]
            return [f"{type(err).__name__}: {err} (at {Path(frame.filename).name}:{frame.lineno})"]

    def _check(self, text: str, seen) -> list[str]:
        from fastlint.engine.runner import lint_text
        from fastlint.parser import parse

        problems: list[str] = []
        if parse(text).print() != text:
            problems.append("the syntax tree does not print back the text")
        rejects = None
        if seen is not None:
            want = seen[0]
            rejects = want is None or any(w["instruction"] not in self.known for w in want)
            self.figures["compared with BuildKit"] += 1
            self.figures["BuildKit rejects" if rejects else "BuildKit accepts"] += 1
            problem = compare(text, seen)
            if problem is not None:
                self.figures["parser parity failures"] += 1
                problems.append(f"parser parity: {problem}")
        result = lint_text(text, self.path, self.policy, self.selection)
        dl1000 = any(f.code == "DL1000" for f in result.findings)
        if rejects is not None and dl1000 != rejects:
            self.figures["DL1000 disagreements"] += 1
            problems.append(f"DL1000 {'reported' if dl1000 else 'not reported'} but BuildKit "
                            f"{'rejects' if rejects else 'accepts'} the file")
        if self.figures["inputs"] % self.fix_every == 0:
            problems += self._check_fix(text)
        return problems

    def _check_fix(self, text: str) -> list[str]:
        from fastlint.engine.runner import build_error
        from fastlint.fixer.loop import fix_text
        from fastlint.parser import parse

        self.figures["fixed"] += 1
        before = parse(text)
        out = fix_text(text, self.path, self.policy, self.selection, unsafe=True)
        if build_error(before) is not None:
            return [] if out.text == text else ["a file docker build rejects was changed by fix"]
        if out.text == text:
            return []
        self.figures["changed by fix"] += 1
        after = parse(out.text)
        problems = []
        rejected = build_error(after)
        if rejected is not None:
            problems.append(f"the fixed file does not parse: line {rejected[0]}: {rejected[1]}")
        kept = [c.text for c in after.comments]
        for c in _comments_to_keep(before):
            if c in kept:
                kept.remove(c)
            else:
                problems.append(f"fix lost the comment {c!r}")
                break
        again = fix_text(out.text, self.path, self.policy, self.selection, unsafe=True)
        if again.text != out.text:
            problems.append("fix is not idempotent: a second run changed the file again")
        if problems:
            self.figures["fix failures"] += 1
        return problems


def _is_pragma(comment: str) -> bool:
    low = comment.lower()
    return "ignore=" in low and ("hadolint" in low or "fastlint" in low)


def _comments_to_keep(df) -> list[str]:
    """The comments a fix must keep: all but those inside an instruction's continuation lines (they go with the
    instruction when a fix removes it, as DL4003 removes an earlier CMD) and the comment blocks that hold an
    ignore pragma (they go with the instruction they silence)."""
    from fastlint.parser.tree import Comment

    keep: list[str] = []
    block: list[str] = []
    for item in [*df.items, None]:
        if isinstance(item, Comment) and not item.inside:
            block.append(item.text)
            continue
        if not any(_is_pragma(t) for t in block):
            keep += block
        block = []
    return keep


def shrink(text: str, fails, tries: int = 300) -> str:
    """A smaller text that still ``fails`` (lines first, then characters of a short text)."""
    lines = text.splitlines(keepends=True)
    i = len(lines) - 1
    while i >= 0 and tries > 0:
        candidate = "".join(lines[:i] + lines[i + 1 :])
        tries -= 1
        if candidate and fails(candidate):
            lines = lines[:i] + lines[i + 1 :]
        i -= 1
    text = "".join(lines)
    i = len(text) - 1
    while i >= 0 and tries > 0 and len(text) < 400:
        candidate = text[:i] + text[i + 1 :]
        tries -= 1
        if candidate and fails(candidate):
            text = candidate
        i -= 1
    return text


def run(seed: int, corpus: list[str], inputs: int | None = None, seconds: float | None = None,
        fix_every: int = 1, on_failure=None) -> tuple[Checker, list[tuple[str, str, list[str]]]]:
    """Check ``inputs`` inputs (or as many as ``seconds`` allow), half generated, half mutated corpus files, from
    a ``random.Random(seed)``; ``(checker, failures)``, each failure ``(kind, input, problems)``."""
    import time

    rng = random.Random(seed)
    c = RandomChooser(rng)
    checker = Checker(fix_every)
    failures: list[tuple[str, str, list[str]]] = []
    start = time.monotonic()
    n = 0
    while (inputs is None or n < inputs) and (seconds is None or time.monotonic() - start < seconds):
        n += 1
        kind = "generated" if n % 2 else "mutated"
        text = generate(c) if kind == "generated" or not corpus else mutate(c.pick(corpus), c, corpus)
        checker.figures[kind] += 1
        problems = checker.check(text)
        if problems:
            failures.append((kind, text, problems))
            if on_failure is not None:
                on_failure(kind, text, problems)
    checker.figures["seconds"] = round(time.monotonic() - start)
    return checker, failures
