"""DL1001: Please refrain from using inline ignore pragmas ``# hadolint ignore=DLxxxx``."""

from __future__ import annotations

import re

from ..engine.registry import register
from ..engine.rule import FileRule

# an inline (not global, not stage) ignore pragma, as the engine reads it (fastlint/engine/pragmas.py)
_INLINE = re.compile(r"^(?:fastlint:?|hadolint)\s+ignore\s*=\s*(.*?)\s*$", re.IGNORECASE)
_RULE_ID = re.compile(r"^(?:(?:DL|SC|FL)\d*|ALL)$", re.IGNORECASE)


@register
class DL1001(FileRule):
    code = "DL1001"
    level = "info"  # hadolint's default level is "ignore": the rule is off unless selected
    message = "Please refrain from using inline ignore pragmas  `# hadolint ignore=DLxxxx`."
    name = "inline-ignore-pragma"
    default_enabled = False

    def start_file(self, df):
        for c in df.comments:
            if c.inside:  # a comment inside an instruction's continuation lines is no pragma
                continue
            m = _INLINE.match(c.text)
            if not m:
                continue
            codes = [x for x in re.split(r"[,\s]+", m.group(1).split("#", 1)[0]) if x]
            if codes and all(_RULE_ID.match(x) for x in codes):
                yield self.hit(c)
