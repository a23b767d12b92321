"""hadolint's ``-f gnu``: the GNU error format editors read, ``hadolint:FILE:LINE: CODE LEVEL: MESSAGE``. The
program name stays ``hadolint`` so that tools configured for hadolint's output keep matching it."""

from __future__ import annotations

from .text_format import clean


def render(results, run) -> str:
    return "".join(f"hadolint:{f.file}:{f.line}: {f.code} {f.level}: {clean(f.message)}\n"
                   for r in results for f in r.findings)
