"""What a migration gives back, and the one-sentence error of a file it cannot rewrite."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..loop import StructuralError


class MigrationError(StructuralError):
    """The file cannot be rewritten from the template; the message is one sentence."""


@dataclass
class Migration:
    text: str  # the rendered Dockerfile
    context: dict  # what was given to the template
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line of the original, message)
    kept: list[int] = field(default_factory=list)  # lines of original instructions kept as comments

