"""FL502: the health check does not fit the service's type (gRPC: grpc_health_probe; HTTP: curl -f
http://localhost:PORT/health)."""

from __future__ import annotations

import re

from ..engine.registry import register
from ..engine.rule import Edit, FileRule, instruction_span
from .lib.health import health_commands, healthcheck, healthcheck_text
from .lib.stages import chain

LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]", "0.0.0.0", "")
FAIL_FLAGS = ("f", "fail", "fail-with-body")


@register
class FL502(FileRule):
    code = "FL502"
    level = "error"
    message = "The health check does not fit the service type"
    name = "healthcheck-type"
    fix_safety = "safe"
    needs_service = True

    def finish(self):
        final = self.ctx.final_stage
        service = self.ctx.service
        if final is None or service is None:
            return
        ins = healthcheck(chain(final))
        if ins is None:
            return  # FL501
        cmds = health_commands(self.ctx.df, ins)
        if not cmds:
            return
        fix = self._fix(ins, final, service)
        if service.type == "grpc":
            probes = [c for c in cmds if c.base == "grpc_health_probe"]
            if not probes:
                yield self.hit(cmds[0].name, f"{service.name} is a gRPC service: its health check must run "
                                             f"grpc_health_probe, not {cmds[0].base}", fix=fix)
                return
            want = service.health_service
            for a in probes[0].args:
                m = re.match(r"^--?service=(.*)$", a.text)
                if m and want and m.group(1) != want:
                    yield self.hit(a, f"grpc_health_probe asks for service '{m.group(1)}'; the matrix names "
                                      f"'{want}'", fix=fix)
            return
        curls = [c for c in cmds if c.base == "curl"]
        if not curls:
            yield self.hit(cmds[0].name, f"{service.name} is an HTTP service: its health check must be "
                                         f"`curl -f http://localhost:{service.port}/health`, not {cmds[0].base}",
                           fix=fix)
            return
        curl = curls[0]
        flags = _curl_flags(curl)
        if not any(f in flags for f in FAIL_FLAGS):
            yield self.hit(curl.name, "curl without -f exits 0 on an HTTP error status, so a failing service "
                                      "looks healthy; use curl -f", fix=fix)
        urls = [a for a in curl.args if "://" in a.text]
        if not urls:
            yield self.hit(curl.name, f"curl probes no URL; probe http://localhost:{service.port}/health", fix=fix)
            return
        m = re.match(r"^https?://(\[[^\]]*\]|[^/:?#]*)(?::\d+)?(/[^?#]*)?", urls[0].text)
        host, path = (m.group(1), m.group(2) or "/") if m else ("", "/")
        if host not in LOCAL_HOSTS:
            yield self.hit(urls[0], f"The health check probes '{host}', not the container itself (localhost)",
                           fix=fix)
        elif path.rstrip("/") != "/health":
            yield self.hit(urls[0], f"The health check probes '{path}'; the standard's endpoint is /health", fix=fix)

    def _fix(self, ins, final, service):
        """Rewrite the health check's command (its options stay) when it is in the production stage itself."""
        if ins.stage is not final or ins.json and not ins.words:
            return None
        cmd_word = ins.words[0] if ins.words else None
        if cmd_word is None or cmd_word.text.upper() != "CMD":
            return None
        _, end = instruction_span(ins)
        return self.fix(Edit(cmd_word.start, end, healthcheck_text(service)),
                        description=f"use the standard {service.type} health check")


def _curl_flags(cmd) -> set[str]:
    out: set[str] = set()
    for a in cmd.args:
        t = a.text
        if t.startswith("--"):
            out.add(t[2:].split("=", 1)[0])
        elif t.startswith("-") and len(t) > 1 and "://" not in t:
            out.update(t[1:])
    return out
