"""Base classes several rules are made of (not rules themselves: they are not registered)."""

from __future__ import annotations

from ...engine.pragmas import pragma_block_start, prefixes_of
from ...engine.rule import Edit, InstructionRule, StageRule
from ...parser.shell import command_node, run_commands
from .packages import package_pinned


class VersionRule(StageRule):
    """yum/dnf version pinning: tracks the variables that ARG and ENV define, per stage."""

    programs: tuple[str, ...] = ()
    skip_args: tuple[str, ...] = ("module",)  # a command with one of these arguments is not a package install

    def __init__(self, ctx):
        super().__init__(ctx)
        self.args: set[str] = set()
        self.env: dict[int, set[str]] = {}  # stage index (-1 before the first FROM) -> ENV names

    def start_stage(self, stage):
        inherited = self.env.get(stage.parent.index, set()) if stage.parent is not None else set()
        self.env[stage.index] = set(inherited)

    def _stage_key(self, ins) -> int:
        return ins.stage.index if ins.stage is not None else -1

    def check(self, ins):
        kw = ins.keyword
        if kw == "ARG":
            self.args.update(p.key for p in ins.pairs)
        elif kw == "ENV" and ins.parent is None:
            self.env.setdefault(self._stage_key(ins), set()).update(p.key for p in ins.pairs)
        elif kw == "RUN":
            variables = self.args | self.env.get(self._stage_key(ins), set())
            for cmd in run_commands(ins):
                if not cmd.is_(*self.programs) or not cmd.has_args("install"):
                    continue
                names = [a for a in cmd.args_no_flags() if a not in ("install", "module")]
                if cmd.has_args("module"):
                    bad = any(":" not in n for n in names)
                elif cmd.has_args(*self.skip_args):
                    continue
                else:
                    bad = any(not package_pinned(n, variables) for n in names)
                if bad:
                    yield self.hit(command_node(ins, cmd))
                    return


class LabelValueRule(InstructionRule):
    label_type: str | None = None  # the schema type the rule checks (None: every label of the schema)
    template = ""  # the message, with {label}

    def bad(self, value: str) -> bool:
        raise NotImplementedError

    def check(self, ins):
        if ins.keyword != "LABEL":
            return
        schema = self.policy.label_schema
        if not schema:
            return
        for p in ins.pairs:
            key = p.key
            kind = schema.get(key)
            if kind is None or (self.label_type is not None and kind.lower() != self.label_type):
                continue
            if self.bad(p.value or ""):
                yield self.hit(p, self.template.format(label=key))
                return


class LastOneWins(StageRule):
    """CMD and ENTRYPOINT: within a stage only the last one takes effect, so each one after the first is
    reported, with a fix that deletes the one before it (safe: the image's configuration is the same), and the
    comment block above it when that block holds an ignore pragma (left behind, it would apply to the next
    instruction)."""

    keyword = ""
    fix_safety = "safe"

    def __init__(self, ctx):
        super().__init__(ctx)
        self.previous = None

    def start_stage(self, stage):
        self.previous = None

    def check(self, ins):
        if ins.keyword != self.keyword or ins.parent is not None:
            return
        previous, self.previous = self.previous, ins
        if previous is None:
            return
        start = pragma_block_start(self.ctx.df, previous, prefixes_of(self.policy))
        fix = self.fix(Edit(start, previous.end, ""),
                       description=f"delete the earlier {self.keyword} (line {previous.line})")
        yield self.hit(ins, fix=fix)
