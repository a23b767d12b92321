"""The fix loop with small rules made for the purpose: it applies fixes that go together, re-lints, and cannot
run away (a pass that breaks the file is discarded, circles and endless fixes leave the original)."""

from __future__ import annotations

import pytest

from fastlint.engine.config import builtin_policy
from fastlint.engine.rule import Edit, InstructionRule
from fastlint.engine.runner import FileResult, Selection, lint_dockerfile
from fastlint.fixer import loop
from fastlint.parser import parse


def use_rules(monkeypatch, *rules):
    """Make the loop lint with exactly these rules."""

    def lint(text, path, policy, selection=None, state=None):
        df = parse(text, path)
        return FileResult(path, lint_dockerfile(df, policy, list(rules), selection or Selection(), state), df)

    monkeypatch.setattr(loop, "lint_text", lint)


def fix(text, unsafe=False):
    return loop.fix_text(text, "/nonexistent/Dockerfile", builtin_policy(), unsafe=unsafe)


class Maintainer(InstructionRule):
    """MAINTAINER -> LABEL (safe)."""

    code, message, fix_safety = "XX001", "maintainer", "safe"

    def check(self, ins):
        if ins.keyword == "MAINTAINER":
            yield self.hit(ins, fix=self.fix(Edit(ins.keyword_start, ins.args_end, f"LABEL by={ins.value[0]}")))


class LowerRun(InstructionRule):
    """`run` -> `RUN` (safe)."""

    code, message, fix_safety = "XX002", "lower-case run", "safe"

    def check(self, ins):
        if ins.keyword_raw == "run":
            yield self.hit(ins, fix=self.fix(Edit(ins.keyword_start, ins.keyword_end, "RUN")))


class ExecCmd(InstructionRule):
    """Shell CMD -> exec form (unsafe)."""

    code, message, fix_safety = "XX003", "exec form", "unsafe"

    def check(self, ins):
        if ins.keyword == "CMD" and not ins.json:
            words = ins.value[0].split()
            yield self.hit(ins, fix=self.fix(Edit(ins.args_start, ins.args_end, str(words).replace("'", '"'))))


def test_safe_fixes_only_by_default_unsafe_on_request(monkeypatch):
    use_rules(monkeypatch, Maintainer, ExecCmd)
    text = "FROM a\nMAINTAINER me\nCMD node x.js\n"
    out = fix(text)
    assert out.text == "FROM a\nLABEL by=me\nCMD node x.js\n"
    assert [f.code for f in out.remaining] == ["XX003"]
    out = fix(text, unsafe=True)
    assert out.text == 'FROM a\nLABEL by=me\nCMD ["node", "x.js"]\n'
    assert out.remaining == [] and out.settled
    assert sorted(a.code for a in out.applied) == ["XX001", "XX003"]


def test_overlapping_fixes_wait_for_the_next_pass(monkeypatch):
    class WholeRun(InstructionRule):
        """Rewrites the arguments of a RUN."""

        code, message, fix_safety = "XX004", "whole run", "safe"

        def check(self, ins):
            if ins.keyword == "RUN" and "old" in ins.args_text:
                yield self.hit(ins, fix=self.fix(Edit(ins.args_start, ins.args_end, "new")))

    class WideRun(InstructionRule):
        code, message, fix_safety = "XX005", "wide", "safe"

        def check(self, ins):
            if ins.keyword_raw == "run":  # covers the keyword and the arguments
                yield self.hit(ins, fix=self.fix(Edit(ins.keyword_start, ins.args_end, "RUN old")))

    use_rules(monkeypatch, WholeRun, WideRun)
    out = fix("FROM a\nrun old\n")
    assert out.text == "FROM a\nRUN new\n"
    assert out.passes == 2 and out.settled  # WideRun starts first and wins pass 1; WholeRun waits for pass 2
    assert [a.code for a in out.applied] == ["XX005", "XX004"]
    assert out.remaining == []


def test_a_pass_that_breaks_parsing_is_discarded_but_good_fixes_stay(monkeypatch):
    class Breaker(InstructionRule):
        code, message, fix_safety = "XX006", "breaks", "safe"

        def check(self, ins):
            if ins.keyword == "FROM":  # writes an unterminated heredoc: the file no longer parses
                yield self.hit(ins, fix=self.fix(Edit(ins.end, ins.end, "RUN <<EOT\necho\n")))

    use_rules(monkeypatch, Breaker, Maintainer)
    text = "FROM a\nMAINTAINER me\n"
    out = fix(text)
    assert out.text == "FROM a\nLABEL by=me\n"
    assert [a.code for a in out.applied] == ["XX001"]
    assert any("XX006" in n and "does not parse" in n for n in out.notes)
    assert [f.code for f in out.remaining] == ["XX006"]


def test_a_fix_that_makes_a_rule_crash_is_discarded(monkeypatch):
    class Crashes(InstructionRule):
        code, message = "XX007", "crashes on labels"

        def check(self, ins):
            if ins.keyword == "LABEL":
                raise RuntimeError("boom")

    use_rules(monkeypatch, Maintainer, Crashes)
    out = fix("FROM a\nMAINTAINER me\n")
    assert out.text == "FROM a\nMAINTAINER me\n"
    assert out.applied == []
    assert any("RuntimeError" in n for n in out.notes)


def test_fixes_that_go_round_in_circles_are_left_out_the_others_stay(monkeypatch):
    class AtoB(InstructionRule):
        code, message, fix_safety = "XX008", "a to b", "safe"

        def check(self, ins):
            if ins.keyword == "RUN" and ins.args_text == "a":
                yield self.hit(ins, fix=self.fix(Edit(ins.args_start, ins.args_end, "b")))

    class BtoA(InstructionRule):
        code, message, fix_safety = "XX009", "b to a", "safe"

        def check(self, ins):
            if ins.keyword == "RUN" and ins.args_text == "b":
                yield self.hit(ins, fix=self.fix(Edit(ins.args_start, ins.args_end, "a")))

    use_rules(monkeypatch, AtoB, BtoA, Maintainer)
    text = "FROM x\nMAINTAINER me\nRUN a\n"
    out = fix(text)
    assert out.text == "FROM x\nLABEL by=me\nRUN a\n"
    assert [a.code for a in out.applied] == ["XX001"]
    assert any("circles" in n for n in out.notes)
    assert not any("did not settle" in n for n in out.notes)  # circles, not the pass limit
    assert any("started again from the original without the fixes of XX008, XX009" in n for n in out.notes)
    assert [f.code for f in out.remaining] == ["XX008"]


def test_a_fix_that_never_settles_is_left_out_after_ten_passes(monkeypatch):
    class Grows(InstructionRule):
        code, message, fix_safety = "XX010", "grows", "safe"

        def check(self, ins):
            if ins.keyword == "RUN":
                yield self.hit(ins, fix=self.fix(Edit(ins.args_end, ins.args_end, "!")))

    use_rules(monkeypatch, Grows, Maintainer)
    text = "FROM x\nMAINTAINER me\nRUN a\n"
    out = fix(text)
    assert out.text == "FROM x\nLABEL by=me\nRUN a\n"  # the original, with the fix that settles
    assert any("did not settle after 10 passes" in n for n in out.notes)
    assert any("without the fixes of XX010" in n for n in out.notes)


def test_when_nothing_settles_the_original_is_kept(monkeypatch):
    """Each restart leaves out the rules that went on for ever; when a new one goes on each time (the rules all
    insert at one place, so one of them wins each pass), the loop gives up after MAX_RESTARTS and keeps the
    original."""
    rules = []
    for n in range(loop.MAX_RESTARTS + 1):
        class Grows(InstructionRule):
            code, message, fix_safety = f"XY{n:03d}", "grows", "safe"
            mark = f"<{n}>"

            def check(self, ins):
                if ins.keyword == "RUN":
                    yield self.hit(ins, fix=self.fix(Edit(ins.args_end, ins.args_end, self.mark)))

        rules.append(Grows)

    use_rules(monkeypatch, *rules)
    text = "FROM x\nRUN a\n"
    out = fix(text)
    assert out.text == text and out.applied == [] and not out.settled
    assert sum("started again" in n for n in out.notes) == loop.MAX_RESTARTS
    assert any("left unchanged" in n for n in out.notes)


def test_a_fix_that_changes_nothing_is_not_applied_forever(monkeypatch):
    class Noop(InstructionRule):
        code, message, fix_safety = "XX011", "noop", "safe"

        def check(self, ins):
            if ins.keyword == "RUN":
                yield self.hit(ins, fix=self.fix(Edit(ins.args_start, ins.args_end, ins.args_text)))

    use_rules(monkeypatch, Noop)
    out = fix("FROM x\nRUN a\n")
    assert out.text == "FROM x\nRUN a\n" and out.settled
    assert any("changes nothing" in n for n in out.notes)


def test_a_file_that_does_not_parse_is_not_touched(monkeypatch):
    use_rules(monkeypatch, Maintainer)
    text = "FROM a\nMAINTAINER me\nRUN <<EOT\necho\n"
    out = fix(text)
    assert out.error is not None and out.error_line >= 3
    assert out.text == text and not out.changed


@pytest.mark.parametrize("text", [
    "FROM a\r\n# keep me\r\nMAINTAINER me\r\n\r\nrun x\r\n",  # CRLF
    "FROM a\n# keep me\nMAINTAINER me\n\n\nrun x",  # no final newline
    "# escape=`\nFROM a\n# keep me\nMAINTAINER me\nrun echo `\n  b\n",  # backtick escape
])
def test_comments_blank_lines_endings_survive(monkeypatch, text):
    use_rules(monkeypatch, Maintainer, LowerRun)
    out = fix(text)
    expected = text.replace("MAINTAINER me", "LABEL by=me").replace("run ", "RUN ")
    assert out.text == expected


def test_other_file_edits_are_returned_not_applied_to_the_dockerfile(monkeypatch, tmp_path):
    ignore = tmp_path / ".dockerignore"
    ignore.write_text("node_modules\n")

    class Ignore(InstructionRule):
        code, message, fix_safety = "XX012", "ignore file", "safe"

        def check(self, ins):
            if ins.keyword == "FROM":
                n = len(ignore.read_text())
                yield self.hit(ins, fix=self.fix(Edit(n, n, ".git\n", path=str(ignore))))

    use_rules(monkeypatch, Ignore)
    out = loop.fix_text("FROM a\n", str(tmp_path / "Dockerfile"), builtin_policy())
    assert out.text == "FROM a\n"
    assert out.other_files == {str(ignore): "node_modules\n.git\n"}
    assert [(a.code, a.file) for a in out.applied] == [("XX012", str(ignore))]
    assert ignore.read_text() == "node_modules\n"  # the loop writes nothing
