"""DL3051: Label `<label>` is empty.

``LabelValueRule`` is the shape every label-schema value rule shares (DL3051 to DL3058): for each label of the
schema of the rule's type, a LABEL that sets it to a bad value is reported at that key=value.
"""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule


class LabelValueRule(InstructionRule):
    label_type: str | None = None  # the schema type the rule checks (None: every label of the schema)
    template = ""  # the message, with {label}

    def bad(self, value: str) -> bool:
        raise NotImplementedError

    def check(self, ins):
        if ins.keyword != "LABEL":
            return
        schema = self.policy.label_schema
        if not schema:
            return
        for p in ins.pairs:
            key = p.key
            kind = schema.get(key)
            if kind is None or (self.label_type is not None and kind.lower() != self.label_type):
                continue
            if self.bad(p.value or ""):
                yield self.hit(p, self.template.format(label=key))
                return


@register
class DL3051(LabelValueRule):
    code = "DL3051"
    level = "warning"
    message = "label `<label>` is empty."
    name = "label-empty"
    template = "label `{label}` is empty."

    def bad(self, value: str) -> bool:
        return value == ""
