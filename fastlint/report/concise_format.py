"""``--format concise``: one line per finding, ``path:line:col: CODE [*] message (level)``, and the summary: the
text report without its source lines."""

from __future__ import annotations

from . import text_format


def render(results, run) -> str:
    return text_format.render(results, run, snippets=False)
