"""DL3052: Label `<label>` is not a valid URL (labels of type ``url`` in the label schema)."""

from __future__ import annotations


from ..engine.registry import register
from .lib.bases import LabelValueRule
from .lib.regex import lazy

# RFC 3986 absolute URI: scheme ":" then only URI characters, with complete percent escapes
_URI = lazy(r"^[A-Za-z][A-Za-z0-9+.\-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")


def valid_url(value: str) -> bool:
    return _URI.match(value) is not None and value.count("#") <= 1


@register
class DL3052(LabelValueRule):
    code = "DL3052"
    level = "warning"
    message = "Label `<label>` is not a valid URL."
    name = "label-not-url"
    label_type = "url"
    template = "Label `{label}` is not a valid URL."
    needs_instructions = ("LABEL",)

    def bad(self, value: str) -> bool:
        return not valid_url(value)
