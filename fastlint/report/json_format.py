"""The JSON report: an array of findings with hadolint's keys (code, level, file, line, column, message) plus
end_line, end_column and fixable (the SPEC)."""

from __future__ import annotations

import json


def render(results, run) -> str:
    return json.dumps([f.to_dict() for r in results for f in r.findings], indent=2) + "\n"
