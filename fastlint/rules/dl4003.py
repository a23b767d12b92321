"""DL4003: Multiple `CMD` instructions found."""

from __future__ import annotations

from ..engine.registry import register
from .lib.bases import LastOneWins


@register
class DL4003(LastOneWins):
    code = "DL4003"
    level = "warning"
    message = ("Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will "
               "take effect")
    name = "multiple-cmd"
    keyword = "CMD"
    needs_instructions = ("CMD",)
