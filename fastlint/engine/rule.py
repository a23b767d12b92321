"""What a rule is, and what it reports.

A rule is a small class with an ID, a default level, a one-line message and a check. It yields ``Hit``s (where,
and optionally a more precise message and a fix); the engine, not the rule, turns them into ``Finding``s with
the file, line, column and level, and applies pragmas, selection and the policy's level overrides.

``Rule`` below is the written contract: every attribute and hook a rule may have. For Dockerfiles there are
three tiers, as in hadolint (descriptive base classes; the engine calls the hooks a rule has overridden):

* ``InstructionRule``: ``check(ins)`` looks at one instruction at a time and keeps no state.
* ``StageRule``: ``start_stage(stage)`` resets its state at each FROM; ``check(ins)`` updates it and reports.
* ``FileRule``: ``check(ins)`` stores facts; ``finish()`` makes the final decision when the file ends.

YAML files (Kubernetes manifests, CI files) are other kinds of the same engine: a rule that reads them declares
their ``kinds`` and has ``check_manifest(m)`` (``fastlint.engine.manifests.ManifestRule``).

Instructions inside ONBUILD are passed to ``check`` twice: as the ONBUILD instruction, then as the inner
instruction (``ins.parent`` is the ONBUILD), so a rule on RUN also sees ``ONBUILD RUN``.
"""

from __future__ import annotations

from .index import CATALOGUE_URL

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import ClassVar, Iterable

    from ..parser.stages import Stage
    from ..parser.tree import Dockerfile, Instruction
    from .config import Policy, Service

LEVELS = ("error", "warning", "info", "style")
LEVEL_RANK = {"error": 4, "warning": 3, "info": 2, "style": 1, "none": 99}


class Edit:
    """Replace ``[start, end)`` of the original text with ``text``.

    ``path`` is None for an edit of the file being linted. Otherwise the edit is in another file (FL404 writes
    the ``.dockerignore`` beside the Dockerfile): ``path`` is that file's path, relative to the current folder
    like the Dockerfile's own path, and the offsets are in that file's text; when the file does not exist the
    edit is ``Edit(0, 0, content, path)`` and the fixer creates it (atomically, like every write)."""

    __slots__ = ("start", "end", "text", "path")

    def __init__(self, start: int, end: int, text: str, path: str | None = None):
        self.start = start
        self.end = end
        self.text = text
        self.path = path




class Fix:
    """A fix: edits on the original text. ``safety`` is ``safe`` (the built image is the same, or only
    metadata the standard asks for changes) or ``unsafe`` (applied only with ``--unsafe-fixes``).

    ``changes`` names the facts the fix changes that other rules read (``FACTS``: the base image, the stage
    structure, the user, the shell). The fix loop applies such a fix in a pass of its own and lints again before
    any other fix, so that no fix is written for a base, a user or a shell the same pass replaces."""

    __slots__ = ("edits", "safety", "description", "changes")

    def __init__(self, edits: list[Edit], safety: str = 'safe', description: str = "",
                 changes: frozenset[str] = frozenset()):
        self.edits = edits
        self.safety = safety
        self.description = description
        self.changes = frozenset(changes)


FACTS = frozenset({"base", "stages", "user", "shell"})  # what a Fix may declare in ``changes``




class Hit:
    """What a rule reports: where, an optional message (default: the rule's), an optional fix, and for a
    ``family`` rule its ``code`` (and ShellCheck's own ``level``).

    Where is one of two things: a span ``[start, end)`` of the linted Dockerfile's text (``Rule.hit``), or,
    with ``file`` set, a place in another file given as ``line``/``column`` (a YAML file's rules:
    ``ManifestRule.at``; ``Hit.in_file``). ``about`` and ``same_as``: twin rules (``Rule.same_as``)."""

    __slots__ = (
        "start", "end", "message", "fix", "code", "level", "file", "line", "column", "end_line",
        "end_column", "about", "same_as"
    )

    def __init__(
        self,
        start: int,
        end: int,
        message: str | None = None,
        fix: Fix | None = None,
        code: str | None = None,
        level: str | None = None,
        file: str | None = None,
        line: int = 0,
        column: int = 0,
        end_line: int = 0,
        end_column: int = 0,
        about: int | None = None,
        same_as: tuple[str, ...] | None = None,
    ):
        self.start = start
        self.end = end
        self.message = message
        self.fix = fix
        self.code = code  # for rules that report several codes (ShellCheck)
        self.level = level  # for rules whose level depends on the hit (ShellCheck)
        self.file = file
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column
        # the offset of the instruction the finding is about when it reports another one (BuildKit's
        # MultipleInstructionsDisallowed reports the earlier CMD, found at the later one): its twin's finding,
        # the twin's pragmas and BuildKit's ``# check=`` comments are looked for there
        self.about = about
        # those of the rule's ``same_as`` codes that say the same thing as this hit (None: all of them):
        # MultipleInstructionsDisallowed's CMD pair is DL4003's, its HEALTHCHECK pair DL3012's
        self.same_as = same_as

    @classmethod
    def in_file(cls, file: str, line: int, column: int, end_line: int, end_column: int,
                message: str | None = None) -> Hit:
        """A hit at a line and column of another file than the Dockerfile (a YAML file)."""
        return cls(0, 0, message, file=file, line=line, column=column, end_line=end_line, end_column=end_column)


class Finding:

    __slots__ = (
        "code", "level", "message", "file", "line", "column", "end_line", "end_column", "fixable", "fix",
        "start", "end", "source_line"
    )

    def __init__(
        self,
        code: str,
        level: str,
        message: str,
        file: str,
        line: int,
        column: int,
        end_line: int,
        end_column: int,
        fixable: bool = False,
        fix: Fix | None = None,
        start: int = 0,
        end: int = 0,
        source_line: str = "",
    ):
        self.code = code
        self.level = level
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column
        self.fixable = fixable
        self.fix = fix
        self.start = start
        self.end = end
        self.source_line = source_line  # the text of ``line``, for reporters that show it

    def to_dict(self) -> dict:
        """The SPEC's JSON shape (hadolint's keys plus end position and fixable)."""
        return {
            "code": self.code,
            "level": self.level,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "message": self.message,
            "fixable": self.fixable,
        }


class Context:
    """What a rule may read besides the tree: the file's path, the policy, the service the file belongs to."""

    def __init__(self, df: Dockerfile | None, policy: Policy, service: Service | None, path: str, state=None):
        self.df = df  # None for a YAML file
        self.policy = policy
        self.service = service
        self.path = path
        self.pragmas = None  # the file's Pragmas (service, shell, ignores), set by the engine
        self.state = state  # the run's RunState (fastlint.engine.state): what rules keep across files
        self._facts: dict[object, object] = {}

    def once(self, key: object, make):
        """What the rules of this file work out once and share (BuildKit's argument scopes), made by ``make()``
        the first time it is asked for (``key``: the function that makes it)."""
        found = self._facts.get(key, self)
        if found is self:
            found = self._facts[key] = make()
        return found

    @property
    def final_stage(self) -> Stage | None:
        """The stage that becomes the image: the policy's target stage if the file has it, else the last."""
        stages = self.df.stages
        if not stages:
            return None
        target = self.policy.target
        if target:
            named = self.df.stage_named(target)
            if named is not None:
                return named
        return stages[-1]


class Rule:
    """The rule contract: every attribute and hook a rule may have is declared here, with its default. The
    engine reads these and nothing else (no probing for hooks). Subclasses set the attributes and override the
    hooks they need.

    Attributes (class-level):

    * ``code``: the rule ID (``fastlint.engine.ids``): ``DL3008``, ``FL401``, a BuildKit name such as
      ``StageNameCasing``, a package's ``ACME001``; for a ``family`` rule, the family's prefix (``SC``).
    * ``level``, ``message``, ``name``: the default level, the one-line message (also the catalogue page's
      heading, ``# CODE: message``; a test keeps them equal), a short kebab-case name (SARIF).
    * ``fix_safety``: ``safe``/``unsafe`` when the rule can fix, else None.
    * ``default_enabled``: False: runs only when selected or enabled by the policy.
    * ``needs_service``: True: skipped for a Dockerfile of a service that is not in the policy's matrix.
    * ``kinds``: the kinds of file the rule reads: ``dockerfile`` (the hooks ``start_file``, ``start_stage``,
      ``check``, ``finish``) and/or the YAML kinds ``kubernetes``, ``github``, ``gitlab`` (the hook
      ``check_manifest``).
    * ``family``: True when the rule reports several codes, each its ``code`` followed by digits, named in
      ``Hit.code`` (ShellCheck: ``SC2086``...); selecting one code of the family runs the rule.
    * ``external``: the name of an external program the rule runs (ShellCheck: ``shellcheck``), else None. The
      policy turns such a rule off with ``<name>: false`` (``Policy.runs``) and ``check --no-<name>`` does too,
      unless the command line selects it.
    * ``batches``: True when the rule has work to share across the files of a run: the engine calls
      ``prepare(state, dfs)`` once, with every parsed file it will run on, before the files are linted; in a run
      of several processes the rule runs in the parent process (ShellCheck: its batch runs in a thread there).
    * ``same_as``: the code (or codes) of rules that say the same thing (BuildKit's ``MaintainerDeprecated`` and
      DL4000): when both report on one line of one file (this rule's line, or the line of ``Hit.about``), the
      pipeline keeps the twin's finding, not this one's; when this one was an error, the twin's is too.
    * ``off_with``: those of the ``same_as`` codes that are this very check under another name (BuildKit's
      ``JSONArgsRecommended`` and hadolint's DL3025): turning either off turns both off, wherever the other
      reports it (``--ignore``, ``rules: ignore``, a severity of ``off``, a pragma, BuildKit's ``# check=skip=``).
      A twin left out (FL601 for ``SecretsUsedInArgOrEnv``) only takes this rule's place.
    * ``buildkit``: one of BuildKit's build checks (``fastlint.engine.checks``): BuildKit's check configuration
      applies to it (the ``# check=`` directive, ``buildkit: check:`` in fastlint.yaml); one that is not
      ``default_enabled`` is experimental (a file enables it with ``# check=experimental=``).
    * ``check_scope``: for a ``buildkit`` check, ``instruction`` when the ``# check=`` comments above an
      instruction apply to it there (BuildKit runs it at that instruction), ``file`` when only the file's
      configuration does.
    * ``needs_instructions``: the instructions without which the rule reports nothing (``("COPY",)``: a file
      with no COPY, ONBUILD COPY included, gets no finding from it): on such a file the rule does not run and its
      module is not even imported. Empty: every file. ``tests/test_rule_index.py`` checks each declaration on the
      corpus and the catalogue's cases.
    * ``needs_words``: words without one of which in the file's text the rule reports nothing (``("apk",)``: the
      command it judges, as a substring: ``/sbin/apk`` and ``ONBUILD RUN apk`` have it too); on a file without
      any of them the rule neither runs nor is imported, as for ``needs_instructions``. Empty: every file.
      ``tests/test_rule_index.py`` checks each declaration on the corpus and the cases with the words taken out.
    * ``docs_url``: where a code of the rule is documented, ``{code}`` standing for the code (a family's member
      code for a family rule): the rule's catalogue page by default, ShellCheck's wiki for ShellCheck's codes,
      BuildKit's page on docs.docker.com for BuildKit's checks. SARIF's ``helpUri``, the CI summary's links and
      ``fastlint rule`` read it (through the rule index).
    * ``docs_examples_partial``: True when the catalogue page's examples are fragments (the cases carry the full
      files): the docs-example test skips them.

    Hooks (instance methods; each returns hits, or None):

    * ``start_file(df)``, ``start_stage(stage)`` at each FROM, ``check(ins)`` for each instruction (and again
      for the instruction inside ONBUILD), ``finish()`` at the end of the file: Dockerfile kinds;
    * ``check_manifest(m)``: YAML kinds (``fastlint.engine.manifests.Manifest``);
    * ``check_suppressions(suppressions)``: after every other rule ran on the file, its ignore pragmas
      (``engine.pragmas.Suppression``, with ``unused`` and ``unknown`` IDs sorted out): FL001;
    * ``prepare(state, dfs)`` (class method): ``batches`` rules.
    * ``prefetch(state, dfs)`` (class method, any rule that overrides it): called once per run with every parsed
      file the rule will run on, before the files are linted and before any worker process is forked, so the
      workers inherit what it keeps in ``state`` (BuildKit's checks ask a local engine for the base images); it
      must leave no thread running. Unlike ``batches``, the rule itself runs beside the others, in any process.
      Rules that share the function are called once.

    State: a rule instance lives for one file (``self.ctx``); what it keeps for the whole run lives in the run's
    ``RunState`` (``self.ctx.state``), never in module globals.
    """

    code: ClassVar[str] = ""
    level: ClassVar[str] = "warning"
    message: ClassVar[str] = ""
    name: ClassVar[str] = ""  # short kebab-case name (SARIF rule name); defaults to the code
    fix_safety: ClassVar[str | None] = None  # "safe" / "unsafe" when the rule can fix, else None
    default_enabled: ClassVar[bool] = True  # False: runs only when selected or enabled by the policy
    needs_service: ClassVar[bool] = False  # True: skipped for a Dockerfile of a service not in the matrix
    kinds: ClassVar[tuple[str, ...]] = ("dockerfile",)
    family: ClassVar[bool] = False
    external: ClassVar[str | None] = None
    batches: ClassVar[bool] = False
    same_as: ClassVar[str | tuple[str, ...] | None] = None
    off_with: ClassVar[tuple[str, ...]] = ()
    buildkit: ClassVar[bool] = False
    check_scope: ClassVar[str] = "instruction"
    needs_instructions: ClassVar[tuple[str, ...]] = ()
    needs_words: ClassVar[tuple[str, ...]] = ()
    docs_url: ClassVar[str] = CATALOGUE_URL
    docs_examples_partial: ClassVar[bool] = False
    tier: ClassVar[str] = "instruction"  # descriptive only (the classes below); the engine reads ``kinds``

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.policy = ctx.policy

    # -- hooks -------------------------------------------------------------------------------------------------
    @classmethod
    def prepare(cls, state, dfs: list[Dockerfile]) -> None:
        """``batches`` rules: called once per run with every parsed file the rule will run on."""
        return None

    @classmethod
    def prefetch(cls, state, dfs: list[Dockerfile]) -> None:
        """Called once per run before the files are linted and before workers are forked (see above)."""
        return None

    def start_file(self, df: Dockerfile) -> Iterable[Hit] | None:
        return None

    def start_stage(self, stage: Stage) -> Iterable[Hit] | None:
        return None

    def check(self, ins: Instruction) -> Iterable[Hit] | None:
        return None

    def finish(self) -> Iterable[Hit] | None:
        return None

    def check_manifest(self, m) -> Iterable[Hit] | None:
        return None

    def check_suppressions(self, suppressions: list) -> Iterable[Hit] | None:
        return None

    # -- helpers for rule code ---------------------------------------------------------------------------------
    def hit(self, node, message: str | None = None, fix: Fix | None = None) -> Hit:
        """A hit on a node: an Instruction (its keyword to the end of its text), or anything with start/end."""
        from ..parser.tree import Instruction

        if isinstance(node, Instruction):
            start, end = instruction_span(node)
        else:
            start, end = node.start, node.end
        return Hit(start, end, message, fix)

    def fix(self, *edits: Edit, safety: str | None = None, description: str = "",
            changes: frozenset[str] = frozenset()) -> Fix:
        return Fix(list(edits), safety or self.fix_safety or "safe", description, changes)

    @classmethod
    def reads(cls, kind: str) -> bool:
        """True when the rule reads files of this kind (``dockerfile``, ``kubernetes``, ``github``, ``gitlab``)."""
        return kind in cls.kinds

    @classmethod
    def twins(cls) -> tuple[str, ...]:
        """The ``same_as`` codes as a tuple."""
        same = cls.same_as
        if same is None:
            return ()
        return (same,) if isinstance(same, str) else tuple(same)

    @classmethod
    def owns(cls, code: str) -> bool:
        """True when findings with this code are this rule's: its code, or one of its family's."""
        return code == cls.code or (cls.family and code.startswith(cls.code) and code[len(cls.code):].isdigit())


class InstructionRule(Rule):
    """Looks at one instruction at a time and keeps no state."""

    tier = "instruction"


class StageRule(Rule):
    """Resets its state at each FROM (``start_stage``); ``check`` updates it and reports."""

    tier = "stage"


class FileRule(Rule):
    """``check`` stores facts; ``finish`` makes the final decision when the file ends."""

    tier = "file"


def instruction_span(ins: Instruction) -> tuple[int, int]:
    """From the keyword to the end of the instruction's text (line continuations included, heredoc bodies not)."""
    lg = ins.logical
    if lg is not None and lg.text:
        end = lg.to_source(len(lg.text) - 1) + 1
    else:
        end = ins.keyword_end
    return ins.keyword_start, max(end, ins.keyword_end)
