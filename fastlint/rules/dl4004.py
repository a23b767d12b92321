"""DL4004: Multiple `ENTRYPOINT` instructions found."""

from __future__ import annotations

from ..engine.registry import register
from .lib.bases import LastOneWins


@register
class DL4004(LastOneWins):
    code = "DL4004"
    level = "error"
    message = ("Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` then only the "
               "last `ENTRYPOINT` will take effect")
    name = "multiple-entrypoint"
    keyword = "ENTRYPOINT"
    needs_instructions = ("ENTRYPOINT",)
