"""A gRPC server that serves no grpc.health.v1 (FL505) and the migration's port check for it.

grpc_health_probe calls grpc.health.v1.Health/Check: a server that does not register the health service answers
UNIMPLEMENTED, so an image whose health check is grpc_health_probe never turns healthy. The fast tests run
`fastlint check` and `fastlint fix` on a small plain @grpc/grpc-js server written here (in tmp_path); the engine
test (marker ``docker``) builds the original (grpc_health_probe: never healthy) and the migrated file (node
connects to the port: healthy as uid 1001) on the stand-ins; @grpc/grpc-js comes from the npm registry, and the
stand-in grpc_health_probe (tests/standins/probe) answers as the real one does to UNIMPLEMENTED."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "standins"))

from standins.conftest_engine import (  # noqa: E402,F401  (fixtures used by name)
    docker_client, package_store, standin_build_args, standin_images,
)

SERVER = """const grpc = require('@grpc/grpc-js');
const server = new grpc.Server();
server.bindAsync('0.0.0.0:50051', grpc.ServerCredentials.createInsecure(), (err) => {
  if (err) { console.error(err); process.exit(1); }
  console.log('listening on 50051');
});
"""
ORIGINAL = """FROM node:20-alpine
WORKDIR /app
COPY package.json ./
RUN npm install --omit=dev
COPY server.js ./
COPY grpc_health_probe /usr/local/bin/grpc_health_probe
EXPOSE 50051
HEALTHCHECK --interval=1s --timeout=3s --retries=2 CMD ["grpc_health_probe", "-addr=localhost:50051"]
CMD ["node", "server.js"]
"""


def grpc_service(folder: Path, health: bool = False) -> Path:
    folder.mkdir(parents=True)
    deps = {"@grpc/grpc-js": "1.14.7"}
    if health:
        deps["grpc-health-check"] = "2.1.0"
    (folder / "package.json").write_text(json.dumps({"name": folder.name, "version": "1.0.0", "main": "server.js",
                                                     "dependencies": deps}, indent=2) + "\n")
    (folder / "server.js").write_text(SERVER)
    (folder / "Dockerfile").write_text(ORIGINAL)
    (folder / "grpc_health_probe").write_text("#!/bin/sh\nexit 1\n")  # the engine test puts the stand-in's here
    (folder / ".dockerignore").write_text("node_modules\n.git\ndist\nlogs\n*.log\n.env\n.env.*\n")
    return folder


def _fastlint(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fastlint", *args], capture_output=True, text=True, timeout=300)


def _codes(folder: Path) -> list[str]:
    checked = _fastlint("check", "--no-config", "--select", "FL505", "--format", "json", str(folder / "Dockerfile"))
    return [f["code"] for f in json.loads(checked.stdout)]


def test_check_reports_the_probe_of_a_server_without_the_health_service(tmp_path):
    assert _codes(grpc_service(tmp_path / "bare")) == ["FL505"]
    assert _codes(grpc_service(tmp_path / "served", health=True)) == []


def test_fix_writes_a_port_check_and_check_passes_it(tmp_path):
    folder = grpc_service(tmp_path / "bare")
    (tmp_path / ".git").mkdir()
    fixed = _fastlint("fix", "--no-config", str(folder))
    text = (folder / "Dockerfile").read_text()
    assert "grpc_health_probe" not in text and "require('net').connect(50051, '127.0.0.1')" in text, fixed.stderr
    assert "serves no grpc.health.v1 Health service" in fixed.stderr
    assert "COPY of grpc_health_probe dropped" in fixed.stderr  # the original's own probe binary
    assert _codes(folder) == []


def test_fix_keeps_grpc_health_probe_for_a_server_that_serves_it(tmp_path):
    folder = grpc_service(tmp_path / "served", health=True)
    (tmp_path / ".git").mkdir()
    _fastlint("fix", "--no-config", str(folder))
    text = (folder / "Dockerfile").read_text()
    assert 'CMD ["grpc_health_probe", "-addr=localhost:50051"]' in text


@pytest.mark.docker
def test_the_probe_never_passes_and_the_port_check_does(tmp_path, docker_client, standin_build_args):
    """The original image (grpc_health_probe against a server without the health service) turns unhealthy; the
    migrated one (node connects to the port) turns healthy, as uid 1001."""
    import build as standins_build  # tests/standins/build.py

    from fastlint.verifier.engine import BuildFailed, Session

    original = grpc_service(tmp_path / "grpc-bare")
    import shutil

    shutil.copy2(standins_build.probe_bundle(), original / "grpc_health_probe")
    migrated = grpc_service(tmp_path / "grpc-bare-migrated")
    (tmp_path / ".git").mkdir()
    _fastlint("fix", "--no-config", str(migrated))
    session = Session(docker_client, timeout=900, network="host")
    try:
        try:
            before = session.build(original, "Dockerfile", "fastlint-test/grpc-bare:latest",
                                   build_args=standin_build_args)
            after = session.build(migrated, "Dockerfile", "fastlint-test/grpc-bare-migrated:latest",
                                  build_args=standin_build_args)
        except BuildFailed as err:
            pytest.fail(err.describe())
        run = session.run_until_healthy(before.image_id, timeout=60, health_interval=1)
        assert run["healthy"] is False and "listening on 50051" in run.get("logs", ""), run
        run = session.run_until_healthy(after.image_id, timeout=90, health_interval=1)
        assert run["healthy"] is True and run["uid"] == 1001, run
    finally:
        assert session.close() == []
