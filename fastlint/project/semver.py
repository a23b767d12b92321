"""npm's version ranges, as npm reads them: ``satisfies("1.2.4", "^1.2.3")``.

The matching is done by `node-semver` (PyPI), a port of npm's own `semver` package; tests/test_project_semver.py
compares it with npm's `semver` (run by node) on every range and version pair of its table. Imported only when a
range is really matched (a lockfile check), never on the lint path of a file without package.json.

A dependency "range" in package.json can also be a dist-tag (``latest``), a URL, a git or file spec, an alias
(``npm:other@^1``) or a workspace protocol: ``spec_kind`` tells which, and only ``range`` specs are matched."""

from __future__ import annotations

import re

_URLISH = re.compile(r"^(?:git\+|git:|github:|gitlab:|bitbucket:|gist:|https?:|ssh:|git@)")
_TAG = re.compile(r"^[A-Za-z][A-Za-z0-9._-]*$")
_GITHUB_SHORT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9._-]+(?:#.*)?$")


def spec_kind(spec: str) -> str:
    """``range`` | ``alias`` | ``git`` | ``url`` | ``file`` | ``workspace`` | ``tag`` | ``other``."""
    s = spec.strip()
    if s.startswith("npm:"):
        return "alias"
    if s.startswith("workspace:"):
        return "workspace"
    if s.startswith(("file:", "link:", "portal:", "./", "../", "/", "~/")):
        return "file"
    if s.startswith(("git+", "git:", "github:", "gitlab:", "bitbucket:", "gist:", "ssh:", "git@")):
        return "git"
    if s.startswith(("http:", "https:")):
        return "git" if s.endswith(".git") or ".git#" in s else "url"
    if s.startswith(("patch:", "exec:", "catalog:")):
        return "other"
    if valid_range(s):
        return "range"
    if _GITHUB_SHORT.match(s):
        return "git"
    if _TAG.match(s):
        return "tag"
    return "other"


def valid_range(spec: str) -> bool:
    from nodesemver import make_range

    try:
        make_range(spec, loose=False)
        return True
    except Exception:
        return False


def satisfies(version: str, spec: str) -> bool | None:
    """Whether ``version`` is in the npm range ``spec``; None when ``spec`` is not a range or ``version`` not a
    version (nothing can be said)."""
    from nodesemver import make_range, satisfies as _satisfies, valid

    try:
        make_range(spec, loose=False)
    except Exception:
        return None
    if not valid(version, loose=False):
        return None
    return bool(_satisfies(version, spec, loose=False))
