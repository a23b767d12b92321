"""The verifier's and build command's logic that needs no engine: FROM images, wasted bytes, the devDependency
check, the report forms, service selection, tags and platforms. The engine tests are in test_verify_engine.py."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from fastlint.verifier.build import UsageError, build_services, check_platform, select_services
from fastlint.engine.config import reset_caches
from fastlint.verifier.engine import BuildResult, EngineError, base_images
from fastlint.verifier.layers import ImageFiles, LayerEntry, analyse, dev_dependencies_present, read_layer
from fastlint.verifier.report import to_markdown, to_text
from fastlint.verifier.verify import VerifyOptions, _dev_dependencies, budgets_for, change, change_source, judge

F = LayerEntry


def test_base_images_skip_stages_and_scratch_and_resolve_args():
    text = ("ARG NODE=20\nFROM node:${NODE}-alpine AS deps\nFROM deps AS builder\nFROM scratch\n"
            "FROM --platform=linux/amd64 alpine:3.19 AS tools\nFROM \\\n  node:20-alpine\n")
    assert base_images(text) == ["node:20-alpine", "alpine:3.19"]
    assert base_images(text, {"NODE": "18"}) == ["node:18-alpine", "alpine:3.19", "node:20-alpine"]


def test_wasted_bytes_count_every_copy_of_an_overwritten_file_as_dive_does():
    files = analyse([
        [F("app", 0, True), F("app/a.js", 100, False), F("app/b.js", 10, False)],
        [F("app", 0, True), F("app/a.js", 120, False)],  # a.js overwritten: 100 + 120 wasted
    ])
    assert files.wasted_bytes == 220
    assert files.final["app/a.js"] == 120 and files.exists("/app/b.js")


def test_wasted_bytes_of_removed_files_and_folders():
    files = analyse([
        [F("tmp/cache/x", 50, False), F("tmp/cache/y", 25, False), F("big", 1000, False)],
        [F("tmp/cache", 0, False, whiteout=True), F("big", 0, False, whiteout=True)],
    ])
    # The folder's whiteout weighs its files (75); the file's first copy (1000) counts as it appears twice.
    assert files.wasted_bytes == 75 + 1000
    assert not files.exists("big") and not files.exists("tmp/cache/x") and files.exists("tmp")


def test_a_single_layer_wastes_nothing():
    assert analyse([[F("a", 5, False), F("b", 7, False)]]).wasted_bytes == 0


def test_read_layer_understands_whiteouts():
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, data in [("app/x.js", b"12345"), ("app/.wh.old.js", b""), ("cache/.wh..wh..opq", b"")]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    buf.seek(0)
    entries = read_layer(buf)
    assert entries[0] == F("app/x.js", 5, False)
    assert entries[1].whiteout and entries[1].path == "app/old.js"
    assert entries[2].opaque and entries[2].path == "cache"


def test_dev_dependencies_only_those_production_does_not_need(tmp_path):
    (tmp_path / "package.json").write_text(json.dumps(
        {"devDependencies": {"typescript": "^5", "@types/node": "^20"}}))
    assert _dev_dependencies(tmp_path) == ["@types/node", "typescript"]  # no lock: all of them
    (tmp_path / "package-lock.json").write_text(json.dumps({"packages": {
        "node_modules/typescript": {"dev": True}, "node_modules/@types/node": {}}}))
    assert _dev_dependencies(tmp_path) == ["typescript"]  # @types/node is needed by a production package
    files = analyse([[F("app/node_modules/typescript/package.json", 1, False)]])
    assert dev_dependencies_present(files, "/app", ["typescript", "@types/node"]) == ["typescript"]
    assert dev_dependencies_present(ImageFiles(), "/app", ["typescript"]) == []


def test_source_change_touches_one_src_file_of_the_copy(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "index.ts").write_text("export {};\n")
    assert change_source(tmp_path) == "src/index.ts"
    assert "fastlint verify: source change" in (tmp_path / "src" / "index.ts").read_text()
    assert change_source(tmp_path / "src") is None


def _figures(**kw):
    base = {"size_bytes": 150e6, "layers": 10, "wasted_bytes": 0, "build_seconds": 60.0, "rebuild_seconds": 20.0,
            "seconds_to_healthy": 3.0, "healthy": True, "uid": 1001, "dev_dependencies_found": [],
            "healthcheck": ["CMD", "probe"]}
    return {**base, **kw}


def test_budgets_come_from_the_folders_policy_and_the_options_override_them(tmp_path):
    (tmp_path / ".git").mkdir()
    svc = tmp_path / "svc"
    svc.mkdir()
    reset_caches()
    assert budgets_for(svc, VerifyOptions()) == {"max_size_mb": 200.0, "max_layers": 12}  # the standard's
    (tmp_path / "fastlint.yaml").write_text("policy:\n  budgets: {max_size_mb: 150, max_layers: 9}\n")
    reset_caches()
    assert budgets_for(svc, VerifyOptions()) == {"max_size_mb": 150.0, "max_layers": 9}
    assert budgets_for(svc, VerifyOptions(max_layers=20)) == {"max_size_mb": 150.0, "max_layers": 20}
    assert budgets_for(svc, VerifyOptions(max_size_mb=90, max_layers=5)) == {"max_size_mb": 90.0, "max_layers": 5}
    (tmp_path / "fastlint.yaml").write_text("policy:\n  budgets: {max_size_mb: big}\n")
    reset_caches()
    with pytest.raises(EngineError, match=r"fastlint\.yaml:2:\d+: .*max_size_mb"):
        budgets_for(svc, VerifyOptions())
    reset_caches()


def test_judge_uses_the_budgets_it_is_given():
    assert judge(_figures(), {"max_size_mb": 200, "max_layers": 12}) == []
    failures = judge(_figures(), {"max_size_mb": 100, "max_layers": 9})
    assert failures == ["size 150.0 MB is over the budget of 100 MB", "10 layers, over the budget of 9"]
    assert judge(_figures(uid=0, healthy=False, run_status="unhealthy", dev_dependencies_found=["typescript"]),
                 {"max_size_mb": 200, "max_layers": 12}) == [
        "the container runs as root (uid 0)", "not healthy: unhealthy",
        "devDependencies in the image's node_modules: typescript"]


def test_build_log_cached_and_rerun_steps():
    log = ("Step 1/5 : FROM node:20-alpine\n ---> c45aaac31ffa\n"
           "Step 2/5 : WORKDIR /app\n ---> Using cache\n ---> 0123456789ab\n"
           "Step 3/5 : COPY . .\n ---> 89abcdef0123\n"
           "Step 4/5 : RUN npm run build &&     npm prune --omit=dev\n ---> Running in 111111111111\n"
           "Removing intermediate container 111111111111\n ---> 222222222222\n"
           "Step 5/5 : CMD [\"node\"]\n ---> Running in 333333333333\n ---> 444444444444\n"
           "Successfully built 444444444444\n")
    result = BuildResult("sha256:44", 1.0, log=log)
    assert result.cached_images == ["0123456789ab"]
    assert result.reran_steps == ["COPY . .", "RUN npm run build &&     npm prune --omit=dev"]


def test_change_is_percent_from_the_baseline():
    c = change(_figures(), _figures(size_bytes=1000e6, layers=8, build_seconds=40.0, rebuild_seconds=40.0))
    assert c["size_pct"] == -85.0 and c["layers_pct"] == 25.0 and c["build_pct"] == 50.0 and c["rebuild_pct"] == -50.0


def test_text_and_markdown_reports_show_the_build_statistics_and_failures():
    report = {"services": [{"service": "svc", **_figures(), "passed": False, "failures": ["too big"],
                            "baseline": _figures(size_bytes=1000e6), "change": change(_figures(), _figures(size_bytes=1000e6))}]}
    text = to_text(report)
    assert text.startswith("=== Build Statistics ===\nsvc: Size=150MB, Layers=10\n")
    assert "svc FAILED:\n  - too big" in text and "0 passed, 1 failed" in text and "-85%" in text
    md = to_markdown(report)
    assert "`svc` ❌" in md and "- too big" in md


def test_reports_say_when_the_rebuild_is_a_median_of_several():
    one = {"services": [{"service": "svc", **_figures(), "passed": True, "failures": [], "baseline": None,
                         "change": None}]}
    assert "median" not in to_text(one) and "median" not in to_markdown(one)
    several = {"services": [{**one["services"][0], "rebuild_samples": [4.1, 3.9, 4.5], "rebuild_seconds": 4.1}]}
    note = "rebuild: the median of 3 rebuilds, each after a new source change"
    assert note in to_text(several) and note in to_markdown(several)


@pytest.mark.parametrize("value", ["0", "21"])
def test_verify_refuses_a_rebuild_count_out_of_range_before_touching_the_engine(tmp_path, value):
    from cli_runner import CliRunner

    from fastlint.cli import main as app

    result = CliRunner().invoke(app, ["verify", str(tmp_path), "--rebuilds", value])
    assert result.exit_code == 2
    assert f"--rebuilds must be between 1 and 20, not {value}" in result.output


def _services(tmp_path: Path, names: list[str]) -> Path:
    for n in names:
        (tmp_path / n).mkdir()
        (tmp_path / n / "Dockerfile").write_text("FROM alpine:3.19\n")
    (tmp_path / "not-a-service").mkdir()
    (tmp_path / "not-a-service" / "Dockerfile").write_text("FROM alpine:3.19\n")
    return tmp_path


def test_build_selects_matrix_services_and_skips(tmp_path):
    matrix = {"svc-a": {}, "svc-b": {}, "svc-c": {}}
    root = _services(tmp_path, ["svc-a", "svc-b"])
    assert select_services(root, [], matrix, "Dockerfile", []) == ["svc-a", "svc-b"]
    assert select_services(root, [], matrix, "Dockerfile", ["svc-a"]) == ["svc-b"]
    assert select_services(root, ["svc-b"], matrix, "Dockerfile", []) == ["svc-b"]
    with pytest.raises(UsageError, match="no such service folder"):
        select_services(root, ["svc-c"], matrix, "Dockerfile", [])


@pytest.mark.parametrize("kwargs, message", [
    ({"tag": "latest"}, "--tag latest is refused"),
    ({"tag": "v1", "parallel": 0}, "--parallel must be at least 1"),
    ({"tag": "v1", "push": True}, "--push needs --registry"),
])
def test_build_refuses_bad_options_before_touching_the_engine(tmp_path, kwargs, message):
    from fastlint.verifier.build import BuildOptions

    with pytest.raises(UsageError, match=message):
        build_services(_services(tmp_path, ["svc-a"]), [], {"svc-a": {}}, BuildOptions(**kwargs))


class _EngineInfo:
    """Only what check_platform reads: the engine's `docker info` answer for an amd64 Linux engine."""

    def info(self):
        return {"OSType": "linux", "Architecture": "x86_64"}


def test_platform_other_than_the_engines_is_a_clear_error():
    check_platform(_EngineInfo(), "linux/amd64")
    check_platform(_EngineInfo(), None)
    with pytest.raises(UsageError, match="builds only linux/amd64.*cannot build linux/arm64"):
        check_platform(_EngineInfo(), "linux/arm64")
    with pytest.raises(UsageError, match="cannot build linux/amd64, linux/arm64"):
        check_platform(_EngineInfo(), "linux/amd64,linux/arm64")


ENGINE_TEST = """
from standins.conftest_engine import docker_client  # noqa: F401


def test_needs_the_engine(docker_client):
    assert docker_client.ping()
"""


@pytest.mark.parametrize("ci", ["true", ""])
def test_engine_tests_fail_under_ci_and_skip_elsewhere_without_an_engine(tmp_path, ci):
    """With no engine answering, the engine fixtures fail the tests when CI=true (never a silent skip) and skip
    them elsewhere. (FASTLINT_NO_ENGINE_START=1: do not try to start one for this check.)"""
    import os
    import subprocess
    import sys

    tests_dir = Path(__file__).resolve().parent
    (tmp_path / "test_engine_probe.py").write_text(ENGINE_TEST)
    env = {**os.environ, "CI": ci, "FASTLINT_ENGINE_DIR": str(tmp_path / "engine"), "FASTLINT_NO_ENGINE_START": "1",
           "PYTHONPATH": os.pathsep.join([str(tests_dir), str(tests_dir.parent)])}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rfEs",
                             str(tmp_path / "test_engine_probe.py")], capture_output=True, text=True, env=env,
                            cwd=tmp_path, timeout=120)
    if ci:
        assert result.returncode == 1, result.stdout
        assert "CI=true: no Docker engine answers" in result.stdout and "skipped" not in result.stdout
    else:
        assert result.returncode == 0, result.stdout
        assert "1 skipped" in result.stdout and "no Docker engine answers" in result.stdout
