"""FL302: the policy's user is not created with the policy's uid and gid in the production stage."""

from __future__ import annotations

from ..engine.registry import register
from ..engine.rule import FileRule
from ..parser.tree import Node
from .lib.places import after_instruction, insert_lines
from .lib.families import family
from .lib.stages import chain
from .lib.users import builtin_user, effective_user, user_creation_text, user_ops


@register
class FL302(FileRule):
    code = "FL302"
    level = "error"
    message = "The policy's user is not created with the policy's uid/gid in the production stage"
    name = "user-uid-gid"
    fix_safety = "unsafe"

    def finish(self):
        final = self.ctx.final_stage
        if final is None:
            return
        user = self.policy.user
        name, uid, gid = user["name"], str(user["uid"]), str(user["gid"])
        stages = chain(final)
        ops = user_ops(stages)
        users = [op for op in ops if op.kind == "user" and op.name == name]
        if not users:
            known = builtin_user(final, name)
            if known is not None and (str(known[0]), str(known[1])) == (uid, gid):
                return
            yield self._missing(final, stages, name, uid, gid)
            return
        op = users[-1]
        if op.ident is None:
            yield self.hit(Node(*op.script.word_span(op.name_word)),
                           f"User '{name}' is created without a uid; create it with uid {uid}")
        elif op.ident != uid:
            yield self.hit(Node(*op.script.word_span(op.ident_word)),
                           f"User '{name}' is created with uid {op.ident}, not {uid}")
        group = op.group
        if group is None:
            yield self.hit(Node(*op.script.word_span(op.name_word)),
                           f"User '{name}' is created without a primary group; create group '{name}' with gid {gid} "
                           f"and add the user to it")
            return
        if group.isdigit():
            if group != gid:
                yield self.hit(Node(*op.script.word_span(op.group_word)),
                               f"User '{name}' gets the primary group {group}, not gid {gid}")
            return
        groups = [g for g in ops if g.kind == "group" and g.name == group]
        if not groups:
            yield self.hit(Node(*op.script.word_span(op.group_word)),
                           f"Group '{group}' is not created in the production stage; create it with gid {gid}")
            return
        g = groups[-1]
        if g.ident is None:
            yield self.hit(Node(*g.script.word_span(g.name_word)),
                           f"Group '{group}' is created without a gid; create it with gid {gid}")
        elif g.ident != gid:
            yield self.hit(Node(*g.script.word_span(g.ident_word)),
                           f"Group '{group}' is created with gid {g.ident}, not {gid}")

    def _missing(self, final, stages, name, uid, gid):
        """No creation at all: report at the USER that names the user, else at the production FROM; the fix adds
        the creation right after the production FROM (unless an inherited USER already dropped root)."""
        df = self.ctx.df
        ins = effective_user(stages)
        node = ins.words[0] if ins is not None and ins.words and ins.words[0].text.split(":")[0] in (name, uid) \
            else final.from_
        fix = None
        text = user_creation_text(family(final), name, int(uid), int(gid), df.escape)
        inherited_user = effective_user(stages[:-1])
        if text is not None and inherited_user is None:
            at, prefix = after_instruction(df, final.from_)
            fix = self.fix(insert_lines(df, at, prefix, text), description=f"create user {name} ({uid}:{gid})",
                           changes=frozenset({"user"}))
        return self.hit(node, f"User '{name}' ({uid}:{gid}) is not created in the production stage "
                              f"{final.label!r}", fix=fix)
