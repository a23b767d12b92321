"""hadolint's own rule tests (``hadolint-cases/cases.jsonl`` in the shared folder, read out of hadolint's test
suite; GPL-3.0, so not in the repository: without the folder these tests are not run, and one line says so), run
through the whole pipeline: each case's Dockerfile is written to a folder (with a ``.hadolint.yaml`` when the case
needs a non-default hadolint configuration), ``fastlint check --select RULE --format json`` runs on it in-process,
and the findings are compared with what hadolint's test asserts: the rule fires (exactly ``count`` times, or at
least ``count`` times), or it does not fire.

A case whose rule is not registered yet is skipped ("not implemented yet"). A case that contradicts a deliberate,
documented difference from hadolint is listed in ``DIFFERENCES`` with the reason; the rule's docs name it under
"Differences from hadolint".
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import HADOLINT_CASES, IN_CI
from fastlint.cli.check import main as check_main
from fastlint.engine.config import reset_caches
from fastlint.engine.registry import all_rules

CASES_FILE = HADOLINT_CASES
if not CASES_FILE.is_file():  # one visible line (a failure under CI=true, where the shared folder is always there)
    _NOT_RUN = (f"hadolint's own rule cases NOT RUN: {CASES_FILE} is missing (GPL-3.0, kept outside the repository; "
                f"set FASTLINT_SHARED to the folder that holds hadolint-cases/)")
    if IN_CI:
        pytest.fail(_NOT_RUN, pytrace=False)
    pytest.skip(_NOT_RUN, allow_module_level=True)
RULES = all_rules()

# Cases that contradict a documented deliberate difference (see the rule's "Differences from hadolint").
DIFFERENCES = {
    "DL3002Spec.hs:77:11": "DL3002 judges only the stage that becomes the image: a builder stage may run as root "
                           "(hadolint issue 405)",
    "DL3009Spec.hs:92:7": "the one-line `RUN --mount=a \\    --mount=b ...` is read as BuildKit reads it: the flags "
                          "end at the first word that is not a flag (the backslash), so only the first mount "
                          "(/var/lib/apt) applies; hadolint's parser takes both mounts",
    "DL3009Spec.hs:98:7@onbuild": "the one-line `RUN --mount=a \\    --mount=b ...` is read as BuildKit reads it: "
                                  "only the first mount (/var/lib/apt) applies",
    "DL3009Spec.hs:31:13@onbuild": "DL3009 judges only the image's stage chain: an ONBUILD trigger of a stage that "
                                   "is not the image and not built on never runs",
    "DL3009Spec.hs:71:13@onbuild": "DL3009 judges only the image's stage chain: an ONBUILD trigger of a stage that "
                                   "is not the image and not built on never runs",
    "RegressionSpec.hs:26:11": "DL4006: SHELL /bin/sh -o pipefail counts in an Alpine or BusyBox stage, where /bin/sh "
                               "is BusyBox ash, which has pipefail (hadolint issue 250)",
}


def load_cases() -> list[dict]:
    if not CASES_FILE.is_file():
        return []
    with CASES_FILE.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


CASES = load_cases()


def case_key(case: dict) -> str:
    return case["id"] + ("@onbuild" if case["onbuild"] else "")


def case_id(case: dict) -> str:
    rule = {"*": "ALL", "SC*": "SC"}.get(case["rule"], case["rule"])
    return f"{rule}-{case_key(case)}"


# -- hadolint's configuration (a Haskell record in the case) as a .hadolint.yaml -----------------------------------
_LABEL_TYPES = {"RawText": "text", "Url": "url", "Email": "email", "GitHash": "hash", "Hash": "hash",
                "SemVer": "semver", "Rfc3339": "rfc3339", "Spdx": "spdx"}


def hadolint_yaml(config: str) -> str:
    """Translate ``def { allowedRegistries = [...], labelSchema = Map.fromList [...], strictLabels = True,
    ignoreRules = [...] }`` into the .hadolint.yaml keys fastlint reads (trustedRegistries, label-schema,
    strict-labels, ignored)."""
    out: list[str] = []
    m = re.search(r"allowedRegistries\s*=\s*\[(.*?)\]", config)
    if m:
        out.append("trustedRegistries: " + json.dumps(re.findall(r'"([^"]*)"', m.group(1))))
    m = re.search(r"labelSchema\s*=\s*Map\.fromList\s*\[(.*)\]", config)
    if m:
        pairs = re.findall(r'\(\s*"([^"]*)"\s*,\s*(?:Rule\.)?(\w+)\s*\)', m.group(1))
        out.append("label-schema:")
        out += [f"  {json.dumps(name)}: {_LABEL_TYPES[kind]}" for name, kind in pairs]
    m = re.search(r"strictLabels\s*=\s*(True|False)", config)
    if m:
        out.append(f"strict-labels: {m.group(1).lower()}")
    m = re.search(r"ignoreRules\s*=\s*\[(.*?)\]", config)
    if m:
        out.append("ignored: " + json.dumps(re.findall(r'"([^"]*)"', m.group(1))))
    if not out:
        raise AssertionError(f"unknown hadolint configuration in a case: {config}")
    return "\n".join(out) + "\n"


def run_case(tmp_path, capsys, case: dict, select: str) -> list[dict]:
    (tmp_path / ".git").mkdir()  # stop the search for configuration files at the case's folder
    if case["config"]:
        (tmp_path / ".hadolint.yaml").write_text(hadolint_yaml(case["config"]), encoding="utf-8")
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(case["dockerfile"], encoding="utf-8")
    reset_caches()
    code = check_main(["--format", "json", "--select", select, str(dockerfile)])
    out = capsys.readouterr().out
    assert code in (0, 1), f"fastlint check failed (exit {code}) on case {case['id']}"
    return json.loads(out) if out.strip() else []


def _fires(code: str, pattern: str) -> bool:
    if pattern == "*":
        return code.startswith(("DL", "SC"))
    if pattern.endswith("*"):
        return code.startswith(pattern[:-1])
    return code == pattern


def _registered(pattern: str) -> bool:
    if pattern == "*":
        return True
    if pattern == "SC*":
        return "SC" in RULES
    return pattern in RULES


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_hadolint_case(tmp_path, capsys, case):
    rule = case["rule"]
    if case_key(case) in DIFFERENCES:
        pytest.skip(f"deliberate difference: {DIFFERENCES[case_key(case)]}")
    if not _registered(rule):
        pytest.skip(f"{rule}: not implemented yet")
    select = {"*": "DL,SC", "SC*": "SC"}.get(rule, rule)
    findings = run_case(tmp_path, capsys, case, select)
    where = f"case {case['id']} ({case['describe']} / {case['it']}):\n{case['dockerfile']}"
    for pattern in case["expected_rule_ids"]:
        hits = [f for f in findings if _fires(f["code"], pattern)]
        if case["at_least"]:
            assert len(hits) >= case["count"], f"{pattern} should fire at least {case['count']}x on {where}"
        else:
            assert len(hits) == case["count"], (
                f"{pattern} should fire exactly {case['count']}x, fired {len(hits)}x on {where}\n{hits}")
    for pattern in case["forbidden_rule_ids"]:
        hits = [f for f in findings if _fires(f["code"], pattern)]
        assert not hits, f"{pattern} should not fire on {where}\n{hits}"


def test_cases_are_present():
    """The shared case file is there and holds hadolint's cases (a missing file must not pass silently)."""
    assert CASES_FILE.is_file(), f"missing {CASES_FILE}"
    assert len(CASES) > 1000
