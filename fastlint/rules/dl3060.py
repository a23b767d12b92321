"""DL3060: `yarn cache clean` missing after `yarn install` was run.

A ``yarn install`` (or a bare ``yarn``, which installs) without ``yarn cache clean`` after it in the same RUN
leaves yarn's cache in the layer. As in hadolint, a stage that is neither the last one nor built on by another
stage is excused (its layers are not shipped), and a cache or tmpfs mount over yarn's cache folder satisfies the
rule (``RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install``), as does ``--cache-folder``
pointing into such a mount. An ``ONBUILD RUN yarn install`` always counts: it runs in the image built on it.
"""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import Edit, FileRule
from ..parser.shell import append_point, cache_mount_covers, command_node, run_commands, run_mounts
from .lib.run import last_index

YARN_CACHES = (".cache/yarn", ".yarn/berry/cache", ".yarn/cache")


def is_install(cmd) -> bool:
    if not cmd.is_("yarn"):
        return False
    sub = cmd.subcommand()
    if sub is None:  # bare yarn installs
        return not cmd.has_flag("version", "v", "help", "h")
    return sub == "install" or cmd.has_args("install") and sub not in ("add", "global", "cache", "remove")


def is_clean(cmd) -> bool:
    return cmd.is_("yarn") and cmd.subcommand() == "cache" and cmd.has_args("clean")


@register
class DL3060(FileRule):
    code = "DL3060"
    level = "info"
    message = "`yarn cache clean` missing after `yarn install` was run."
    name = "yarn-cache-clean"
    fix_safety = "unsafe"
    needs_instructions = ("RUN",)
    needs_words = ("yarn",)

    def __init__(self, ctx):
        super().__init__(ctx)
        self.pending: list[tuple[object, object]] = []  # (stage, hit) of RUNs decided at the end

    def _cache_folder_mounted(self, ins, cmd) -> bool:
        folder = cmd.flag_value("cache-folder")
        if not folder:
            return False
        for m in run_mounts(ins):
            target = m.get("target", "").rstrip("/")
            if m.get("type") in ("cache", "tmpfs") and target and (folder == target or folder.startswith(target + "/")):
                return True
        return False

    def check(self, ins):
        if ins.keyword != "RUN":
            return
        commands = run_commands(ins)
        installed = last_index(commands, is_install)
        if installed < 0 or last_index(commands, is_clean) > installed:
            return
        install = commands[installed]
        if cache_mount_covers(ins, *YARN_CACHES) or self._cache_folder_mounted(ins, install):
            return
        fix = None
        at = append_point(ins)
        if at is not None:
            fix = self.fix(Edit(at, at, " && yarn cache clean"), description="append && yarn cache clean")
        hit = self.hit(command_node(ins, install), fix=fix)
        if ins.parent is not None or ins.stage is None:
            yield hit
        else:
            self.pending.append((ins.stage, hit))

    def finish(self):
        stages = self.ctx.df.stages
        final = self.ctx.final_stage
        built_on = {s.parent.index for s in stages if s.parent is not None}
        for stage, hit in self.pending:
            if stage is final or stage.index in built_on or stage is stages[-1]:
                yield hit
