"""DL3011: Valid UNIX ports range from 0 to 65535."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule


def bad_port(spec: str) -> bool:
    """True when an EXPOSE word names a port (or a range end) above 65535; variables are not judged."""
    ports = spec.split("/", 1)[0]
    for part in ports.split("-", 1):
        part = part.strip()
        if part.isdigit() and int(part) > 65535:
            return True
    return False


@register
class DL3011(InstructionRule):
    code = "DL3011"
    level = "error"
    message = "Valid UNIX ports range from 0 to 65535"
    name = "valid-port"
    needs_instructions = ("EXPOSE",)

    def check(self, ins):
        if ins.keyword != "EXPOSE":
            return
        for word in ins.words:
            if bad_port(word.text):
                yield self.hit(word)
                return
