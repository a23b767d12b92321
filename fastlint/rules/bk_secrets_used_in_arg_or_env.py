"""SecretsUsedInArgOrEnv (BuildKit): sensitive data should not be used in ARG or ENV."""

from __future__ import annotations

import re

from ..engine.registry import register
from ..engine.rule import InstructionRule
from .lib.buildkit import BuildKitCheck, LexError, expand, go_quote

_DENY = re.compile(r"(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)")
_ALLOW = re.compile(r"(?i)(?:_|^)(?:public|file|version)(?:_|$)")


def secret_key(name: str) -> bool:
    """BuildKit's test: a word of the name (split on _) is a secret word, and none says it is not one."""
    return bool(_DENY.search(name)) and not _ALLOW.search(name)


@register
class SecretsUsedInArgOrEnv(BuildKitCheck, InstructionRule):
    code = "SecretsUsedInArgOrEnv"
    message = "Sensitive data should not be used in the ARG or ENV commands"
    needs_instructions = ("ARG", "ENV")
    # DL3064 is hadolint's version of this check; FL601 (policy) reports secrets too, and is never turned off
    # through this check
    same_as = ("DL3064", "FL601")
    off_with = ("DL3064",)

    def check(self, ins):
        # BuildKit checks the ARG and ENV of stages (the ARGs before the first FROM are not checked), and an
        # ONBUILD ARG/ENV in the stages built on its stage
        if ins.keyword not in ("ARG", "ENV"):
            return
        sites = self.sites(ins)
        if not sites:
            return
        for p in ins.pairs:
            key = p.key
            if ins.keyword == "ENV":  # ENV keys are expanded before BuildKit looks at them
                try:
                    key = expand(p.key_raw, {}, self.ctx.df.escape).text or p.key
                except LexError:
                    pass
            if secret_key(key):
                for site, _ in sites:
                    yield self.check_hit(site, f"Do not use ARG or ENV instructions for sensitive data "
                                               f"({ins.keyword} {go_quote(key)})", about=ins.keyword_start)
