"""The fix loop's isolation and its discards, with small rules made for the purpose.

* A fix that declares what it changes (``Fix.changes``: the base, the user...) is applied in a pass of its own,
  and the file is linted again before any other fix: a fix that reads the base is computed for the new base.
* Every fix the loop throws away is recorded (``FixOutcome.discards``) and, with ``FASTLINT_DEBUG=1``, written to
  stderr with its edits.
"""

from __future__ import annotations

from fastlint.engine.config import builtin_policy
from fastlint.engine.rule import FACTS, Edit, FileRule, InstructionRule
from fastlint.engine.registry import all_rules
from fastlint.engine.runner import Selection
from fastlint.fixer import loop
from test_fix_loop import use_rules


def fix(text, unsafe=True):
    return loop.fix_text(text, "/nonexistent/Dockerfile", builtin_policy(), unsafe=unsafe)


class ToAlpine(InstructionRule):
    """FROM debian -> FROM alpine; declares that it changes the base (unless told not to)."""

    code, message, fix_safety = "XX101", "not alpine", "unsafe"
    declares = frozenset({"base"})

    def check(self, ins):
        if ins.keyword == "FROM" and ins.value and ins.value[0] == "debian":
            w = ins.words[0]
            yield self.hit(ins, fix=self.fix(Edit(w.start, w.end, "alpine"), changes=self.declares))


class Undeclared(ToAlpine):
    code = "XX102"
    declares = frozenset()


class AddUser(FileRule):
    """Adds the user after the first FROM, with the tools of the base that FROM names (as FL302 does)."""

    code, message, fix_safety = "XX103", "no user", "unsafe"

    def finish(self):
        df = self.ctx.df
        if not df.stages or "adduser" in df.text or "useradd" in df.text:
            return
        from_ = df.stages[0].from_
        alpine = from_.value and from_.value[0] == "alpine"
        text = "RUN adduser -S -u 1001 app\n" if alpine else "RUN useradd -u 1001 app\n"
        at = df.text.index("\n", from_.start) + 1
        yield self.hit(from_, fix=self.fix(Edit(at, at, text)))


def test_a_fix_that_changes_the_base_goes_alone_and_the_user_is_written_for_the_new_base(monkeypatch):
    use_rules(monkeypatch, ToAlpine, AddUser)
    out = fix("FROM debian\nCMD [\"x\"]\n")
    assert out.text == "FROM alpine\nRUN adduser -S -u 1001 app\nCMD [\"x\"]\n"
    assert [a.code for a in out.applied] == ["XX101", "XX103"]
    assert out.passes == 2 and out.discards == []


def test_without_the_declaration_both_share_a_pass_and_the_user_is_written_for_the_old_base(monkeypatch):
    """The failure the declaration prevents (issue 18): each edit right alone, wrong together."""
    use_rules(monkeypatch, Undeclared, AddUser)
    out = fix("FROM debian\nCMD [\"x\"]\n")
    assert out.text == "FROM alpine\nRUN useradd -u 1001 app\nCMD [\"x\"]\n"
    assert out.passes == 1


def test_fixes_of_one_rule_declaring_the_same_facts_share_their_pass_others_wait(monkeypatch):
    use_rules(monkeypatch, ToAlpine, AddUser)
    out = fix("FROM debian AS a\nRUN true\nFROM debian AS b\nCMD [\"x\"]\n")
    assert out.text.startswith("FROM alpine AS a\nRUN adduser -S -u 1001 app\n")
    assert "FROM alpine AS b\n" in out.text
    assert [a.code for a in out.applied] == ["XX101", "XX101", "XX103"]
    assert out.passes == 2


def test_isolate_keeps_the_first_declaring_fix_and_its_siblings():
    class F:
        def __init__(self, code, start, changes=()):
            from fastlint.engine.rule import Fix

            self.code = code
            self.fix = Fix([Edit(start, start, "x")], "unsafe", "", frozenset(changes))

    plain, base_a, base_b, user = F("A", 0), F("FL102", 30, {"base"}), F("FL102", 10, {"base"}), F("U", 5, {"user"})
    assert loop.isolate([plain, base_a, base_b, user]) == [user]
    assert loop.isolate([plain, base_a, base_b]) == [base_a, base_b]
    assert loop.isolate([plain]) == [plain]


def test_the_rules_fixes_declare_known_facts_and_the_base_and_user_fixes_declare_them(tmp_path):
    """Over every catalogue case: each fix declares only known facts; FL102's, FL301's and FL302's declare theirs."""
    from fastlint.catalogue import load_all
    from fastlint.engine.config import policy_for, reset_caches
    from fastlint.engine.runner import lint_path

    declared: dict[str, set] = {}
    for code, doc in load_all().items():
        for i, case in enumerate(doc.cases):
            folder = tmp_path / f"{code}-{i}"
            path = folder / case.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(case.dockerfile)
            for name, content in case.files.items():
                (path.parent / name).parent.mkdir(parents=True, exist_ok=True)
                (path.parent / name).write_text(content)
            if case.config is not None:
                (folder / "fastlint.yaml").write_text(case.config)
            (folder / ".git").mkdir()
            reset_caches()
            for f in lint_path(path, str(path), policy_for(path), Selection(select=[code])).findings:
                if f.fix is not None:
                    assert f.fix.changes <= FACTS, (code, f.fix.changes)
                    declared.setdefault(f.code, set()).update(f.fix.changes)
    assert declared["FL102"] == declared["FL201"] == {"base"} and declared["DL4006"] == {"shell"}
    assert declared["FL301"] == declared["FL302"] == {"user"}
    assert all_rules()


class BadText(InstructionRule):
    """Writes a line the parser rejects (an unterminated heredoc)."""

    code, message, fix_safety = "XX104", "bad", "safe"

    def check(self, ins):
        if ins.keyword == "CMD":
            yield self.hit(ins, fix=self.fix(Edit(ins.start, ins.start, "RUN <<EOT\n")))


class Noop(InstructionRule):
    code, message, fix_safety = "XX105", "noop", "safe"

    def check(self, ins):
        if ins.keyword == "WORKDIR":
            yield self.hit(ins, fix=self.fix(Edit(ins.keyword_start, ins.keyword_end, ins.keyword_raw)))


def test_discards_are_recorded_and_printed_with_fastlint_debug(monkeypatch, capsys):
    use_rules(monkeypatch, BadText, Noop)
    text = "FROM alpine\nWORKDIR /app\nCMD [\"x\"]\n"
    monkeypatch.delenv("FASTLINT_DEBUG", raising=False)
    out = fix(text)
    assert out.text == text
    assert {(d.code, d.kind) for d in out.discards} == {("XX104", "parse"), ("XX105", "noop")}
    assert capsys.readouterr().err == ""
    monkeypatch.setenv("FASTLINT_DEBUG", "1")
    fix(text)
    err = capsys.readouterr().err
    assert "fastlint debug: fix loop: /nonexistent/Dockerfile:3: XX104 fix discarded (parse): the fixed text " \
           "does not parse" in err
    assert "-> 'RUN <<EOT\\n'" in err
    assert "XX105 fix discarded (noop)" in err


def test_a_clean_run_discards_nothing(monkeypatch):
    use_rules(monkeypatch, ToAlpine, AddUser)
    assert fix("FROM debian\n").discards == []


ISSUE_FILE = """FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
CMD ["node","index.js"]
"""


def test_the_issue_file_fixed_with_unsafe_fixes_has_no_command_of_the_old_base(tmp_path):
    """Issue 18, as a new user ran it: `fastlint fix --no-template --unsafe-fixes` on a small Debian file gave
    node:20-alpine with Debian's groupadd/useradd and the apt-get line kept. Now FL102 goes first and carries the
    apt-get line over (nothing left to install on the node image: it goes), and FL302 writes BusyBox's commands for
    the new base; check finds no command that does not fit it (the engine test builds it)."""
    from cli_runner import CliRunner

    from fastlint.cli import main as app
    from fastlint.cli.check import main as check_main

    (tmp_path / ".git").mkdir()
    path = tmp_path / "Dockerfile"
    path.write_text(ISSUE_FILE)
    result = CliRunner().invoke(app, ["fix", "--no-config", "--no-template", "--unsafe-fixes", str(path)])
    assert result.exit_code == 1  # FL101 and FL501 (no service of the matrix) stay
    assert path.read_text() == (
        "FROM node:20-alpine\n"
        "RUN apk upgrade --no-cache\n"
        "RUN addgroup -g 1001 -S nodejs && \\\n"
        "    adduser -S -u 1001 -G nodejs nodejs\n"
        "WORKDIR /app\n"
        "COPY . .\n"
        "USER nodejs\n"
        'CMD ["node","index.js"]\n')
    assert "fixed FL102 (use the policy's base node:20-alpine, with the stage's commands carried over to Alpine " \
           "from Debian/Ubuntu)" in result.stdout
    assert check_main(["--no-config", "--select", "FL203,FL102,FL301,FL302,FL602", str(path)]) == 0
