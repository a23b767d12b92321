"""FL505: grpc_health_probe checks a server that serves no grpc.health.v1 Health service."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import FileRule
from .lib.context import BuildContext
from .lib.health import health_commands, healthcheck
from .lib.stages import chain


@register
class FL505(FileRule):
    code = "FL505"
    level = "error"
    message = "grpc_health_probe checks a gRPC server that serves no grpc.health.v1 Health service"
    name = "grpc-probe-without-health-service"
    docs_examples_partial = True  # the examples need the build context of a case (its package.json, sources)

    def finish(self):
        final = self.ctx.final_stage
        ins = healthcheck(chain(final)) if final is not None else None
        if ins is None:
            return
        probes = [c for c in health_commands(self.ctx.df, ins) if c.base == "grpc_health_probe"]
        if not probes:
            return
        context = BuildContext(self.ctx.path)
        if not context.known:
            return
        project = context.project
        if project.kind is None or project.kind.value != "grpc" or project.grpc_health is not None:
            return
        yield self.hit(probes[0].name, f"the service ({project.kind.how}, {project.kind.where}) serves no "
                                       "grpc.health.v1 Health service (no grpc-health-check or similar dependency, "
                                       "no health.proto, no registration in the source): grpc_health_probe gets "
                                       "UNIMPLEMENTED and the container never turns healthy")
