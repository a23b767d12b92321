"""FL301: the production stage does not end as the policy's non-root user."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import Edit, FileRule
from ..parser.stages import expand
from .lib.places import insert_lines, trailing_insert_point
from .lib.run import commands, positional
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


def other_owner(stages, user: dict) -> str | None:
    """Why the image is built for another user than the policy's: it creates that user (``adduser``,
    ``useradd``) or hands files to it (``chown``, ``COPY --chown``; an owner written with a variable that cannot
    be resolved counts too); None when it does neither. A USER switched to the policy's user would leave those
    files to the other one, which the service may need to write (its storage, its logs)."""
    env = dict(stage_env(chain_instructions(stages[-1])))
    for op in user_ops(stages):
        created = expand(op.name, env)[0] if "$" in op.name else op.name
        if op.kind == "user" and created != user["name"]:
            return f"the image creates user {created!r} (line {op.script.ins.line})"
    for ins in chain_instructions(stages[-1]):
        owners = []
        if ins.keyword in ("COPY", "ADD"):
            owners = [ins.flag_value("chown") or ""]
        elif ins.keyword == "RUN":
            owners = [words[0].text for cmd, _ in commands(ins) if cmd.is_("chown")
                      and not any(a.text.startswith("--reference") for a in cmd.args)
                      for words in [positional(cmd)] if words]
        for owner in owners:
            owner, ok = expand(owner, env) if "$" in owner else (owner, True)
            who, _, group = owner.replace(".", ":", 1).partition(":")
            who = who or group
            if who and (not ok or who not in (user["name"], str(user["uid"]), "root", "0")):
                return f"the image's files are given to {who!r} (line {ins.line})"
    return None


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
            refused = other_owner(stages, user)
            no_fix = f"; no fix: {refused}" if refused else ""
            fix = None
            if exists and not refused:
                at, prefix = trailing_insert_point(df, final)
                fix = self.fix(insert_lines(df, at, prefix, f"USER {name}\n"), description=f"run as {want}",
                               changes=frozenset({"user"}))
            yield self.hit(final.from_, f"The production stage {final.label!r} runs as root (no USER); end it with "
                                        f"USER {name}{no_fix}", fix=fix)
            return
        word = ins.words[0]
        value = word.text
        if "$" in value:
            value, ok = expand(value, dict(stage_env(chain_instructions(final))))
            if not ok:
                return  # a user chosen at build time: nothing to judge
        if user_matches(value, user):
            return
        where = "" if ins.stage is final else f" (inherited from stage {ins.stage.label!r})"
        fix = None
        fixable = ins.stage is final and "$" not in word.text
        refused = other_owner(stages, user) if fixable else None
        no_fix = f"; no fix: {refused}" if refused else ""
        if fixable and exists and not refused:
            if builds_as(final, ins):
                # later RUN and WORKDIR lines run as that user (``USER node`` then ``RUN mkdir /home/node/app``):
                # they keep it, and the image switches to the policy's user at the end
                at, prefix = trailing_insert_point(df, final)
                fix = self.fix(insert_lines(df, at, prefix, f"USER {name}\n"), description=f"run as {want}",
                               changes=frozenset({"user"}))
            else:
                fix = self.fix(Edit(word.start, word.end, name), description=f"run as {want}",
                               changes=frozenset({"user"}))
        yield self.hit(word, f"The production stage runs as {value!r}{where}, not as the policy's user "
                             f"{want}{no_fix}", fix=fix)

def builds_as(stage, user_ins) -> bool:
    """True when instructions after ``user_ins`` in the stage run as its user (RUN, WORKDIR's folder creation)."""
    after = stage.instructions[stage.instructions.index(user_ins) + 1:]
    return any(i.keyword in ("RUN", "WORKDIR") for i in after)
