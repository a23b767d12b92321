"""hadolint's default output (``-f tty``), line for line: ``FILE:LINE CODE LEVEL: MESSAGE``, the level coloured
as hadolint colours it (unless ``--no-color``), no source excerpt and no summary. A file that cannot be parsed
is its DL1000 finding on the same kind of line."""

from __future__ import annotations

from .text_format import clean

_RESET = "\033[0m"
COLORS = {"error": "\033[1m\033[91m", "warning": "\033[1m\033[93m", "info": "\033[92m", "style": "\033[96m"}


def render(results, run) -> str:
    out = []
    for r in results:
        for f in r.findings:
            level = f"{COLORS[f.level]}{f.level}{_RESET}" if run.color and f.level in COLORS else f.level
            out.append(f"{f.file}:{f.line} {f.code} {level}: {clean(f.message)}")
    return "".join(line + "\n" for line in out)
