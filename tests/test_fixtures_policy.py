"""`fastlint check fixtures/services` on the legacy services: every deliberate violation that
fixtures/README.md lists for the FAST policy is reported by its rule, at its line, on the exact text (the column
and end column are those of the word in the file), with exit code 1; and nothing else of the FAST policy is
reported (no false positives on what the README says is right)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from fastlint.cli.check import main as check_main
from fastlint.engine.config import reset_caches

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ROOT / "fixtures" / "services"

# (file under fixtures/services, code, line, the text the finding covers on that line)
FROM = {  # the FROM line of each legacy Dockerfile: (line, image)
    "fast-requesthandler-service": (3, "node:20"), "fast-orchestrator-service": (1, "node:18"),
    "fast-validation-service": (1, "node:latest"), "fast-enrichment-service": (1, "node:20"),
    "fast-limitcheck-service": (1, "node"), "fast-accounting-service": (1, "node:18"),
    "fast-accountlookup-service": (1, "node:20"), "fast-referencedata-service": (1, "node:latest"),
    "fast-vammediation-service": (1, "node:20"), "fast-mdzmediation-service": (1, "node:18"),
}
NO_HEALTHCHECK = set(FROM) - {"fast-orchestrator-service", "fast-enrichment-service"}
ROOT_USER = set(FROM) - {"fast-validation-service", "fast-vammediation-service", "fast-accounting-service"}
NO_DOCKERIGNORE_OK = set(FROM) - {"fast-limitcheck-service"}


def expected() -> list[tuple[str, str, int, str]]:
    out = []
    for svc, (line, image) in FROM.items():
        df = f"{svc}/Dockerfile"
        stmt = f"FROM {image}"
        out += [(df, "FL101", line, stmt), (df, "FL102", line, image), (df, "FL201", line, image),
                (df, "FL302", line, stmt), (df, "FL602", line, stmt)]
        if svc in NO_HEALTHCHECK:
            out.append((df, "FL501", line, stmt))
        if svc in ROOT_USER:
            out.append((df, "FL301", line, stmt))
        if svc in NO_DOCKERIGNORE_OK:
            out.append((df, "FL404", line, stmt))
    out += [
        # requesthandler
        ("fast-requesthandler-service/Dockerfile", "FL401", 10, "."),
        ("fast-requesthandler-service/Dockerfile", "FL402", 10, "."),
        ("fast-requesthandler-service/Dockerfile", "FL104", 12, "npm install"),
        ("fast-requesthandler-service/Dockerfile", "FL403", 12, "install"),
        # orchestrator
        ("fast-orchestrator-service/Dockerfile", "FL601", 4, "NPM_TOKEN"),
        ("fast-orchestrator-service/Dockerfile", "FL402", 9, "package.json"),
        ("fast-orchestrator-service/Dockerfile", "FL104", 11, "npm install"),
        ("fast-orchestrator-service/Dockerfile", "FL403", 11, "install"),
        ("fast-orchestrator-service/Dockerfile", "FL503", 22, "3000"),
        ("fast-orchestrator-service/Dockerfile", "FL504", 24, "curl"),
        ("fast-orchestrator-service/Dockerfile", "FL503", 24, "3000"),
        # validation
        ("fast-validation-service/Dockerfile", "FL401", 4, "."),
        ("fast-validation-service/Dockerfile", "FL402", 4, "."),
        ("fast-validation-service/Dockerfile", "FL104", 6, "npm ci"),
        ("fast-validation-service/Dockerfile", "FL403", 6, "ci"),
        ("fast-validation-service/Dockerfile", "FL301", 11, "node"),
        # enrichment: the RUN of lines 4-8 has a comment line (5) inside its continuation
        ("fast-enrichment-service/Dockerfile", "FL105", 6, "python3"),
        ("fast-enrichment-service/Dockerfile", "FL105", 7, "make"),
        ("fast-enrichment-service/Dockerfile", "FL105", 8, "g++"),
        ("fast-enrichment-service/Dockerfile", "FL401", 12, "."),
        ("fast-enrichment-service/Dockerfile", "FL402", 12, "."),
        ("fast-enrichment-service/Dockerfile", "FL104", 13, "npm install"),
        ("fast-enrichment-service/Dockerfile", "FL403", 13, "install"),
        ("fast-enrichment-service/Dockerfile", "FL502", 20, "curl"),
        ("fast-enrichment-service/Dockerfile", "FL504", 20, "curl"),
        # limitcheck
        ("fast-limitcheck-service/Dockerfile", "FL401", 5, "."),
        ("fast-limitcheck-service/Dockerfile", "FL402", 5, "."),
        ("fast-limitcheck-service/Dockerfile", "FL104", 6, "npm install"),
        ("fast-limitcheck-service/Dockerfile", "FL403", 6, "install"),
        # accounting: the secret is on line 13 of the ENV that starts on line 10
        ("fast-accounting-service/Dockerfile", "FL601", 13, "DB_PASSWORD"),
        ("fast-accounting-service/Dockerfile", "FL401", 16, "."),
        ("fast-accounting-service/Dockerfile", "FL402", 16, "."),
        ("fast-accounting-service/Dockerfile", "FL104", 17, "npm ci"),
        ("fast-accounting-service/Dockerfile", "FL403", 17, "ci"),
        ("fast-accounting-service/Dockerfile", "FL301", 21, "1000"),
        # accountlookup
        ("fast-accountlookup-service/Dockerfile", "FL401", 6, "."),
        ("fast-accountlookup-service/Dockerfile", "FL104", 8, "npm install"),
        ("fast-accountlookup-service/Dockerfile", "FL403", 8, "install"),
        ("fast-accountlookup-service/Dockerfile", "FL601", 12, "API_KEY"),
        # referencedata: sources copied piecemeal before the install
        ("fast-referencedata-service/Dockerfile", "FL401", 10, "tsconfig.json"),
        ("fast-referencedata-service/Dockerfile", "FL401", 11, "proto"),
        ("fast-referencedata-service/Dockerfile", "FL401", 12, "src"),
        ("fast-referencedata-service/Dockerfile", "FL401", 14, "config"),
        ("fast-referencedata-service/Dockerfile", "FL104", 16, "npm install"),
        ("fast-referencedata-service/Dockerfile", "FL403", 16, "install"),
        # vammediation
        ("fast-vammediation-service/Dockerfile", "FL601", 3, "NPM_TOKEN"),
        ("fast-vammediation-service/Dockerfile", "FL601", 4, "VAM_API_SECRET"),
        ("fast-vammediation-service/Dockerfile", "FL105", 7, "python3"),
        ("fast-vammediation-service/Dockerfile", "FL105", 7, "make"),
        ("fast-vammediation-service/Dockerfile", "FL105", 7, "g++"),
        ("fast-vammediation-service/Dockerfile", "FL401", 11, "."),
        ("fast-vammediation-service/Dockerfile", "FL402", 11, "."),
        ("fast-vammediation-service/Dockerfile", "FL104", 13, "npm install --no-audit --no-fund"),
        ("fast-vammediation-service/Dockerfile", "FL403", 13, "install"),
        ("fast-vammediation-service/Dockerfile", "FL301", 18, "node"),
        # mdzmediation: --include=dev forces devDependencies in despite NODE_ENV=production
        ("fast-mdzmediation-service/Dockerfile", "FL601", 6, "MDZ_CLIENT_SECRET"),
        ("fast-mdzmediation-service/Dockerfile", "FL401", 10, "."),
        ("fast-mdzmediation-service/Dockerfile", "FL402", 10, "."),
        ("fast-mdzmediation-service/Dockerfile", "FL104", 12, "npm install --include=dev"),
        ("fast-mdzmediation-service/Dockerfile", "FL403", 12, "install"),
        # Kubernetes manifests
        ("fast-requesthandler-service/deploy/deployment.yaml", "FL703", 21,
         "gcr.io/gpp-g3/fast-requesthandler-service:latest"),
        ("fast-orchestrator-service/deploy/orchestrator.yaml", "FL701", 39, '"512Mi"'),
        ("fast-validation-service/deploy/deployment.yaml", "FL702", 34, "securityContext"),
        ("fast-accounting-service/deploy/cronjob-eod.yaml", "FL703", 18, "gcr.io/gpp-g3/fast-accounting-service:latest"),
        ("fast-accounting-service/deploy/cronjob-eod.yaml", "FL702", 34, "1000"),
        ("fast-accounting-service/deploy/cronjob-eod.yaml", "FL702", 35, "1000"),
        ("fast-referencedata-service/deploy/deployment.yaml", "FL701", 29, '"256Mi"'),
        ("fast-vammediation-service/deploy/deployment.yaml", "FL702", 41, "1000"),
        ("fast-vammediation-service/deploy/deployment.yaml", "FL702", 42, "1000"),
        ("fast-mdzmediation-service/deploy/deployment.yaml", "FL703", 20, "gcr.io/gpp-g3/fast-mdzmediation-service"),
        # the CI workflow
        (".github/workflows/build.yml", "FL703", 45, "gcr.io/gpp-g3/fast-requesthandler-service:latest"),
    ]
    return out


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """`fastlint check --format json fixtures/services`, run from the repository's root as a user would."""
    import contextlib
    import io
    import os

    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        reset_caches()
        with contextlib.redirect_stdout(out):
            code = check_main(["--format", "json", "fixtures/services"])
    finally:
        os.chdir(cwd)
    return code, json.loads(out.getvalue())


def located(finding) -> tuple[str, str, int, str]:
    """(file under fixtures/services, code, line, the text the finding covers on that line)."""
    path = finding["file"].removeprefix("fixtures/services/")
    text = (SERVICES / path).read_text(encoding="utf-8").splitlines()[finding["line"] - 1]
    end = finding["end_column"] if finding["end_line"] == finding["line"] else len(text) + 1
    return path, finding["code"], finding["line"], text[finding["column"] - 1:end - 1]


def test_exit_code_and_every_family(report):
    code, findings = report
    assert code == 1
    families = {f["code"][:3] for f in findings if f["code"].startswith("FL")}
    assert families == {"FL1", "FL2", "FL3", "FL4", "FL5", "FL6", "FL7"}


def test_every_listed_violation_is_reported_on_its_text(report):
    _, findings = report
    got = Counter(located(f) for f in findings if f["code"].startswith("FL") and f["code"] != "FL202")
    want = Counter(expected())
    missing = want - got
    assert not missing, f"not reported: {sorted(missing)}"


def test_nothing_else_of_the_fast_policy(report):
    _, findings = report
    got = Counter(located(f) for f in findings if f["code"].startswith("FL"))
    extra = got - Counter(expected())
    assert not extra, f"reported but not in fixtures/README.md: {sorted(extra)}"


def test_what_the_readme_says_is_right_is_not_reported(report):
    _, findings = report
    fl = [(f["file"].removeprefix("fixtures/services/"), f["code"]) for f in findings if f["code"].startswith("FL")]
    assert ("fast-limitcheck-service/Dockerfile", "FL404") not in fl  # complete .dockerignore
    assert ("fast-orchestrator-service/Dockerfile", "FL401") not in fl  # manifest copied and installed first
    assert ("fast-accountlookup-service/Dockerfile", "FL402") not in fl  # package.json + lockfile alone
    assert ("fast-referencedata-service/Dockerfile", "FL503") not in fl  # no EXPOSE: nothing to compare
    assert ("fast-accountlookup-service/deploy/deployment.yaml", "FL701") not in fl  # 0.5Gi == 512Mi
    assert ("fast-limitcheck-service/deploy/deployment.yaml", "FL702") not in fl  # pod-level securityContext
    assert not [f for f in findings if f["file"].endswith("build.yml") and f["line"] in (13, 42)]  # runs-on
    assert not [f for f in findings if f["file"].endswith("service.yaml")]  # Services are not workloads
