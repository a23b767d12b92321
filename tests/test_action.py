"""The GitHub Action (action.yml): its ``fastlint check`` step, run the way a runner runs it.

What cannot run here: ``actions/setup-python`` and the install step (``pip install ${{ github.action_path }}``)
need a GitHub runner; the upload to code scanning is a separate action. What is tested: action.yml parses, the
check step's ``run:`` script is taken from it verbatim and run with ``bash --noprofile --norc -eo pipefail`` (the
runner's command for ``shell: bash``) in a temporary folder holding a FAST service, with this virtualenv's
``fastlint`` and ``python`` on PATH, the inputs in the env variables the step maps them to (the action's defaults
for the rest), and GITHUB_STEP_SUMMARY, GITHUB_OUTPUT and RUNNER_TEMP pointing to temporary files. The SARIF file
must validate against the SARIF 2.1.0 schema and describe its rules, stdout must hold one workflow-command
annotation per finding, the summary the per-rule table, and the exit-code output the step's exit code.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SARIF_SCHEMA

SERVICE = "fast-validation-service"
ANNOTATION = re.compile(r"^::(error|warning|notice) file=([^,]+),line=(\d+),col=\d+,endLine=\d+,endColumn=\d+,"
                        r"title=([A-Z]+\d+)::(.+)$")
GH_LEVEL = {"error": "error", "warning": "warning", "info": "notice", "style": "notice"}
EXPRESSION = re.compile(r"^\$\{\{\s*inputs\.([\w-]+)\s*\}\}$")


def _action() -> dict:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load((ROOT / "action.yml").read_text(encoding="utf-8"))


def _check_step(action: dict) -> dict:
    steps = [s for s in action["runs"]["steps"] if s.get("id") == "check"]
    assert len(steps) == 1, "action.yml needs exactly one step with id: check"
    return steps[0]


def run_step(workdir: Path, tmp: Path, **inputs: str) -> tuple[subprocess.CompletedProcess, str, dict]:
    """Run the check step's script in ``workdir``; returns (the process, the step summary, the step outputs)."""
    action = _action()
    step = _check_step(action)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "FL_", "RUNNER_"))}
    for name, value in step["env"].items():
        m = EXPRESSION.match(str(value))
        assert m, f"env {name}: only ${{{{ inputs.X }}}} expected, got {value!r}"
        key = m.group(1)
        assert key in action["inputs"], f"env {name} refers to an unknown input {key!r}"
        env[name] = inputs.get(key.replace("-", "_"), str(action["inputs"][key].get("default", "")))
    summary, output, runner_temp = tmp / "summary.md", tmp / "output.txt", tmp / "runner-temp"
    summary.write_text("", encoding="utf-8")
    output.write_text("", encoding="utf-8")
    runner_temp.mkdir(exist_ok=True)
    bindir = Path(sys.executable).parent
    assert (bindir / "fastlint").exists(), f"no fastlint console script beside {sys.executable}"
    env.update(PATH=f"{bindir}{os.pathsep}{env.get('PATH', '')}", GITHUB_STEP_SUMMARY=str(summary),
               GITHUB_OUTPUT=str(output), RUNNER_TEMP=str(runner_temp), GITHUB_WORKSPACE=str(workdir), CI="true")
    script = tmp / "step.sh"
    script.write_text(step["run"], encoding="utf-8")
    proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=workdir, env=env,
                          capture_output=True, text=True, timeout=300)
    outputs = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines() if "=" in line)
    return proc, summary.read_text(encoding="utf-8"), outputs


def _findings(workdir: Path, *paths: str) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "fastlint", "check", "--format", "json", "--fail-on", "none",
                          *paths], cwd=workdir, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.fixture()
def legacy(tmp_path) -> Path:
    """A workspace with one legacy FAST service (Dockerfile and Kubernetes manifest with findings)."""
    work = tmp_path / "work"
    shutil.copytree(ROOT / "fixtures" / "services" / SERVICE, work / "services" / SERVICE)
    return work


def test_action_yml_declares_inputs_outputs_and_a_composite_check_step():
    action = _action()
    assert action["runs"]["using"] == "composite"
    assert {"paths", "fail-on", "sarif-file", "baseline", "config", "verify-report"} <= set(action["inputs"])
    assert action["outputs"]["exit-code"]["value"] == "${{ steps.check.outputs.exit-code }}"
    step = _check_step(action)
    assert step["shell"] == "bash"
    # inputs reach the script through env: an expression inside the script would be a script-injection hole
    assert "${{" not in step["run"]


def test_check_step_writes_sarif_annotations_summary_and_exit_code(legacy, tmp_path):
    import jsonschema

    proc, summary, outputs = run_step(legacy, tmp_path, paths="services")
    expected = _findings(legacy, "services")
    assert expected, "the fixture service should have findings"
    assert proc.returncode == 1, proc.stderr
    assert outputs["exit-code"] == "1"

    # SARIF: valid 2.1.0, one result per finding, every rule described
    sarif = json.loads((legacy / "fastlint.sarif").read_text(encoding="utf-8"))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(sarif), key=str)
    assert not errors, "\n".join(e.message for e in errors[:5])
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert sorted((r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results) == \
        sorted((f["code"], f["line"]) for f in expected)
    for result in results:
        rule = rules[result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        assert rule["name"] and rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule.get("helpUri") or rule.get("help", {}).get("text")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note", "none")
    fl702 = next(r for r in rules if r["id"] == "FL702")
    assert fl702["helpUri"].endswith("rules/FL702.md") and fl702["defaultConfiguration"]["level"] == "error"

    # annotations: one ::error/::warning/::notice line per finding, at its file and line
    lines = [line for line in proc.stdout.splitlines() if line.startswith("::")]
    parsed = [ANNOTATION.match(line) for line in lines]
    assert all(parsed), [line for line, m in zip(lines, parsed) if not m]
    assert sorted((m[1], m[2], int(m[3]), m[4]) for m in parsed) == \
        sorted((GH_LEVEL[f["level"]], f["file"], f["line"], f["code"]) for f in expected)
    assert any(line.startswith(f"::error file=services/{SERVICE}/Dockerfile,line=1,") for line in lines)

    # the summary: the per-rule table with each rule's count, the per-file table
    assert "| Rule | Level | Count | Message |" in summary
    for code in {f["code"] for f in expected}:
        count = sum(1 for f in expected if f["code"] == code)
        assert re.search(rf"^\| \[`{code}`\]\([^)]*\) \| [a-z, ]+ \| {count} \|", summary, re.MULTILINE), code
    assert f"| `services/{SERVICE}/Dockerfile` |" in summary
    assert f"| `services/{SERVICE}/deploy/deployment.yaml` | 1 | 0 | 0 | 0 |" in summary
    assert f"**{len(expected)} findings** in 2 files" in summary


def _only_a_warning(tmp_path: Path) -> Path:
    """A migrated service (`fastlint fix`) whose .dockerignore was then deleted: one FL404 warning, nothing else."""
    work = tmp_path / "work"
    svc = work / SERVICE
    shutil.copytree(ROOT / "fixtures" / "services" / SERVICE, svc)
    shutil.rmtree(svc / "deploy")
    fixed = subprocess.run([sys.executable, "-m", "fastlint", "fix", "--no-backup", str(svc / "Dockerfile")],
                           capture_output=True, text=True, timeout=120)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    (svc / ".dockerignore").unlink()
    assert [(f["code"], f["level"]) for f in _findings(work, SERVICE)] == [("FL404", "warning")]
    return work


@pytest.mark.parametrize("fail_on, code", [("error", 0), ("warning", 1), ("info", 1), ("style", 1), ("none", 0)])
def test_exit_code_follows_fail_on(tmp_path, fail_on, code):
    work = _only_a_warning(tmp_path)
    proc, summary, outputs = run_step(work, tmp_path, paths=SERVICE, fail_on=fail_on)
    assert proc.returncode == code, proc.stderr
    assert outputs["exit-code"] == str(code)
    assert [line.split(" ", 1)[0] for line in proc.stdout.splitlines() if line.startswith("::")] == ["::warning"]
    if fail_on != "none":
        verdict = "fails" if code else "passes"
        assert f"{code} at `{fail_on}` or above (`--fail-on {fail_on}`): the check {verdict}." in summary


def test_a_bad_input_is_exit_code_2(legacy, tmp_path):
    proc, _, outputs = run_step(legacy, tmp_path, paths="services", config="missing-fastlint.yaml")
    assert proc.returncode == 2
    assert outputs["exit-code"] == "2"
    assert "missing-fastlint.yaml" in proc.stderr and "Traceback" not in proc.stderr


def test_baseline_input_lets_recorded_findings_pass(legacy, tmp_path):
    baseline = legacy / ".fastlint-baseline.json"
    rec = subprocess.run([sys.executable, "-m", "fastlint", "check", "--write-baseline", str(baseline), "services"],
                         cwd=legacy, capture_output=True, text=True, timeout=120)
    assert rec.returncode == 1 and baseline.is_file(), rec.stderr
    proc, summary, outputs = run_step(legacy, tmp_path, paths="services", baseline=".fastlint-baseline.json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert outputs["exit-code"] == "0"
    assert not [line for line in proc.stdout.splitlines() if line.startswith("::")]
    assert json.loads((legacy / "fastlint.sarif").read_text(encoding="utf-8"))["runs"][0]["results"] == []
    assert "No findings." in summary


def test_verify_report_adds_the_before_after_image_table(legacy, tmp_path):
    report = {"services": [{
        "service": SERVICE, "dockerfile": f"services/{SERVICE}/Dockerfile",
        "image": f"fastlint-verify/{SERVICE}:abc123", "size_bytes": 118_000_000, "layers": 9,
        "wasted_bytes": 1_000_000, "build_seconds": 41.0, "rebuild_seconds": 6.0, "seconds_to_healthy": 3.0,
        "user": "nodejs", "uid": 1001, "exposed_ports": ["50052/tcp"], "healthcheck": ["CMD", "grpc_health_probe"],
        "healthy": True, "dev_dependencies_found": [], "passed": True, "failures": [],
        "baseline": {"dockerfile": f"services/{SERVICE}/Dockerfile.backup", "size_bytes": 412_000_000, "layers": 18,
                     "wasted_bytes": 30_000_000, "build_seconds": 102.0, "rebuild_seconds": 98.0,
                     "seconds_to_healthy": None, "healthy": False, "uid": 1000, "dev_dependencies_found": ["jest"]},
        "change": {"size_pct": -71.4, "layers_pct": -50.0, "build_pct": -59.8, "rebuild_pct": -93.9},
    }]}
    (legacy / "verify.json").write_text(json.dumps(report), encoding="utf-8")
    proc, summary, _ = run_step(legacy, tmp_path, paths="services", verify_report="verify.json")
    assert proc.returncode == 1, proc.stderr
    assert "| Rule | Level | Count | Message |" in summary  # the findings first
    rows = [line for line in summary.splitlines() if line.startswith("| ") and "MB" in line]
    assert [r.split("|")[2].strip() for r in rows] == ["new", "baseline"]
    assert "118MB" in rows[0] and "412MB" in rows[1]
    assert re.search(r"^\| \| change \| -71% \| -50% \|", summary, re.MULTILINE)


def test_summary_rejects_what_is_not_a_report(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "findings"}', encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "fastlint.report.summary", "--findings", str(bad)],
                         capture_output=True, text=True)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.startswith(f"fastlint summary: {bad}: not a `fastlint check --format json` report")
    out = subprocess.run([sys.executable, "-m", "fastlint.report.summary", "--verify", str(tmp_path / "none.json")],
                         capture_output=True, text=True)
    assert out.returncode == 2 and "cannot read" in out.stderr and "Traceback" not in out.stderr


# -- the README's CI examples ---------------------------------------------------------------------------------------
def _readme_section(start: str, end: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split(start, 1)[1].split(end, 1)[0]


def test_readme_ci_examples_use_existing_inputs_and_flags():
    """Every `with:` key given to the action exists in action.yml; every flag of every `fastlint check` command in
    the pre-commit, CI and adoption sections is one that `fastlint check` accepts."""
    from fastlint.cli.check import CHECK

    import textwrap

    from ruamel.yaml import YAML

    text = _readme_section("## pre-commit\n", "## Coming from hadolint\n")
    inputs = set(_action()["inputs"])
    used: list[set] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if str(node.get("uses", "")).startswith("fastlint/fastlint@"):
                used.append(set(node.get("with") or {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for block in re.findall(r"```yaml\n(.*?)```", text, re.DOTALL):
        walk(YAML(typ="safe").load(textwrap.dedent(block)))
    assert len(used) >= 2 and {"paths", "fail-on", "baseline", "verify-report"} <= set().union(*used)
    for keys in used:
        assert keys <= inputs, f"README gives the action inputs it does not have: {keys - inputs}"
    flags = set(CHECK.by_flag)
    commands = re.findall(r"fastlint check ([^\n`#]*)", text)
    commands += [args.replace(",", " ") for args in re.findall(r"args: \[(--[^\]]*)\]", text)]  # the hook's args
    commands += re.findall(r"`(--format [^`]*)`", text)
    assert len(commands) >= 6
    for command in commands:
        for flag in re.findall(r"(?<!\S)(--?[a-z][\w-]*)", command):
            assert flag in flags, f"README: `fastlint check {command.strip()}` uses {flag}, which does not exist"
    hooks = re.findall(r"- id: ([\w-]+)", text)
    manifest = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert hooks and all(f"- id: {h}\n" in manifest for h in hooks)
