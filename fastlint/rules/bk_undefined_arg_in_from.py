"""UndefinedArgInFrom (BuildKit): FROM must use declared ARGs."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.buildkit import BuildKitCheck, LexError, expand, file_meta_args, suggest


@register
class UndefinedArgInFrom(BuildKitCheck, InstructionRule):
    code = "UndefinedArgInFrom"
    message = "FROM command must use declared ARGs"

    def check(self, ins):
        if ins.keyword != "FROM" or not self.top_level(ins) or not ins.value:
            return
        env, declared, ok = file_meta_args(self.ctx)
        if not ok:
            return
        keys = sorted(set(declared) | set(env))  # BuildKit's order is a Go map's: a tie picks any of them
        words = [ins.value[0]]
        platform = ins.flag_value("platform")
        if platform:
            words.append(platform)
        reported: set[str] = set()
        for word in words:
            try:
                result = expand(word, env, self.ctx.df.escape)
            except LexError:
                return
            for name in result.unmatched:
                if name in keys or name in reported:
                    continue
                reported.add(name)
                hint = suggest(name, keys)
                message = f"FROM argument '{name}' is not declared" + (f" (did you mean {hint}?)" if hint else "")
                yield self.check_hit(ins, message)
