"""DL3048: Invalid label key."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule

_VALID = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-_/")
_RESERVED = ("com.docker.", "io.docker.", "org.dockerproject.")


def invalid_key(key: str) -> bool:
    """Docker's key format: starts with a lower-case letter, ends with a lower-case letter or digit, only
    lower-case letters, digits, ``.``, ``-`` (and ``_``, ``/``), no ``..`` or ``--``, no reserved namespace."""
    if not key or not ("a" <= key[0] <= "z") or not (key[-1].isdigit() or "a" <= key[-1] <= "z"):
        return True
    if any(ch not in _VALID for ch in key):
        return True
    return key.startswith(_RESERVED) or ".." in key or "--" in key


@register
class DL3048(InstructionRule):
    code = "DL3048"
    level = "style"
    message = "Invalid label key."
    name = "invalid-label-key"
    needs_instructions = ("LABEL",)

    def check(self, ins):
        if ins.keyword != "LABEL":
            return
        for p in ins.pairs:
            if invalid_key(p.key):
                yield self.hit(p)
                return
