"""The template rewrite of the ten fixture services' legacy Dockerfiles, through ``fastlint fix``.

Each service folder is copied to a temporary folder (the fixtures are never modified) and fixed. The result must
have no FL finding and no DL finding the legacy file did not have, keep the service's port, start command,
environment (minus secrets), labels and runtime files, and equal the checked-in expected output
(``tests/expected/migrations/<service>.Dockerfile``; ``FASTLINT_UPDATE_EXPECTED=1`` rewrites those files, to be
reviewed in the diff before committing).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from cli_runner import CliRunner

from fastlint.cli import main as app
from fastlint.engine.config import builtin_policy, reset_caches
from fastlint.engine.runner import lint_text
from fastlint.parser import parse
from test_template_policy import PENDING

ROOT = Path(__file__).resolve().parent.parent
SERVICES_DIR = ROOT / "fixtures" / "services"
EXPECTED = ROOT / "tests" / "expected" / "migrations"
SERVICES = sorted(p.name for p in SERVICES_DIR.glob("fast-*") if (p / "Dockerfile").is_file())
UPDATE = os.environ.get("FASTLINT_UPDATE_EXPECTED") == "1"

# The secrets the fixtures' legacy Dockerfiles hold (fixtures/README.md): name -> value (None: no value).
SECRETS = {
    "fast-accounting-service": {"DB_PASSWORD": "Ledg3r!2023"},
    "fast-accountlookup-service": {"API_KEY": "ak_live_7f3c9a12e4b84d0f9b6e"},
    "fast-mdzmediation-service": {"MDZ_CLIENT_SECRET": "Zx9!mdz-client-2023"},
    "fast-orchestrator-service": {"NPM_TOKEN": None},
    "fast-vammediation-service": {"NPM_TOKEN": None, "VAM_API_SECRET": "vam-s3cr3t-4f9a2c"},
}
# Runtime files outside dist/ that a service needs (fixtures/README.md): service -> (source folder, destination).
ASSETS = {
    "fast-orchestrator-service": ("static", "./static"),
    "fast-referencedata-service": ("config", "./config"),
    "fast-limitcheck-service": ("config", "/etc/fast/limitcheck/"),
}


def tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """Every service migrated: name -> (folder, CLI result of the first run, of the second run, the folder's digest
    after the first run)."""
    before = {name: tree_digest(SERVICES_DIR / name) for name in SERVICES}
    root = tmp_path_factory.mktemp("services")
    (root / ".git").mkdir()  # no fastlint.yaml above: the built-in policy
    out = {}
    cwd = os.getcwd()
    try:
        os.chdir(root)
        for name in SERVICES:
            shutil.copytree(SERVICES_DIR / name, root / name)
            reset_caches()
            first = CliRunner().invoke(app, ["fix", name])
            digest = tree_digest(root / name)
            reset_caches()
            second = CliRunner().invoke(app, ["fix", name])
            out[name] = (root / name, first, second, digest)
    finally:
        os.chdir(cwd)
    assert {name: tree_digest(SERVICES_DIR / name) for name in SERVICES} == before, "a fixture was modified"
    return out


def findings(path: Path) -> list:
    reset_caches()
    return lint_text(path.read_text(), str(path), builtin_policy()).findings


def final_stage(text: str):
    df = parse(text)
    return df, df.stages[-1]


def instructions(stage, keyword: str):
    return [i for i in stage.instructions if i.keyword == keyword]


def test_ten_services():
    assert len(SERVICES) == 10


@pytest.mark.parametrize("name", SERVICES)
def test_rewritten_with_a_backup(migrated, name):
    folder, first, _, _ = migrated[name]
    assert first.exit_code in (0, 1), first.stderr
    assert "Traceback" not in first.stderr
    assert f"{name}/Dockerfile: rewritten from the template" in first.stdout
    assert (folder / "Dockerfile.backup").read_bytes() == (SERVICES_DIR / name / "Dockerfile").read_bytes()


@pytest.mark.parametrize("name", SERVICES)
def test_no_fl_finding_and_no_new_dl_finding(migrated, name, tmp_path):
    folder, _, _, _ = migrated[name]
    text = (folder / "Dockerfile").read_text()
    lines = text.splitlines()
    # findings on lines the template itself writes that wait for a template change (tests/test_template_policy.py
    # keeps the list, and fails when the template no longer needs it)
    after = [f for f in findings(folder / "Dockerfile")
             if not (f.code in PENDING and lines[f.line - 1].startswith(PENDING[f.code]))]
    assert [f"{f.line}: {f.code} {f.message}" for f in after if f.code.startswith("FL")] == []
    # the legacy file in its own folder, with no .dockerignore written yet: what it had before
    legacy_dir = tmp_path / name
    shutil.copytree(SERVICES_DIR / name, legacy_dir)
    before = {f.code for f in findings(legacy_dir / "Dockerfile")}
    new = [f"{f.line}: {f.code} {f.message}" for f in after if f.code.startswith("DL") and f.code not in before]
    assert new == []


@pytest.mark.parametrize("name", SERVICES)
def test_matches_the_expected_output(migrated, name):
    folder, _, _, _ = migrated[name]
    result = (folder / "Dockerfile").read_text()
    expected = EXPECTED / f"{name}.Dockerfile"
    if UPDATE:
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(result)
    assert expected.is_file(), f"no expected output {expected} (run with FASTLINT_UPDATE_EXPECTED=1)"
    assert result == expected.read_text()


@pytest.mark.parametrize("name", SERVICES)
def test_a_second_run_changes_nothing(migrated, name):
    folder, _, second, digest = migrated[name]
    assert tree_digest(folder) == digest
    assert second.exit_code in (0, 1) and "Traceback" not in second.stderr
    assert "No fixes applied" in second.stdout
    assert "rewritten" not in second.stdout


@pytest.mark.parametrize("name", SERVICES)
def test_keeps_port_and_health_check(migrated, name):
    folder, _, _, _ = migrated[name]
    port = builtin_policy().services[name].port
    _, stage = final_stage((folder / "Dockerfile").read_text())
    assert [i.value for i in instructions(stage, "EXPOSE")] == [[str(port)]]
    (health,) = instructions(stage, "HEALTHCHECK")
    probe = " ".join(health.value)
    assert f"localhost:{port}" in probe
    kind = builtin_policy().services[name].type
    assert ("grpc_health_probe" in probe) == (kind == "grpc")


def expected_start(name: str) -> list[str]:
    """The legacy CMD in exec form; ``npm start`` / ``npm run start`` stand for package.json's start script."""
    _, stage = final_stage((SERVICES_DIR / name / "Dockerfile").read_text())
    cmd = instructions(stage, "CMD")[-1]
    words = cmd.value if cmd.json else cmd.value[0].split()
    if words in (["npm", "start"], ["npm", "run", "start"]):
        package = json.loads((SERVICES_DIR / name / "package.json").read_text())
        words = package["scripts"]["start"].split()
    return words


@pytest.mark.parametrize("name", SERVICES)
def test_keeps_the_start_command(migrated, name):
    folder, _, _, _ = migrated[name]
    _, stage = final_stage((folder / "Dockerfile").read_text())
    cmd = instructions(stage, "CMD")[-1]
    assert cmd.json and cmd.value == expected_start(name)
    assert instructions(stage, "ENTRYPOINT") == []


def env_pairs(text: str) -> dict[str, str]:
    _, stage = final_stage(text)
    return {p.key: p.value for i in instructions(stage, "ENV") for p in i.pairs}


@pytest.mark.parametrize("name", SERVICES)
def test_keeps_the_environment_but_not_the_secrets(migrated, name):
    folder, first, _, _ = migrated[name]
    result = (folder / "Dockerfile").read_text()
    legacy = env_pairs((SERVICES_DIR / name / "Dockerfile").read_text())
    now = env_pairs(result)
    secrets = SECRETS.get(name, {})
    for key, value in legacy.items():
        if key in secrets:
            continue
        assert now.get(key) == value, f"ENV {key}={value} was not carried over"
    for key, value in secrets.items():
        assert key not in result, f"the secret {key} reached the new Dockerfile"
        if value:
            assert value not in result
            assert value not in (folder / ".dockerignore").read_text()
        assert any(key in line and "secret" in line for line in first.stderr.splitlines()), \
            f"no warning about {key}"
    assert now.get("NODE_ENV") == "production"


@pytest.mark.parametrize("name", SERVICES)
def test_keeps_labels_and_workdir(migrated, name):
    folder, _, _, _ = migrated[name]
    legacy_df, legacy_stage = final_stage((SERVICES_DIR / name / "Dockerfile").read_text())
    df, stage = final_stage((folder / "Dockerfile").read_text())
    labels = {p.key: p.value for i in instructions(stage, "LABEL") for p in i.pairs}
    for i in instructions(legacy_stage, "LABEL"):
        for p in i.pairs:
            assert labels.get(p.key) == p.value
    for i in instructions(legacy_stage, "MAINTAINER"):
        assert labels.get("org.opencontainers.image.authors") == i.value[0]
    legacy_workdir = [i.value[0] for i in instructions(legacy_stage, "WORKDIR")]
    workdirs = {i.value[0] for s in df.stages for i in s.instructions if i.keyword == "WORKDIR"}
    assert workdirs == {legacy_workdir[-1] if legacy_workdir else "/app"}


@pytest.mark.parametrize("name", sorted(ASSETS))
def test_keeps_runtime_files(migrated, name):
    folder, _, _, _ = migrated[name]
    source, dest = ASSETS[name]
    _, stage = final_stage((folder / "Dockerfile").read_text())
    copies = [i for i in instructions(stage, "COPY") if i.flag_value("from") == "builder"]
    assert any(i.value[0].endswith("/" + source) and i.value[-1] == dest for i in copies), \
        [i.value for i in copies]


def test_runtime_os_packages_and_no_build_tools(migrated):
    folder, first, _, _ = migrated["fast-accounting-service"]
    _, stage = final_stage((folder / "Dockerfile").read_text())
    runs = " ".join(i.args_text for i in instructions(stage, "RUN"))
    assert "apk add --no-cache tzdata ca-certificates" in runs
    for name in ("fast-enrichment-service", "fast-vammediation-service"):
        folder, first, _, _ = migrated[name]
        text = (folder / "Dockerfile").read_text()
        for tool in ("python3", "make", "g++", "apt-get"):
            assert tool not in text
        assert "build tools python3, make, g++ dropped from production" in first.stderr


def test_dockerignore_written_or_completed(migrated):
    for name in SERVICES:
        folder, _, _, _ = migrated[name]
        ignore = (folder / ".dockerignore").read_text()
        for entry in ("node_modules", ".git", "dist", ".env"):
            assert entry in ignore.split(), (name, entry)
    # limitcheck's complete .dockerignore is left as it was
    assert (migrated["fast-limitcheck-service"][0] / ".dockerignore").read_bytes() == \
        (SERVICES_DIR / "fast-limitcheck-service" / ".dockerignore").read_bytes()


def test_port_mismatch_is_reported(migrated):
    _, first, _, _ = migrated["fast-orchestrator-service"]
    assert "fast-orchestrator-service/Dockerfile:22: EXPOSE 3000 replaced by the service matrix's port 3004" \
        in first.stderr


def test_diff_shows_the_rewrite_and_writes_nothing(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    shutil.copytree(SERVICES_DIR / "fast-validation-service", tmp_path / "svc-copy" / "fast-validation-service")
    monkeypatch.chdir(tmp_path / "svc-copy")
    before = tree_digest(Path("fast-validation-service"))
    reset_caches()
    r = CliRunner().invoke(app, ["fix", "--diff", "fast-validation-service"])
    assert r.exit_code == 1
    assert "+FROM node:20-alpine AS production\n" in r.stdout
    assert "--- /dev/null\n+++ b/fast-validation-service/.dockerignore\n" in r.stdout
    assert tree_digest(Path("fast-validation-service")) == before


def test_output_writes_the_optimized_file_beside(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    shutil.copytree(SERVICES_DIR / "fast-limitcheck-service", tmp_path / "fast-limitcheck-service")
    monkeypatch.chdir(tmp_path)
    reset_caches()
    r = CliRunner().invoke(app, ["fix", "--output", "Dockerfile.optimized", "fast-limitcheck-service"])
    folder = tmp_path / "fast-limitcheck-service"
    assert r.exit_code in (0, 1) and "Traceback" not in r.stderr, r.stdout + r.stderr
    legacy = SERVICES_DIR / "fast-limitcheck-service" / "Dockerfile"
    assert (folder / "Dockerfile").read_bytes() == legacy.read_bytes()
    assert not (folder / "Dockerfile.backup").exists()
    expected = EXPECTED / "fast-limitcheck-service.Dockerfile"
    assert (folder / "Dockerfile.optimized").read_text() == expected.read_text()


def test_service_not_in_the_matrix_uses_what_the_dockerfile_says(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    svc = tmp_path / "payments-gateway"
    shutil.copytree(SERVICES_DIR / "fast-orchestrator-service", svc)
    monkeypatch.chdir(tmp_path)
    reset_caches()
    r = CliRunner().invoke(app, ["fix", "--select", "FL1", "payments-gateway"])
    assert "rewritten from the template" in r.stdout, r.stderr
    _, stage = final_stage((svc / "Dockerfile").read_text())
    assert [i.value for i in instructions(stage, "EXPOSE")] == [["3000"]]  # the legacy EXPOSE
    assert "curl -f http://localhost:3000/health" in " ".join(instructions(stage, "HEALTHCHECK")[0].value)


def test_unplaced_instructions_are_kept_as_comments(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    svc = tmp_path / "fast-validation-service"
    shutil.copytree(SERVICES_DIR / "fast-validation-service", svc)
    legacy = (svc / "Dockerfile").read_text()
    legacy = legacy.replace("EXPOSE 50052", "# logs go to a volume\nVOLUME /var/log/app\nRUN mkdir -p /var/log/app\n"
                                            "EXPOSE 50052")
    (svc / "Dockerfile").write_text(legacy)
    monkeypatch.chdir(tmp_path)
    reset_caches()
    r = CliRunner().invoke(app, ["fix", "fast-validation-service"])
    text = (svc / "Dockerfile").read_text()
    assert "# fastlint: kept from line 10 of the original" in text
    assert "# # logs go to a volume\n# VOLUME /var/log/app\n" in text
    assert "# RUN mkdir -p /var/log/app\n" in text
    assert "fast-validation-service/Dockerfile:10: VOLUME not placed by the template" in r.stderr
    assert "fast-validation-service/Dockerfile:11: RUN not placed by the template" in r.stderr
    assert parse(text).error is None
