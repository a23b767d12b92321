"""The policy a user configures: every part of a fastlint.yaml overrides the built-in policy (seen through
`fastlint check`), bad keys and values are `fastlint.yaml:LINE:COL` errors with exit code 2, and `fastlint init`
writes a fastlint.yaml that the loader accepts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cli_runner import CliRunner

from fastlint.cli import main as app
from fastlint.cli.check import main as check_main
from fastlint.engine.config import load_config, reset_caches
from fastlint.policy import builtin
from fastlint.policy.init import write_config

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "services"

FOUR_STAGES = """\
FROM node:20-alpine AS dependencies
FROM node:20-alpine AS builder
FROM alpine:3.19 AS runtime-tools
FROM node:20-alpine AS production
"""


def check(tmp_path: Path, dockerfile: str, config: str | None, *args: str, path: str = "Dockerfile", capsys=None):
    """Lay out a project (a fastlint.yaml when ``config`` is given) and run `fastlint check --format json`;
    returns (exit code, findings, stderr)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / ".git").mkdir(exist_ok=True)
    target = tmp_path / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dockerfile, encoding="utf-8")
    if config is not None:
        (tmp_path / "fastlint.yaml").write_text(config, encoding="utf-8")
    reset_caches()
    code = check_main(["--format", "json", *args, str(target)])
    out = capsys.readouterr()
    return code, (json.loads(out.out) if out.out.strip() else []), out.err


def codes(findings) -> set[str]:
    return {f["code"] for f in findings}


# -- every part of fastlint.yaml overrides the built-in policy ----------------------------------------------------
# (config, Dockerfile, its path, --select, code, fires with the built-in policy, fires with the config)
OVERRIDES = {
    "policy.stages": (
        "policy:\n  stages: [deps, build, runtime]\n"
        "  bases: {deps: node:20-alpine, build: node:20-alpine, runtime: node:20-alpine}\n",
        FOUR_STAGES, "Dockerfile", "FL101", "FL101", False, True),
    "policy.bases": (
        "policy:\n  bases:\n    production: \"node:22-alpine\"\n",
        "FROM node:22-alpine AS production\n", "Dockerfile", "FL102", "FL102", True, False),
    "policy.allowed_images": (
        "policy:\n  allowed_images: [\"python:3.12-slim\"]\n",
        "FROM python:3.12-slim AS generator\nFROM node:20-alpine\n", "Dockerfile", "FL201", "FL201", True, False),
    "policy.user": (
        "policy:\n  user: {name: app, uid: 10001, gid: 10001}\n",
        "FROM node:20-alpine\nRUN addgroup -g 10001 -S app && adduser -S -u 10001 -G app app\nUSER app\n",
        "Dockerfile", "FL3", "FL301", True, False),
    "policy.target": (
        "policy:\n  target: production\n",
        FOUR_STAGES + "FROM production AS test\nHEALTHCHECK CMD true\n", "Dockerfile", "FL501", "FL501", False, True),
    "services (a port)": (
        "services:\n  fast-validation-service: {type: grpc, port: 50099}\n",
        "FROM node:20-alpine\nEXPOSE 50052\n", "fast-validation-service/Dockerfile", "FL503", "FL503", False, True),
    "services (a new service)": (
        "services:\n  billing-service: {type: http, port: 8080}\n",
        "FROM node:20-alpine\nHEALTHCHECK CMD [\"grpc_health_probe\", \"-addr=:8080\"]\n",
        "billing-service/Dockerfile", "FL502", "FL502", False, True),
    "rules.ignore": (
        "rules:\n  ignore: [FL5]\n", "FROM node:20-alpine\n", "Dockerfile", "", "FL501", True, False),
    "rules.select": (
        "rules:\n  select: [FL202]\n", "FROM node:20-alpine\n", "Dockerfile", "", "FL202", False, True),
    "rules.severity off": (
        "rules:\n  severity: {FL501: off}\n", "FROM node:20-alpine\n", "Dockerfile", "", "FL501", True, False),
    "rules.allow_pragmas": (
        "rules:\n  allow_pragmas: false\n", "# fastlint: ignore=FL501\nFROM node:20-alpine\n", "Dockerfile", "FL501",
        "FL501", False, True),
    "trusted_registries": (
        "trusted_registries: [gcr.io]\n", "FROM quay.io/org/node:20-alpine\n", "Dockerfile", "DL3026", "DL3026",
        False, True),
    "label_schema": (
        "label_schema: {team: text}\n", "FROM node:20-alpine\n", "Dockerfile", "DL3049", "DL3049", False, True),
    "strict_labels": (
        "label_schema: {team: text}\nstrict_labels: true\n", "FROM node:20-alpine\nLABEL team=a other=b\n",
        "Dockerfile", "DL3050", "DL3050", False, True),
    "shellcheck": (
        "shellcheck: false\n", "FROM node:20-alpine\nRUN echo $FOO\n", "Dockerfile", "", "SC2086", True, False),
}


@pytest.mark.parametrize("part", sorted(OVERRIDES))
def test_each_part_overrides_the_builtin_policy(tmp_path, capsys, part):
    config, dockerfile, path, select, code, builtin_fires, configured_fires = OVERRIDES[part]
    args = ("--select", select) if select else ()
    _, without, _ = check(tmp_path / "builtin", dockerfile, None, *args, path=path, capsys=capsys)
    _, with_config, err = check(tmp_path / "configured", dockerfile, config, *args, path=path, capsys=capsys)
    assert err == ""
    assert (code in codes(without)) == builtin_fires, without
    assert (code in codes(with_config)) == configured_fires, with_config


def test_severity_changes_the_level_and_the_exit_code(tmp_path, capsys):
    config = "rules:\n  severity: {FL501: style}\nfailure_threshold: info\n"
    code, findings, _ = check(tmp_path, "FROM node:20-alpine\n", config, "--select", "FL501", capsys=capsys)
    assert [(f["code"], f["level"]) for f in findings] == [("FL501", "style")]
    assert code == 0  # style is below the policy's failure threshold (info)


def test_budgets_are_read(tmp_path):
    (tmp_path / "fastlint.yaml").write_text("policy:\n  budgets: {max_size_mb: 150, max_layers: 10}\n")
    assert load_config(tmp_path / "fastlint.yaml").budgets == {"max_size_mb": 150, "max_layers": 10}


def test_no_config_ignores_the_file(tmp_path, capsys):
    _, findings, _ = check(tmp_path, "FROM node:20-alpine\n", "rules:\n  ignore: [FL]\n", "--no-config",
                           "--select", "FL501", capsys=capsys)
    assert codes(findings) == {"FL501"}


# -- bad keys and values ------------------------------------------------------------------------------------------
BAD = {
    "unknown top-level key": ("polcy:\n  stages: [a]\n", 1, 1, "unknown key 'polcy'"),
    "unknown policy key": ("policy:\n  stage: [a]\n", 2, 3, "unknown key 'stage'"),
    "target not a stage": ("policy:\n  target: prod\n", 2, 11, "'target' must be one of the stages"),
    "base of an unknown stage": ("policy:\n  bases: {prod: node:20-alpine}\n", 2, 11, "'prod' is not one of"),
    "port not a number": ("services:\n  svc: {type: grpc, port: fifty}\n", 2, 27, "'port' must be an integer"),
    "unknown service type": ("services:\n  svc:\n    type: soap\n    port: 1\n", 3, 11, "'type' must be grpc or http"),
    "memory not a quantity": ("services:\n  svc: {type: http, port: 80, memory: lots}\n", 2, 39,
                              "'memory' must be a Kubernetes quantity"),
    "unknown level": ("rules:\n  severity:\n    DL3008: fatal\n", 3, 13, "level must be one of"),
    "invalid YAML": ("policy:\n  stages: [a, b\n", 3, 1, "invalid YAML"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_configuration_is_a_located_error(tmp_path, capsys, case):
    config, line, col, text = BAD[case]
    code, findings, err = check(tmp_path, "FROM node:20-alpine\n", config, capsys=capsys)
    assert code == 2 and findings == []
    where = f"{tmp_path / 'fastlint.yaml'}:{line}:{col}: "
    assert err.startswith(f"fastlint: {where}"), err
    assert text in err and len(err.strip().splitlines()) == 1, err


def test_bad_explicit_config_is_exit_2(tmp_path, capsys):
    (tmp_path / "custom.yaml").write_text("rules:\n  ignore: 3\n")
    (tmp_path / "Dockerfile").write_text("FROM node:20-alpine\n")
    reset_caches()
    code = check_main(["--config", str(tmp_path / "custom.yaml"), str(tmp_path / "Dockerfile")])
    err = capsys.readouterr().err
    assert code == 2 and f"{tmp_path / 'custom.yaml'}:2:11: 'ignore' must be a list" in err


# -- fastlint init --------------------------------------------------------------------------------------------------
def make_project(root: Path) -> Path:
    """Three services: one of the matrix, a gRPC service with a proto and an EXPOSE, an HTTP service whose port is
    only in its source; and a folder that is not a service."""
    files = {
        "services/fast-validation-service/Dockerfile": "FROM node:20\nEXPOSE 50052\n",
        "services/fast-validation-service/package.json": json.dumps({"dependencies": {"@grpc/grpc-js": "^1"}}),
        "services/ledger/Dockerfile": "FROM node:20-alpine\nEXPOSE 6000/tcp\n",
        "services/ledger/package.json": json.dumps({"dependencies": {"@grpc/grpc-js": "^1"}}),
        "services/ledger/proto/ledger.proto": 'syntax = "proto3";\npackage acme.ledger;\nservice Ledger {}\n',
        "services/web/Dockerfile": "FROM node:20-alpine\n",
        "services/web/package.json": json.dumps({"dependencies": {"@grpc/grpc-js": "^1", "fastify": "^4"}}),
        "services/web/src/config.ts": "export const port = Number(process.env.PORT ?? 8081);\n",
        "docs/package.json": "{}",
        "services/web/node_modules/dep/Dockerfile": "FROM scratch\n",
        "services/web/node_modules/dep/package.json": "{}",
    }
    for name, text in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    (root / ".git").mkdir(exist_ok=True)
    return root


def test_init_writes_a_valid_config_with_the_services(tmp_path):
    root = make_project(tmp_path)
    written = write_config(root)
    assert written == root / "fastlint.yaml"
    text = written.read_text()
    policy = load_config(written)
    assert policy.stages == builtin.STAGES and policy.bases == builtin.BASES and policy.user == builtin.USER
    assert policy.budgets == builtin.BUDGETS
    svc = policy.services
    assert (svc["fast-validation-service"].type, svc["fast-validation-service"].port) == ("grpc", 50052)
    assert svc["fast-validation-service"].health_service == "gpp.g3.validation.ValidationService"
    assert (svc["ledger"].type, svc["ledger"].port, svc["ledger"].memory) == ("grpc", 6000, "512Mi")
    assert svc["ledger"].health_service == "acme.ledger.Ledger"
    assert (svc["web"].type, svc["web"].port, svc["web"].memory) == ("http", 8081, "1024Mi")
    assert "dep" not in svc and "docs" not in svc
    # a comment per service says where its values came from
    assert "# services/ledger: grpc (@grpc/grpc-js), port from the Dockerfile's EXPOSE" in text
    assert "# services/web: http (fastify), port from the source's default" in text


def test_init_config_drives_check(tmp_path, capsys):
    root = make_project(tmp_path)
    write_config(root)
    (root / "services/web/Dockerfile").write_text("FROM node:20-alpine\nEXPOSE 3000\n")
    reset_caches()
    check_main(["--format", "json", "--select", "FL503", str(root / "services/web/Dockerfile")])
    findings = json.loads(capsys.readouterr().out)
    assert [(f["code"], f["line"]) for f in findings] == [("FL503", 2)]
    assert "8081" in findings[0]["message"]


def test_init_refuses_to_overwrite_without_force(tmp_path):
    root = make_project(tmp_path)
    (root / "fastlint.yaml").write_text("# mine\n")
    with pytest.raises(FileExistsError) as err:
        write_config(root)
    assert len(str(err.value).splitlines()) == 1 and "--force" in str(err.value)
    assert (root / "fastlint.yaml").read_text() == "# mine\n"
    write_config(root, force=True)
    assert load_config(root / "fastlint.yaml").services["web"].port == 8081


def test_init_command(tmp_path):
    root = make_project(tmp_path)
    runner = CliRunner()
    r = runner.invoke(app, ["init", str(root)])
    assert r.exit_code == 0 and "fastlint.yaml" in r.stdout
    r = runner.invoke(app, ["init", str(root)])
    assert r.exit_code == 2 and "already exists" in r.stderr


def test_init_on_the_fixtures_finds_the_ten_services(tmp_path):
    copy = tmp_path / "services"
    shutil.copytree(FIXTURES, copy, ignore=shutil.ignore_patterns("node_modules", "dist"))
    policy = load_config(write_config(copy))
    for name, spec in builtin.SERVICES.items():
        s = policy.services[name]
        assert (s.type, s.port, s.memory, s.health_service) == \
            (spec["type"], spec["port"], spec["memory"], spec.get("health_service")), name


def test_init_finds_type_port_and_health_service_from_the_files_of_services_outside_the_matrix(tmp_path):
    """The same ten fixtures under names the matrix does not know: what init writes comes from their files
    (package.json, EXPOSE, the proto's service), not from the matrix. The referencedata fixture has no EXPOSE: its
    port is the default in its source (50057)."""
    root = tmp_path / "services"
    root.mkdir()
    for name in builtin.SERVICES:
        shutil.copytree(FIXTURES / name, root / ("acme-" + name.removeprefix("fast-")),
                        ignore=shutil.ignore_patterns("node_modules", "dist"))
    policy = load_config(write_config(root))
    for name, spec in builtin.SERVICES.items():
        s = policy.services["acme-" + name.removeprefix("fast-")]
        exposed = [int(line.split()[1]) for line in (FIXTURES / name / "Dockerfile").read_text().splitlines()
                   if line.startswith("EXPOSE ")]
        port = exposed[0] if exposed else 50057
        assert (s.type, s.port, s.health_service) == (spec["type"], port, spec.get("health_service")), name


def test_init_takes_a_matrix_services_type_from_the_matrix_even_with_an_http_framework_among_its_dependencies(
        tmp_path):
    root = tmp_path / "services"
    folder = root / "fast-validation-service"
    shutil.copytree(FIXTURES / "fast-validation-service", folder, ignore=shutil.ignore_patterns("node_modules", "dist"))
    package = json.loads((folder / "package.json").read_text())
    package["dependencies"]["express"] = "^4.19.2"  # say, for a metrics endpoint
    (folder / "package.json").write_text(json.dumps(package))
    assert load_config(write_config(root)).services["fast-validation-service"].type == "grpc"
