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

``FileChecks`` applies it to one file for the engine (``runner.lint_dockerfile``): which BuildKit checks run at an
instruction (``runs``: a check BuildKit would not run there reports nothing), which are skipped by name there
(``skipped``: the pipeline's ``suppressed``, so that a skipped check's twin is silenced with it, as
``Rule.off_with`` says), and the experimental checks the file enables (``enabled``).

Pairs: a BuildKit check that says what a DL/FL rule says names it in ``Rule.same_as``, and those that are the
same check under hadolint's name in ``Rule.off_with``; the pipeline (``pipeline.finalize``) keeps one finding,
the DL/FL one (its ID is the one baselines, pragmas and configurations already use, and it carries the fix).
``skip=all`` turns off BuildKit's checks only, never a DL/FL rule; FL601 (policy) is not in
``SecretsUsedInArgOrEnv.off_with``: no BuildKit setting turns it off.
"""

from __future__ import annotations

import bisect
import re

from .ids import matches

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (start-up time)
if TYPE_CHECKING:
    from ..parser.tree import Dockerfile, Instruction

# BuildKit's checks (moby/buildkit frontend/dockerfile/linter/ruleset.go): the names its check configuration
# knows, so that fastlint.yaml's ``buildkit: check:`` is read without loading the rules (a test keeps this list
# equal to the rules with ``buildkit = True``)
NAMES = (
    "ConsistentInstructionCasing", "CopyIgnoredFile", "DuplicateStageName", "ExposeInvalidFormat",
    "ExposeProtoCasing", "FromAsCasing", "FromPlatformFlagConstDisallowed", "InvalidBaseImagePlatform",
    "InvalidDefaultArgInFrom", "InvalidDefinitionDescription", "JSONArgsRecommended", "LegacyKeyValueFormat",
    "MaintainerDeprecated", "MultipleInstructionsDisallowed", "NoEmptyContinuation", "RedundantTargetPlatform",
    "ReservedStageName", "SecretsUsedInArgOrEnv", "StageNameCasing", "UndefinedArgInFrom", "UndefinedVar",
    "WorkdirRelativePath",
)

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
    if not text.startswith("#"):
        return None
    lines = _lines(text)
    number = 0
    if text.startswith("#!"):
        next(lines)
        number = 1
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


def _lines(text: str):
    """The lines of a text, one at a time (a directive is in the first few)."""
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end]
        start = end + 1


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
    if policy.buildkit_check is not None:
        return policy.buildkit_check
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
    if policy is not None and policy.buildkit_check is not None:
        return None
    found = directive(df.text)
    if found is None:
        return None
    try:
        CheckConfig.parse(found[0])
    except CheckOptionError as err:
        return found[1], f"failed to parse check options: {err}"
    return None


def _instruction_at(df: Dockerfile, starts: list[int], offset: int) -> Instruction | None:
    k = bisect.bisect_right(starts, offset) - 1
    if k >= 0:
        ins = df.instructions[k]
        if ins.start <= offset < ins.end:
            return ins
    return None


class FileChecks:
    """BuildKit's check configuration applied to one Dockerfile: the file's (``config``), with the ``# check=``
    comments above each instruction for the checks BuildKit runs there (``Rule.check_scope``)."""

    def __init__(self, df: Dockerfile, policy, selection):
        self.df = df
        self.policy = policy
        self.selection = selection
        self._config: CheckConfig | None = None
        self._comments: dict[int, CheckConfig | None] | None = None
        self._starts: list[int] | None = None

    @property
    def config(self) -> CheckConfig:
        if self._config is None:
            self._config = file_config(self.df, self.policy)
        return self._config

    def _local(self) -> dict[int, CheckConfig | None]:
        if self._comments is None:
            self._comments = {index: comment_config(texts) for index, texts in previous_comments(self.df).items()}
        return self._comments

    def at(self, cls, offset: int) -> CheckConfig:
        """The configuration BuildKit runs the check (a rule class) with at the instruction holding ``offset``."""
        if cls.check_scope != "instruction":
            return self.config
        local = self._local()
        if not any(local.values()):
            return self.config
        if self._starts is None:
            self._starts = [i.start for i in self.df.instructions]
        ins = _instruction_at(self.df, self._starts, offset)
        return self.config if ins is None else self.config.merged(local.get(ins.index))

    def selected(self, cls) -> bool:
        """An experimental check the user selected (``--select``, ``rules: select``): it runs as any other."""
        return matches(cls.code, self.selection.select) or matches(cls.code, self.policy.select)

    def enabled(self, candidates) -> list:
        """The experimental checks (``buildkit`` rules not ``default_enabled``) among ``candidates`` (rules that
        would not run) that the file enables (its configuration, or a check comment above an instruction), unless
        the user turned them off or selected other rules."""
        if "experimental" not in self.df.text and not self.config.enables_experimental():
            return []
        found = [cls for cls in candidates if cls.buildkit and not cls.default_enabled]
        if not found:
            return []
        configs = [self.config] + [c for c in self._local().values() if c is not None]
        policy, selection = self.policy, self.selection
        out = []
        for cls in found:
            if matches(cls.code, policy.ignore) or matches(cls.code, selection.ignore):
                continue
            if policy.severity.get(cls.code.upper()) in ("off", "none"):
                continue
            if selection.select and not matches(cls.code, selection.select):
                continue
            if any(c.runs(cls.code, True) for c in configs):
                out.append(cls)
        return out

    def runs(self, cls, hit) -> bool:
        """Would BuildKit run the check (a rule class) where it found this hit? An experimental check that is
        enabled there runs whatever the skips say (as in BuildKit); one the file enables elsewhere and the user
        did not select runs nowhere else."""
        here = self.at(cls, hit.start if hit.about is None else hit.about)
        if not cls.default_enabled:
            if here.runs(cls.code, True):
                return True
            if not self.selected(cls):
                return False
        return here.runs(cls.code, False)

    def skipped(self, cls, offset: int) -> bool:
        """``skip=NAME`` names the check at this place (``skip=all`` is not a skip by name: it leaves the DL/FL
        twins alone)."""
        return self.at(cls, offset).skips_by_name(cls.code)
