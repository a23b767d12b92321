"""Engine test: what `fastlint verify` reports, on a real engine, when a build fails with npm's error (the cause
first, not npm's usage text) and when the baseline's base image is not in the engine (the baseline is
unavailable, the new image is still built, run and judged)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "standins"))

from standins.conftest_engine import docker_client, standin_images  # noqa: E402,F401  (fixtures used by name)

from fastlint.verifier.verify import VerifyOptions, verify  # noqa: E402

pytestmark = pytest.mark.docker

HEALTHY = """\
FROM alpine:3.19
RUN mkdir -p /srv && echo ok > /srv/ok
USER 1001
HEALTHCHECK --interval=1s --timeout=2s --start-period=1s CMD test -f /srv/ok
CMD ["sleep", "60"]
"""


def _service(tmp_path: Path, dockerfile: str, backup: str | None = None) -> Path:
    folder = tmp_path / "fastlint-verify-errors-svc"
    folder.mkdir()
    (folder / "Dockerfile").write_text(dockerfile)
    if backup is not None:
        (folder / "Dockerfile.backup").write_text(backup)
    (folder / "package.json").write_text('{"name": "svc", "dependencies": {"ms": "^2.1.0"}}\n')
    return folder


def test_npm_error_comes_first(docker_client, standin_images, tmp_path):  # noqa: F811
    folder = _service(tmp_path, "FROM node:20-alpine\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\n")
    report = verify([folder], VerifyOptions(source_change=False, timeout=300), client=docker_client)
    (s,) = report["services"]
    assert s["passed"] is False
    assert s["build_error_lines"][0] == "npm error code EUSAGE", s["build_error"]
    assert any("package-lock.json" in line for line in s["build_error_lines"])
    assert s["build_error"].splitlines()[1] == "npm error code EUSAGE"
    assert s["failures"][0].startswith("build failed: The command '/bin/sh -c npm ci' returned a non-zero code")
    assert "npm error code EUSAGE" in s["failures"][0]


def test_baseline_without_its_base_image(docker_client, standin_images, tmp_path):  # noqa: F811
    folder = _service(tmp_path, HEALTHY, backup="FROM node:0.10-fastlint-missing\nCMD [\"node\"]\n")
    report = verify([folder], VerifyOptions(baseline_dockerfile="Dockerfile.backup", source_change=False,
                                            timeout=300, health_interval=1.0), client=docker_client)
    (s,) = report["services"]
    assert "node:0.10-fastlint-missing" in s["baseline"]["unavailable"]
    assert s["change"] is None
    assert s["size_bytes"] > 0 and s["uid"] == 1001 and s["healthy"] is True, s
    assert s["passed"] is True, s["failures"]
