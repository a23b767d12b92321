"""DL1001: Please refrain from using inline ignore pragmas ``# hadolint ignore=DLxxxx``."""

from __future__ import annotations

from ..engine.pragmas import parse_pragma, prefixes_of
from ..engine.registry import register
from ..engine.rule import FileRule


@register
class DL1001(FileRule):
    code = "DL1001"
    level = "info"  # hadolint's default level is "ignore": the rule is off unless selected
    message = "Please refrain from using inline ignore pragmas  `# hadolint ignore=DLxxxx`."
    name = "inline-ignore-pragma"
    default_enabled = False

    def start_file(self, df):
        prefixes = prefixes_of(self.policy)
        for c in df.comments:
            if c.inside:  # a comment inside an instruction's continuation lines is no pragma
                continue
            p = parse_pragma(c.text, prefixes)  # an inline (not global, not stage) ignore pragma, as the engine reads
            # it
            if p is not None and p.kind == "ignore" and not p.scope:
                yield self.hit(c)
