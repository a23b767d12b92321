"""CopyIgnoredFile (BuildKit): COPY or ADD of a file that .dockerignore excludes."""

from __future__ import annotations

from pathlib import Path

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.buildkit import BuildKitCheck, LexError, UsesBaseImages, expand, go_quote, stage_scopes

_ROOT_PATTERNS = ("*", "**", "**/*")


@register
class CopyIgnoredFile(BuildKitCheck, UsesBaseImages, InstructionRule):
    code = "CopyIgnoredFile"
    message = "Attempting to Copy file that is excluded by .dockerignore"
    needs_instructions = ("COPY", "ADD")

    def __init__(self, ctx):
        super().__init__(ctx)
        self._ignore = False  # not read yet

    def ignore(self):
        """The build context's ignore rules; the context is taken to be the Dockerfile's folder."""
        if self._ignore is False:
            from ..dockerignore import DockerIgnoreError, load

            self._ignore = None
            path = Path(self.ctx.path)
            if path.is_file():
                try:
                    self._ignore = load(path.parent, path)
                except DockerIgnoreError:
                    self._ignore = None  # BuildKit fails the build on it: nothing to say here
        return self._ignore

    def check(self, ins):
        if ins.keyword not in ("COPY", "ADD"):
            return
        sites = self.sites(ins)
        if not sites:
            return
        if ins.keyword == "COPY" and ins.flag("from") is not None:
            return  # from another stage or image, not from the context
        rules = self.ignore()
        # BuildKit does not judge when there is no .dockerignore or when it has exceptions (!)
        if rules is None or rules.path is None or rules.has_exclusions or not rules.patterns:
            return
        for site, key in sites:  # where BuildKit runs it: the COPY, or an ONBUILD COPY in a stage built on it
            scope = stage_scopes(self.ctx).get(key)
            yield from self._excluded(ins, site, scope.env if scope is not None else {}, rules)

    def _excluded(self, ins, site, env, rules):
        from ..dockerignore import DockerIgnoreError, clean

        openers = {(d.start, d.end) for d in ins.heredocs}
        words = [w for w in ins.words if (w.start, w.end) not in openers]
        verb = "Add" if ins.keyword == "ADD" else "Copy"
        for word in words[:-1]:  # the last word is the destination
            try:
                src = expand(word.text if ins.json else word.raw, env, self.ctx.df.escape).text
            except LexError:
                return
            if ins.keyword == "ADD" and (src.startswith(("http://", "https://", "git@")) or "://" in src):
                continue
            src = clean(src)
            if src in (".", "/") and not any(not p.exclusion and p.text in _ROOT_PATTERNS for p in rules.patterns):
                continue  # the context's root is excluded only by a pattern that excludes everything
            try:
                excluded = rules.matches(src)
            except DockerIgnoreError:
                continue
            if excluded:
                yield self.check_hit(site, f"Attempting to {verb} file {go_quote(src)} that is excluded by "
                                           ".dockerignore")
