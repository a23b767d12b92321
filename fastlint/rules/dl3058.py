"""DL3058: Label `<label>` is not a valid email format - must conform to RFC5322 (type ``email``)."""

from __future__ import annotations


from ..engine.registry import register
from .lib.bases import LabelValueRule
from .lib.regex import lazy

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL = rf"(?:{_ATOM}(?:\.{_ATOM})*|\"(?:[^\"\\\r\n]|\\.)*\")"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_DOMAIN = rf"(?:{_LABEL}(?:\.{_LABEL})*|\[[^\[\]\\\s]+\])"
_ADDR = lazy(rf"^{_LOCAL}@{_DOMAIN}$")


def valid_email(value: str) -> bool:
    """An RFC 5322 addr-spec: a dot-atom or quoted local part, ``@``, a domain name or a domain literal."""
    return len(value) <= 254 and _ADDR.match(value) is not None


@register
class DL3058(LabelValueRule):
    code = "DL3058"
    level = "warning"
    message = "Label `<label>` is not a valid email format - must conform to RFC5322."
    name = "label-not-email"
    label_type = "email"
    template = "Label `{label}` is not a valid email format - must conform to RFC5322."
    needs_instructions = ("LABEL",)

    def bad(self, value: str) -> bool:
        return not valid_email(value)
