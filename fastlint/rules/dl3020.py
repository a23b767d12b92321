"""DL3020: Use COPY instead of ADD for files and folders."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import Edit, InstructionRule
from .lib.files import drop_quotes, is_archive

REMOTE_PREFIXES = ("https://", "http://", "git@", "git://", "ssh://")
COPY_FLAGS = ("chown", "chmod", "link", "exclude", "parents")  # ADD flags COPY has too


def is_remote(src: str) -> bool:
    return drop_quotes(src).startswith(REMOTE_PREFIXES)


@register
class DL3020(InstructionRule):
    code = "DL3020"
    level = "error"
    message = "Use COPY instead of ADD for files and folders"
    name = "copy-not-add"
    fix_safety = "safe"
    needs_instructions = ("ADD",)

    def check(self, ins):
        if ins.keyword != "ADD" or ins.heredocs or len(ins.value) < 2:
            return
        sources = ins.value[:-1]
        if all(is_archive(s) or is_remote(s) for s in sources):
            return
        yield self.hit(ins, fix=self._fix(ins, sources))

    def _fix(self, ins, sources):
        """ADD -> COPY when every source is a local file or folder that ADD would not unpack.

        Safe: ADD copies such sources exactly as COPY does. Not offered when a source has a wildcard (ADD unpacks
        any local tar archive it copies, found by its content whatever its name, and a wildcard may match one),
        when a source is an archive or a URL, or when ADD has a flag COPY lacks (--checksum, --keep-git-dir)."""
        if any(is_archive(s) or is_remote(s) for s in sources):
            return None
        if any(f.name not in COPY_FLAGS for f in ins.flags):
            return None
        if any(ch in s for s in sources for ch in "*?["):
            return None
        keyword = "COPY" if ins.keyword_raw.isupper() else ("copy" if ins.keyword_raw.islower() else "Copy")
        return self.fix(Edit(ins.keyword_start, ins.keyword_end, keyword), description="use COPY")
