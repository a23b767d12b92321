"""ExposeProtoCasing (BuildKit): the protocol in EXPOSE should be lowercase."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import Edit, InstructionRule
from .bk_common import BuildKitCheck, LexError, UsesBaseImages, expand, port_specs, stage_scopes


def exposed(rule, ins) -> list[tuple[str, str, str, str, object]]:
    """EXPOSE's ports as BuildKit reads them (each word expanded, then split): (raw, ip, host, proto, word)."""
    scope = stage_scopes(rule.ctx).get(ins.index)
    env = scope.env if scope is not None else {}
    expanded = []
    for word in ins.words:
        try:
            parts = expand(word.raw, env, rule.ctx.df.escape).words
        except LexError:
            return []
        expanded += [(p, word) for p in parts]
    by_raw = list(expanded)
    out = []
    for k, (raw, ip, host, proto) in enumerate(port_specs([p for p, _ in by_raw])):
        out.append((raw, ip, host, proto, by_raw[k][1]))
    return out


@register
class ExposeProtoCasing(BuildKitCheck, UsesBaseImages, InstructionRule):
    code = "ExposeProtoCasing"
    message = "Protocol in EXPOSE instruction should be lowercase"
    fix_safety = "safe"

    def check(self, ins):
        if ins.keyword != "EXPOSE" or not self.top_level(ins) or ins.stage is None:
            return
        for raw, _, _, proto, word in exposed(self, ins):
            if proto == proto.lower():
                continue
            fix = None
            if word.raw == raw and "$" not in raw:  # a port written as it is: lowercase its protocol
                port, _, _ = raw.rpartition("/")
                fix = self.fix(Edit(word.start, word.end, f"{port}/{proto.lower()}"),
                               description=f"write {port}/{proto.lower()}")
            yield self.check_hit(ins, f"Defined protocol '{raw}' in EXPOSE instruction should be lowercase", fix)
