"""The JUnit XML report, for CI systems that show test results (GitLab, Jenkins, Azure DevOps).

One ``<testsuite>`` per Dockerfile checked, named by its path; one failing ``<testcase>`` per finding (the
``<failure>`` carries the code as ``type``, the message, and ``file:line:col: CODE message (level)`` as text);
a file with no findings gets one passing test case, so it shows as checked. Files that could not be read are
a ``fastlint`` suite with one ``<error>`` test case each. hadolint's ``--file-path-in-report`` replaces every
file name.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from . import report_path
from ._xml import clean, serialize


def render(results, run) -> str:
    root = ET.Element("testsuites", name="fastlint")
    total = failures = 0
    for r in results:
        suite = ET.SubElement(root, "testsuite", name=clean(report_path(run, r.path)))
        by_file = sorted(r.findings, key=lambda f: (f.file != r.path, f.file, f.line, f.column, f.code))
        for f in by_file:
            file = report_path(run, f.file)
            case = ET.SubElement(suite, "testcase", name=clean(f"{f.code} at {file}:{f.line}:{f.column}"),
                                 classname=clean(file), file=clean(file), line=str(f.line))
            failure = ET.SubElement(case, "failure", message=clean(f.message), type=f.code)
            failure.text = clean(f"{file}:{f.line}:{f.column}: {f.code} {f.message} ({f.level})")
        if not by_file:
            ET.SubElement(suite, "testcase", name="no findings", classname=clean(report_path(run, r.path)),
                          file=clean(report_path(run, r.path)))
        n, nf = max(len(by_file), 1), len(by_file)
        suite.set("tests", str(n))
        suite.set("failures", str(nf))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        total += n
        failures += nf
    errors = len(run.errors)
    if errors:
        suite = ET.SubElement(root, "testsuite", name="fastlint", tests=str(errors), failures="0",
                              errors=str(errors), skipped="0")
        for e in run.errors:
            case = ET.SubElement(suite, "testcase", name=clean(e), classname="fastlint")
            err = ET.SubElement(case, "error", message=clean(e), type="read-error")
            err.text = clean(e)
        total += errors
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", str(errors))
    return serialize(root)
