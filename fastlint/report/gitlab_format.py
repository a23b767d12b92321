"""The GitLab Code Quality report (a JSON array in Code Climate's issue format), for merge request widgets.

Each finding: ``description`` (``CODE message``), ``check_name`` (the code), ``fingerprint`` (MD5 hex of the
finding's stable key: relative file, code, normalized source line, occurrence — see ``fingerprints.py`` — so
an unchanged finding keeps its fingerprint when lines above it move, and GitLab does not show it as new),
``severity``, ``location.path`` (relative to the folder fastlint ran in, forward slashes) and
``location.lines.begin``.

Severities keep fastlint's order (style < info < warning < error) on GitLab's scale
(info < minor < major < critical < blocker): style -> info, info -> minor, warning -> major,
error -> critical, and a file that cannot be parsed at all (DL1000) -> blocker.
"""

from __future__ import annotations

import hashlib
import json

from .fingerprints import key_string, keyed

SEVERITIES = {"style": "info", "info": "minor", "warning": "major", "error": "critical"}


def _severity(f) -> str:
    if f.code == "DL1000":
        return "blocker"
    return SEVERITIES.get(f.level, "major")


def _category(f) -> str:
    """Code Climate's category: Security for the user, base-image and secrets rules, Performance for the build
    cache rules, Style for style-level findings, else Bug Risk."""
    if f.code[:3] in ("FL2", "FL3", "FL6"):
        return "Security"
    if f.code[:3] == "FL4":
        return "Performance"
    return "Style" if f.level == "style" else "Bug Risk"


def render(results, run) -> str:
    findings = [f for r in results for f in r.findings]
    root = getattr(run, "root", ".") or "."
    issues = []
    for f, key in keyed(findings, root):
        issues.append({
            "type": "issue",
            "engine_name": "fastlint",
            "description": f"{f.code} {f.message}",
            "check_name": f.code,
            "categories": [_category(f)],
            "fingerprint": hashlib.md5(key_string(key).encode("utf-8"), usedforsecurity=False).hexdigest(),
            "severity": _severity(f),
            "location": {"path": key[0], "lines": {"begin": max(f.line, 1), "end": max(f.end_line, f.line, 1)}},
        })
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
