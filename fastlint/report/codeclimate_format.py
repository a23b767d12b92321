"""hadolint's ``-f codeclimate``: Code Climate engine output, one issue object per finding, each followed by a NUL
byte (the Code Climate engine protocol). Severities as hadolint maps them: error -> blocker, warning -> major,
info -> info, style -> minor. As with hadolint, a run with this format exits 0 (an engine reports, it does not
fail)."""

from __future__ import annotations

import json

from . import report_path

SEVERITIES = {"error": "blocker", "warning": "major", "info": "info", "style": "minor"}


def issue(f, run) -> dict:
    return {"categories": ["Bug Risk"], "check_name": f.code, "description": f.message,
            "location": {"lines": {"begin": f.line, "end": f.line}, "path": report_path(run, f.file)},
            "severity": SEVERITIES.get(f.level, "major"), "type": "issue"}


def render(results, run) -> str:
    return "".join(json.dumps(issue(f, run), separators=(",", ":"), ensure_ascii=False) + "\0"
                   for r in results for f in r.findings)
