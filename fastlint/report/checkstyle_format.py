"""The Checkstyle XML report (version 4.3), as hadolint writes it, for tools that read Checkstyle (Jenkins
Warnings, reviewdog, SonarQube importers).

``<checkstyle version="4.3"><file name="svc/Dockerfile"><error line="3" column="1" severity="warning"
message="..." source="DL3006"/></file></checkstyle>``

Every file checked gets a ``<file>`` element (empty when clean), as Checkstyle itself does. Severities:
error, warning and info as they are; style becomes ``info`` (Checkstyle knows only ignore, info, warning,
error). Findings in another file (a Kubernetes manifest) go under that file's element. hadolint's
``--file-path-in-report`` gives every file element that one name.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from . import report_path
from ._xml import clean, serialize

SEVERITIES = {"error": "error", "warning": "warning", "info": "info", "style": "info"}


def render(results, run) -> str:
    root = ET.Element("checkstyle", version="4.3")
    files: dict[str, ET.Element] = {}

    def element(name: str) -> ET.Element:
        if name not in files:
            files[name] = ET.SubElement(root, "file", name=clean(report_path(run, name)))
        return files[name]

    for r in results:
        element(r.path)
        for f in sorted(r.findings, key=lambda f: (f.file != r.path, f.file, f.line, f.column, f.code)):
            ET.SubElement(element(f.file), "error", line=str(f.line), column=str(f.column),
                          severity=SEVERITIES.get(f.level, "warning"), message=clean(f.message), source=f.code)
    return serialize(root)
