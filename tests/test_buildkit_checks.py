"""BuildKit's build checks as a user meets them: the `# check=` directive and its forms, fastlint.yaml's
`buildkit: check:` (the BUILDKIT_DOCKERFILE_CHECK build argument), check comments above an instruction, names
written in any case, experimental checks, and one finding per BuildKit check and its DL/FL twin. The per-check
behaviour is in each check's catalogue cases (rules/StageNameCasing.md, ...)."""

from __future__ import annotations

import json

import pytest

from fastlint.cli.check import main as check_main
from fastlint.engine.config import reset_caches
from fastlint.engine.index import CATALOGUE_URL
from fastlint.engine.registry import all_rules

BUILDKIT = sorted(code for code, cls in all_rules().items() if cls.buildkit)
CASING = "FROM scratch as base\ncopy Dockerfile .\n"  # FromAsCasing (line 1) and ConsistentInstructionCasing (2)


# cases never depend on the machine's Docker engine: none answers unless a case brings a fake one
pytestmark = pytest.mark.usefixtures("no_engine")


def check(tmp_path, capsys, text: str, *args: str, config: str | None = None, name: str = "Dockerfile"):
    """(exit code, [(code, line, level)]) of `fastlint check --format json` on one Dockerfile."""
    (tmp_path / ".git").mkdir(exist_ok=True)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    if config is not None:
        (tmp_path / "fastlint.yaml").write_text(config, encoding="utf-8")
    reset_caches()
    code = check_main(["--format", "json", *args, str(path)])
    out = capsys.readouterr()
    findings = json.loads(out.out) if out.out.strip() else []
    return code, [(f["code"], f["line"], f["level"]) for f in findings], out.err


def bk(tmp_path, capsys, text, *args, **kw):
    """Only the BuildKit checks' findings, with them all selected."""
    _, found, _ = check(tmp_path, capsys, text, "--select", ",".join(BUILDKIT), *args, **kw)
    return found


def test_all_22_checks_are_there():
    from fastlint.engine.checks import NAMES

    assert len(BUILDKIT) == 22
    assert sorted(NAMES) == BUILDKIT  # the names fastlint.yaml's buildkit: check: accepts
    rules = all_rules()
    # experimental: off unless selected or enabled (BuildKit's ruleset)
    assert [c for c in BUILDKIT if not rules[c].default_enabled] == ["InvalidDefinitionDescription"]
    for code in BUILDKIT:
        assert rules[code].level == "warning"
        assert rules[code].docs_url == CATALOGUE_URL or \
            rules[code].docs_url.startswith("https://docs.docker.com/go/dockerfile/rule/")


# -- the directive's forms ------------------------------------------------------------------------------------------
def test_no_directive(tmp_path, capsys):
    assert bk(tmp_path, capsys, CASING) == [("FromAsCasing", 1, "warning"),
                                            ("ConsistentInstructionCasing", 2, "warning")]


@pytest.mark.parametrize(("directive", "expected"), [
    ("#check=skip=all", []),
    ("#check=skip=all;error=true", []),
    ("#check=skip=ConsistentInstructionCasing,FromAsCasing", []),
    ("#check=skip=ConsistentInstructionCasing,FromAsCasing;error=true", []),
    ("#check=skip=ConsistentInstructionCasing", [("FromAsCasing", 2, "warning")]),
    ("#check=skip=ConsistentInstructionCasing;error=true", [("FromAsCasing", 2, "error")]),
    ("# check = skip = fromascasing , consistentinstructioncasing", []),  # spaces; names in any case (fastlint)
    ("# check=skip=FromAsCasing, ConsistentInstructionCasing", [("ConsistentInstructionCasing", 3, "warning")]),
    ("#check=error=false", [("FromAsCasing", 2, "warning"), ("ConsistentInstructionCasing", 3, "warning")]),
])
def test_directive_forms(tmp_path, capsys, directive, expected):
    # the last but one: BuildKit takes only the directive's first word ("skip=FromAsCasing,")
    assert bk(tmp_path, capsys, directive + "\n" + CASING) == expected


def test_error_true_fails_the_run_at_fail_on_error(tmp_path, capsys):
    code, found, _ = check(tmp_path, capsys, "# check=error=true\n" + CASING, "--select", "FromAsCasing",
                           "--fail-on", "error")
    assert found == [("FromAsCasing", 2, "error")] and code == 1
    code, found, _ = check(tmp_path, capsys, CASING, "--select", "FromAsCasing", "--fail-on", "error")
    assert found == [("FromAsCasing", 1, "warning")] and code == 0


def test_a_directive_only_counts_at_the_top(tmp_path, capsys):
    # after an instruction, or not at column 1, it is an ordinary comment (above FROM: a check comment)
    text = "FROM scratch as base\n# check=skip=all\ncopy Dockerfile .\n"
    # (above COPY it skips the checks BuildKit runs at COPY; ConsistentInstructionCasing reads the file's only)
    assert bk(tmp_path, capsys, text) == [("FromAsCasing", 1, "warning"), ("ConsistentInstructionCasing", 3, "warning")]
    assert bk(tmp_path, capsys, "  # check=skip=all\n" + CASING) != []
    # a #! first line is passed over, as BuildKit passes over a shebang
    assert bk(tmp_path, capsys, "#!/usr/bin/env docker-build\n# check=skip=all\n" + CASING) == []


@pytest.mark.parametrize("directive", ["# check=foo=bar", "# check=skip", "# check=error=maybe"])
def test_invalid_directive_fails_like_the_build(tmp_path, capsys, directive):
    code, found, _ = check(tmp_path, capsys, directive + "\n" + CASING)
    assert found == [("DL1000", 1, "error")] and code == 1


def test_experimental(tmp_path, capsys):
    text = "# not a description\nFROM scratch AS base\n"
    assert ("InvalidDefinitionDescription", 2, "warning") not in check(tmp_path, capsys, text)[1]  # off by default
    on = "# check=experimental=InvalidDefinitionDescription\n" + text
    assert ("InvalidDefinitionDescription", 3, "warning") in check(tmp_path, capsys, on)[1]
    assert ("InvalidDefinitionDescription", 3, "warning") in check(tmp_path, capsys, "# check=experimental=all\n"
                                                                    + text)[1]
    # skip=all leaves an enabled experimental check on, as BuildKit does
    both = "# check=skip=all;experimental=InvalidDefinitionDescription\n" + text + "FROM scratch as b\n"
    assert bk(tmp_path, capsys, both) == [("InvalidDefinitionDescription", 3, "warning")]
    # a check comment above one instruction enables it there
    local = "FROM scratch\n# check=experimental=InvalidDefinitionDescription\nARG foo=1\n# x\nARG bar=2\n"
    assert [f for f in check(tmp_path, capsys, local)[1] if f[0] == "InvalidDefinitionDescription"] == [
        ("InvalidDefinitionDescription", 3, "warning")]
    # selected on the command line: it runs
    assert ("InvalidDefinitionDescription", 2, "warning") in check(tmp_path, capsys, text, "--select",
                                                                   "invaliddefinitiondescription")[1]
    # enabled but ignored: off
    assert not [f for f in check(tmp_path, capsys, on, "--ignore", "InvalidDefinitionDescription")[1]
                if f[0] == "InvalidDefinitionDescription"]


def test_check_comment_is_local_to_its_instruction(tmp_path, capsys):
    text = ("FROM scratch\n# check=skip=all // only the next instruction\nENV password=1\nENV password=2\n"
            "# check=skip=SecretsUsedInArgOrEnv\n\nENV secret=3\n#\n# check=skip=SecretsUsedInArgOrEnv\n#\nENV token=4\n")
    # blank lines keep the comments (BuildKit's previous comments), an empty # starts them over
    assert bk(tmp_path, capsys, text) == [("SecretsUsedInArgOrEnv", 4, "warning"),
                                          ("SecretsUsedInArgOrEnv", 11, "warning")]


# -- fastlint.yaml: buildkit: check: ----------------------------------------------------------------------------
@pytest.mark.parametrize("config", [
    'buildkit:\n  check: "skip=ConsistentInstructionCasing;error=true"\n',
    "buildkit:\n  check: {skip: [consistentinstructioncasing], error: true}\n",
])
def test_config_replaces_the_directive(tmp_path, capsys, config):
    # as BuildKit's BUILDKIT_DOCKERFILE_CHECK: the Dockerfile's skip=all no longer counts
    assert bk(tmp_path, capsys, "#check=skip=all\n" + CASING, config=config) == [("FromAsCasing", 2, "error")]


def test_config_skip_all(tmp_path, capsys):
    assert bk(tmp_path, capsys, "#check=error=true\n" + CASING, config="buildkit:\n  check: {skip: all}\n") == []


@pytest.mark.parametrize(("config", "where", "says"), [
    ('buildkit:\n  check: "skip=Nope"\n', "fastlint.yaml:2:10", "'Nope' is not one of BuildKit's checks"),
    ('buildkit:\n  check: "bogus=1"\n', "fastlint.yaml:2:10", 'invalid check option "bogus"'),
    ("buildkit:\n  check: {skip: [StageNameCasing, DL3008]}\n", "fastlint.yaml:2:35",
     "'DL3008' is not one of BuildKit's checks"),
    ("buildkit:\n  check: {error: maybe}\n", "fastlint.yaml:2:18", "'error' must be true or false"),
    ("buildkit:\n  check: {warn: true}\n", "fastlint.yaml:2:11", "unknown key 'warn'"),
    ("buildkit:\n  checks: x\n", "fastlint.yaml:2:3", "unknown key 'checks'"),
])
def test_config_errors_name_file_line_col(tmp_path, capsys, config, where, says):
    code, _, err = check(tmp_path, capsys, CASING, config=config)
    assert code == 2 and where in err and says in err, err


# -- names in any case, everywhere an ID is written ------------------------------------------------------------
def test_names_in_any_case(tmp_path, capsys):
    text = "FROM scratch AS Build\n"
    assert check(tmp_path, capsys, text, "--select", "stagenamecasing")[1] == [("StageNameCasing", 1, "warning")]
    assert not [f for f in check(tmp_path, capsys, text, "--ignore", "STAGENAMECASING")[1]
                if f[0] == "StageNameCasing"]
    for pragma in ("# fastlint: ignore=stagenamecasing", "# hadolint ignore=StageNameCasing,DL3006"):
        assert not [f for f in check(tmp_path, capsys, pragma + "\n" + text)[1] if f[0] == "StageNameCasing"]
    config = "rules:\n  severity: {stageNameCasing: error}\n"
    assert ("StageNameCasing", 1, "error") in check(tmp_path, capsys, text, config=config)[1]
    config = "rules:\n  ignore: [StageNameCasing]\n"
    assert not [f for f in check(tmp_path, capsys, text, config=config)[1] if f[0] == "StageNameCasing"]
    # a name is whole: no prefix matching for names
    assert not check(tmp_path, capsys, text, "--select", "Stage")[1]


# -- one finding per pair ----------------------------------------------------------------------------------------
PAIRS = [
    # (Dockerfile, BuildKit check, twin, the line both report at)
    ("FROM scratch AS b\nFROM scratch AS b\n", "DuplicateStageName", "DL3024", 2),
    ("FROM alpine AS scratch\n", "ReservedStageName", "DL3063", 1),
    ("FROM alpine\nMAINTAINER me@example.com\n", "MaintainerDeprecated", "DL4000", 2),
    ("FROM alpine\nCMD run me\n", "JSONArgsRecommended", "DL3025", 2),
    ("FROM scratch\nWORKDIR app\n", "WorkdirRelativePath", "DL3000", 2),
    ("FROM --platform=$TARGETPLATFORM alpine\n", "RedundantTargetPlatform", "DL3065", 1),
    ("FROM --platform=linux/amd64 alpine\n", "FromPlatformFlagConstDisallowed", "DL3029", 1),
    ("FROM alpine\nARG GITHUB_TOKEN\n", "SecretsUsedInArgOrEnv", "DL3064", 2),
]


@pytest.mark.parametrize(("text", "check_name", "twin", "line"), PAIRS)
def test_one_finding_per_pair(tmp_path, capsys, text, check_name, twin, line):
    select = ["--select", f"{check_name},{twin}"]
    assert [f[:2] for f in check(tmp_path, capsys, text, *select)[1]] == [(twin, line)]
    # alone, each reports it
    assert (check_name, line) in [f[:2] for f in check(tmp_path, capsys, text, "--select", check_name)[1]]
    # turning either off turns off both
    for off in (check_name, twin):
        assert check(tmp_path, capsys, text, *select, "--ignore", off.lower())[1] == []
        assert check(tmp_path, capsys, f"# fastlint: global ignore={off}\n" + text, *select)[1] == []
    assert check(tmp_path, capsys, f"# check=skip={check_name}\n" + text, *select)[1] == []
    # skip=all is about BuildKit's checks: the DL rule stays
    assert [f[0] for f in check(tmp_path, capsys, "# check=skip=all\n" + text, *select)[1]] == [twin]
    # error=true: the finding that stands for the check is an error
    assert [f[2] for f in check(tmp_path, capsys, "# check=error=true\n" + text, *select)[1]] == ["error"]


def test_multiple_instructions_pair_with_the_later_one(tmp_path, capsys):
    text = "FROM alpine\nCMD [\"a\"]\nCMD [\"b\"]\nHEALTHCHECK CMD [\"c\"]\nHEALTHCHECK NONE\n"
    alone = check(tmp_path, capsys, text, "--select", "MultipleInstructionsDisallowed")[1]
    assert [f[:2] for f in alone] == [("MultipleInstructionsDisallowed", 2), ("MultipleInstructionsDisallowed", 4)]
    both = check(tmp_path, capsys, text, "--select", "MultipleInstructionsDisallowed,DL4003,DL3012")[1]
    assert [f[:2] for f in both] == [("DL4003", 3), ("DL3012", 5)]
    # DL4003 turned off: only the HEALTHCHECK pair keeps a finding, DL3012's
    fewer = check(tmp_path, capsys, text, "--select", "MultipleInstructionsDisallowed,DL4003,DL3012",
                  "--ignore", "DL4003")[1]
    assert [f[:2] for f in fewer] == [("DL3012", 5)]
    # a pragma for DL4003 where DL4003 reports (the later CMD) silences the pair
    pragma = text.replace('CMD ["b"]', '# hadolint ignore=DL4003\nCMD ["b"]')
    found = check(tmp_path, capsys, pragma, "--select", "MultipleInstructionsDisallowed,DL4003,DL3012")[1]
    assert [f[:2] for f in found] == [("DL3012", 6)]


def test_a_twin_turned_off_silences_only_its_own_pair(tmp_path, capsys):
    # DL4003 is the CMD pair's twin, not the HEALTHCHECK pair's
    text = "FROM alpine\nCMD [\"a\"]\nCMD [\"b\"]\nHEALTHCHECK CMD [\"c\"]\nHEALTHCHECK NONE\n"
    found = check(tmp_path, capsys, text, "--select", "MultipleInstructionsDisallowed", "--ignore", "DL4003")[1]
    assert [f[:2] for f in found] == [("MultipleInstructionsDisallowed", 4)]


def test_policy_twin_is_never_turned_off_through_buildkit(tmp_path, capsys):
    text = "FROM alpine\nENV DB_PASSWORD=hunter2\n"
    select = ["--select", "SecretsUsedInArgOrEnv,FL601"]
    assert [f[0] for f in check(tmp_path, capsys, text, *select)[1]] == ["FL601"]
    assert [f[0] for f in check(tmp_path, capsys, "# check=skip=SecretsUsedInArgOrEnv\n" + text, *select)[1]] == [
        "FL601"]
    assert [f[0] for f in check(tmp_path, capsys, text, *select, "--ignore", "SecretsUsedInArgOrEnv")[1]] == ["FL601"]
    # FL601 turned off: BuildKit's check reports it
    assert [f[0] for f in check(tmp_path, capsys, text, *select, "--ignore", "FL601")[1]] == [
        "SecretsUsedInArgOrEnv"]


def test_buildkit_only_detection_is_kept(tmp_path, capsys):
    # the HEALTHCHECK pair's twin is DL3012, which does not run here: the BuildKit check reports it
    text = "FROM alpine\nHEALTHCHECK CMD [\"c\"]\nHEALTHCHECK NONE\n"
    found = check(tmp_path, capsys, text, "--select", "MultipleInstructionsDisallowed,DL4003")[1]
    assert [f[:2] for f in found] == [("MultipleInstructionsDisallowed", 2)]


def test_sarif_help_uri_and_rule_docs(tmp_path, capsys):
    (tmp_path / ".git").mkdir()
    path = tmp_path / "Dockerfile"
    path.write_text("FROM scratch AS Build\n", encoding="utf-8")
    reset_caches()
    check_main(["--format", "sarif", "--select", "StageNameCasing,InvalidBaseImagePlatform", str(path)])
    run = json.loads(capsys.readouterr().out)["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["StageNameCasing"]["helpUri"] == "https://docs.docker.com/go/dockerfile/rule/stage-name-casing/"
    assert "buildkit" in rules["StageNameCasing"]["properties"]["tags"]
    assert run["results"][0]["ruleId"] == "StageNameCasing"
    # InvalidBaseImagePlatform has no page of BuildKit's: the catalogue page
    if "InvalidBaseImagePlatform" in rules:
        assert rules["InvalidBaseImagePlatform"]["helpUri"].endswith("/rules/InvalidBaseImagePlatform.md")


def test_rule_command_prints_the_docs_url():
    from cli_runner import CliRunner

    from fastlint.cli import main as app

    out = CliRunner().invoke(app, ["rule", "stagenamecasing"])
    assert out.exit_code == 0
    assert "https://docs.docker.com/go/dockerfile/rule/stage-name-casing/" in out.output


# -- BuildKit's docs examples ---------------------------------------------------------------------------------------
def test_buildkit_docs_examples_are_cases_and_pass(tmp_path):
    """Each check with a page on docs.docker.com (all but InvalidBaseImagePlatform, which has none) has its docs'
    examples among its catalogue cases (titled "BuildKit's docs ..."): a bad one fires at exactly the lines BuildKit
    names, a good one (a pass case, or the page's "Use instead") does not. Where BuildKit's code and its docs
    disagree, the case follows the code and its title says so."""
    from fastlint.catalogue import load
    from fastlint.testing import builtin_suite, check_case

    suite = builtin_suite()
    without_page = [c for c in BUILDKIT if all_rules()[c].docs_url == CATALOGUE_URL]
    assert without_page == ["InvalidBaseImagePlatform"]
    ran = 0
    for code in BUILDKIT:
        if code in without_page:
            continue
        doc = load(code)
        examples = [c for c in doc.cases if "BuildKit's docs" in c.title]
        assert any(c.kind == "fail" and c.lines for c in examples), f"{code}: no docs example among the fail cases"
        assert any(c.kind == "pass" for c in examples) or "```dockerfile" in doc.section("Use instead"), code
        for k, case in enumerate(examples):  # the case runner: a fail case fires at exactly its lines
            problems = check_case(suite, code, case, tmp_path / f"{code}-{k}")
            assert problems == [], (code, case.title, problems)
            ran += 1
    assert ran >= 40  # 21 pages, most with several examples
