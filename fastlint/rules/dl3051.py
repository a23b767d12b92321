"""DL3051: Label `<label>` is empty.

``LabelValueRule`` is the shape every label-schema value rule shares (DL3051 to DL3058): for each label of the
schema of the rule's type, a LABEL that sets it to a bad value is reported at that key=value.
"""

from __future__ import annotations

from ..engine.registry import register
from .lib.bases import LabelValueRule


@register
class DL3051(LabelValueRule):
    code = "DL3051"
    level = "warning"
    message = "label `<label>` is empty."
    name = "label-empty"
    template = "label `{label}` is empty."
    needs_instructions = ("LABEL",)

    def bad(self, value: str) -> bool:
        return value == ""
