"""DL3050: Superfluous label(s) present.

With ``strict_labels: true`` (``strict-labels`` in .hadolint.yaml) a LABEL may only set the labels of the label
schema.
"""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule


@register
class DL3050(InstructionRule):
    code = "DL3050"
    level = "info"
    message = "Superfluous label(s) present."
    name = "superfluous-label"
    needs_instructions = ("LABEL",)

    def check(self, ins):
        if ins.keyword != "LABEL" or not self.policy.strict_labels:
            return
        schema = self.policy.label_schema
        for p in ins.pairs:
            key = p.key
            if key not in schema:
                yield self.hit(p, f"Superfluous label(s) present: `{key}` is not in the label schema.")
                return
