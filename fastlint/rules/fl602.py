"""FL602: OS packages not upgraded in the runtime-tools and production stages."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import FileRule
from .lib.packages import is_upgrade
from .lib.places import after_instruction, insert_lines
from .lib.run import commands
from .lib.families import family
from .lib.stages import chain, describe, policy_stage


def upgrades(stage) -> bool:
    """The stage (or a stage it is built FROM) upgrades its OS packages, with a fresh package index: ``apk
    upgrade`` needs ``--no-cache``/``--update-cache`` or an ``apk update`` before it, or it upgrades nothing."""
    updated = False
    for s in chain(stage):
        for ins in s.instructions:
            if ins.keyword != "RUN":
                continue
            for cmd, _ in commands(ins):
                if cmd.is_("apk") and cmd.subcommand() == "update":
                    updated = True
                elif is_upgrade(cmd):
                    if not cmd.is_("apk") or updated or cmd.has_flag("no-cache", "U", "update-cache"):
                        return True
    return False


@register
class FL602(FileRule):
    code = "FL602"
    level = "warning"
    message = "OS packages not upgraded in the runtime-tools and production stages"
    name = "os-upgrade"
    fix_safety = "unsafe"

    def finish(self):
        df = self.ctx.df
        final = self.ctx.final_stage
        if final is None:
            return
        # the stages that run things: the image's stage, and the policy's stages after its builder stages
        runtime = set(self.policy.stages[2:]) if len(self.policy.stages) > 2 else set()
        judged = [s for s in df.stages if s is final or (policy_stage(self.policy, s) in runtime)]
        for stage in judged:
            fam = family(stage)
            if fam is None or upgrades(stage):
                continue
            fix = None
            if fam == "alpine" and stage.parent is None:
                at, prefix = after_instruction(df, stage.from_)
                fix = self.fix(insert_lines(df, at, prefix, "RUN apk upgrade --no-cache\n"),
                               description="upgrade the OS packages")
            how = "apk upgrade --no-cache" if fam == "alpine" else "apt-get update && apt-get upgrade -y"
            yield self.hit(stage.from_, f"Stage {describe(stage)} does not upgrade its OS packages ({how}): it "
                                        f"ships the base image's known vulnerabilities", fix=fix)
