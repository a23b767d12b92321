"""DL3066: Non-numeric user-id may not be resolvable by host system."""

from __future__ import annotations

import re

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .dl3048 import unquote_key


@register
class DL3066(InstructionRule):
    code = "DL3066"
    level = "info"
    message = "Non-numeric user-id may not be resolvable by host system"
    name = "non-numeric-user"

    def __init__(self, ctx):
        super().__init__(ctx)
        self.args: set[str] = set()

    def check(self, ins):
        if ins.keyword in ("ARG", "ENV"):  # a user that comes from a variable is judged at build time
            self.args.update(unquote_key(p.key) for p in ins.pairs)
            return
        if ins.keyword != "USER" or not ins.value:
            return
        user = ins.value[0]
        uid = user.split(":", 1)[0]
        if uid.isdigit():
            return
        if any(f"${{{a}}}" in user or re.search(r"\$" + re.escape(a) + r"(?![A-Za-z0-9_])", user)
               for a in self.args):
            return
        yield self.hit(ins.words[0] if ins.words else ins)
