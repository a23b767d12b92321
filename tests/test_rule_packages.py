"""Rule packages as a user meets them: the example package (examples/fastlint-acme-rules) installed with pip into
a folder of its own (its dist-info on the path, so fastlint finds it through importlib.metadata's entry points,
as in any environment), then fastlint's commands in new processes: check, fix, rules, rule, pragmas, levels,
baselines, every output format, SARIF's tool extension, test-rules (passing, and failing with a diff), the pytest
plugin, loading only what is selected, and packages that are broken or clash."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT, SARIF_SCHEMA

EXAMPLE = ROOT / "examples" / "fastlint-acme-rules"

DOCKERFILE = """\
FROM node:latest AS build
# fastlint: ignore=ACME003
RUN npm install
RUN npm i
FROM gcr.io/distroless/nodejs20-debian12:nonroot
COPY --from=build /app /app
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The example package, installed by pip (no network: hatchling comes from the test extras)."""
    target = tmp_path_factory.mktemp("site")
    r = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                        "--no-index", "--target", str(target), str(EXAMPLE)], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    assert list(target.glob("fastlint_acme_rules-*.dist-info/entry_points.txt"))
    return target


@pytest.fixture(autouse=True)
def cache(tmp_path_factory, monkeypatch) -> Path:
    """A cache folder of the test's own (the index of entry points is kept there)."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("FASTLINT_CACHE_DIR", str(folder))
    return folder


def run(args, cwd, *paths: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    """A new fastlint process with ``paths`` (installed packages) on its path."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(p) for p in paths), "FASTLINT_JOBS": "1",
           "FASTLINT_NO_CACHE": "1"}
    env.pop("NO_COLOR", None)
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300,
                          input=stdin)


def fastlint(args, cwd, *paths: Path) -> subprocess.CompletedProcess:
    return run(["-m", "fastlint", *args], cwd, *paths)


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    (tmp_path / "fastlint.yaml").write_text("rules:\n  select: [ALL]\n  ignore: [FL, DL, SC]\n")
    return tmp_path


def codes(r) -> list[tuple[str, int, str]]:
    return sorted((f["code"], f["line"], f["level"]) for f in json.loads(r.stdout))


def test_the_entry_point_is_what_importlib_metadata_finds(site, tmp_path):
    r = run(["-c", "from importlib.metadata import entry_points\n"
             "print([(e.name, e.value, e.dist.name) for e in entry_points(group='fastlint.rules')])"], tmp_path, site)
    assert r.stdout.strip() == "[('ACME', 'fastlint_acme_rules', 'fastlint-acme-rules')]"


def test_check_runs_the_package_rules_with_pragmas_and_levels(site, project):
    r = fastlint(["check", "--format", "json", "."], project, site)
    assert r.returncode == 1, r.stderr
    assert codes(r) == [("ACME001", 1, "error"), ("ACME001", 5, "error"), ("ACME002", 5, "warning"),
                        ("ACME003", 4, "error"), ("ACME004", 1, "warning")]  # line 3: the pragma
    (project / "fastlint.yaml").write_text("rules:\n  ignore: [FL, DL, SC, ACME001]\n"
                                           "  severity: {ACME004: error, ACME002: off}\n")
    r = fastlint(["check", "--format", "json", "."], project, site)
    assert codes(r) == [("ACME003", 4, "error"), ("ACME004", 1, "error")]
    r = fastlint(["check", "--format", "json", "--select", "ACME00", "--ignore", "ACME003", "."], project, site)
    assert codes(r) == [("ACME004", 1, "error")]


def test_fix_applies_the_package_fixes(site, project):
    r = fastlint(["fix", "--select", "ACME", "Dockerfile"], project, site)
    assert r.returncode == 1 and "2 fixable with --unsafe-fixes" in r.stdout  # both fixes are unsafe
    assert (project / "Dockerfile").read_text() == DOCKERFILE
    r = fastlint(["fix", "--unsafe-fixes", "--select", "ACME", "Dockerfile"], project, site)
    assert "fixed ACME001" in r.stdout and "fixed ACME003" in r.stdout, r.stdout + r.stderr
    assert (project / "Dockerfile").read_text() == DOCKERFILE.replace(
        "FROM node:latest", "FROM registry.acme.io/dockerhub/library/node:latest").replace(
        "RUN npm i\n", "RUN npm ci\n")
    r = fastlint(["check", "--format", "json", "--select", "ACME", "."], project, site)
    assert codes(r) == [("ACME001", 5, "error"), ("ACME002", 5, "warning"), ("ACME004", 1, "warning")]


def test_a_baseline_records_package_findings(site, project):
    assert fastlint(["check", "--write-baseline", "base.json", "."], project, site).returncode == 1
    recorded = {e["code"] for e in json.loads((project / "base.json").read_text())["findings"]}
    assert {"ACME001", "ACME002", "ACME003", "ACME004"} <= recorded
    r = fastlint(["check", "--baseline", "base.json", "."], project, site)
    assert r.returncode == 0, r.stdout
    with (project / "Dockerfile").open("a") as f:
        f.write("RUN npm install left-pad\n")
    r = fastlint(["check", "--format", "json", "--baseline", "base.json", "."], project, site)
    assert codes(r) == [("ACME003", 7, "error")]


def test_sarif_names_the_package_as_a_tool_extension(site, project):
    r = fastlint(["check", "--format", "sarif", "."], project, site)
    doc = json.loads(r.stdout)
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(doc)
    tool = doc["runs"][0]["tool"]
    assert not [rule for rule in tool["driver"]["rules"] if rule["id"].startswith("ACME")]
    [ext] = tool["extensions"]
    assert (ext["name"], ext["version"]) == ("fastlint-acme-rules", "0.1.0")
    assert ext["informationUri"] == "https://git.acme.example/platform/fastlint-acme-rules"
    ids = [rule["id"] for rule in ext["rules"]]
    assert ids == ["ACME001", "ACME002", "ACME003", "ACME004"]
    page = (EXAMPLE / "src" / "fastlint_acme_rules" / "catalogue" / "ACME003.md").read_text()
    acme003 = ext["rules"][2]
    assert acme003["help"]["markdown"].strip() == page.split("\n## Cases")[0].strip()
    assert acme003["properties"]["fixSafety"] == "unsafe"
    results = [res for res in doc["runs"][0]["results"] if res["ruleId"].startswith("ACME")]
    assert len(results) == 5
    for res in results:
        assert "ruleIndex" not in res
        assert res["rule"]["toolComponent"] == {"index": 0}
        assert ids[res["rule"]["index"]] == res["ruleId"] == res["rule"]["id"]
    assert any(res.get("fixes") for res in results if res["ruleId"] == "ACME003")


@pytest.mark.parametrize("fmt", ["text", "github", "junit", "checkstyle", "gitlab"])
def test_every_format_reports_package_rules(site, project, fmt):
    r = fastlint(["check", "--format", fmt, "."], project, site)
    assert r.returncode == 1
    for code in ("ACME001", "ACME002", "ACME003", "ACME004"):
        assert code in r.stdout, (fmt, code)


def test_rules_and_rule_name_the_package(site, tmp_path):
    r = fastlint(["rules", "--format", "json"], tmp_path, site)
    rows = {row["code"]: row for row in json.loads(r.stdout)}
    assert rows["ACME003"] == {"code": "ACME003", "level": "error", "message": "Use `npm ci`, never `npm install`",
                               "fixable": True, "fix": "unsafe", "source": "fastlint-acme-rules 0.1.0"}
    assert rows["DL3006"]["source"] == "fastlint"
    text = fastlint(["rules"], tmp_path, site).stdout
    assert any(line.split() == ["ACME002", "warning", "The", "image", "has", "no", "`team`", "label",
                                "[fastlint-acme-rules", "0.1.0]"] for line in text.splitlines())
    r = fastlint(["rule", "acme003"], tmp_path, site)
    assert r.returncode == 0
    assert r.stdout.startswith("# ACME003: Use `npm ci`, never `npm install`\n\n"
                               "Level: error · Fix: unsafe · From: fastlint-acme-rules 0.1.0\n")
    assert "## Why is this bad?" in r.stdout and "## Cases" not in r.stdout


def test_test_rules_passes_on_the_example(site, tmp_path):
    r = fastlint(["test-rules", "fastlint-acme-rules"], tmp_path, site)
    assert r.returncode == 0, r.stdout + r.stderr
    pages = sorted((EXAMPLE / "src" / "fastlint_acme_rules" / "catalogue").glob("*.md"))
    cases = sum(p.read_text().count("\n### ") for p in pages)
    assert r.stdout.splitlines()[0] == f"fastlint-acme-rules 0.1.0 (ACME): {len(pages)} pages, {cases} cases"
    assert r.stdout.splitlines()[-1] == f"{len(pages) + cases} checks passed."
    assert fastlint(["test-rules", "ACME"], tmp_path, site).returncode == 0  # by its prefix too


def test_test_rules_fails_with_a_readable_diff(site, tmp_path):
    pages = tmp_path / "pages"
    shutil.copytree(EXAMPLE / "src" / "fastlint_acme_rules" / "catalogue", pages)
    page = pages / "ACME003.md"
    text = page.read_text()
    broken = text.replace("```fixed\nFROM registry.acme.io/base/node:20\nCOPY package.json package-lock.json ./\n"
                          "RUN npm ci\n", "```fixed\nFROM registry.acme.io/base/node:20\n"
                          "COPY package.json package-lock.json ./\nRUN npm ci --ignore-scripts\n", 1)
    broken = broken.replace("### pass: npm ci\n```dockerfile\nFROM registry.acme.io/base/node:20\n"
                            "RUN npm ci --omit=dev\n", "### pass: npm ci\n```dockerfile\n"
                            "FROM registry.acme.io/base/node:20\nRUN npm ci --omit=dev && npm install\n", 1)
    assert broken.count("--ignore-scripts") == 1 and "&& npm install" in broken
    page.write_text(broken)
    r = fastlint(["test-rules", str(pages)], tmp_path, site)
    assert r.returncode == 1
    out = r.stdout
    assert "ACME003  FAILED  case 1 (fail: npm install (line 3))" in out
    assert "`fastlint fix --select ACME003 --unsafe-fixes` makes another text of the case:" in out
    assert "--- the case's fixed block" in out and "+++ fastlint fix --select ACME003 --unsafe-fixes" in out
    assert "-RUN npm ci --ignore-scripts" in out and "+RUN npm ci\n" in out + "\n"
    assert "ACME003  FAILED  case 4 (pass: npm ci)" in out
    assert "ACME003 should not fire and does:\n               line 2:" in out
    assert out.splitlines()[-1].endswith(", 2 failed.")


def test_the_pytest_plugin_runs_the_cases(site, tmp_path):
    r = run(["-m", "pytest", "-p", "no:cacheprovider", "-q", "--fastlint-rules", "fastlint-acme-rules"],
            tmp_path, site)
    pages = sorted((EXAMPLE / "src" / "fastlint_acme_rules" / "catalogue").glob("*.md"))
    cases = sum(p.read_text().count("\n### ") for p in pages)
    assert r.returncode == 0, r.stdout
    assert f"{len(pages) + cases} passed" in r.stdout
    broken = tmp_path / "pages"
    shutil.copytree(EXAMPLE / "src" / "fastlint_acme_rules" / "catalogue", broken)
    (broken / "ACME004.md").write_text((broken / "ACME004.md").read_text().replace(
        "### pass: scratch and an earlier stage", "### fail: scratch and an earlier stage (line 2)"))
    r = run(["-m", "pytest", "-p", "no:cacheprovider", "-q", "--fastlint-rules", str(broken), "-k", "ACME004"],
            tmp_path, site)
    assert r.returncode == 1
    assert "ACME004::case 4 (fail: scratch and an earlier stage (line 2))" in r.stdout
    assert "ACME004 should fire and does not." in r.stdout
    # opt-in: without the option, nothing of the plugin's is collected
    r = run(["-m", "pytest", "-p", "no:cacheprovider", "-q"], tmp_path, site)
    assert r.returncode == 5, r.stdout  # no tests collected


PROBE = """
import sys
from fastlint.cli.check import main
code = main(sys.argv[1:])
print(code, 'fastlint_acme_rules' in sys.modules, 'importlib.metadata' in sys.modules, file=sys.stderr)
"""


@pytest.mark.parametrize(("args", "config", "imported"), [
    (["--select", "DL3007"], "", False),
    (["--ignore", "ACME"], "", False),
    ([], "rules:\n  ignore: [ACME]\n", False),
    (["--select", "DL3007,ACME004"], "", True),
    ([], "", True),
])
def test_a_package_is_imported_only_when_its_rules_may_run(site, project, args, config, imported):
    (project / "fastlint.yaml").write_text(config)
    r = run(["-c", PROBE, *args, "Dockerfile"], project, site)
    assert r.stderr.split()[-2] == str(imported), r.stderr


def test_with_no_package_installed_importlib_metadata_is_not_even_imported(project, cache):
    for _ in range(2):  # the first look at the dist-infos, then the index it wrote
        r = run(["-c", PROBE, "Dockerfile"], project)
        assert r.stderr.split()[-2:] == ["False", "False"], r.stderr
    [index] = cache.glob("entry-points-*")
    assert index.read_text().endswith("\n--\n")  # nothing found


def test_the_index_of_entry_points_follows_installs(site, project, cache, tmp_path):
    """The index saves importlib.metadata's 30 ms while the folders on the path are unchanged; installing a
    distribution into one of them changes it, and the next run reads the entry points again."""
    extra = tmp_path / "extra"
    extra.mkdir()
    for _ in range(2):
        r = run(["-c", PROBE, "--select", "ACME,BAD", "Dockerfile"], project, site, extra)
    assert r.stderr.split()[-2:] == ["True", "False"], r.stderr  # the package imported, importlib.metadata not
    fake_package(extra, "bad-rules", "BAD", "bad_rules", "import no_such_module\n")
    r = run(["-c", PROBE, "--select", "ACME,BAD", "Dockerfile"], project, site, extra)
    assert "rule package bad-rules 1.0 (BAD) not loaded" in r.stderr
    assert r.stderr.split()[-2:] == ["True", "True"], r.stderr


def fake_package(root: Path, dist: str, prefix: str, module: str, source: str) -> Path:
    """A distribution as pip leaves it (a dist-info with METADATA and entry_points.txt), written by hand."""
    (root / f"{dist.replace('-', '_')}-1.0.dist-info").mkdir(parents=True)
    info = root / f"{dist.replace('-', '_')}-1.0.dist-info"
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[fastlint.rules]\n{prefix} = {module}\n")
    (root / f"{module}.py").write_text(source)
    return root


def test_a_broken_package_is_one_line_of_warning(site, project, tmp_path):
    broken = fake_package(tmp_path / "broken", "bad-rules", "BAD", "bad_rules", "import no_such_module\n")
    r = fastlint(["check", "--format", "json", "Dockerfile"], project, site, broken)
    warnings = [line for line in r.stderr.splitlines() if "warning" in line]
    assert warnings == ["fastlint: warning: rule package bad-rules 1.0 (BAD) not loaded: importing bad_rules failed: "
                        "ModuleNotFoundError: No module named 'no_such_module'"]
    assert r.returncode == 1 and {c for c, _, _ in codes(r)} == {"ACME001", "ACME002", "ACME003", "ACME004"}


# a package rule that raises on RUN instructions
OOPS_SOURCE = ("from fastlint.engine.rule import InstructionRule\n"
               "class OOPS001(InstructionRule):\n"
               "    code, level, message = 'OOPS001', 'warning', 'Never says anything'\n"
               "    def check(self, ins):\n"
               "        if ins.keyword == 'RUN':\n"
               "            raise ZeroDivisionError('division by zero')\n"
               "        yield self.hit(ins)\n"
               "RULES = [OOPS001]\n")


def test_a_rule_that_raises_is_one_line_of_warning(site, project, tmp_path):
    oops = fake_package(tmp_path / "oops", "oops-rules", "OOPS", "oops_rules", OOPS_SOURCE)
    r = fastlint(["check", "--format", "json", "Dockerfile"], project, site, oops)
    warnings = [line for line in r.stderr.splitlines() if "warning" in line]
    assert warnings == ["fastlint: warning: rule OOPS001 of oops-rules 1.0 failed on Dockerfile:3 (check): "
                        "ZeroDivisionError: division by zero; its findings there are dropped"]
    found = codes(r)
    assert ("OOPS001", 1, "warning") in found and ("OOPS001", 5, "warning") in found  # before and after
    assert {c for c, _, _ in found} == {"ACME001", "ACME002", "ACME003", "ACME004", "OOPS001"}


@pytest.mark.parametrize(("prefix", "error"), [
    ("ACME", "fastlint: rule packages fastlint-acme-rules 0.1.0 and other-rules 1.0 both declare the prefix ACME; "
             "neither is loaded"),
    ("ACMEX", "fastlint: rule packages fastlint-acme-rules 0.1.0 and other-rules 1.0 declare the prefixes ACME and "
              "ACMEX, which clash; neither is loaded"),
    ("DLX", "fastlint: rule package other-rules 1.0: the prefix DLX clashes with fastlint's DL rules; not loaded"),
])
def test_a_prefix_clash_is_an_error_naming_both(site, project, tmp_path, prefix, error):
    other = fake_package(tmp_path / "other", "other-rules", prefix, "other_rules", "RULES = []\n")
    r = fastlint(["check", "--no-config", "--format", "json", "--select", "ACME,DL3007", "Dockerfile"], project,
                 site, other)
    assert r.returncode == 2
    assert error in r.stderr.splitlines()
    found = {c for c, _, _ in codes(r)}
    assert "DL3007" in found  # the other rules still run
    assert ("ACME004" in found) == (prefix == "DLX")
    r = fastlint(["rules"], project, site, other)
    assert r.returncode == 0 and error in r.stderr.splitlines()


def test_a_data_rule_prefix_may_not_take_a_package_prefix(site, project):
    (project / "fastlint.yaml").write_text("custom_rules:\n  prefix: AC\n  rules: {}\n")
    r = fastlint(["check", "Dockerfile"], project, site)
    assert r.returncode == 2
    assert r.stderr.strip() == (f"fastlint: {project / 'fastlint.yaml'}:2:11: the prefix AC clashes with the prefix "
                                "ACME of the installed rule package fastlint-acme-rules 0.1.0")


def test_a_package_prefix_may_not_clash_with_a_rule_name(monkeypatch, tmp_path):
    """BuildKit's checks are named, not numbered (``SecretsUsedInArgOrEnv``): a package prefix ``SEC`` would make
    ``--select SEC`` select one; the package is not loaded, and the clash is an error."""
    from fastlint.engine import ids, packages, registry
    from fastlint.engine.rule import InstructionRule

    class SecretsUsedInArgOrEnv(InstructionRule):
        code, message = "SecretsUsedInArgOrEnv", "Do not use ARG or ENV instructions for sensitive data"

    fake_package(tmp_path / "site", "sec-rules", "SEC", "sec_rules", "RULES = []\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setattr(ids, "_prefixes", list(ids._prefixes))
    monkeypatch.setattr(ids, "_CODE", ids._CODE)
    monkeypatch.setattr(registry, "_RULES", {**registry.all_rules(), "SecretsUsedInArgOrEnv": SecretsUsedInArgOrEnv})
    registry.forget_packages()
    try:
        assert [p.prefix for p in packages.installed()] == ["SEC"]
        assert registry.installed_packages() == []
        assert packages.errors() == []  # among the packages: none
        assert registry.package_errors() == ["rule package sec-rules 1.0 declares the prefix SEC, which clashes "
                                             "with fastlint's rule SecretsUsedInArgOrEnv; not loaded"]
    finally:
        registry.forget_packages()


def test_each_run_of_a_process_says_what_went_wrong_in_it(monkeypatch, tmp_path, capsys):
    """The library API and the editor server make many runs in one process: a package rule that fails is said in
    every run it fails in (once per rule and run), not only in the first run of the process."""
    from fastlint import api
    from fastlint.engine import ids, registry

    fake_package(tmp_path / "site", "oops-rules", "OOPS", "oops_rules", OOPS_SOURCE)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setattr(ids, "_prefixes", list(ids._prefixes))
    monkeypatch.setattr(ids, "_CODE", ids._CODE)
    monkeypatch.setenv("FASTLINT_JOBS", "1")
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.19\nRUN true\n")
    registry.forget_packages()
    try:
        said = []
        for _ in range(2):
            run = api.check([str(tmp_path / "Dockerfile")], no_config=True, select=("OOPS",))
            assert run.errors == [] and [f.code for r in run.results for f in r.findings] == ["OOPS001"]
            said.append([line for line in capsys.readouterr().err.splitlines() if "OOPS001" in line])
        assert said[0] == said[1] == [f"fastlint: warning: rule OOPS001 of oops-rules 1.0 failed on "
                                      f"{tmp_path / 'Dockerfile'}:2 (check): ZeroDivisionError: division by zero; "
                                      "its findings there are dropped"]
    finally:
        registry.forget_packages()


def test_the_readme_shows_the_example_rule_as_it_is():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    marker = "```python\n# examples/fastlint-acme-rules/src/fastlint_acme_rules/acme003.py\n"
    shown = readme.split(marker, 1)[1].split("```\n", 1)[0]
    module = (EXAMPLE / "src" / "fastlint_acme_rules" / "acme003.py").read_text(encoding="utf-8")
    assert module.endswith(shown)
