"""The 4-stage template (fastlint/policy/template.py) and the stand-in grpc_health_probe, without an engine.

The template's builds are tested against a real engine in tests/test_verify_engine.py.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fastlint.policy.template import TemplateError, render

sys.path.insert(0, str(Path(__file__).resolve().parent / "standins"))

GRPC = {"service": "fast-validation-service", "type": "grpc", "port": 50052,
        "health_service": "gpp.g3.validation.ValidationService", "has_proto": True}
HTTP = {"service": "fast-orchestrator-service", "type": "http", "port": 3004}


def stages(text: str) -> list[tuple[str, str]]:
    return re.findall(r"^FROM (\S+) AS (\S+)$", text, re.M)


def production(text: str) -> str:
    return text.split("AS production", 1)[1]


def test_both_variants_have_the_four_stages_on_the_policy_bases():
    for context in (GRPC, HTTP):
        # the builder continues the dependencies stage, so it is on node:20-alpine too
        assert stages(render(context)) == [("node:20-alpine", "dependencies"), ("dependencies", "builder"),
                                           ("alpine:3.19", "runtime-tools"), ("node:20-alpine", "production")]


def test_grpc_variant_fetches_a_pinned_probe_and_health_checks_with_it():
    text = render(GRPC)
    assert re.search(r"^ARG GRPC_HEALTH_PROBE_VERSION=v0\.4\.\d+$", text, re.M)
    assert re.search(r"^ARG GRPC_HEALTH_PROBE_SHA256_AMD64=[0-9a-f]{64}$", text, re.M)
    assert re.search(r"^ARG GRPC_HEALTH_PROBE_SHA256_ARM64=", text, re.M)  # per architecture (TARGETARCH)
    assert "grpc_health_probe-linux-${arch}" in text and "ARG TARGETARCH" in text
    assert '| sha256sum -c -' in text
    prod = production(text)
    assert "COPY --from=runtime-tools /usr/local/bin/grpc_health_probe /usr/local/bin/grpc_health_probe" in prod
    assert ('CMD ["grpc_health_probe", "-addr=localhost:50052", "-service=gpp.g3.validation.ValidationService"]'
            in prod)
    assert "RUN npm run proto:generate" in text
    assert "EXPOSE 50052" in prod and 'CMD ["node", "dist/index.js"]' in prod
    assert "curl" not in prod


def test_http_variant_installs_curl_in_production_for_its_health_check():
    prod = production(render(HTTP))
    assert "apk add --no-cache curl" in prod
    assert 'CMD ["curl", "-f", "http://localhost:3004/health"]' in prod
    assert "grpc_health_probe" not in render(HTTP)


def test_production_is_non_root_and_takes_only_built_files():
    prod = production(render({**HTTP, "extra_copy": ["config"], "runtime_packages": ["tini"],
                              "extra_lines": ["ENV LOG_LEVEL=info", "ARG BUILD_ID=1", 'LABEL team="gpp-g3"']}))
    assert "addgroup -g 1001 -S nodejs && \\\n    adduser -S -u 1001 -G nodejs nodejs" in prod
    assert prod.rstrip().splitlines()[-1] == 'CMD ["node", "dist/index.js"]'
    copies = [line for line in prod.splitlines() if line.startswith("COPY")]
    assert copies and all(line.startswith("COPY --from=") for line in copies)
    assert "COPY --from=builder --chown=nodejs:nodejs /app/config ./config" in copies
    assert "apk add --no-cache curl tini" in prod
    # ARG lines come first (RUN sees them), ENV and LABEL after NODE_ENV.
    lines = prod.splitlines()
    assert lines.index("ARG BUILD_ID=1") < lines.index("ENV NODE_ENV=production") < lines.index("ENV LOG_LEVEL=info")
    assert lines.index("USER nodejs") > lines.index('LABEL team="gpp-g3"')


def test_no_two_stages_start_with_the_same_step():
    """The classic builder's cache goes wrong after a --no-cache build when two stages share their first steps
    (see the template's comments): every stage's first instruction after FROM differs."""
    for context in (GRPC, HTTP):
        text = render(context)
        # (base image, first line after FROM) of each stage: stages on the same base must differ there.
        firsts = re.findall(r"^FROM (\S+) AS \S+\n(?:#.*\n|\n)*(.*)$", text, re.M)
        assert len(firsts) == 4 and len(set(firsts)) == 4, firsts
        assert firsts[0][1] == "WORKDIR /app" and firsts[1][0] == "dependencies"  # the builder continues it
        assert firsts[1][1].startswith("RUN mkdir -p /prod")


def test_production_copies_the_build_output_after_the_stable_files():
    for context in (GRPC, {**HTTP, "extra_copy": ["static"]}):
        prod = production(render(context))
        copies = [line for line in prod.splitlines() if line.startswith("COPY")]
        assert copies[-1] == "COPY --from=builder --chown=nodejs:nodejs /app/dist ./dist", copies
        assert not re.search(r"^(RUN|COPY|ADD)\b", prod.split("/app/dist ./dist", 1)[1], re.M)


def test_health_values_cannot_break_the_exec_form():
    with pytest.raises(TemplateError, match="health_service"):
        render({**GRPC, "health_service": 'a", "-x'})
    with pytest.raises(TemplateError, match="health_path"):
        render({**HTTP, "health_path": '/h"'})


def test_production_layer_count_fits_the_budget_with_a_four_layer_base():
    # Layer-making instructions in production: RUN, COPY, ADD (WORKDIR of an existing path adds none).
    for context in (GRPC, {**HTTP, "extra_copy": ["config", "templates"]}):
        prod = production(render(context))
        made = len(re.findall(r"^(RUN|COPY|ADD)\b", prod, re.M))
        assert 4 + made + 1 <= 12, made  # + WORKDIR /app, created in this stage


def test_rendered_file_uses_only_what_the_classic_builder_knows():
    for context in (GRPC, HTTP):
        text = render(context)
        assert "<<" not in text and "--mount" not in text and "{{" not in text and "##" not in text


def test_custom_start_command_and_build_command():
    text = render({**GRPC, "start_command": ["node", "--enable-source-maps", "dist/main.js"],
                   "build_command": "npm run compile", "proto_command": ""})
    assert 'CMD ["node", "--enable-source-maps", "dist/main.js"]' in text
    assert "RUN npm run compile" in text and "proto:generate" not in text


@pytest.mark.parametrize("context, message", [
    ({"type": "grpc", "port": 1}, "'service' is required"),
    ({**GRPC, "type": "udp"}, "'type' must be 'grpc', 'http' or 'tcp'"),
    ({**GRPC, "type": "tcp"}, "a 'tcp' service needs a 'health_command'"),
    ({**GRPC, "port": 70000}, "'port' must be a number from 1 to 65535"),
    ({**GRPC, "start_command": "node dist/index.js"}, "exec form"),
    ({**GRPC, "extra_lines": ["RUN rm -rf /"]}, "only ENV, ARG and LABEL"),
    ({**GRPC, "extra_copy": ["../secrets"]}, "relative path"),
    ({**GRPC, "health_service": "a\nRUN evil"}, "one line"),
    ({**GRPC, "runtime_packages": ["curl; rm"]}, "not a package name"),
])
def test_bad_context_is_one_clear_error(context, message):
    with pytest.raises(TemplateError, match=re.escape(message)):
        render(context)


def test_custom_template_syntax():
    template = "## comment\n{{#items}}\n- {{.}}\n{{/items}}\n{{^flag}}off{{/flag}} {{service}}\n"
    out = render({**HTTP, "extra_copy": ["a", "b"]}, template.replace("items", "extra_copy").replace("flag", "grpc"))
    assert out == "- a\n- b\noff fast-orchestrator-service\n"
    with pytest.raises(TemplateError, match="never closed"):
        render(HTTP, "{{#grpc}} open")
    with pytest.raises(TemplateError, match="no value"):
        render(HTTP, "{{nope}}")


# --- the stand-in grpc_health_probe (a real grpc.health.v1 client) -------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def probe():
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.fail("node and npm are needed to build the stand-in grpc_health_probe")
    import build as standins

    return standins.probe_bundle(), standins.health_server_bundle()


def _serve(health_server: Path, status: str, service: str):
    port = _free_port()
    proc = subprocess.Popen(["node", str(health_server), str(port), status, service], stdout=subprocess.PIPE,
                            text=True)
    line = proc.stdout.readline()
    assert line.startswith("listening"), line
    return proc, port


def _probe(probe_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(probe_path), *args], capture_output=True, text=True, timeout=30)


def test_probe_exits_0_only_for_serving(probe):
    probe_path, server = probe
    assert probe_path.read_text().startswith("#!/usr/bin/env node")
    proc, port = _serve(server, "SERVING", "gpp.g3.validation.ValidationService")
    try:
        ok = _probe(probe_path, f"-addr=localhost:{port}", "-service=gpp.g3.validation.ValidationService")
        assert ok.returncode == 0 and ok.stdout.strip() == "status: SERVING"
        unknown = _probe(probe_path, f"-addr=localhost:{port}", "-service=other.Service")
        assert unknown.returncode == 4 and "SERVICE_UNKNOWN" in unknown.stderr
    finally:
        proc.kill()
        proc.wait(timeout=10)


def test_probe_fails_for_not_serving(probe):
    probe_path, server = probe
    proc, port = _serve(server, "NOT_SERVING", "svc")
    try:
        result = _probe(probe_path, "-addr", f"127.0.0.1:{port}", "-service=svc", "-rpc-timeout=2s")
        assert result.returncode == 4
        assert 'service unhealthy (responded with "NOT_SERVING")' in result.stderr
    finally:
        proc.kill()
        proc.wait(timeout=10)


def test_probe_fails_against_a_closed_port(probe):
    probe_path, _ = probe
    start = time.monotonic()
    result = _probe(probe_path, f"-addr=127.0.0.1:{_free_port()}", "-connect-timeout=500ms")
    assert result.returncode == 2
    assert "failed to connect service" in result.stderr and "within 500ms" in result.stderr
    assert time.monotonic() - start < 10


def test_probe_rejects_bad_arguments(probe):
    probe_path, _ = probe
    assert _probe(probe_path).returncode == 1
    assert _probe(probe_path, "-addr=x:1", "-connect-timeout=soon").returncode == 1
    assert "flag provided but not defined" in _probe(probe_path, "-addr=x:1", "-bogus=1").stderr
