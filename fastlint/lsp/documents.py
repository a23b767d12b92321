"""The documents the editor has open: their text as the editor holds it (saved or not) and its version.

Changes are applied here with LSP's rules (``positions.LineIndex``), whole or incremental, so that the text the
linter sees is the editor's, character for character.
"""

from __future__ import annotations

from pathlib import Path

from .positions import LineIndex


class Document:

    def __init__(self, uri: str, text: str, version: int | None, language_id: str = ""):
        self.uri = uri
        self.text = text
        self.version = version
        self.language_id = language_id
        self.path = path_of(uri)

    def apply(self, changes, version: int | None, encoding: str) -> None:
        """Apply ``textDocument/didChange``'s content changes in order: a change with a range replaces that
        range, one without replaces the whole text."""
        text = self.text
        for change in changes:
            rng = getattr(change, "range", None)
            if rng is None:
                text = change.text
                continue
            index = LineIndex(text, encoding)
            start = index.offset(rng.start.line, rng.start.character)
            end = index.offset(rng.end.line, rng.end.character)
            text = text[:start] + change.text + text[max(start, end):]
        self.text = text
        self.version = version

    @property
    def name(self) -> str:
        """The path the linter is given: the file's path, or for a document never saved (``untitled:``) a name
        in the current folder."""
        return self.path or "Dockerfile"


def path_of(uri: str) -> str | None:
    """The file system path of a ``file:`` URI, else None."""
    from pygls.uris import to_fs_path

    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return str(Path(path)) if path else None
