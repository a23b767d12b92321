"""JSONArgsRecommended (BuildKit): JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior
related to OS signals."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.buildkit import BuildKitCheck, UsesBaseImages, stage_scopes
from .lib.twins import exec_form


@register
class JSONArgsRecommended(BuildKitCheck, UsesBaseImages, InstructionRule):
    code = "JSONArgsRecommended"
    message = "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals"
    needs_instructions = ("CMD", "ENTRYPOINT")
    fix_safety = "unsafe"
    same_as = "DL3025"
    off_with = ("DL3025",)

    def check(self, ins):
        if ins.keyword not in ("CMD", "ENTRYPOINT") or ins.json or not ins.value:
            return
        for site, key in self.sites(ins):  # the instruction, or an ONBUILD CMD in a stage built on it
            scope = stage_scopes(self.ctx).get(key)
            if scope is None or scope.shell:  # a SHELL in the stage chain (or the image's): shell form is deliberate
                continue
            edit = exec_form(ins, ins.value[0], ins.args_start)
            fix = self.fix(edit, description="rewrite in exec form") if edit else None
            yield self.check_hit(site, f"JSON arguments recommended for {ins.keyword_raw} to prevent unintended "
                                       "behavior related to OS signals", fix, about=ins.keyword_start)
