"""UndefinedVar (BuildKit): variables should be defined before their use."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.buildkit import (
    BuildKitCheck,
    LexError,
    NON_ENV_ARGS,
    UsesBaseImages,
    expand,
    file_meta_args,
    stage_scopes,
    suggest,
)

# the instructions whose words BuildKit expands (and so checks); RUN, CMD, ENTRYPOINT, HEALTHCHECK and SHELL
# are left to the shell, EXPOSE is expanded without the check, FROM is UndefinedArgInFrom's
_WORDS = ("ENV", "LABEL", "COPY", "ADD", "WORKDIR", "USER", "VOLUME", "STOPSIGNAL")


@register
class UndefinedVar(BuildKitCheck, UsesBaseImages, InstructionRule):
    code = "UndefinedVar"
    message = "Variables should be defined before their use"

    def check(self, ins):
        if ins.keyword == "FROM":
            return
        for site, key in self.sites(ins):  # the instruction, or an ONBUILD trigger in a stage built on it
            scope = stage_scopes(self.ctx).get(key)
            if scope is not None:
                yield from self._undefined(ins, site, scope)

    def _undefined(self, ins, site, scope):
        esc = self.ctx.df.escape
        missing: dict[str, None] = {}
        env = scope.env
        try:
            if ins.keyword == "ARG":
                # each default is expanded with what the ARGs before it set; the names declared so far count
                env, declared = dict(env), set(scope.args)
                meta = file_meta_args(self.ctx)[0]
                for p in ins.pairs:
                    value = None
                    if p.value is not None:
                        result = expand(p.value_raw if p.value_raw is not None else p.value, env, esc)
                        value = result.text
                        for name in result.unmatched:
                            if name not in declared:
                                missing[name] = None
                    elif p.key in meta:
                        value = meta[p.key]
                    if value is not None and p.key not in NON_ENV_ARGS:
                        env[p.key] = value
                    declared.add(p.key)
                declared_now = scope.args
            else:
                for text, raw in self._words(ins):
                    result = expand(text, env, "\\" if raw else esc, skip_quotes=raw)
                    for name in result.unmatched:
                        missing[name] = None
                declared_now = scope.args
        except LexError:
            return  # BuildKit fails the build here
        for name in missing:
            if name in declared_now or name in NON_ENV_ARGS:
                continue
            hint = suggest(name, list(env))
            message = f"Usage of undefined variable '${name}'" + (f" (did you mean ${hint}?)" if hint else "")
            yield self.check_hit(site, message + scope.assumption())

    def _words(self, ins):
        """(text, raw) of every word BuildKit expands: raw for the body of a COPY/ADD heredoc (expanded with
        quotes kept and ``\\`` as escape)."""
        kw = ins.keyword
        if kw in ("ENV", "LABEL"):
            for p in ins.pairs:
                yield p.key_raw, False
                yield p.value_raw if p.value_raw is not None else "", False
        elif kw in ("COPY", "ADD"):
            for name in ("chown", "chmod") + (("checksum",) if kw == "ADD" else ()):
                value = ins.flag_value(name)
                if value:
                    yield value, False
            openers = {(d.start, d.end) for d in ins.heredocs}
            for word in ins.words:
                if (word.start, word.end) not in openers:
                    yield word.text if ins.json else word.raw, False
            for doc in ins.heredocs:
                if doc.expand:
                    yield doc.content, True
        elif kw == "VOLUME":
            for word in ins.words:
                yield word.text if ins.json else word.raw, False
        elif kw in _WORDS and ins.value:
            yield ins.value[0], False
        elif kw == "RUN":
            for flag in ins.flags:
                if flag.name == "mount" and flag.value:
                    yield flag.value, False
