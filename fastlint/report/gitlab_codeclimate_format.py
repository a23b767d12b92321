"""hadolint's ``-f gitlab_codeclimate``: GitLab Code Quality, a JSON array of Code Climate issues with hadolint's
keys and severities (error -> blocker, warning -> major, info -> info, style -> minor). The ``fingerprint`` is
fastlint's (see ``fingerprints.py``: it survives lines moving, so GitLab does not show an unchanged finding as
new), where hadolint hashes the issue with its line number. ``--format gitlab`` is fastlint's own Code Quality
report (its own severity scale and categories)."""

from __future__ import annotations

import hashlib
import json

from .codeclimate_format import issue
from .fingerprints import key_string, keyed


def render(results, run) -> str:
    findings = [f for r in results for f in r.findings]
    out = []
    for f, key in keyed(findings, getattr(run, "root", ".") or "."):
        item = issue(f, run)
        item["fingerprint"] = hashlib.sha1(key_string(key).encode("utf-8"), usedforsecurity=False).hexdigest()
        out.append(item)
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"
