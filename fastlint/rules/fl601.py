"""FL601: a secret in an ENV or ARG (its name says token, password, key...; or its value looks like one)."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from ..parser.tree import Node
from .lib.secrets import kind_of_secret


@register
class FL601(InstructionRule):
    code = "FL601"
    level = "error"
    message = "Secret in ENV or ARG: it is stored in the image or its build history"
    name = "no-secrets"
    needs_instructions = ("ARG", "ENV")

    def check(self, ins):
        if ins.keyword not in ("ENV", "ARG"):
            return
        for p in ins.pairs:
            kind = kind_of_secret(ins.keyword, p.key, p.value)
            if kind == "name":
                if ins.keyword == "ENV":
                    msg = (f"ENV {p.key} holds a secret: it is stored in the image's configuration for anyone who "
                           f"can pull it; pass it at run time (Kubernetes secret) instead")
                else:
                    msg = (f"ARG {p.key} carries a secret: build arguments are recorded in the image's history; "
                           f"use RUN --mount=type=secret,id=... instead")
                yield self.hit(Node(p.key_start, p.key_end) if p.key_end > p.key_start else p, msg)
            elif kind == "value":
                yield self.hit(Node(p.value_start, p.value_end) if p.value_end > p.value_start else p,
                               f"{ins.keyword} {p.key} holds what looks like a credential; pass secrets at run "
                               f"time or with RUN --mount=type=secret")
