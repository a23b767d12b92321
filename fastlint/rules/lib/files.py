"""COPY and ADD: their sources and destination; archives; quotes around a path."""

from __future__ import annotations


# -- COPY / ADD ----------------------------------------------------------------------------------------------------
def copy_sources(ins) -> list:
    """The source words of COPY/ADD (the destination and heredoc openers left out)."""
    if ins.keyword not in ("COPY", "ADD") or len(ins.words) < 2:
        return []
    return [w for w in ins.words[:-1] if not (ins.heredocs and w.text.startswith("<<"))]


def copy_dest(ins):
    return ins.words[-1] if ins.keyword in ("COPY", "ADD") and ins.words else None


def drop_quotes(text: str) -> str:
    """The text without the quotes around it (hadolint's ``dropQuotes``)."""
    return text.strip("\"'")


def is_archive(path: str) -> bool:
    return drop_quotes(path).endswith(ARCHIVE_EXTENSIONS)


# hadolint's archiveFileFormatExtensions
ARCHIVE_EXTENSIONS = (".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz",
                      ".tpz", ".txz", ".xz")
