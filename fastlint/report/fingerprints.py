"""Stable identities for findings, shared by the baseline, SARIF's partialFingerprints and GitLab's fingerprint.

A finding is identified by what it is about, not by where it is: the file (relative, forward slashes), the rule
code, the text of the finding's source line with its whitespace collapsed, and its occurrence number among the
findings of that file with the same three parts (0 for the first in file order). Lines added or removed above a
finding do not change its identity; editing the line it is on does. Two identical findings in one file stay
apart by their occurrence number.

Findings with no source line in the Dockerfile (a hit in a Kubernetes manifest, a file that is not text) use
their message instead. This module imports nothing heavy; callers that hash import hashlib themselves.
"""

from __future__ import annotations

import os
from collections import defaultdict


def normalize(text: str) -> str:
    """A source line with leading/trailing whitespace removed and inner runs of whitespace made one space."""
    return " ".join(text.split())


def relative_path(file: str, base: str = ".") -> str:
    """``file`` relative to the folder ``base``, with forward slashes; absolute when it is not below ``base``
    (another drive, or ``..`` would be needed)."""
    absolute = os.path.abspath(file)
    try:
        rel = os.path.relpath(absolute, os.path.abspath(base))
    except ValueError:  # another drive on Windows
        return absolute.replace(os.sep, "/")
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return absolute.replace(os.sep, "/")
    return rel.replace(os.sep, "/")


def finding_text(f) -> str:
    """The text a finding is keyed on: its source line, normalized; else its message."""
    return normalize(f.source_line) if f.source_line else normalize(f.message)


def keyed(findings, base: str = "."):
    """``(finding, (path, code, text, occurrence))`` for each finding, in the order given (file order)."""
    seen: dict[tuple[str, str, str], int] = defaultdict(int)
    paths: dict[str, str] = {}
    out = []
    for f in sorted(findings, key=lambda f: (f.file, f.line, f.column, f.code)):
        path = paths.get(f.file)
        if path is None:
            path = paths[f.file] = relative_path(f.file, base)
        triple = (path, f.code, finding_text(f))
        n = seen[triple]
        seen[triple] = n + 1
        out.append((f, triple + (n,)))
    return out


def key_string(key: tuple[str, str, str, int]) -> str:
    """One string for a key (what gets hashed): the parts joined by NUL, which none of them can contain."""
    return "\0".join((key[0], key[1], key[2], str(key[3])))
