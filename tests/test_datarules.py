"""Data rules (``custom_rules:`` in fastlint.yaml): each kind's catalogue page and cases (examples/datarules/, run
by the one case runner with the example's fastlint.yaml, as ``fastlint test-rules`` runs them), errors at the
YAML line and column, and the rules treated as any other: selection, pragmas, levels, baselines, SARIF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, SARIF_SCHEMA

from fastlint import api
from fastlint.cli.check import main as check_main
from fastlint.cli.test_rules import run as run_test_rules
from fastlint.engine import ids, registry
from fastlint.testing import check_case, docs_problems, example_problems, fix_case, suite_for

EXAMPLE = ROOT / "examples" / "datarules"
SUITE = suite_for(str(EXAMPLE), EXAMPLE / "fastlint.yaml")
CASES = SUITE.cases()


def test_every_kind_has_a_page():
    from fastlint.datarules.read import KINDS

    config = (EXAMPLE / "fastlint.yaml").read_text()
    written = {kind for kind in KINDS if f"      {kind}:" in config}
    assert written == set(KINDS)
    assert sorted(SUITE.pages) == [f"ORG00{i}" for i in range(1, 10)]


@pytest.mark.parametrize(("code", "index", "case"), CASES, ids=[f"{c}-{i}-{k.kind}" for c, i, k in CASES])
def test_case(tmp_path, code, index, case):
    problems = check_case(SUITE, code, case, tmp_path / "check") + fix_case(SUITE, code, case, tmp_path / "fix")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("code", sorted(SUITE.pages))
def test_page(tmp_path, code):
    problems = docs_problems(SUITE, code, tmp_path / "docs") + example_problems(SUITE, code, tmp_path / "ex")
    assert not problems, "\n".join(problems)


def test_test_rules_runs_the_pages_with_the_configuration(capsys):
    assert run_test_rules(str(EXAMPLE), config=str(EXAMPLE / "fastlint.yaml")) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == f"{len(SUITE.pages) + len(CASES)} checks passed."
    assert run_test_rules(str(EXAMPLE)) == 1  # without it, the pages document rules that do not exist
    assert "ORG001 has a page but no rule" in capsys.readouterr().out


HEAD = "custom_rules:\n  prefix: ORG\n  rules:\n    ORG001:\n"


@pytest.mark.parametrize(("yaml", "where", "message"), [
    ("custom_rules:\n  prefix: FLX\n  rules: {}\n", "2:11", "the prefix FLX clashes with fastlint's FL rules"),
    ("custom_rules:\n  prefix: org-1\n  rules: {}\n", "2:11", "a rule prefix is 2 to 8 letters (like ACME), not 'org-1'"),
    ("custom_rules:\n  prefix: ORG\n", "1:1", "'custom_rules' needs 'rules'"),
    ("custom_rules:\n  prefix: ORG\n  rules: {}\n  rule: {}\n", "4:3",
     "unknown key 'rule' in 'custom_rules' (expected one of: prefix, rules)"),
    ("custom_rules:\n  prefix: ORG\n  rules:\n    AB12:\n      message: x\n      regex: a\n", "4:5",
     "'AB12' is not a rule ID of the prefix ORG (ORG and digits, like ORG001)"),
    (HEAD + "      regex: a\n", "4:5", "rule 'ORG001' needs 'message'"),
    (HEAD + "      message: x\n", "4:5", "rule 'ORG001' needs exactly one check of: required_label, "
     "allowed_registries, forbidden_registries, allowed_images, forbidden_images, forbidden_instructions, "
     "forbidden_commands, required_instructions, regex (found none)"),
    (HEAD + "      message: x\n      regex: a\n      forbidden_instructions: [ADD]\n", "4:5",
     "rule 'ORG001' needs exactly one check of: required_label, allowed_registries, forbidden_registries, "
     "allowed_images, forbidden_images, forbidden_instructions, forbidden_commands, required_instructions, regex "
     "(found 2: regex, forbidden_instructions)"),
    (HEAD + "      message: x\n      regex: '(unclosed'\n", "6:14",
     "'regex' is not a regular expression: missing ), unterminated subpattern at position 0"),
    (HEAD + "      message: x\n      required_label: team\n      pattern: '['\n", "7:16",
     "'pattern' is not a regular expression: unterminated character set at position 0"),
    (HEAD + "      message: x\n      level: fatal\n      regex: a\n", "6:14",
     "'level' must be one of error, warning, info, style"),
    (HEAD + "      message: x\n      forbidden_instructions: [ADD, COPPY]\n", "6:37",
     "'COPPY' is not an instruction (like RUN, ADD, HEALTHCHECK)"),
    (HEAD + "      message: x\n      required_instructions: []\n", "6:30",
     "'required_instructions' must list at least one instruction"),
    (HEAD + "      message: x\n      regex: a\n      pattern: b\n", "7:7",
     "unknown key 'pattern' in rule 'ORG001' with regex (expected one of: message, level, description, regex, "
     "instruction, stages)"),
    (HEAD + "      message: x\n      required_label: team\n      stages: [production]\n", "7:7",
     "unknown key 'stages' in rule 'ORG001' with required_label (expected one of: message, level, description, "
     "required_label, pattern)"),
    (HEAD + "      message: x\n      allowed_images: node:20\n      stages: production\n", "6:23",
     None),  # a string is a list of one: valid
    (HEAD + "      message: x\n      forbidden_commands: ['npm install', '  ']\n", "6:43", "an empty command"),
    ("custom_rules:\n  prefix: ORG\n  rules:\n    ORG001: just a message\n", "4:13",
     "rule 'ORG001' must be a mapping (message:, level:, and one check)"),
    (HEAD + "      message: x\n      regex: a\nrules:\n  ignore: [ORG001, ORG9, other-1]\n", "8:26",
     "'other-1' is not a rule ID or prefix (like DL3008, DL30, FL4, SC2086, StageNameCasing)"),
])
def test_errors_name_the_yaml_line_and_column(tmp_path, yaml, where, message):
    config = tmp_path / "fastlint.yaml"
    config.write_text(yaml)
    if message is None:
        assert api.policy_for(config=config).custom_rules.rules[0].values == ["node:20"]
        return
    with pytest.raises(api.ConfigError) as err:
        api.policy_for(config=config)
    assert str(err.value) == f"{config}:{where}: {message}"


def test_an_id_of_no_rule_is_a_warning_and_the_data_rules_are_rules(tmp_path):
    """The file's data rules (its prefix) name rules; an ID shaped like a code that names none (``OTHER1``) is
    a warning at its line and column, as for any unknown rule ID in a configuration file."""
    config = tmp_path / "fastlint.yaml"
    config.write_text(HEAD + "      message: x\n      regex: a\nrules:\n  ignore: [ORG001, ORG9, OTHER1]\n")
    policy = api.policy_for(config=config)
    assert policy.ignore == ["ORG001", "ORG9", "OTHER1"]
    assert policy.warnings == [f"{config}:8:26: unknown rule ID or prefix 'OTHER1' (`fastlint rules` lists them); "
                               "it selects no rule"]


def test_a_data_rule_prefix_may_not_clash_with_a_rule_name(tmp_path, monkeypatch):
    """``SEC`` would make ``--select SEC`` select BuildKit's ``SecretsUsedInArgOrEnv``: an error at the prefix."""
    from fastlint.engine.rule import InstructionRule

    class SecretsUsedInArgOrEnv(InstructionRule):
        code, message = "SecretsUsedInArgOrEnv", "Do not use ARG or ENV instructions for sensitive data"

    monkeypatch.setattr(ids, "_prefixes", list(ids._prefixes))
    monkeypatch.setattr(ids, "_CODE", ids._CODE)
    monkeypatch.setattr(registry, "_RULES", {**registry.all_rules(), "SecretsUsedInArgOrEnv": SecretsUsedInArgOrEnv})
    config = tmp_path / "fastlint.yaml"
    config.write_text("custom_rules:\n  prefix: sec\n  rules:\n    SEC1: {message: x, regex: a}\n")
    with pytest.raises(api.ConfigError) as err:
        api.lint_text("FROM scratch\n", config=config)
    assert str(err.value) == f"{config}:2:11: the prefix SEC clashes with fastlint's rule SecretsUsedInArgOrEnv"


PROJECT_CONFIG = """\
custom_rules:
  prefix: ORG
  rules:
    ORG001:
      message: "{image} is not from registry.acme.io"
      allowed_registries: [registry.acme.io]
    ORG002:
      message: "Use npm ci, not {command}"
      level: error
      forbidden_commands: ['npm install']
rules:
  ignore: [DL, FL, SC]
  severity: {ORG001: info}
"""

PROJECT_DOCKERFILE = """\
FROM node:20-alpine
# fastlint: ignore=ORG002
RUN npm install
RUN npm install && npm test
"""


def check(capsys, *args) -> tuple[int, str]:
    code = check_main(list(args))
    return code, capsys.readouterr().out


def test_data_rules_go_through_the_pipeline(tmp_path, capsys, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "fastlint.yaml").write_text(PROJECT_CONFIG)
    (tmp_path / "Dockerfile").write_text(PROJECT_DOCKERFILE)
    monkeypatch.chdir(tmp_path)
    code, out = check(capsys, "--format", "json", "Dockerfile")
    found = [(f["code"], f["line"], f["column"], f["level"], f["message"]) for f in json.loads(out)]
    assert found == [("ORG001", 1, 6, "info", "node:20-alpine is not from registry.acme.io"),
                     ("ORG002", 4, 5, "error", "Use npm ci, not npm install")]  # line 3: the pragma
    assert code == 1
    _, out = check(capsys, "--format", "json", "--ignore", "ORG002", "Dockerfile")
    assert [f["code"] for f in json.loads(out)] == ["ORG001"]
    _, out = check(capsys, "--format", "json", "--select", "ORG002,DL3059", "Dockerfile")
    assert [f["code"] for f in json.loads(out)] == ["ORG002"]  # DL3059: the policy ignores DL

    assert check(capsys, "--write-baseline", "base.json", "Dockerfile")[0] == 1
    assert check(capsys, "--baseline", "base.json", "Dockerfile")[0] == 0

    _, out = check(capsys, "--format", "sarif", "Dockerfile")
    doc = json.loads(out)
    import jsonschema

    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(doc)
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["ORG002"]["properties"]["tags"] == ["dockerfile", "custom"]
    assert rules["ORG002"]["shortDescription"]["text"] == "Use npm ci, not {command}"
    assert rules["ORG002"]["defaultConfiguration"]["level"] == "error"
    assert "helpUri" not in rules["ORG002"]
    results = doc["runs"][0]["results"]
    assert [(r["ruleId"], list(rules)[r["ruleIndex"]]) for r in results] == [("ORG001", "ORG001"),
                                                                              ("ORG002", "ORG002")]


def test_rules_and_rule_show_the_data_rules(tmp_path, monkeypatch):
    (tmp_path / "fastlint.yaml").write_text(PROJECT_CONFIG)
    monkeypatch.chdir(tmp_path)
    rows = {r.code: r.to_dict() for r in api.rules()}
    assert rows["ORG002"] == {"code": "ORG002", "level": "error", "message": "Use npm ci, not {command}",
                              "fixable": False, "fix": None, "source": str(tmp_path / "fastlint.yaml")}
    text = api.rule_docs("org002")
    assert text.startswith("# ORG002: Use npm ci, not {command}\n\nLevel: error · Fix: no fix · From: ")
    assert f"A data rule (forbidden_commands) written at {tmp_path / 'fastlint.yaml'}:7." in text


def load_yaml(text: str):
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(text)


def test_the_json_schema_accepts_the_example_and_what_the_reader_accepts(tmp_path):
    """The section's JSON Schema (for the fastlint.yaml schema editors read) agrees with the reader on the
    example and on the cases of the errors test that a schema can judge."""
    import jsonschema

    from fastlint.datarules.read import json_schema

    schema = {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
              "properties": {"custom_rules": json_schema()}}
    validator = jsonschema.Draft7Validator(schema)
    validator.check_schema(schema)
    example = load_yaml((EXAMPLE / "fastlint.yaml").read_text())
    assert list(validator.iter_errors(example)) == []
    assert list(validator.iter_errors(load_yaml(PROJECT_CONFIG.split("rules:\n  ignore")[0]))) == []
    rejected = [HEAD + "      regex: a\n", HEAD + "      message: x\n",
                HEAD + "      message: x\n      regex: a\n      forbidden_instructions: [ADD]\n",
                HEAD + "      message: x\n      level: fatal\n      regex: a\n",
                HEAD + "      message: x\n      forbidden_instructions: [ADD, COPPY]\n",
                HEAD + "      message: x\n      required_instructions: []\n",
                HEAD + "      message: x\n      regex: a\n      pattern: b\n",
                HEAD + "      message: x\n      required_label: team\n      stages: [production]\n",
                "custom_rules:\n  prefix: ORG\n", "custom_rules:\n  prefix: org-1\n  rules: {}\n",
                "custom_rules:\n  prefix: ORG\n  rules:\n    ORG001: just a message\n"]
    for text in rejected:
        config = tmp_path / "fastlint.yaml"
        config.write_text(text)
        with pytest.raises(api.ConfigError):
            api.policy_for(config=config)
        assert list(validator.iter_errors(load_yaml(text))), text


ORG_ONLY = "custom_rules:\n  prefix: ORG\n  rules:\n    ORG001: {message: Every image says its team, required_label: team}\n"
# a pragma with a data rule's ID: a pragma only where the file's configuration declares ORG (else, as in hadolint,
# a list with a word that is no rule ID is no pragma, and DL3007 stays)
ORG_PRAGMA = "# hadolint ignore=ORG001,DL3007\nFROM node:latest\n"


def test_a_data_rule_prefix_is_an_id_for_its_configuration_only_run_after_run(tmp_path):
    """A long-lived process (the editor server, a library caller) runs with a configuration declaring ORG, then
    without it: the second run reads ORG001 as a fresh process does (no rule ID: the pragma is none)."""
    config = tmp_path / "fastlint.yaml"
    config.write_text(ORG_ONLY)
    with_org = api.lint_text(ORG_PRAGMA, config=config, select=["DL3007", "ORG"], shellcheck=False)
    without = api.lint_text(ORG_PRAGMA, no_config=True, select=["DL3007", "ORG"], shellcheck=False)
    assert [f.code for f in with_org] == []  # both turned off by the pragma
    assert [(f.code, f.line) for f in without] == [("DL3007", 2)]
    assert [f.code for f in api.lint_text("FROM node:20\n", config=config, select=["ORG"])] == ["ORG001"]


@pytest.mark.parametrize("order", ["with-first", "without-first"])
def test_a_data_rule_prefix_reaches_no_other_configuration_in_one_run(tmp_path, monkeypatch, order):
    """One run over two services, one with a fastlint.yaml declaring ORG: the other's pragma naming ORG001 is no
    pragma there, whichever file is read first."""
    monkeypatch.setenv("FASTLINT_JOBS", "1")
    (tmp_path / ".git").mkdir()
    for name in ("org", "plain"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "Dockerfile").write_text(ORG_PRAGMA)
    (tmp_path / "org" / "fastlint.yaml").write_text(ORG_ONLY)
    paths = [str(tmp_path / n / "Dockerfile") for n in (("org", "plain") if order == "with-first" else
                                                         ("plain", "org"))]
    run = api.check(paths, select=["DL3007", "ORG"], shellcheck=False)
    found = {Path(r.path).parent.name: [f.code for f in r.findings] for r in run.results}
    assert found == {"org": [], "plain": ["DL3007"]}


def test_a_pragma_naming_only_data_rules_is_one_for_every_reader_of_its_file(tmp_path, capsys, monkeypatch):
    """Where the configuration declares ORG, ``# hadolint ignore=ORG001`` is a pragma for DL1001 (an inline
    pragma) and for a fix that deletes the instruction under it (DL4003: the pragma goes with it, else it would
    turn ORG001 off on the next instruction); without the configuration it is a plain comment."""
    from fastlint.cli.fix import main as fix_main

    (tmp_path / ".git").mkdir()
    (tmp_path / "fastlint.yaml").write_text(ORG_ONLY)
    dockerfile = tmp_path / "Dockerfile"
    text = 'FROM node:20\n# hadolint ignore=ORG001\nCMD ["a"]\nCMD ["b"]\n'
    dockerfile.write_text(text)
    monkeypatch.chdir(tmp_path)
    assert check(capsys, "--select", "DL1001", "Dockerfile")[0] == 1
    assert check(capsys, "--no-config", "--select", "DL1001", "Dockerfile")[0] == 0
    assert fix_main(["--select", "DL4003", "Dockerfile"]) == 0
    assert dockerfile.read_text() == 'FROM node:20\nCMD ["b"]\n'
    dockerfile.write_text(text)
    assert fix_main(["--no-config", "--select", "DL4003", "Dockerfile"]) == 0
    assert dockerfile.read_text() == 'FROM node:20\n# hadolint ignore=ORG001\nCMD ["b"]\n'


def test_a_yaml_pragma_with_a_data_rule_id_follows_the_configuration(tmp_path, capsys, monkeypatch):
    """The Kubernetes manifests' pragmas read IDs as the Dockerfiles' do: ``ignore=ORG001,FL702`` turns FL702
    off where the configuration declares ORG, and is no pragma where none does."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "fastlint.yaml").write_text(ORG_ONLY)
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "deployment.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: fast-vammediation-service\nspec:\n"
        "  template:\n    spec:\n      containers:\n      - name: fast-vammediation-service\n"
        "        image: gcr.io/gpp-g3/fast-vammediation-service:0.9.4\n"
        "        securityContext:\n          runAsNonRoot: true\n          runAsGroup: 1001\n"
        "          # fastlint: ignore=ORG001,FL702\n          runAsUser: 1000\n")
    monkeypatch.chdir(tmp_path)
    _, out = check(capsys, "--format", "json", "--select", "FL702", "deploy/deployment.yaml")
    assert [(f["code"], f["line"]) for f in json.loads(out)] == []
    _, out = check(capsys, "--format", "json", "--no-config", "--select", "FL702", "deploy/deployment.yaml")
    assert [(f["code"], f["line"]) for f in json.loads(out)] == [("FL702", 15)]
