"""FL301: the production stage does not end as the policy's non-root user."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import Edit, FileRule
from ..parser.stages import expand
from .lib.places import insert_lines, trailing_insert_point
from .lib.stages import chain, chain_instructions, stage_env
from .lib.users import builtin_user, effective_user, user_ops


def user_matches(value: str, user: dict) -> bool:
    """``nodejs``, ``nodejs:nodejs``, ``1001``, ``1001:1001``, ``nodejs:1001`` are the policy's user."""
    name, uid, gid = user["name"], str(user["uid"]), str(user["gid"])
    who, _, group = value.partition(":")
    if who not in (name, uid):
        return False
    return not group or group in (name, gid)


def user_exists(stages, user: dict) -> bool:
    """The policy's user is created in these stages or comes with the base image."""
    name = user["name"]
    if any(op.kind == "user" and op.name == name for op in user_ops(stages)):
        return True
    return builtin_user(stages[-1], name) is not None


@register
class FL301(FileRule):
    code = "FL301"
    level = "error"
    message = "The production stage does not run as the policy's non-root user"
    name = "non-root-user"
    fix_safety = "unsafe"

    def finish(self):
        final = self.ctx.final_stage
        if final is None:
            return
        df = self.ctx.df
        user = self.policy.user
        stages = chain(final)
        ins = effective_user(stages)
        want = f"{user['name']} ({user['uid']}:{user['gid']})"
        name = user["name"]  # the standard names the user (USER nodejs), as the template writes it
        exists = user_exists(stages, user)
        if ins is None:
            fix = None
            if exists:
                at, prefix = trailing_insert_point(df, final)
                fix = self.fix(insert_lines(df, at, prefix, f"USER {name}\n"), description=f"run as {want}",
                               changes=frozenset({"user"}))
            yield self.hit(final.from_, f"The production stage {final.label!r} runs as root (no USER); end it with "
                                        f"USER {name}", fix=fix)
            return
        word = ins.words[0]
        value = word.text
        if "$" in value:
            value, ok = expand(value, {k: v for k, v in stage_env(chain_instructions(final)).items()})
            if not ok:
                return  # a user chosen at build time: nothing to judge
        if user_matches(value, user):
            return
        where = "" if ins.stage is final else f" (inherited from stage {ins.stage.label!r})"
        fix = None
        if exists and ins.stage is final and "$" not in word.text:
            if builds_as(final, ins):
                # later RUN and WORKDIR lines run as that user (``USER node`` then ``RUN mkdir /home/node/app``):
                # they keep it, and the image switches to the policy's user at the end
                at, prefix = trailing_insert_point(df, final)
                fix = self.fix(insert_lines(df, at, prefix, f"USER {name}\n"), description=f"run as {want}",
                               changes=frozenset({"user"}))
            else:
                fix = self.fix(Edit(word.start, word.end, name), description=f"run as {want}",
                               changes=frozenset({"user"}))
        yield self.hit(word, f"The production stage runs as {value!r}{where}, not as the policy's user {want}",
                       fix=fix)


def builds_as(stage, user_ins) -> bool:
    """True when instructions after ``user_ins`` in the stage run as its user (RUN, WORKDIR's folder creation)."""
    after = stage.instructions[stage.instructions.index(user_ins) + 1:]
    return any(i.keyword in ("RUN", "WORKDIR") for i in after)
