"""ExposeProtoCasing (BuildKit): the protocol in EXPOSE should be lowercase."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import Edit, InstructionRule
from .lib.buildkit import BuildKitCheck, UsesBaseImages, exposed


@register
class ExposeProtoCasing(BuildKitCheck, UsesBaseImages, InstructionRule):
    code = "ExposeProtoCasing"
    message = "Protocol in EXPOSE instruction should be lowercase"
    needs_instructions = ("EXPOSE",)
    fix_safety = "safe"

    def check(self, ins):
        if ins.keyword != "EXPOSE":
            return
        for site, key in self.sites(ins):  # the EXPOSE, or an ONBUILD EXPOSE in a stage built on it
            for raw, _, _, proto, word in exposed(self, ins, key):
                if proto == proto.lower():
                    continue
                fix = None
                if word.raw == raw and "$" not in raw:  # a port written as it is: lowercase its protocol
                    port, _, _ = raw.rpartition("/")
                    fix = self.fix(Edit(word.start, word.end, f"{port}/{proto.lower()}"),
                                   description=f"write {port}/{proto.lower()}")
                yield self.check_hit(site, f"Defined protocol '{raw}' in EXPOSE instruction should be lowercase", fix)
