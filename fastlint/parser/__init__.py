"""The Dockerfile parser: ``parse(text, path) -> Dockerfile`` (a lossless syntax tree), stages, the shell model."""

from .parse import INSTRUCTIONS, parse
from .stages import ImageRef, Stage
from .tree import Comment, Directive, Dockerfile, Flag, Heredoc, Instruction, KeyValue, ParseError, Word

__all__ = [
    "INSTRUCTIONS", "Comment", "Directive", "Dockerfile", "Flag", "Heredoc", "ImageRef", "Instruction",
    "KeyValue", "ParseError", "Stage", "Word", "parse",
]
