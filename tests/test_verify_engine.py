"""Engine tests: the template and the verifier against a real Docker engine with the stand-in base images.

Every test here needs the engine (marker `docker`): under CI=true a missing engine fails them, never skips.
They share one engine session (fixtures from tests/standins/conftest_engine.py, defined once here), build real
images of fixture services, and end by checking that nothing was left behind. Every build, wait and request is
bounded by a timeout.
"""

from __future__ import annotations

import json
import sys
import urllib.request
import uuid
from pathlib import Path

import pytest
from cli_runner import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent / "standins"))

from standins.conftest_engine import (  # noqa: E402,F401  (fixtures used by name)
    census, docker_client, engine_census, local_registry, package_store, remove_images, standin_build_args,
    standin_images,
)
from standins.migrate import migrated_copy  # noqa: E402

import build as standins_build  # noqa: E402  (tests/standins/build.py: where the cache folder is)

from fastlint.cli import main as fastlint_main  # noqa: E402
from fastlint.verifier.report import to_json, to_text  # noqa: E402

pytestmark = [pytest.mark.docker, pytest.mark.slow]

SERVICES = Path(__file__).resolve().parent.parent / "fixtures" / "services"
CACHE = standins_build.CACHE.parent  # .ci-cache, or FASTLINT_CACHE_DIR
# Verified legacy (the fixture's Dockerfile, kept as Dockerfile.backup by the fix) against migrated (`fastlint fix`):
# name -> (port, the health check the migration writes, what the legacy file does after a source change).
VERIFIED = {
    "fast-validation-service": (50052, ["CMD", "grpc_health_probe", "-addr=localhost:50052",
                                        "-service=gpp.g3.validation.ValidationService"], "npm ci"),
    "fast-requesthandler-service": (50051, ["CMD", "grpc_health_probe", "-addr=localhost:50051",
                                            "-service=gpp.g3.requesthandler.MessageHandler"], "npm install"),
    # The orchestrator's legacy file already copies its manifest and installs before the sources (fixtures/README),
    # so its rebuild does not reinstall either; its legacy health check probes port 3000, where nothing listens.
    "fast-orchestrator-service": (3004, ["CMD", "curl", "-f", "http://localhost:3004/health"], None),
}


def cli():
    """The console script's entry point (verify and build are its commands)."""
    return fastlint_main


def build_arg_options(args: dict[str, str]) -> list[str]:
    out = []
    for k, v in args.items():
        out += ["--build-arg", f"{k}={v}"]
    return out


@pytest.fixture(scope="module")
def verified(standin_build_args, engine_census, tmp_path_factory):
    """`fastlint verify` (the CLI, JSON and a Markdown report) on migrated copies of the VERIFIED services, in one
    run. The report is also written to .ci-cache/verify-report.{json,txt} for the CI log's reader."""
    root = tmp_path_factory.mktemp("verify")
    dirs = [migrated_copy(SERVICES / name, root / name) for name in VERIFIED]
    report_md = root / "verify.md"
    result = CliRunner().invoke(cli(), ["verify", *map(str, dirs), "--format", "json", "--report", str(report_md),
                                        "--timeout", "600", "--health-interval", "1", "--rebuilds", "3",
                                        *build_arg_options(standin_build_args)])
    report = json.loads(result.stdout) if result.stdout.strip().startswith("{") else None
    if report is not None:
        CACHE.mkdir(exist_ok=True)
        (CACHE / "verify-report.json").write_text(to_json(report))
        (CACHE / "verify-report.txt").write_text(to_text(report))
        print("\n" + to_text(report))
    return {"dirs": dict(zip(VERIFIED, dirs)), "result": result, "report": report, "markdown": report_md}


def test_verify_passes_every_migrated_service(verified):
    result = verified["result"]
    assert result.exit_code == 0, result.output
    services = verified["report"]["services"]
    assert [s["service"] for s in services] == list(VERIFIED)
    assert all(s["passed"] and s["failures"] == [] for s in services), [s["failures"] for s in services]
    assert "cleanup_problems" not in verified["report"]


@pytest.mark.parametrize("name", list(VERIFIED))
def test_migrated_image_against_its_legacy_image(verified, name):
    """What the standard promises for a migrated service, against its own legacy build, with real figures."""
    assert verified["report"] is not None, verified["result"].output
    s = next(s for s in verified["report"]["services"] if s["service"] == name)
    b = s["baseline"]
    port, healthcheck, legacy_reinstall = VERIFIED[name]
    folder = verified["dirs"][name]
    assert s["dockerfile"] == str(folder / "Dockerfile")
    assert b is not None and b["dockerfile"] == str(folder / "Dockerfile.backup")
    assert b["build_error"] is None and s["build_error"] is None
    # The image: non-root, healthy by its own health check, within the budgets and far smaller than the legacy one.
    assert s["uid"] == 1001 and s["user"] == "nodejs"
    assert s["exposed_ports"] == [f"{port}/tcp"] and s["healthcheck"] == healthcheck
    assert s["healthy"] is True and s["seconds_to_healthy"] is not None
    assert s["budgets"] == {"max_size_mb": 200.0, "max_layers": 12}  # the built-in policy's
    assert s["layers"] <= 12
    assert s["size_bytes"] <= 0.30 * b["size_bytes"], (s["size_bytes"], b["size_bytes"])
    assert set(s["change"]) >= {"size_pct", "layers_pct", "build_pct", "rebuild_pct"}
    assert s["change"]["size_pct"] <= -70
    assert s["dev_dependencies_found"] == [] and "typescript" in b["dev_dependencies_found"]
    assert s["wasted_bytes"] is not None and b["wasted_bytes"] is not None
    # After a source-only change the migrated file reruns the source copy, the build and the copy of its output,
    # nothing else: no install, no prune, node_modules' layer stays cached. (The seconds are reported, not
    # asserted: timings on a shared 2-core machine are noisy; scripts/engine/rebuild-benchmark.py measures them.)
    workdir = "/app" if name != "fast-requesthandler-service" else "/usr/src/app"
    assert s["changed_file"] == "src/index.ts"
    assert s["rebuild_reran_steps"] == ["COPY . .", "RUN npm run build",
                                        f"COPY --from=builder --chown=nodejs:nodejs {workdir}/dist ./dist"]
    # --rebuilds 3: three changes, three rebuilds each, the figure is their median
    for f in (s, b):
        assert len(f["rebuild_samples"]) == 3 and f["rebuild_seconds"] == sorted(f["rebuild_samples"])[1]
    reinstalled = [step for step in b["rebuild_reran_steps"] if "npm ci" in step or "npm install" in step]
    if legacy_reinstall:
        assert reinstalled and legacy_reinstall in reinstalled[0]
    else:
        assert reinstalled == []
    # The legacy images, as the fixtures describe them.
    if name == "fast-orchestrator-service":
        assert b["healthy"] is False and b["uid"] == 0  # probes port 3000; the service listens on 3004
    else:
        assert b["healthcheck"] is None and b["healthy"] is None


def test_verify_markdown_report(verified):
    text = verified["markdown"].read_text()
    for name in VERIFIED:
        assert f"`{name}` ✅" in text
    assert "**3 of 3 services pass**" in text and "| baseline | 1" in text


def test_verify_fails_a_root_image_without_healthcheck(docker_client, engine_census, tmp_path):
    (tmp_path / "Dockerfile").write_text('FROM alpine:3.19\nCMD ["sleep", "30"]\n')
    result = CliRunner().invoke(cli(), ["verify", str(tmp_path), "--max-layers", "1", "--timeout", "120"])
    assert result.exit_code == 1, result.output
    assert "the container runs as root (uid 0)" in result.stdout
    assert "the image has no HEALTHCHECK" in result.stdout
    assert "0 passed, 1 failed" in result.stdout


def test_verify_missing_base_image_is_an_engine_error(docker_client, engine_census, tmp_path):
    (tmp_path / "Dockerfile").write_text("ARG V=99\nFROM node:${V}-nonexistent AS x\nFROM x\n")
    result = CliRunner().invoke(cli(), ["verify", str(tmp_path)])
    assert result.exit_code == 2
    assert "node:99-nonexistent" in result.stderr and "never pulls" in result.stderr


def test_verify_build_failure_is_a_failed_check(docker_client, standin_build_args, engine_census, tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.19\nRUN apk add --no-cache no-such-package\n")
    result = CliRunner().invoke(cli(), ["verify", str(tmp_path), "--format", "json", "--timeout", "120",
                                        *build_arg_options(standin_build_args)])
    assert result.exit_code == 1
    (s,) = json.loads(result.stdout)["services"]
    assert s["passed"] is False and s["failures"][0].startswith("build failed")
    assert "no-such-package (no such package)" in s["build_error"]


def test_build_parallel_push_to_local_registry(docker_client, standin_build_args, local_registry, engine_census,
                                               tmp_path):
    """`fastlint build --parallel 2 --registry ... --push` of every fixture service (migrated copies, so that the
    test builds the small images), and the registry serves each manifest."""
    root = tmp_path / "services"
    root.mkdir()
    names = sorted(p.name for p in SERVICES.iterdir() if (p / "Dockerfile").is_file())
    assert len(names) == 10
    for name in names:
        migrated_copy(SERVICES / name, root / name)
    tag = "t" + uuid.uuid4().hex[:8]
    result = CliRunner().invoke(cli(), ["build", "--root", str(root), "--parallel", "2", "--registry", local_registry,
                                        "--push", "--tag", tag, "--timeout", "900", "--format", "json",
                                        *build_arg_options(standin_build_args)])
    try:
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        assert sorted(r["service"] for r in report["services"]) == names
        for r in report["services"]:
            assert r["ok"] and r["pushed"] and r["layers"] <= 12, r
            assert r["image"] == f"{local_registry}/{r['service']}:{tag}"
            # Read the manifest back from the registry's HTTP API.
            request = urllib.request.Request(
                f"http://{local_registry}/v2/{r['service']}/manifests/{tag}",
                headers={"Accept": "application/vnd.docker.distribution.manifest.v2+json"})
            with urllib.request.urlopen(request, timeout=30) as response:
                manifest = json.load(response)
                digest = response.headers["Docker-Content-Digest"]
            assert manifest["mediaType"] == "application/vnd.docker.distribution.manifest.v2+json"
            assert len(manifest["layers"]) == r["layers"]
            assert digest.startswith("sha256:")
            local = docker_client.images.get(r["image"]).attrs["RepoDigests"]
            assert f"{local_registry}/{r['service']}@{digest}" in local
        with urllib.request.urlopen(f"http://{local_registry}/v2/_catalog", timeout=30) as response:
            assert sorted(json.load(response)["repositories"]) == names
    finally:
        for name in names:
            remove_images(docker_client, [f"{local_registry}/{name}:{tag}"])
        if result.exit_code in (0, 1) and result.stdout.strip().startswith("{"):
            remove_images(docker_client, json.loads(result.stdout)["created_images"])


def test_zz_nothing_left_behind(docker_client, engine_census):
    """Runs last in this module: every container and image the tests above made is gone."""
    containers_before, images_before = engine_census
    containers_now, images_now = census(docker_client)
    assert containers_now - containers_before == set()
    leftover = images_now - images_before
    assert leftover == set(), [docker_client.images.get(i).attrs.get("RepoTags") for i in leftover]
