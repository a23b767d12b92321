"""Baselines: record today's findings once (``--write-baseline FILE``) and from then on report only new ones
(``--baseline FILE``), so a linter can be adopted on an old project without fixing everything first.

A finding matches its recorded entry by (file, rule code, the text of its source line with whitespace
collapsed, occurrence number among identical keys) — see ``fastlint.report.fingerprints`` — not by line number:
lines added or removed above it do not make it new. Paths are stored relative to the baseline file's folder, so
the baseline works whatever folder ``fastlint check`` is run from.

The file is JSON, written atomically, entries sorted by (file, code, text, occurrence) with one entry per line
block, so that it diffs well in git::

    {
      "fastlint_baseline": 1,
      "findings": [
        {"file": "svc/Dockerfile", "code": "DL3006", "text": "FROM node", "occurrence": 0,
         "message": "Always tag the version of an image explicitly"}
      ]
    }

``message`` is there for the reader; matching ignores it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..report.fingerprints import keyed

FORMAT_VERSION = 1
_KEY = "fastlint_baseline"


class BaselineError(Exception):
    """A baseline file that cannot be read, parsed or written (one line, with the file name)."""


def _base(path: Path) -> str:
    return os.path.dirname(os.path.abspath(path))


def _entries(path: Path, results) -> list[dict]:
    findings = [f for r in results for f in r.findings]
    entries = [
        {"file": k[0], "code": k[1], "text": k[2], "occurrence": k[3], "message": f.message}
        for f, k in keyed(findings, _base(path))
    ]
    entries.sort(key=lambda e: (e["file"], e["code"], e["text"], e["occurrence"]))
    return entries


def write_baseline(path: Path, results) -> int:
    """Record every finding of ``results`` in ``path`` (replacing it atomically); returns how many."""
    from ..fsutil import atomic_write

    entries = _entries(Path(path), results)
    lines = [json.dumps(e, ensure_ascii=False, sort_keys=False) for e in entries]
    body = ",\n    ".join(lines)
    text = f'{{\n  "{_KEY}": {FORMAT_VERSION},\n  "findings": [' + (f"\n    {body}\n  " if lines else "") + "]\n}\n"
    try:
        atomic_write(Path(path), text)
    except OSError as err:
        raise BaselineError(f"{path}: cannot write the baseline: {err.strerror or err}") from None
    return len(entries)


def read_baseline(path: Path) -> set[tuple[str, str, str, int]]:
    """The keys recorded in a baseline file."""
    try:
        raw = Path(path).read_bytes()
    except IsADirectoryError:
        raise BaselineError(f"{path}: is a directory, not a baseline file") from None
    except OSError as err:
        raise BaselineError(f"{path}: cannot read the baseline: {err.strerror or err}") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise BaselineError(f"{path}: not a baseline file: invalid UTF-8 at byte {err.start}") from None
    except json.JSONDecodeError as err:
        raise BaselineError(f"{path}:{err.lineno}:{err.colno}: not a baseline file: {err.msg}") from None
    if not isinstance(data, dict) or _KEY not in data or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a fastlint baseline (expected {{\"{_KEY}\": 1, \"findings\": [...]}}; "
                            f"write one with --write-baseline)")
    if data[_KEY] != FORMAT_VERSION:
        raise BaselineError(f"{path}: baseline format {data[_KEY]!r} is not supported (expected {FORMAT_VERSION})")
    keys = set()
    for i, e in enumerate(data["findings"]):
        try:
            key = (e["file"], e["code"], e["text"], e["occurrence"])
        except (TypeError, KeyError):
            raise BaselineError(f"{path}: entry {i + 1} needs file, code, text and occurrence") from None
        if not all(isinstance(x, str) for x in key[:3]) or isinstance(key[3], bool) or not isinstance(key[3], int):
            raise BaselineError(f"{path}: entry {i + 1}: file, code and text must be strings, occurrence a number")
        keys.add(key)
    return keys


def apply_baseline(path: Path, results) -> int:
    """Remove from ``results`` (in place) the findings recorded in ``path``; returns how many were hidden."""
    known = read_baseline(path)
    if not known:
        return 0
    findings = [f for r in results for f in r.findings]
    hidden_ids = {id(f) for f, k in keyed(findings, _base(path)) if k in known}
    hidden = 0
    for r in results:
        kept = [f for f in r.findings if id(f) not in hidden_ids]
        hidden += len(r.findings) - len(kept)
        r.findings = kept
    return hidden
