"""Dependencies that come from a git repository: the package manager runs ``git`` to fetch them (npm, yarn classic
and berry, pnpm all do, at least to resolve a branch or tag to a commit), so the stage that installs needs git.

The forms package.json takes (npm's ``npm-package-arg``, yarn's and pnpm's the same):

* ``git+https://...``, ``git+ssh://...``, ``git+http://...``, ``git+file://...``, ``git://...``;
* ``git@host:owner/repo.git`` (scp-like ssh);
* ``github:owner/repo``, ``gitlab:...``, ``bitbucket:...``, ``gist:...`` (hosted shortcuts);
* ``owner/repo`` and ``owner/repo#ref`` (GitHub's shorthand);
* ``https://github.com/owner/repo(.git)`` (a hosted repository's URL, not a tarball's);
* yarn berry's ``patch:NAME@SOURCE#...`` whose source is one of those.

Not git: versions and ranges, tags, ``npm:`` aliases, ``file:``/``link:``/``portal:``/``workspace:`` paths, tarball
URLs (``https://.../x.tgz``)."""

from __future__ import annotations

import re
from urllib.parse import unquote

from .facts import Fact

FIELDS = ("dependencies", "devDependencies", "optionalDependencies")

_GIT_URL = re.compile(r"^(?:git\+[a-z]+://|git://|git@[^:/\s]+:)", re.I)
_HOSTED = re.compile(r"^(?:github|gitlab|bitbucket|gist):", re.I)
# npm-package-arg's GitHub shorthand: owner/repo[#ref], the owner not starting like a path, a scope or a range
_SHORTHAND = re.compile(r"^[^@%/\s.:~^<>=*-][^:@%/\s]*/[^@\s/%:]+(?:#\S*)?$")
_HOSTED_URL = re.compile(r"^https?://(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org)/[^/\s]+/[^/\s#]+/?(?:#.*)?$",
                         re.I)
_TARBALL = re.compile(r"\.(?:tgz|tar\.gz|tar)(?:$|[?#])", re.I)


def is_git_spec(spec: str) -> bool:
    """The package.json value names a git repository (the forms of the module docstring)."""
    spec = spec.strip()
    if spec.startswith("patch:"):  # patch:NAME@SOURCE#PATCHES: the source, URL-encoded
        source = spec[len("patch:"):].split("#", 1)[0]
        at = source.find("@", 1)  # after a scope's own @
        return at > 0 and is_git_spec(unquote(source[at + 1:]))
    if _GIT_URL.match(spec) or _HOSTED.match(spec):
        return True
    if _HOSTED_URL.match(spec):
        return not _TARBALL.search(spec)
    return bool(_SHORTHAND.match(spec)) and not _TARBALL.search(spec)  # a/b.tgz: a file


def git_dependencies(package: dict, key_lines: dict) -> list[Fact[str]]:
    """Each dependency from git, as ``Fact("name@spec", "package.json", line, field)``, in package.json's order of
    fields (dependencies, devDependencies, optionalDependencies)."""
    out: list[Fact[str]] = []
    for field in FIELDS:
        deps = package.get(field)
        for name, spec in (deps.items() if isinstance(deps, dict) else []):
            if isinstance(spec, str) and is_git_spec(spec):
                out.append(Fact(f"{name}@{spec}", "package.json", key_lines.get((field, name), 0), field))
    return out


def name_and_spec(dependency: str) -> tuple[str, str]:
    """``"@scope/x@github:o/x"`` -> ``("@scope/x", "github:o/x")``: a value of ``git_dependencies``, split."""
    at = dependency.find("@", 1)
    return dependency[:at], dependency[at + 1:]
