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
    needs_instructions = ("EXPOSE",)

    def check(self, ins):
        if ins.keyword != "EXPOSE":
            return
        for site, key in self.sites(ins):  # the EXPOSE, or an ONBUILD EXPOSE in a stage built on it
            for raw, ip, host, _, _ in exposed(self, ins, key):
                if ip or host:
                    yield self.check_hit(site, "EXPOSE instruction should not define an IP address or host-port "
                                               f"mapping, found '{raw}'")
