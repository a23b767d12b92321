"""DL3019: Use the ``--no-cache`` switch with ``apk add``."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import InstructionRule
from ..parser.shell import cache_mount_covers
from .lib.packages import VALUE_OPTIONS
from .lib.run import hit_command, insert_after_word, shell_of

# apk commands that read the package index saved in /var/cache/apk by an earlier `apk add -U` / `apk update`
INDEX_READERS = ("upgrade", "search", "fetch", "policy", "list", "dot", "version", "info")


def apk_cache_mounted(ins) -> bool:
    """A cache or tmpfs mount holds apk's cache (/var/cache/apk, or /etc/apk/cache, its usual link)."""
    return cache_mount_covers(ins, "/var/cache/apk", "/etc/apk/cache")


def fixable_adds(sh) -> list:
    return [c for c in sh.find("apk") if "add" in c.arg_texts and not c.has_flag("no-cache")]


@register
class DL3019(InstructionRule):
    code = "DL3019"
    level = "info"
    message = ("Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` when "
               "done installing packages")
    name = "apk-no-cache"
    fix_safety = "safe"
    needs_instructions = ("RUN",)
    needs_words = ("apk",)

    def check(self, ins):
        sh = shell_of(ins)
        if sh is None or apk_cache_mounted(ins):
            return
        bad = fixable_adds(sh)
        if not bad:
            return
        edits = [insert_after_word(sh, c, "add", "--no-cache") for c in bad]
        fix = None
        if all(edits) and not self._later_index_readers(ins, sh, bad[0]):
            fix = self.fix(*edits, description="add --no-cache")
        hit = hit_command(self, ins, sh, bad[0])
        hit.fix = fix
        yield hit

    def _later_index_readers(self, ins, sh, first) -> bool:
        """True when a later apk command of the stage (or of a stage built on it) reads the index this ``apk add``
        would have saved, and is not itself fixed by this rule: then ``--no-cache`` here would change what it does,
        and there is no fix.

        Safe otherwise: ``--no-cache`` fetches the index into memory and installs the same packages; only the
        files apk leaves in /var/cache/apk differ (they are gone, which is the point of the rule)."""
        if ins.parent is not None or ins.stage is None:
            return True
        df = self.ctx.df
        stages = {ins.stage.index}
        for s in df.stages:
            if s.parent is not None and s.parent.index in stages:
                stages.add(s.index)
        later_cmds = [c for c in sh.commands if c.start > first.start and c.is_("apk")]
        for other in df.instructions:
            if other.index <= ins.index or other.stage is None or other.stage.index not in stages:
                continue
            osh = shell_of(other)
            if osh is not None:
                later_cmds += osh.find("apk")
        for c in later_cmds:
            sub = c.subcommand(VALUE_OPTIONS["apk"])
            if sub not in INDEX_READERS or c.has_flag("no-cache", "U", "update", "update-cache"):
                continue  # (a later `apk add` is fixed by this rule too: it then fetches its own index)
            return True
        return False
