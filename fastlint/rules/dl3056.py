"""DL3056: Label `<label>` does not conform to semantic versioning (type ``semver``)."""

from __future__ import annotations


from ..engine.registry import register
from .lib.bases import LabelValueRule
from .lib.regex import lazy

# semver.org 2.0.0: MAJOR.MINOR.PATCH, no leading zeros, optional -prerelease and +build identifiers
_NUM = r"(?:0|[1-9]\d*)"
_PRE = r"(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)"
_SEMVER = lazy(rf"^{_NUM}\.{_NUM}\.{_NUM}(?:-{_PRE}(?:\.{_PRE})*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$")


@register
class DL3056(LabelValueRule):
    code = "DL3056"
    level = "warning"
    message = "Label `<label>` does not conform to semantic versioning."
    name = "label-not-semver"
    label_type = "semver"
    template = "Label `{label}` does not conform to semantic versioning."
    needs_instructions = ("LABEL",)

    def bad(self, value: str) -> bool:
        return _SEMVER.match(value) is None
