"""hadolint's ``-f sonarqube``: SonarQube's generic external issues (``{"issues": [...]}``) with hadolint's
mapping: error -> CRITICAL BUG, warning -> MAJOR, info -> MINOR, style -> INFO code smells. The text range is
fastlint's exact one (hadolint gives columns 0 to 1); a DL1000 finding is a BLOCKER bug, as in hadolint."""

from __future__ import annotations

import json

from . import report_path

SEVERITIES = {"error": "CRITICAL", "warning": "MAJOR", "info": "MINOR", "style": "INFO"}


def render(results, run) -> str:
    issues = []
    for r in results:
        for f in r.findings:
            blocker = f.code == "DL1000"
            issues.append({
                "engineId": "Hadolint" if f.code.startswith(("DL", "SC")) else "fastlint",
                "ruleId": f.code,
                "severity": "BLOCKER" if blocker else SEVERITIES.get(f.level, "MAJOR"),
                "type": "BUG" if blocker or f.level == "error" else "CODE_SMELL",
                "primaryLocation": {
                    "message": f.message,
                    "filePath": report_path(run, f.file),
                    "textRange": {"startLine": f.line, "endLine": max(f.end_line, f.line),
                                  "startColumn": max(f.column - 1, 0),
                                  "endColumn": max(f.end_column - 1, f.column) if f.end_line == f.line
                                  else f.end_column - 1},
                },
            })
    return json.dumps({"issues": issues}, indent=2, ensure_ascii=False) + "\n"
