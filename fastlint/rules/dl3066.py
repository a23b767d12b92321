"""DL3066: Non-numeric user-id may not be resolvable by host system."""

from __future__ import annotations

import re

from ..engine.registry import register
from ..engine.rule import InstructionRule


@register
class DL3066(InstructionRule):
    code = "DL3066"
    level = "info"
    message = "Non-numeric user-id may not be resolvable by host system"
    name = "non-numeric-user"
    needs_instructions = ("USER",)

    def __init__(self, ctx):
        super().__init__(ctx)
        self.args: set[str] = set()

    def check(self, ins):
        # A user that comes from a build argument is judged at build time (``--build-arg``), as hadolint judges it.
        # An ENV variable is not: its value is written in the Dockerfile (``ENV APP_USER=app``), so
        # ``USER $APP_USER`` names a user like ``USER app`` does, and hadolint reports it.
        if ins.keyword == "ARG":
            self.args.update(p.key for p in ins.pairs)
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
