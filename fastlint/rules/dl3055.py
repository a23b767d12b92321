"""DL3055: Label `<label>` is not a valid git hash (type ``hash``: 7 or 40 lower-case hex digits)."""

from __future__ import annotations

from ..engine.registry import register
from .lib.bases import LabelValueRule

_HEX = frozenset("0123456789abcdef")


@register
class DL3055(LabelValueRule):
    code = "DL3055"
    level = "warning"
    message = "Label `<label>` is not a valid git hash."
    name = "label-not-git-hash"
    label_type = "hash"
    template = "Label `{label}` is not a valid git hash."
    needs_instructions = ("LABEL",)

    def bad(self, value: str) -> bool:
        return len(value) not in (7, 40) or any(ch not in _HEX for ch in value)
