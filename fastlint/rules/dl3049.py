"""DL3049: Label `<label>` is missing.

For each label of the policy's label schema (``label_schema:`` in fastlint.yaml, ``label-schema:`` in
.hadolint.yaml), every stage must define it, as hadolint decides: a stage built FROM a stage that has the label
has it too, and a stage that a later labelled stage is built on, or that a later stage copies from
(``COPY --from``), is excused, since it is not an image of its own.
"""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import FileRule


def stage_name(stage) -> str:
    """How later stages refer to a stage: its AS name, else its image as written."""
    return (stage.name or stage.base or "").lower()


@register
class DL3049(FileRule):
    code = "DL3049"
    level = "info"
    message = "Label `<label>` is missing."
    name = "label-missing"

    def __init__(self, ctx):
        super().__init__(ctx)
        self.labels = list(self.policy.label_schema)
        # per label: stage index -> "good" | "bad" | "silent"
        self.state: dict[str, dict[int, str]] = {label: {} for label in self.labels}
        self.stages: dict[int, object] = {}
        self.current = None

    def _silence(self, label: str, name: str) -> None:
        marks = self.state[label]
        for index, mark in marks.items():
            s = self.stages[index]
            if mark == "bad" and s.name is not None and s.name.lower() == name:
                marks[index] = "silent"

    def check(self, ins):
        if not self.labels or ins.parent is not None:
            return
        if ins.keyword == "FROM" and ins.stage is not None:
            stage = ins.stage
            self.stages[stage.index] = stage
            base = (stage.base or "").lower()
            for label in self.labels:
                marks = self.state[label]
                inherits = self.current is not None and any(
                    mark == "good" and self.stages[i].name is not None and self.stages[i].name.lower() == base
                    for i, mark in marks.items())
                marks[stage.index] = "good" if inherits else "bad"
            self.current = stage
        elif self.current is None:
            return
        elif ins.keyword == "COPY":
            source = ins.flag_value("from")
            if source:
                for label in self.labels:
                    self._silence(label, source.lower())
        elif ins.keyword == "LABEL":
            keys = {p.key for p in ins.pairs}
            for label in self.labels:
                if label in keys:
                    self._silence(label, stage_name(self.current))
                    self.state[label][self.current.index] = "good"

    def finish(self):
        for label in self.labels:
            for index, mark in sorted(self.state[label].items()):
                if mark == "bad":
                    yield self.hit(self.stages[index].from_, f"Label `{label}` is missing.")
