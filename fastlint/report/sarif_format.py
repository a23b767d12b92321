"""The SARIF 2.1.0 report, for GitHub code scanning and other SARIF viewers.

* ``tool.driver.rules``: the rules that ran (``RunInfo.rules``) plus every code that fired (DL1000, each
  ShellCheck code), sorted by code. Not every registered rule: a rule turned off by ``--select``/``--ignore`` or
  the policy did not check anything, and listing it would claim it did. Rules that ran and found nothing are
  listed, so that a viewer can show what was checked. Metadata comes from the rule class (code, name, level,
  fixability) and its catalogue page (``rules/CODE.md``: title, summary, docs as help text and Markdown). The
  data rules of a fastlint.yaml (``custom_rules``) are the driver's too (tag ``custom``).
* ``tool.extensions``: one per rule package whose rules ran (name, version, informationUri from its metadata),
  with its rules, described from its own catalogue.
* ``results``: one per finding, with ``ruleIndex`` into the driver's list, or for a package's rule ``rule``
  (``id``, ``index`` and ``toolComponent.index`` into ``tool.extensions``), a region in Unicode code points
  (``columnKind``; ``endColumn`` is exclusive, as SARIF defines it), paths relative to ``%SRCROOT%`` (the folder
  fastlint ran in), ``partialFingerprints`` that survive lines moving (see ``fingerprints.py``), and ``fixes``
  for fixable findings (``artifactChanges`` with line/column replacements of the original text).
* ``invocations``: whether the run succeeded, and one notification per file that could not be read.
"""

from __future__ import annotations

import hashlib
import json
import os
from urllib.parse import quote

from .fingerprints import key_string, keyed, relative_path

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/fastlint/fastlint"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "fastlint/v1"

LEVELS = {"error": "error", "warning": "warning", "info": "note", "style": "note"}

# Tags by rule family / FAST policy group, so viewers can filter.
_FAMILY_TAGS = {"DL": "hadolint", "SC": "shellcheck", "FL": "fast-policy"}
_FL_GROUP_TAGS = {
    "FL1": "structure", "FL2": "base-image", "FL3": "security", "FL4": "build-cache", "FL5": "healthcheck",
    "FL6": "security", "FL7": "kubernetes",
}


def render(results, run) -> str:
    from ..engine.registry import package_of

    findings = [f for r in results for f in r.findings]
    codes = sorted(set(getattr(run, "rules", None) or ()) | {f.code for f in findings})
    first_message = {}
    for f in findings:
        first_message.setdefault(f.code, f.message)
    classes = getattr(run, "data_rules", None) or {}
    driver: list[str] = []
    packages: dict[str, tuple] = {}  # prefix -> (package, its codes)
    for code in codes:
        pkg = package_of(code)
        if pkg is None:
            driver.append(code)
        else:
            packages.setdefault(pkg.prefix, (pkg, []))[1].append(code)
    rules = [_rule(code, first_message.get(code),
                   _Foreign(classes[code], None, None, "custom") if code in classes else None) for code in driver]
    where: dict[str, dict] = {code: {"ruleIndex": i} for i, code in enumerate(driver)}
    extensions = []
    for k, (pkg, pcodes) in enumerate(packages.values()):
        extensions.append(_extension(pkg, pcodes, first_message))
        for i, code in enumerate(pcodes):
            where[code] = {"rule": {"id": code, "index": i, "toolComponent": {"index": k}}}
    sources = {r.path: r.df.source for r in results if getattr(r, "df", None) is not None}
    root = getattr(run, "root", ".") or "."

    out = []
    for f, key in keyed(findings, root):
        out.append(_result(f, key, where[f.code], sources.get(f.file), root))

    notifications = [
        {"level": "error", "message": {"text": e}, "descriptor": {"id": "read-error"}} for e in run.errors
    ]
    invocation = {"executionSuccessful": not run.errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    tool = {
        "driver": {
            "name": "fastlint",
            "version": run.version or _version(),
            "semanticVersion": run.version or _version(),
            "informationUri": INFORMATION_URI,
            "rules": rules,
        }
    }
    if extensions:
        tool["extensions"] = extensions
    sarif_run = {
        "tool": tool,
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"uri": _dir_uri(root)}},
        "columnKind": "unicodeCodePoints",
        "results": out,
    }
    if getattr(run, "baseline_hidden", 0):
        sarif_run["properties"] = {"baselineHidden": run.baseline_hidden}
    doc = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [sarif_run]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _version() -> str:
    from .. import __version__

    return __version__


# -- rules ----------------------------------------------------------------------------------------------------
def _extension(pkg, codes: list[str], first_message: dict) -> dict:
    """A rule package as a SARIF tool extension: its name, version, home page (its metadata's), its rules."""
    from ..catalogue import page

    from ..engine.registry import rule_for

    home = _home_page(pkg)
    rules = [_rule(code, first_message.get(code), _Foreign(rule_for(code), page(code), home, pkg.dist))
             for code in codes]
    ext = {"name": pkg.dist, "version": pkg.version}
    if home:
        ext["informationUri"] = home
    ext["rules"] = rules
    return ext


def _home_page(pkg) -> str | None:
    """The package's home page from its metadata (Project-URL Homepage/Documentation/Source, else Home-page)."""
    meta = pkg.metadata()
    if meta is None:
        return None
    urls = {}
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        urls[label.strip().lower()] = url.strip()
    for label in ("homepage", "documentation", "source", "repository"):
        if urls.get(label):
            return urls[label]
    return meta.get("Home-page") or None


class _Foreign:
    """A rule that is not one of fastlint's: its class, its catalogue page (or None), where its docs are (or
    None), its tag."""

    def __init__(self, cls, doc, help_uri: str | None, tag: str):
        self.cls, self.doc, self.help_uri, self.tag = cls, doc, help_uri, tag


def _rule(code: str, fired_message: str | None, foreign: _Foreign | None = None) -> dict:
    """A rule's descriptor: fastlint's (its class from the registry, its page from fastlint's catalogue), or
    a ``foreign`` one (a package's rule, a data rule)."""
    from ..catalogue import load
    from ..engine.index import CATALOGUE_URL, DL1000, docs_url, owner

    if foreign is not None:
        cls, doc = foreign.cls, foreign.doc
    else:  # the rule's index entry; a rule that reports several codes (ShellCheck: SC2086) included
        cls, doc = owner(code), load(code)
    family = cls is not None and cls.code != code  # one code of a multi-code rule
    if cls is not None and not family:
        level, message, fixable = cls.level, cls.message, cls.fix_safety is not None
        name = cls.name or code
    elif code == DL1000[0]:
        level, message, fixable, name = DL1000[1], DL1000[2], False, "parse-error"
    else:
        level = cls.level if cls is not None else "warning"
        message, fixable, name = fired_message or code, False, code
    title = doc.title if doc is not None and doc.title else message
    summary = doc.summary if doc is not None and doc.summary else title
    # the rule's (Rule.docs_url): its catalogue page, ShellCheck's wiki, BuildKit's docs; a foreign rule's home
    help_uri = docs_url(code) if foreign is None else foreign.help_uri
    if doc is not None:
        markdown = doc.docs_text()
        text = _plain_help(doc) or summary
    else:
        text = markdown = f"{code}: {title}"
        if family:
            markdown = f"{code}: {title}\n\nSee [{code}'s docs]({help_uri})."
    if foreign is not None:
        tag = foreign.tag
        if cls is not None and not family and cls.docs_url != CATALOGUE_URL:
            help_uri = cls.docs_url.format(code=code)  # a package's rule that names its own page
    else:
        tag = "buildkit" if cls is not None and cls.buildkit else _FAMILY_TAGS.get(code[:2], "other")
    tags = ["dockerfile", tag]
    if foreign is None and code[:3] in _FL_GROUP_TAGS:
        tags.append(_FL_GROUP_TAGS[code[:3]])
    props = {"tags": tags, "fixable": fixable}
    if cls is not None and cls.fix_safety:
        props["fixSafety"] = cls.fix_safety
    descriptor = {
        "id": code,
        "name": name,
        "shortDescription": {"text": title},
        "fullDescription": {"text": summary},
        "help": {"text": text, "markdown": markdown},
        "helpUri": help_uri,
        "defaultConfiguration": {"level": LEVELS.get(level, "warning")},
        "properties": props,
    }
    if help_uri is None:
        del descriptor["helpUri"]
    return descriptor


def _plain_help(doc) -> str:
    """The docs as plain text: the title, then each section as 'Section: body' (code fences kept as they are,
    they read fine as text)."""
    parts = [doc.title] if doc.title else []
    for name, body in doc.sections.items():
        body = body.strip()
        if body:
            parts.append(f"{name}{'' if name.endswith(('?', ':')) else ':'}\n{body}")
    return "\n\n".join(parts)


# -- results --------------------------------------------------------------------------------------------------
def _artifact(file: str, root: str) -> dict:
    rel = relative_path(file, root)
    if os.path.isabs(rel) or rel.startswith("/"):
        return {"uri": "file://" + quote(rel if rel.startswith("/") else "/" + rel, safe="/:")}
    return {"uri": quote(rel, safe="/"), "uriBaseId": SRCROOT}


def _dir_uri(root: str) -> str:
    path = os.path.abspath(root).replace(os.sep, "/")
    if not path.startswith("/"):
        path = "/" + path
    return "file://" + quote(path.rstrip("/") + "/", safe="/:")


def _region(line: int, col: int, end_line: int, end_col: int) -> dict:
    line, col = max(line, 1), max(col, 1)
    end_line = max(end_line, line)
    end_col = max(end_col, 1)
    if end_line == line:
        end_col = max(end_col, col)
    return {"startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col}


def _result(f, key, rule_ref: dict, source, root: str) -> dict:
    location = {
        "physicalLocation": {
            "artifactLocation": _artifact(f.file, root),
            "region": _region(f.line, f.column, f.end_line, f.end_column),
        }
    }
    result = {
        "ruleId": f.code,
        **rule_ref,
        "level": LEVELS.get(f.level, "warning"),
        "message": {"text": f.message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: hashlib.sha256(key_string(key).encode("utf-8")).hexdigest()},
        "properties": {"fastlintLevel": f.level},
    }
    if f.fixable and f.fix is not None and source is not None:
        result["fixes"] = [_fix(f, source, root)]
    return result


def _fix(f, source, root: str) -> dict:
    replacements = []
    for e in sorted(f.fix.edits, key=lambda e: (e.start, e.end)):
        sl, sc = source.line_col(e.start)
        el, ec = source.line_col(max(e.end, e.start))
        replacements.append({
            "deletedRegion": {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec},
            "insertedContent": {"text": e.text},
        })
    description = f.fix.description or "apply fastlint's fix"
    return {
        "description": {"text": f"{description} ({f.fix.safety} fix)"},
        "artifactChanges": [{"artifactLocation": _artifact(f.file, root), "replacements": replacements}],
        "properties": {"safety": f.fix.safety},
    }
