"""Read an image's layers (the tar `docker save` streams) to find wasted bytes and the final file tree.

Wasted bytes are computed as dive computes them (wagoodman/dive, image/efficiency.go): every path that appears
in more than one layer (added, then overwritten or deleted by a whiteout) is an inefficiency, and the waste is
the sum of the sizes of all its appearances; a whiteout counts the size of what it deleted (for a folder, all
files below it in the layers before). Folders themselves weigh nothing.

The final tree (paths present after every layer is applied) answers questions such as "is a devDependency in
the image's node_modules?" without running the image.
"""

from __future__ import annotations

import io
import json
import posixpath
import tarfile
from dataclasses import dataclass, field
from typing import Iterable, Iterator

WHITEOUT = ".wh."
OPAQUE = ".wh..wh..opq"


@dataclass
class LayerEntry:
    path: str  # normalized, no leading "/" or "./"
    size: int
    is_dir: bool
    whiteout: bool = False
    opaque: bool = False


@dataclass
class ImageFiles:
    layers: list[list[LayerEntry]] = field(default_factory=list)
    wasted_bytes: int = 0
    final: dict[str, int] = field(default_factory=dict)  # path -> size (folders: 0) after all layers

    def exists(self, path: str) -> bool:
        return _norm(path) in self.final


def _norm(path: str) -> str:
    path = posixpath.normpath("/" + path.lstrip("./").lstrip("/"))
    return path.lstrip("/")


class _ChunkReader(io.RawIOBase):
    """A file-like view of an iterator of byte chunks (the SDK's `get_image` stream)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks: Iterator[bytes] = iter(chunks)
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        n = min(len(b), len(self._buffer))
        b[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n


def read_layer(fileobj) -> list[LayerEntry]:
    """The entries of one layer tar, read as a stream."""
    entries = []
    with tarfile.open(fileobj=fileobj, mode="r|") as tar:
        for member in tar:
            path = _norm(member.name)
            if not path:
                continue
            base = posixpath.basename(path)
            if base == OPAQUE:
                entries.append(LayerEntry(posixpath.dirname(path), 0, True, opaque=True))
            elif base.startswith(WHITEOUT):
                entries.append(LayerEntry(posixpath.join(posixpath.dirname(path), base[len(WHITEOUT):]), 0, False,
                                          whiteout=True))
            else:
                entries.append(LayerEntry(path, member.size if member.isreg() else 0, member.isdir()))
    return entries


def read_saved_image(chunks: Iterable[bytes]) -> ImageFiles:
    """Parse a `docker save` stream: every layer's entries in order, the waste, and the final tree."""
    by_name: dict[str, list[LayerEntry]] = {}
    manifest = None
    with tarfile.open(fileobj=io.BufferedReader(_ChunkReader(chunks), 1024 * 1024), mode="r|") as outer:
        for member in outer:
            if member.name == "manifest.json":
                manifest = json.load(outer.extractfile(member))
            elif member.isfile() and member.name.endswith("layer.tar"):
                by_name[member.name] = read_layer(outer.extractfile(member))
    if not manifest:
        raise ValueError("the saved image has no manifest.json")
    ordered = [by_name[name] for name in manifest[0]["Layers"]]
    return analyse(ordered)


def analyse(layers: list[list[LayerEntry]]) -> ImageFiles:
    """Apply the layers in order: the final tree, and the wasted bytes as dive counts them."""
    final: dict[str, int] = {}
    folders: set[str] = set()
    seen_count: dict[str, int] = {}
    cumulative: dict[str, int] = {}

    def remove_below(folder: str) -> int:
        """Drop everything below `folder` from the tree; return the bytes it held."""
        prefix = folder + "/"
        gone = [p for p in final if p.startswith(prefix)]
        size = sum(final.pop(p) for p in gone)
        folders.difference_update(gone)
        return size

    for entries in layers:
        for entry in entries:
            if entry.opaque:
                # The folder's earlier content is hidden: each hidden file counts as removed.
                prefix = entry.path + "/"
                for p in [p for p in final if p.startswith(prefix)]:
                    _count(seen_count, cumulative, p, 0)
                remove_below(entry.path)
                continue
            if entry.whiteout:
                # dive: a deleted file weighs nothing more (its earlier copy is already counted, and now
                # appears twice); a deleted folder weighs what was below it.
                size = remove_below(entry.path) if entry.path in folders else 0
                final.pop(entry.path, None)
                folders.discard(entry.path)
                _count(seen_count, cumulative, entry.path, size)
                continue
            _count(seen_count, cumulative, entry.path, 0 if entry.is_dir else entry.size)
            if entry.is_dir:
                folders.add(entry.path)
            elif entry.path in folders:  # a file replacing a folder hides what was below it
                remove_below(entry.path)
                folders.discard(entry.path)
            final[entry.path] = 0 if entry.is_dir else entry.size
            parent = posixpath.dirname(entry.path)
            while parent and parent not in final:  # a folder implied by its file is in this layer too
                final[parent] = 0
                folders.add(parent)
                _count(seen_count, cumulative, parent, 0)
                parent = posixpath.dirname(parent)
    wasted = sum(cumulative[p] for p, n in seen_count.items() if n >= 2)
    return ImageFiles(layers=layers, wasted_bytes=wasted, final=final)


def _count(seen_count: dict[str, int], cumulative: dict[str, int], path: str, size: int) -> None:
    seen_count[path] = seen_count.get(path, 0) + 1
    cumulative[path] = cumulative.get(path, 0) + size


def dev_dependencies_present(files: ImageFiles, workdir: str, dev_dependencies: Iterable[str]) -> list[str]:
    """The devDependencies whose package folder is in `<workdir>/node_modules` of the final tree."""
    found = []
    for name in dev_dependencies:
        if files.exists(posixpath.join(workdir or "/", "node_modules", name, "package.json")):
            found.append(name)
    return sorted(found)
