"""FL104: devDependencies reach the production stage."""

from __future__ import annotations


from ..engine.registry import register
from ..engine.rule import FileRule
from .lib.files import copy_sources
from .lib.npm import dev_omitted_by_env, npm_install, npm_prunes_dev
from .lib.run import command_spot, commands
from .lib.stages import chain_instructions, describe, from_stage, stage_env, workdir


class Modules:
    """What a stage's node_modules hold: ``dev`` True (devDependencies in), False (production only), None
    (no node_modules known); ``spot``/``why``: the instruction that put devDependencies there."""

    def __init__(self, dev: bool | None = None, spot: object = None, why: str = ""):
        self.dev = dev
        self.spot = spot
        self.why = why




def carries_node_modules(path: str, source_workdir: str) -> bool:
    """A COPY --from source that brings node_modules: the folder itself, or the source stage's working
    directory (or root) as a whole."""
    p = path.rstrip("/")
    if p.endswith("/*") or p.endswith("/."):
        p = p[:-2]
    return p.rsplit("/", 1)[-1] == "node_modules" or p in ("", ".", source_workdir.rstrip("/"))


@register
class FL104(FileRule):
    code = "FL104"
    level = "error"
    message = "devDependencies reach the production stage"
    name = "no-dev-dependencies"

    def __init__(self, ctx):
        super().__init__(ctx)
        self._memo: dict[int, Modules] = {}

    def finish(self):
        final = self.ctx.final_stage
        if final is None:
            return
        state = self.modules(final)
        if state.dev and state.spot is not None:
            yield self.hit(state.spot, f"devDependencies reach the production stage: {state.why}; prune them in "
                                       f"the builder (npm prune --omit=dev) or install with --omit=dev")

    def modules(self, stage) -> Modules:
        if stage.index in self._memo:
            return self._memo[stage.index]
        self._memo[stage.index] = Modules()  # guards against cycles
        state = Modules()
        env: dict[str, str] = {}
        if stage.parent is not None:
            parent = self.modules(stage.parent)
            state = Modules(parent.dev, parent.spot, parent.why)
            env = stage_env(chain_instructions(stage.parent))
        df = self.ctx.df
        for ins in stage.instructions:
            if ins.keyword in ("ENV", "ARG"):
                for p in ins.pairs:
                    if p.value is not None:
                        env[p.key] = p.value
            elif ins.keyword == "RUN":
                for cmd, script in commands(ins):
                    inst = npm_install(cmd)
                    if inst is not None:
                        omit = inst.omit_dev
                        if omit is None:
                            omit = dev_omitted_by_env(env, cmd)
                        if omit:
                            state = Modules(False)
                        else:
                            text = " ".join([cmd.name] + cmd.arg_texts)
                            where = "" if stage.name is None else f" in stage '{stage.name}'"
                            state = Modules(True, command_spot(script, cmd),
                                            f"`{text}`{where} installs them")
                    elif npm_prunes_dev(cmd, env):
                        state = Modules(False)
            elif ins.keyword == "COPY":
                flag = ins.flag("from")
                if flag is None:
                    continue
                src = from_stage(df, stage, flag.value)
                if src is None:
                    continue
                wd = workdir(src)
                if any(carries_node_modules(w.text, wd) for w in copy_sources(ins)):
                    other = self.modules(src)
                    if other.dev:
                        state = Modules(True, flag, f"node_modules is copied from stage {describe(src)}, where "
                                                    f"{other.why}")
                    elif other.dev is False:
                        state = Modules(False)
        self._memo[stage.index] = state
        return state
