"""Findings as LSP diagnostics: the rule ID as the code, a link to the rule's docs, the exact range (LSP's
0-based lines and code units), the level the policy gives as the severity, ``fastlint`` as the source."""

from __future__ import annotations

import re

from lsprotocol import types

from ..engine.rule import Finding
from .linting import Result
from .positions import LineIndex

SOURCE = "fastlint"
SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
    "style": types.DiagnosticSeverity.Hint,
}
_PLACE = re.compile(r"^(\d+):(\d+):\s*(.*)$", re.DOTALL)


def docs_uri(code: str) -> str | None:
    """Where the rule's docs are, as SARIF's ``helpUri`` says (``Rule.docs_url``: its catalogue page, ShellCheck's
    wiki, BuildKit's docs); None for a code no fastlint rule reports (a data rule's, a rule package's)."""
    from ..engine.index import DL1000, docs_url, owner

    if owner(code) is None and code != DL1000[0]:
        return None
    return docs_url(code)


def finding_range(f: Finding, index: LineIndex, kind: str | None) -> types.Range:
    """A Dockerfile finding's offsets, or a YAML file's finding's 1-based lines and columns, as an LSP range."""
    if kind == "dockerfile":
        start, end = index.position(f.start), index.position(max(f.end, f.start))
    else:
        start = index.at_line_col(f.line, f.column)
        end = index.at_line_col(f.end_line or f.line, f.end_column or f.column)
        end = max(end, start)
    return types.Range(types.Position(*start), types.Position(*end))


def to_diagnostics(result: Result, encoding: str) -> list[types.Diagnostic]:
    index = LineIndex(result.text, encoding)
    out = []
    if result.config_error is not None:
        out.append(types.Diagnostic(range=_line_range(index, 0), message=f"configuration: {result.config_error}",
                                    severity=types.DiagnosticSeverity.Error, source=SOURCE))
    if result.error is not None:
        line, col, message = place_of(result.error, result.name)
        pos = types.Position(*index.at_line_col(line, col))
        out.append(types.Diagnostic(range=types.Range(pos, pos), message=message,
                                    severity=types.DiagnosticSeverity.Error, source=SOURCE))
    for f in result.findings:
        if f.file == result.name:  # not a finding in another file (none of the rules reports one for a document)
            out.append(diagnostic(f, index, result.kind))
    return out


def diagnostic(f: Finding, index: LineIndex, kind: str | None) -> types.Diagnostic:
    return types.Diagnostic(
        range=finding_range(f, index, kind),
        message=f.message,
        severity=SEVERITY.get(f.level, types.DiagnosticSeverity.Warning),
        code=f.code,
        code_description=types.CodeDescription(href=uri) if (uri := docs_uri(f.code)) else None,
        source=SOURCE,
        data={"fix": f.fix.safety if f.fix is not None else None},
    )


def place_of(error: str, name: str) -> tuple[int, int, str]:
    """(line, column, message) of an error line ``name:LINE:COL: message`` (1, 1 when it names no place)."""
    rest = error[len(name) + 1:] if error.startswith(f"{name}:") else error
    m = _PLACE.match(rest.strip())
    if m:
        return int(m.group(1)), int(m.group(2)), m.group(3)
    return 1, 1, rest.strip()


def _line_range(index: LineIndex, line: int) -> types.Range:
    return types.Range(types.Position(line, 0), types.Position(*index.position(index.line_end(line))))
