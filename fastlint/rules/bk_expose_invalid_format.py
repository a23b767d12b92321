"""ExposeInvalidFormat (BuildKit): no IP address or host-port mapping in EXPOSE."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.buildkit import BuildKitCheck, UsesBaseImages, exposed


@register
class ExposeInvalidFormat(BuildKitCheck, UsesBaseImages, InstructionRule):
    code = "ExposeInvalidFormat"
    message = ("IP address and host-port mapping should not be used in EXPOSE instruction. This will become an error "
               "in a future release")

    def check(self, ins):
        if ins.keyword != "EXPOSE" or not self.top_level(ins) or ins.stage is None:
            return
        for raw, ip, host, _, _ in exposed(self, ins):
            if ip or host:
                yield self.check_hit(ins, "EXPOSE instruction should not define an IP address or host-port mapping, "
                                          f"found '{raw}'")
