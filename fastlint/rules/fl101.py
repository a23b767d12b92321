"""FL101: the Dockerfile does not have the standard's stages, in order, named with AS."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import FileRule
from .lib.stages import describe, policy_stage


@register
class FL101(FileRule):
    code = "FL101"
    level = "error"
    message = "The Dockerfile does not have the standard's stages (dependencies, builder, runtime-tools, production)"
    name = "standard-stages"

    def finish(self):
        df = self.ctx.df
        stages = df.stages
        if not stages:
            return
        wanted = list(self.policy.stages)
        order = {name: i for i, name in enumerate(wanted)}
        present: dict[str, object] = {}
        for s in stages:
            name = policy_stage(self.policy, s)
            if name is not None and name not in present:
                present[name] = s
        # stages out of order: a policy stage that comes after one the policy puts later
        latest = None
        for s in stages:
            name = policy_stage(self.policy, s)
            if name is None or present.get(name) is not s:
                continue
            if latest is not None and order[name] < order[latest[0]]:
                yield self.hit(s.from_.words[2] if len(s.from_.words) >= 3 else s.from_,
                               f"Stage '{s.name}' comes after '{latest[1].name}'; the standard's order is "
                               f"{', '.join(wanted)}")
            elif latest is None or order[name] > order[latest[0]]:
                latest = (name, s)
        # missing stages, each reported where it should start (grouped when they share that place)
        missing = [name for name in wanted if name not in present]
        if missing:
            groups: dict[int, tuple[object, list[str]]] = {}
            for name in missing:
                after = [present[n] for n in wanted[order[name] + 1:] if n in present]
                anchor = after[0] if after else (stages[-1] if present else stages[0])
                groups.setdefault(anchor.index, (anchor, []))[1].append(name)
            for anchor, names in groups.values():
                if len(names) == len(wanted):
                    msg = (f"The Dockerfile has no stage named as the standard's ({', '.join(wanted)}); "
                           f"write the 4-stage build with `FROM ... AS <stage>`")
                else:
                    s = "s" if len(names) > 1 else ""
                    msg = f"Missing stage{s} {', '.join(repr(n) for n in names)} (the standard's stages are " \
                          f"{', '.join(wanted)}, in this order, named with AS)"
                yield self.hit(anchor.from_, msg)
        # the image is built from the last stage (or the policy's target): it must be the last policy stage
        last = wanted[-1]
        final = self.ctx.final_stage
        if last in present and final is not None and policy_stage(self.policy, final) != last \
                and not self.policy.target:
            yield self.hit(final.from_, f"The image is built from stage {describe(final)}, not from '{last}': "
                                        f"make '{last}' the last stage (or set the policy's target)")
