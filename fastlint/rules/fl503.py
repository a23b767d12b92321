"""FL503: the service's port (from the matrix) differs from EXPOSE or from the port the health check probes."""

from __future__ import annotations

import re

from ..engine.registry import register
from ..engine.rule import Edit, FileRule
from ..parser.stages import expand
from ..parser.tree import Node
from .lib.health import health_commands, healthcheck, probe_port
from .lib.stages import chain, chain_instructions, stage_env


def exposed(word: str) -> tuple[int, int] | None:
    """The port range of an EXPOSE word (``3000``, ``3000/tcp``, ``3000-3005``); None when not a number."""
    m = re.match(r"^(\d+)(?:-(\d+))?(?:/(tcp|udp|sctp))?$", word, re.IGNORECASE)
    if not m or (m.group(3) or "tcp").lower() != "tcp":
        return None
    lo = int(m.group(1))
    return lo, int(m.group(2) or lo)


@register
class FL503(FileRule):
    code = "FL503"
    level = "error"
    message = "The service's port differs from EXPOSE or from the port the health check probes"
    name = "service-port"
    fix_safety = "safe"
    needs_service = True

    def finish(self):
        final = self.ctx.final_stage
        service = self.ctx.service
        if final is None or service is None:
            return
        port = service.port
        stages = chain(final)
        env = stage_env(chain_instructions(final))
        words = []  # (word, range)
        for ins in chain_instructions(final):
            if ins.keyword == "EXPOSE":
                for w in ins.words:
                    text, ok = expand(w.text, env) if "$" in w.text else (w.text, True)
                    rng = exposed(text) if ok else None
                    words.append((w, rng, ok, ins))
        if words and not any(rng and rng[0] <= port <= rng[1] for _, rng, _, _ in words) and all(ok for _, _, ok, _ in words):
            first = True
            for w, rng, _, ins in words:
                fix = None
                if first and ins.stage is final and "$" not in w.text:
                    fix = self.fix(Edit(w.start, w.end, str(port)), description=f"EXPOSE {port}")
                    first = False
                yield self.hit(w, f"EXPOSE {w.text}, but {service.name} listens on {port} (service matrix)", fix=fix)
        ins = healthcheck(stages)
        if ins is None:
            return
        for cmd in health_commands(self.ctx.df, ins):
            if cmd.base not in ("grpc_health_probe", "curl", "wget"):
                continue
            probed, arg, i, j = probe_port(cmd)
            if probed is None or probed == port:
                continue
            fix = None
            if i < j and arg.inner is not None and ins.stage is final:
                spot = arg.sub(i, j)
                fix = self.fix(Edit(spot.start, spot.end, str(port)), description=f"probe port {port}")
            else:
                spot = Node(arg.start, arg.end)
            yield self.hit(spot, f"The health check probes port {probed}, but {service.name} listens on {port} "
                                 f"(service matrix)", fix=fix)
