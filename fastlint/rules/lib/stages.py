"""The multi-stage model as the builder sees it.

* A stage built ``FROM`` another stage starts with that stage's filesystem and configuration: ``chain(stage)``
  is the stage with its ancestors (root first), so USER, HEALTHCHECK, ENV and installed packages are inherited.
* ``COPY --from=X`` names an earlier stage (case-insensitively) or a stage index; anything else is an external
  image (``from_stage``).
* The base image's family (alpine, debian...) is the business of ``families``.
"""

from __future__ import annotations



# -- stages ----------------------------------------------------------------------------------------------------
def chain(stage) -> list:
    """The stage and the stages it is built FROM, root first."""
    out = []
    s = stage
    while s is not None:
        out.append(s)
        s = s.parent
    out.reverse()
    return out


def chain_instructions(stage) -> list:
    """Every top-level instruction of the stage and its ancestors, in build order (FROM lines excluded)."""
    out = []
    for s in chain(stage):
        out.extend(s.instructions)
    return out


def final_chain(ctx) -> list:
    final = ctx.final_stage
    return chain(final) if final is not None else []


def from_stage(df, stage, value: str | None):
    """The stage ``COPY --from=value`` (or ``RUN --mount=from=value``) reads in ``stage``: an earlier stage by
    name or index, else None (an external image)."""
    if not value:
        return None
    if value.isdigit():
        i = int(value)
        if i < stage.index and i < len(df.stages):
            return df.stages[i]
        return None
    named = df.stage_named(value)
    if named is not None and named.index < stage.index:
        return named
    return None


def policy_stage(policy, stage) -> str | None:
    """The policy stage name of a stage (``dependencies``, ...), compared case-insensitively, else None."""
    if stage is None or not stage.name:
        return None
    low = stage.name.lower()
    for name in policy.stages:
        if name.lower() == low:
            return name
    return None


def describe(stage) -> str:
    return f"'{stage.name}'" if stage.name else f"{stage.index} (unnamed)"


def stage_env(instructions) -> dict[str, str]:
    """ENV and ARG defaults set by these instructions (later ones win)."""
    env: dict[str, str] = {}
    for ins in instructions:
        if ins.keyword in ("ENV", "ARG"):
            for p in ins.pairs:
                if p.value is not None:
                    env[p.key] = p.value
    return env


def workdir(stage) -> str:
    """The stage's working directory at its end (WORKDIR, inherited along the FROM chain), '/' by default."""
    wd = "/"
    for ins in chain_instructions(stage):
        if ins.keyword == "WORKDIR" and ins.value:
            path = ins.value[0]
            wd = path if path.startswith("/") else wd.rstrip("/") + "/" + path
    return wd.rstrip("/") or "/"


def role(ctx, stage) -> str | None:
    """The policy stage a stage plays: its own name when it is one of the policy's stages; the stage that becomes
    the image plays the policy's last stage (production) whatever its name."""
    name = policy_stage(ctx.policy, stage)
    if name is None and stage is ctx.final_stage and ctx.policy.stages:
        name = ctx.policy.stages[-1]
    return name
