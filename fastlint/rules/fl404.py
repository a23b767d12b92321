"""FL404: no ``.dockerignore`` beside the Dockerfile, or one that lets node_modules, .git, dist, logs or .env
into the build context. dist is not asked for where the image runs the dist/ of the build context as it is (an
npm tarball of dist/ only, whose build cannot run from the folder, or a dist/ the Dockerfile does not build):
there it is the service's code."""

from __future__ import annotations

from pathlib import Path

from ..dockerignore import DockerIgnoreError, ignore_file
from ..dockerignore import parse as parse_dockerignore
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


def excluded(rules, path: str) -> bool:
    """Is the path left out of the build context (Docker's matching: fastlint/dockerignore.py)?"""
    try:
        return rules.matches(path)
    except DockerIgnoreError:
        return False


def _published_output(folder: Path, df) -> str | None:
    """"dist" when the image runs the build output as it is in the build context: published ready to run, its
    build unable to run here (an npm tarball of dist/ only), or a dist/ the Dockerfile does not build
    (fastlint.project's ``output_run_as_is``): excluding it would leave the image no code."""
    if not (folder / "package.json").is_file():
        return None
    from ..project import Project

    runs = [ins.args_text or "" for ins in df.instructions if ins.keyword == "RUN"]
    found = Project(folder).output_run_as_is(runs)
    return found.value if found is not None and found.value == "dist" else None


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
        path = ignore_file(dockerfile.parent, dockerfile)
        anchor = df.stages[0].from_
        kept = _published_output(dockerfile.parent, df)
        if not path.is_file():
            content = STANDARD_DOCKERIGNORE if kept is None else STANDARD_DOCKERIGNORE.replace(
                f"\n{kept}\n", f"\n# not {kept}: the image runs it as it is in the build context (the Dockerfile does not build it)\n")
            fix = self.fix(Edit(0, 0, content, path=str(path)),
                           description=f"write {path.name} with the standard's exclusions")
            yield self.hit(anchor, f"No {path.name} beside the Dockerfile: node_modules, .git, dist, logs and .env "
                                   f"are sent to the builder and can end up in the image", fix=fix)
            return
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return
        try:
            rules = parse_dockerignore(text)
        except DockerIgnoreError:
            return  # a file Docker rejects: the build fails on it before any of this matters
        missing = [name for name, (paths, _) in REQUIRED.items()
                   if name != kept and not any(excluded(rules, p) for p in paths)]
        if not missing:
            return
        add = "".join(REQUIRED[name][1] + "\n" for name in missing)
        sep = "" if not text or text.endswith("\n") else "\n"
        fix = self.fix(Edit(len(text), len(text), f"{sep}# added by fastlint (FL404)\n{add}", path=str(path)),
                       description=f"add {', '.join(missing)} to {path.name}")
        yield self.hit(anchor, f"{path.name} does not exclude {', '.join(missing)}", fix=fix)
