"""BuildKit's build-check configuration, applied as BuildKit applies it to its checks (the rules with
``buildkit = True``), and the pairing of a BuildKit check with the DL/FL rule that says the same thing.

Where the configuration comes from:

* the ``# check=`` parser directive (``skip=A,B``, ``skip=all``, ``error=true``, ``experimental=A,B|all``, joined
  by ``;``), read as BuildKit reads it: in the file's first lines, ``#`` at column 1, a ``#!`` first line passed
  over, only the value's first word;
* ``buildkit: check:`` in fastlint.yaml (the ``BUILDKIT_DOCKERFILE_CHECK`` build argument): it replaces the
  directive, as the build argument does;
* a ``# check=`` comment among the comments above an instruction (BuildKit's "previous comments": every comment
  since the last instruction, blank lines included, reset by an empty ``#``): its ``skip`` and ``experimental``
  add to the file's for that instruction, for the checks BuildKit runs at that instruction.

How it applies: a skipped check reports nothing; ``skip=all`` leaves only the experimental checks that are
enabled; an experimental check runs only when enabled (or when selected with ``--select``); ``error=true`` makes
the BuildKit findings errors. Rule names are compared without case (BuildKit compares them exactly). A value
BuildKit rejects (``skip``-less ``foo=bar``, ``error=maybe``) makes the build fail: reported as DL1000.

Pairs: a BuildKit check that says what a DL/FL rule says names it in ``twins``. When both run, one finding is
reported: the DL/FL one (its ID is the one baselines, pragmas and configurations already use, and it carries the
fix); the BuildKit finding stays only where its twin did not fire. Silencing either member of a pair silences
both (``--ignore``, ``rules: ignore``, ``severity: off``, a pragma, ``# check=skip=NAME``), except that a policy
rule (FL) is never turned off by a Dockerfile's ``# check=`` or by turning off its BuildKit twin.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..parser.tree import Dockerfile, Instruction
    from .rule import Finding, Hit, Rule

_GO_WS = "\t\n\f\r "
_DIRECTIVE_LINE = re.compile(r"^([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*$")
_DIRECTIVES = ("syntax", "escape", "check")
_TRUE = ("1", "t", "T", "TRUE", "true", "True")
_FALSE = ("0", "f", "F", "FALSE", "false", "False")


class CheckOptionError(ValueError):
    """A check option BuildKit rejects (the build fails)."""


class CheckConfig:
    """BuildKit's linter.Config. Rule names are kept as written; ``skips``/``enables`` compare without case."""

    __slots__ = ("skip", "skip_all", "experimental", "experimental_all", "error")

    def __init__(self, skip=(), skip_all=False, experimental=(), experimental_all=False, error=False):
        self.skip = [s for s in skip]
        self.skip_all = skip_all
        self.experimental = [e for e in experimental]
        self.experimental_all = experimental_all
        self.error = error

    @classmethod
    def parse(cls, text: str) -> CheckConfig:
        """BuildKit's ParseLintOptions: at most three ``;``-separated ``key=value`` parts."""
        text = text.strip(" \t\n\r\v\f")
        cfg = cls()
        if not text:
            return cfg
        for part in text.split(";", 2):  # Go's SplitN(text, ";", 3)
            key, eq, value = part.partition("=")
            if not eq:
                raise CheckOptionError(f'invalid check option "{part}"')
            key, value = key.strip(), value.strip()
            if key == "skip":
                if value == "all":
                    cfg.skip_all = True
                else:
                    cfg.skip = [s.strip() for s in value.split(",")]
            elif key == "experimental":
                if value == "all":
                    cfg.experimental_all = True
                else:
                    cfg.experimental = [s.strip() for s in value.split(",")]
            elif key == "error":
                if value in _TRUE:
                    cfg.error = True
                elif value in _FALSE:
                    cfg.error = False
                else:
                    raise CheckOptionError(f'failed to parse check option "{part}": invalid syntax')
            else:
                raise CheckOptionError(f'invalid check option "{key}"')
        return cfg

    def merged(self, other: CheckConfig | None) -> CheckConfig:
        """WithMergedConfig: the skips and experimental checks of both (``error`` is the file's)."""
        if other is None:
            return self
        return CheckConfig(self.skip + other.skip, self.skip_all or other.skip_all,
                           self.experimental + other.experimental, self.experimental_all or other.experimental_all,
                           self.error)

    def runs(self, name: str, experimental: bool) -> bool:
        """Would BuildKit run this check? (linter.Run)"""
        upper = name.upper()
        if experimental:
            return self.experimental_all or any(e.upper() == upper for e in self.experimental)
        return not self.skip_all and not any(s.upper() == upper for s in self.skip)

    def skips_by_name(self, name: str) -> bool:
        upper = name.upper()
        return any(s.upper() == upper for s in self.skip)

    def enables_experimental(self) -> bool:
        return self.experimental_all or bool(self.experimental)


def directive(text: str) -> tuple[str, int] | None:
    """(value, line) of the ``# check=`` directive as BuildKit's ParseDirective finds it: the BOM dropped, a ``#!``
    first line passed over, then the leading ``#key=value`` lines (``#`` at column 1); only the value's first
    word counts."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    number = 0
    if lines and lines[0].startswith("#!"):
        lines, number = lines[1:], 1
    seen: set[str] = set()
    for line in lines:
        number += 1
        if line.endswith("\r"):
            line = line[:-1]
        if not line.startswith("#"):
            return None
        m = _DIRECTIVE_LINE.match(line[1:].lstrip(_GO_WS + "\v\x85\xa0"))
        if m is None or m.group(1).lower() not in _DIRECTIVES:
            return None
        key = m.group(1).lower()
        if key in seen:
            return None  # "only one check parser directive": BuildKit keeps the first one it read
        seen.add(key)
        if key == "check":
            return m.group(2).split(" ", 1)[0], number
    return None


def comment_config(comments: list[str]) -> CheckConfig | None:
    """WithMergedConfigFromComments: the first comment that is a ``check=`` directive (an invalid one is
    ignored)."""
    for text in comments:
        m = _DIRECTIVE_LINE.match(text.lstrip(_GO_WS + "\v\x85\xa0"))
        if m is None or m.group(1).lower() != "check":
            continue
        try:
            return CheckConfig.parse(m.group(2).split(" ", 1)[0])
        except CheckOptionError:
            return None
    return None


def previous_comments(df: Dockerfile) -> dict[int, list[str]]:
    """Each top-level instruction's PrevComment (by instruction index): the comment texts since the previous
    instruction, blank lines included, an empty ``#`` starting over; directives are not comments."""
    out: dict[int, list[str]] = {}
    pending: list[str] = []
    comments = iter(sorted((c for c in df.comments if not c.inside), key=lambda c: c.start))
    comment = next(comments, None)
    for ins in df.instructions:
        while comment is not None and comment.start < ins.start:
            if comment.text:
                pending.append(comment.text)
            else:
                pending = []
            comment = next(comments, None)
        if pending:
            out[ins.index] = pending
        pending = []
    return out


def file_config(df: Dockerfile, policy) -> CheckConfig:
    """The file's configuration: fastlint.yaml's ``buildkit: check`` when set, else the ``# check=`` directive
    (an invalid directive: empty; ``directive_error`` reports it)."""
    configured = getattr(policy, "buildkit_check", None)
    if configured is not None:
        return configured
    found = directive(df.text)
    if found is None:
        return CheckConfig()
    try:
        return CheckConfig.parse(found[0])
    except CheckOptionError:
        return CheckConfig()


def directive_error(df: Dockerfile, policy=None) -> tuple[int, str] | None:
    """(line, message) when the ``# check=`` directive has a value BuildKit rejects (and fastlint.yaml does not
    replace it): the build fails."""
    if policy is not None and getattr(policy, "buildkit_check", None) is not None:
        return None
    found = directive(df.text)
    if found is None:
        return None
    try:
        CheckConfig.parse(found[0])
    except CheckOptionError as err:
        return found[1], f"failed to parse check options: {err}"
    return None


def enabled_experimental(df: Dockerfile, cfg: CheckConfig, active: list, policy, selection) -> list:
    """The experimental checks that are not active but that the file enables (its configuration, or a
    ``# check=experimental=`` comment above an instruction), unless the user turned them off."""
    from .registry import all_rules, matches

    candidates = [cls for cls in all_rules().values() if getattr(cls, "experimental", False) and cls not in active]
    if not candidates:
        return []
    configs = [cfg] + [c for c in (comment_config(v) for v in previous_comments(df).values()) if c is not None]
    out = []
    for cls in candidates:
        if matches(cls.code, policy.ignore) or matches(cls.code, selection.ignore):
            continue
        if policy.severity.get(cls.code) in ("off", "none"):
            continue
        if selection.select and not matches(cls.code, selection.select):
            continue
        if any(c.runs(cls.code, True) for c in configs):
            out.append(cls)
    return out


# -- pairs ---------------------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def twin_map() -> dict[str, list[tuple[str, tuple[str, ...] | None]]]:
    """DL/FL code -> [(BuildKit check, keywords it pairs on)], from the checks' ``twins``."""
    from .registry import all_rules

    out: dict[str, list[tuple[str, tuple[str, ...] | None]]] = {}
    for code, cls in all_rules().items():
        for twin, keywords in (getattr(cls, "twins", None) or {}).items():
            out.setdefault(twin, []).append((code, keywords))
    return out


def _instruction_at(df: Dockerfile, offset: int) -> Instruction | None:
    instructions = df.instructions
    k = bisect.bisect_right([i.start for i in instructions], offset) - 1
    if k >= 0 and instructions[k].start <= offset < instructions[k].end:
        return instructions[k]
    return None


def _twins_here(cls, keyword: str) -> list[str]:
    return [code for code, keywords in (getattr(cls, "twins", None) or {}).items()
            if keywords is None or keyword in keywords]


def finish(kept: list[tuple[Finding, Rule, Hit]], ctx, policy, selection, pragmas, added: set) -> list[Finding]:
    """Apply the check configuration and the pairs to a file's findings (after selection and pragmas).
    ``added``: the experimental checks that run because the file enables them (not because they were selected)."""
    from .pragmas import suppressed
    from .registry import all_rules, matches

    twins_of = twin_map()
    if not any(getattr(type(r), "buildkit", False) or f.code in twins_of for f, r, _ in kept):
        return [f for f, _, _ in kept]
    rules = all_rules()
    df = ctx.df
    cfg: CheckConfig = ctx.check
    prev = previous_comments(df)
    drop: set[int] = set()  # ids of dropped findings

    def local(cls, offset: int) -> CheckConfig:
        """The configuration at an instruction: the file's, with its comments' for the checks BuildKit runs
        there (the others see the file's only)."""
        if getattr(cls, "check_scope", "instruction") != "instruction":
            return cfg
        ins = _instruction_at(df, offset)
        return cfg if ins is None else cfg.merged(comment_config(prev.get(ins.index, [])))

    def off(code: str, offset: int) -> bool:
        """Turned off by the user: ignored, severity off, or a pragma at this place."""
        if matches(code, policy.ignore) or matches(code, selection.ignore):
            return True
        if policy.severity.get(code) in ("off", "none"):
            return True
        return policy.allow_pragmas and pragmas is not None and suppressed(code, offset, False, pragmas)

    def keyword_at(offset: int) -> str:
        ins = _instruction_at(df, offset)
        return ins.keyword if ins is not None else ""

    # the BuildKit checks: the configuration, and the DL twins turned off
    for f, rule, hit in kept:
        cls = type(rule)
        if not getattr(cls, "buildkit", False):
            continue
        governing = getattr(hit, "governing", None)
        here = local(cls, hit.start if governing is None else governing)
        if cls.experimental and here.runs(cls.code, True):
            pass  # enabled: BuildKit runs an enabled experimental check whatever its skips say
        elif cls in added or not here.runs(cls.code, False):
            drop.add(id(f))  # added for another instruction's comment, or skipped
            continue
        at = getattr(hit, "twin_at", None)
        at = hit.start if at is None else at  # where the twin reports (its pragmas are there)
        if any(off(t, at) for t in _twins_here(cls, keyword_at(at)) if not t.startswith("FL")):
            drop.add(id(f))
            continue
        if cfg.error and cls.code not in policy.severity:
            f.level = "error"
    # DL findings turned off through their BuildKit twin (never an FL policy rule)
    for f, rule, hit in kept:
        if getattr(type(rule), "buildkit", False) or f.code.startswith("FL") or f.code not in twins_of:
            continue
        keyword = keyword_at(f.start)
        for bk, keywords in twins_of[f.code]:
            if keywords is not None and keyword not in keywords:
                continue
            if local(rules[bk], f.start).skips_by_name(bk) or off(bk, f.start):
                drop.add(id(f))
                break
    # one finding per pair: the twin's, where the twin fired
    for f, rule, hit in kept:
        cls = type(rule)
        if id(f) in drop or not getattr(cls, "buildkit", False):
            continue
        target = getattr(hit, "twin_at", None)
        ins = _instruction_at(df, hit.start if target is None else target)
        if ins is None:
            continue
        twins = _twins_here(cls, ins.keyword)
        partner = next((g for g, _, _ in kept if id(g) not in drop and g.code in twins
                        and ins.start <= g.start < ins.end), None)
        if partner is not None:
            if f.level == "error":
                partner.level = "error"  # error=true: the finding that stands for the check fails the build too
            drop.add(id(f))
    return [f for f, _, _ in kept if id(f) not in drop]
