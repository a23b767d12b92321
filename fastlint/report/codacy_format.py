"""hadolint's ``-f codacy``: one JSON object per finding (``filename``, ``line``, ``message``, ``patternId``), one
per line, as Codacy's tool protocol reads them. As with hadolint, a run with this format exits 0."""

from __future__ import annotations

import json


def render(results, run) -> str:
    return "".join(json.dumps({"filename": f.file, "line": f.line, "message": f.message, "patternId": f.code},
                              separators=(",", ":"), ensure_ascii=False) + "\n"
                   for r in results for f in r.findings)
