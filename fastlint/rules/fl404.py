"""FL404: no ``.dockerignore`` beside the Dockerfile, or one that lets node_modules, .git, dist, logs or .env
into the build context."""

from __future__ import annotations

import re
from pathlib import Path

from ..engine.registry import register
from ..engine.rule import Edit, FileRule

# What the standard's build context leaves out; the fix writes this file (or appends the missing entries).
STANDARD_DOCKERIGNORE = """\
# Build context exclusions of the FAST multi-stage build standard (written by fastlint, FL404)
node_modules
npm-debug.log
dist
coverage
.git
.gitignore
logs
*.log
.env
.env.*
Dockerfile*
.dockerignore
"""

# entry -> (what the pattern must exclude: paths tried, any of them excluded is enough; the line the fix adds)
REQUIRED = {
    "node_modules": (("node_modules",), "node_modules"),
    ".git": ((".git",), ".git"),
    "dist": (("dist",), "dist"),
    "logs": (("logs", "npm-debug.log"), "logs\n*.log"),
    ".env": ((".env",), ".env\n.env.*"),
}


def _pattern_regex(pattern: str) -> re.Pattern:
    """A .dockerignore pattern (Go filepath.Match plus ``**``) as a regex over slash-separated paths; a pattern
    also excludes everything under the folders it matches."""
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            if pattern[i:i + 2] == "**":
                out.append(".*")
                i += 2
                if i < len(pattern) and pattern[i] == "/":
                    out[-1] = "(?:.*/)?"
                    i += 1
                continue
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            j = pattern.find("]", i)
            if j == -1:
                out.append(re.escape(ch))
            else:
                body = pattern[i + 1:j].replace("\\", "\\\\")
                if body.startswith("^"):
                    body = "!" + body[1:]
                out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
                i = j
        elif ch == "\\" and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("^" + "".join(out) + "(?:/.*)?$")


def parse_dockerignore(text: str) -> list[tuple[bool, re.Pattern]]:
    """(exception, regex) per pattern, in order."""
    rules = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        exception = line.startswith("!")
        if exception:
            line = line[1:].strip()
        line = line.lstrip("/")
        while line.startswith("./"):
            line = line[2:]
        line = line.rstrip("/")
        if not line:
            continue
        try:
            rules.append((exception, _pattern_regex(line)))
        except re.error:
            continue
    return rules


def excluded(rules, path: str) -> bool:
    """Docker's reading: the last pattern that matches decides."""
    result = False
    for exception, rx in rules:
        if rx.match(path):
            result = not exception
    return result


def ignore_file(dockerfile: Path) -> Path:
    """The ignore file BuildKit reads for a Dockerfile: ``<name>.dockerignore`` beside it wins over
    ``.dockerignore``."""
    specific = dockerfile.with_name(dockerfile.name + ".dockerignore")
    return specific if specific.is_file() else dockerfile.with_name(".dockerignore")


@register
class FL404(FileRule):
    code = "FL404"
    level = "warning"
    message = "No .dockerignore beside the Dockerfile, or it does not exclude node_modules, .git, dist, logs, .env"
    name = "dockerignore"
    fix_safety = "unsafe"

    def finish(self):
        df = self.ctx.df
        if not df.stages:
            return
        dockerfile = Path(self.ctx.path)
        if not dockerfile.is_file():
            return  # text not from a file (stdin, a test's string): there is no folder to look in
        path = ignore_file(dockerfile)
        anchor = df.stages[0].from_
        if not path.is_file():
            fix = self.fix(Edit(0, 0, STANDARD_DOCKERIGNORE, path=str(path)),
                           description=f"write {path.name} with the standard's exclusions")
            yield self.hit(anchor, f"No {path.name} beside the Dockerfile: node_modules, .git, dist, logs and .env "
                                   f"are sent to the builder and can end up in the image", fix=fix)
            return
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return
        rules = parse_dockerignore(text)
        missing = [name for name, (paths, _) in REQUIRED.items() if not any(excluded(rules, p) for p in paths)]
        if not missing:
            return
        add = "".join(REQUIRED[name][1] + "\n" for name in missing)
        sep = "" if not text or text.endswith("\n") else "\n"
        fix = self.fix(Edit(len(text), len(text), f"{sep}# added by fastlint (FL404)\n{add}", path=str(path)),
                       description=f"add {', '.join(missing)} to {path.name}")
        yield self.hit(anchor, f"{path.name} does not exclude {', '.join(missing)}", fix=fix)
