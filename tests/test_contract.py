"""The rule contract and the rule-ID grammar as a user and a rule author meet them: IDs in pragmas, the policy
and --select; a rule that says the same thing as another (``same_as``); the one pipeline for every file kind."""

from __future__ import annotations

import pytest

from fastlint.engine import ids
from fastlint.engine.config import ConfigError, builtin_policy, load_config
from fastlint.engine.pipeline import Selection, active_rules
from fastlint.engine.registry import all_rules, rule_for
from fastlint.engine.rule import InstructionRule, Rule
from fastlint.engine.runner import lint_dockerfile
from fastlint.parser import parse
from fastlint.rules.dl4000 import DL4000

all_rules()  # every rule registered (its name an ID) before a test below swaps the ID tables for its own


@pytest.mark.parametrize("token", ["DL3008", "dl3008", "DL30", "FL", "SC2086", "ALL", "StageNameCasing",
                                   "MaintainerDeprecated", "stagenamecasing".title() + "Name"])
def test_rule_ids(token):
    assert ids.is_rule_id(token)


@pytest.mark.parametrize("token", ["crazy", "DL30x", "X1", "Stage", "", "stage-name"])
def test_not_rule_ids(token):
    assert not ids.is_rule_id(token)


def test_a_package_declares_its_prefix(monkeypatch):
    monkeypatch.setattr(ids, "_prefixes", list(ids._prefixes))  # the registration ends with the test
    monkeypatch.setattr(ids, "_CODE", ids._CODE)
    assert not ids.is_rule_id("ACME001")
    ids.register_prefix("ACME")
    assert ids.is_rule_id("ACME001") and ids.is_rule_id("acme")
    assert ids.parse_list("ACME001, DL3008") == ["ACME001", "DL3008"]
    with pytest.raises(ValueError):
        ids.register_prefix("A1")


def test_names_match_case_insensitively_and_prefixes_match_codes():
    assert ids.matches("StageNameCasing", ["stagenamecasing"])
    assert ids.matches("DL3008", ["dl30"])
    assert ids.matches("SC2086", ["ALL"])
    assert not ids.matches("DL3008", ["DL31"])


def test_a_pragma_list_with_a_non_id_is_no_pragma():
    assert ids.parse_list("DL3008,crazy") is None
    assert ids.parse_list("DL3008 # why") == ["DL3008"]
    assert ids.parse_list("StageNameCasing") == ["STAGENAMECASING"]


class StageNameCasing(InstructionRule):
    """A BuildKit-style check, named as BuildKit names it."""

    code = "StageNameCasing"
    level = "warning"
    message = "Stage names should be lowercase"

    def check(self, ins):
        if ins.keyword == "FROM" and ins.stage is not None and ins.stage.name and ins.stage.name != ins.stage.name.lower():
            yield self.hit(ins)


class MaintainerDeprecated(InstructionRule):
    """BuildKit's twin of DL4000."""

    code = "MaintainerDeprecated"
    level = "warning"
    message = "The MAINTAINER instruction is deprecated, use a label instead to define an image author"
    same_as = "DL4000"

    def check(self, ins):
        if ins.keyword == "MAINTAINER":
            yield self.hit(ins)


def lint(text: str, rules, selection=None, policy=None):
    df = parse(text, "Dockerfile")
    return [(f.code, f.line) for f in lint_dockerfile(df, policy or builtin_policy(), rules, selection or Selection())]


def test_a_named_rule_is_turned_off_by_a_pragma_in_any_case(monkeypatch):
    monkeypatch.setattr(ids, "_names", set(ids._names))
    ids.register_name(StageNameCasing.code)  # what @register does: a registered rule's name is an ID in any case
    text = "FROM alpine:3.19 AS Builder\n"
    assert lint(text, [StageNameCasing]) == [("StageNameCasing", 1)]
    assert lint("# hadolint ignore=stagenamecasing\n" + text, [StageNameCasing]) == []
    assert lint("# fastlint: global ignore=StageNameCasing\n" + text, [StageNameCasing]) == []
    assert lint(text, [StageNameCasing], Selection(ignore=["STAGENAMECASING"])) == []


def test_twin_rules_report_one_finding():
    text = "FROM alpine:3.19\nMAINTAINER me <me@example.com>\n"
    assert lint(text, [DL4000, MaintainerDeprecated]) == [("DL4000", 2)]
    assert lint(text, [MaintainerDeprecated, DL4000]) == [("DL4000", 2)]
    # the twin does not run (not selected): the finding stays
    assert lint(text, [MaintainerDeprecated]) == [("MaintainerDeprecated", 2)]
    # the twin's finding is turned off: this one is not dropped for a finding nobody sees
    assert lint("# hadolint ignore=DL4000\n" + text.replace("FROM alpine:3.19\n", ""),
                [DL4000, MaintainerDeprecated]) == [("MaintainerDeprecated", 2)]


def test_a_rule_turned_off_with_its_twin():
    """BuildKit's MaintainerDeprecated is DL4000 under another name (``off_with``, read from the registry)."""
    same_check = all_rules()["MaintainerDeprecated"]
    assert same_check.off_with == ("DL4000",)
    text = "FROM alpine:3.19\nMAINTAINER me <me@example.com>\n"
    assert lint(text, [DL4000, same_check]) == [("DL4000", 2)]
    # either one turned off, by a pragma where it reports or by the command line: neither reports
    assert lint(text.replace("MAINTAINER", "# hadolint ignore=DL4000\nMAINTAINER"), [DL4000, same_check]) == []
    assert lint(text.replace("MAINTAINER", "# hadolint ignore=maintainerdeprecated\nMAINTAINER"),
                [DL4000, same_check]) == []
    assert lint(text, [DL4000, same_check], Selection(ignore=["DL4000"])) == []
    assert lint(text, [DL4000, same_check], Selection(ignore=["MAINTAINERDEPRECATED"])) == []
    # the other one not running is not the other one turned off
    assert lint(text, [same_check]) == [("MaintainerDeprecated", 2)]


def test_the_kept_twin_takes_an_error_level():
    policy = builtin_policy()
    policy.severity = {"MAINTAINERDEPRECATED": "error", "DL4000": "warning"}
    df = parse("FROM alpine:3.19\nMAINTAINER me <me@example.com>\n", "Dockerfile")
    found = lint_dockerfile(df, policy, [DL4000, all_rules()["MaintainerDeprecated"]], Selection())
    assert [(f.code, f.level) for f in found] == [("DL4000", "error")]


def test_a_twin_at_another_instruction():
    """``Hit.about``: the twin reports another instruction (BuildKit reports the overridden CMD, DL4003 the
    later one); ``Hit.same_as``: which of the rule's twins this hit has."""
    from fastlint.rules.dl3012 import DL3012
    from fastlint.rules.dl4003 import DL4003

    class Overridden(InstructionRule):
        code = "MultipleInstructionsDisallowed"
        message = "Multiple instructions of the same type should not be used in the same stage"
        same_as = ("DL4003", "DL3012")
        off_with = ("DL4003", "DL3012")

        def __init__(self, ctx):
            super().__init__(ctx)
            self.last = {}

        def check(self, ins):
            if ins.keyword in ("CMD", "HEALTHCHECK"):
                previous = self.last.get(ins.keyword)
                self.last[ins.keyword] = ins
                if previous is not None:
                    h = self.hit(previous)
                    h.about = ins.keyword_start
                    h.same_as = ("DL4003",) if ins.keyword == "CMD" else ("DL3012",)
                    yield h

    text = 'FROM alpine:3.19\nCMD ["a"]\nCMD ["b"]\nHEALTHCHECK CMD ["c"]\nHEALTHCHECK NONE\n'
    assert lint(text, [Overridden, DL4003, DL3012]) == [("DL4003", 3), ("DL3012", 5)]
    # DL4003 turned off: the CMD pair is silent; the HEALTHCHECK pair, whose twin is DL3012, is not
    assert lint(text, [Overridden, DL3012], Selection(ignore=["DL4003"])) == [("DL3012", 5)]
    assert lint(text, [Overridden], Selection(ignore=["DL4003"])) == [("MultipleInstructionsDisallowed", 4)]


def test_off_with_names_a_twin():
    from fastlint.engine.registry import register

    class Wrong(InstructionRule):
        code = "WrongTwinCheck"
        same_as = "DL4000"
        off_with = ("DL4003",)

    with pytest.raises(ValueError, match="not one of its same_as codes"):
        register(Wrong)


def test_the_policy_file_accepts_names_and_rejects_non_ids(tmp_path):
    good = tmp_path / "fastlint.yaml"
    good.write_text("rules:\n  ignore: [StageNameCasing, DL3008]\n")
    assert load_config(good).ignore == ["StageNameCasing", "DL3008"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  ignore: [crazy]\n")
    with pytest.raises(ConfigError, match="not a rule ID"):
        load_config(bad)


def test_the_contract_declares_every_hook_with_a_default():
    for attr in ("kinds", "family", "external", "batches", "same_as", "docs_examples_partial", "needs_service",
                 "default_enabled", "fix_safety"):
        assert hasattr(Rule, attr), attr
    for hook in ("prepare", "start_file", "start_stage", "check", "finish", "check_manifest"):
        assert callable(getattr(Rule, hook)), hook
    assert Rule.prepare(None, []) is None


def test_shellcheck_is_an_external_family_rule_under_the_contract():
    sc = all_rules()["SC"]
    assert sc.family and sc.external == "shellcheck" and sc.batches
    assert rule_for("SC2086") is sc and rule_for("DL3008").code == "DL3008" and rule_for("SC") is sc
    assert rule_for("XX1") is None
    policy = builtin_policy()
    policy.externals = {"shellcheck": False}
    assert sc not in active_rules(policy, Selection())
    assert sc in active_rules(policy, Selection(select=["SC2086"]))  # a selected code of the family runs it


def test_rules_declare_the_kinds_of_file_they_read():
    """Each rule that checks files reads one kind; the rule that reviews the pragmas (FL001) reads them all."""
    from fastlint.engine.pipeline import reads_suppressions

    rules = all_rules()
    reviewers = {c for c in rules.values() if reads_suppressions(c)}
    assert {c.code for c in reviewers} == {"FL001"}
    yaml_rules = [c for c in rules.values() if "kubernetes" in c.kinds and c not in reviewers]
    assert yaml_rules and all("dockerfile" not in c.kinds for c in yaml_rules)
    assert set(active_rules(builtin_policy(), Selection(), "yaml")) == set(yaml_rules) | reviewers
    assert not set(active_rules(builtin_policy(), Selection(), "dockerfile")) & set(yaml_rules)


def test_yaml_files_read_pragmas_with_the_dockerfile_grammar(tmp_path, capsys):
    """One pragma grammar: a list with a non-ID is no pragma in a YAML file either (it used to ignore FL703)."""
    import json

    from fastlint.cli.check import main as check_main
    from test_manifests import DEPLOYMENT, project

    text = DEPLOYMENT.replace('        image: "gcr', '        # fastlint: ignore=crazy,FL703\n        image: "gcr')
    good = DEPLOYMENT.replace('        image: "gcr', '        # hadolint ignore=FL703 # the tag is pinned by CD\n'
                                                   '        image: "gcr')
    root = project(tmp_path, {"a/app.yaml": text, "b/app.yaml": good})
    check_main(["--format", "json", "--select", "FL703", str(root)])
    findings = json.loads(capsys.readouterr().out)
    assert [(f["file"].split("/")[-2], f["code"]) for f in findings] == [("a", "FL703")]
