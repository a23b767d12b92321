"""The index of the installed rule packages' entry points, kept between runs (why: ``engine/packages.py``).

One small file per ``sys.path`` in the cache folder (``$FASTLINT_CACHE_DIR``, default ``~/.cache/fastlint``):
the folders of ``sys.path`` with their modification times, then the entry points found (name, value,
distribution, version). It is valid while every folder keeps its modification time: installing or removing a
distribution adds or removes a folder in one of them. This module is all a run with no rule package installed
imports of the packages' machinery.
"""

from __future__ import annotations

import os
import sys

FORMAT = "fastlint entry points 1"


def cached() -> list[tuple[str, ...]] | None:
    """The entry points the index holds, as ``(name, value, dist, version)``; None when it is stale or missing."""
    entries = _entries()
    path = _path(entries)
    if path is None:
        return None
    try:
        with open(path, encoding="utf-8") as f:
            saved = f.read()
    except (OSError, UnicodeDecodeError):
        return None
    head, sep, body = saved.partition("\n--\n")
    if not sep or head != _stamp(entries):
        return None
    return [tuple(line.split("\t")) for line in body.splitlines() if line.count("\t") == 3]


def write(found: list[tuple[str, ...]]) -> None:
    """Record what was found for this ``sys.path``; in one rename (another process reads the old index or the new
    one); silently not at all when the folder cannot be written."""
    entries = _entries()
    path = _path(entries)
    if path is None:
        return
    text = _stamp(entries) + "\n--\n" + "".join("\t".join(item) + "\n" for item in found)
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _entries() -> list[str]:
    return list(dict.fromkeys(e or "." for e in sys.path))


def _stamp(entries: list[str]) -> str:
    return FORMAT + "\n" + "\n".join(f"{_mtime(e)} {e}" for e in entries)


def _mtime(path: str) -> str:
    try:
        return str(os.stat(path).st_mtime_ns)
    except OSError:
        return "-"


def _path(entries: list[str]) -> str | None:
    """The index file of this ``sys.path`` (one per environment), or None when there is no cache folder."""
    root = os.environ.get("FASTLINT_CACHE_DIR")
    if not root:
        home = os.path.expanduser("~")
        if home == "~":
            return None
        root = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(home, ".cache"), "fastlint")
    # FNV-1a over 8-byte words: a stable name without importing zlib or hashlib (start-up time)
    data = "\0".join(entries).encode("utf-8", "surrogatepass")
    key = 0xCBF29CE484222325
    for i in range(0, len(data), 8):
        key = ((key ^ int.from_bytes(data[i:i + 8], "little")) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return os.path.join(root, f"entry-points-{key:016x}")
