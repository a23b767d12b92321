"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` line per finding, which the runner
turns into an annotation on the pull request's diff.

``::error file=svc/Dockerfile,line=3,col=1,endLine=3,endColumn=12,title=DL3006::Always tag ...``

Levels: error -> error, warning -> warning, info and style -> notice. ``col``/``endColumn`` are given only when
the finding is on one line (GitHub ignores columns on multi-line annotations); ``endColumn`` is inclusive (the
last character), while fastlint's ``end_column`` is exclusive. Property values escape ``% \\r \\n : ,`` and the
message escapes ``% \\r \\n``, as the Actions toolkit does. Files that could not be read become ``::error``
lines without a file.
"""

from __future__ import annotations

from .fingerprints import relative_path

LEVELS = {"error": "error", "warning": "warning", "info": "notice", "style": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _path(file: str) -> str:
    """Paths relative to the working folder (the checkout) when below it; GitHub matches them to the diff."""
    return relative_path(file, ".")


def render(results, run) -> str:
    out: list[str] = []
    for r in results:
        for f in r.findings:
            props = [f"file={escape_property(_path(f.file))}", f"line={max(f.line, 1)}"]
            end_line = max(f.end_line, f.line, 1)
            if end_line == max(f.line, 1):
                col = max(f.column, 1)
                props += [f"col={col}", f"endLine={end_line}", f"endColumn={max(f.end_column - 1, col)}"]
            else:
                props.append(f"endLine={end_line}")
            props.append(f"title={escape_property(f.code)}")
            command = LEVELS.get(f.level, "warning")
            out.append(f"::{command} {','.join(props)}::{escape_data(f.message)}")
    for e in run.errors:
        out.append(f"::error title=fastlint::{escape_data(e)}")
    return "".join(line + "\n" for line in out)
