"""A regular expression compiled when first used: importing a rule module (every run whose files the rule may
read) compiles nothing; a pattern for a rare case (a label schema, a ``--platform`` flag) costs only the runs
that meet it."""

from __future__ import annotations

import re


class LazyPattern:
    """Stands for ``re.compile(pattern, flags)``: ``match``, ``sub``, ``finditer``... compile it on first use."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str, flags: int = 0):
        self._args = (pattern, flags)
        self._compiled = None

    def __getattr__(self, name: str):
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        return getattr(self._compiled, name)


def lazy(pattern: str, flags: int = 0) -> LazyPattern:
    return LazyPattern(pattern, flags)
