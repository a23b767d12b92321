"""DL3053: Label `<label>` is not a valid time format - must conform to RFC3339 (type ``rfc3339``)."""

from __future__ import annotations


from ..engine.registry import register
from .lib.bases import LabelValueRule
from .lib.regex import lazy

_RFC3339 = lazy(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$")


def valid_rfc3339(value: str) -> bool:
    """A full RFC 3339 date-time (date, time, optional fraction, and a Z or +hh:mm offset) with real values."""
    import datetime

    m = _RFC3339.match(value)
    if m is None:
        return False
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    if hour > 23 or minute > 59 or second > 60:  # 60: a leap second
        return False
    if m.group(7) is not None and (int(m.group(7)) > 23 or int(m.group(8)) > 59):
        return False
    return True


@register
class DL3053(LabelValueRule):
    code = "DL3053"
    level = "warning"
    message = "Label `<label>` is not a valid time format - must conform to RFC3339."
    name = "label-not-rfc3339"
    label_type = "rfc3339"
    template = "Label `{label}` is not a valid time format - must conform to RFC3339."
    needs_instructions = ("LABEL",)

    def bad(self, value: str) -> bool:
        return not valid_rfc3339(value)
