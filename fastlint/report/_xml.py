"""Helpers for the XML reports (JUnit, Checkstyle): text made safe for XML 1.0.

ElementTree escapes ``< > & "`` but writes control characters as they are, and XML 1.0 forbids most of them
(a Dockerfile line may hold an ESC or a form feed), so they are replaced by ``\\xNN`` before serializing."""

from __future__ import annotations

import re

_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text) -> str:
    return _INVALID.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def serialize(root) -> str:
    """``<?xml ...?>`` and the tree, indented, as text."""
    import xml.etree.ElementTree as ET

    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
