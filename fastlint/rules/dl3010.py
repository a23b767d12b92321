"""DL3010: Use ADD for extracting archives into an image."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import StageRule
from .lib.files import drop_quotes, is_archive
from .lib.run import shell_of

UNPACKERS = ("unzip", "gunzip", "bunzip2", "unlzma", "unxz", "zgz", "uncompress", "zcat", "gzcat")


def basename(path: str) -> str:
    p = drop_quotes(path)
    return p.replace("\\", "/").rsplit("/", 1)[-1]


def extracts(cmd) -> bool:
    """``tar`` in extract mode (``-x``, ``-xzf``, ``--extract``, ``--get``, or old-style ``tar xf``) or one of the
    unpacking tools."""
    if cmd.is_(*UNPACKERS):
        return True
    if not cmd.is_("tar"):
        return False
    for i, a in enumerate(cmd.args):
        t = a.text
        if t in ("--extract", "--get"):
            return True
        if t.startswith("-") and not t.startswith("--") and "x" in t:
            return True
        if i == 0 and not t.startswith("-") and "x" in t and "/" not in t and "." not in t:
            return True
    return False


@register
class DL3010(StageRule):
    code = "DL3010"
    level = "info"
    message = "Use `ADD` for extracting archives into an image"
    name = "add-for-archives"

    def start_stage(self, stage):
        self.archives: list[tuple[object, str]] = []  # (COPY instruction, archive basename)
        self.reported: set[tuple[int, str]] = set()

    def start_file(self, df):
        self.archives = []
        self.reported = set()

    def check(self, ins):
        if ins.parent is not None:
            return
        if ins.keyword == "COPY" and ins.flag("from") is None and len(ins.value) >= 2 and not ins.heredocs:
            *sources, target = ins.value
            if is_archive(target):
                self.archives.append((ins, basename(target)))
            else:
                self.archives += [(ins, basename(s)) for s in sources if is_archive(s)]
            return
        if ins.keyword != "RUN" or not self.archives:
            return
        sh = shell_of(ins)
        names = {basename(w.text) for c in sh.commands if extracts(c) for w in c.operands()}
        for copy, name in self.archives:
            key = (copy.index, name)
            if name in names and key not in self.reported:
                self.reported.add(key)
                yield self.hit(copy)
