"""DL3041: Specify version with `dnf install -y <package>-<version>`."""

from __future__ import annotations

from ..engine.registry import register
from .lib.bases import VersionRule


@register
class DL3041(VersionRule):
    code = "DL3041"
    level = "warning"
    message = "Specify version with `dnf install -y <package>-<version>`."
    name = "dnf-version-pinning"
    programs = ("dnf", "microdnf")
    skip_args = ("module", "group")  # dnf group install "Development Tools" names groups, not packages
    needs_instructions = ("RUN",)
    needs_words = ("dnf",)
