"""When and how the server lints a document, and what it keeps of each lint.

Each change restarts the document's lint after a short quiet time (``debounce``): the last version wins, and a
lint of a version that is no longer the document's is never published. A lint runs the rules without ShellCheck
first (milliseconds), published at once; then, when the document has stayed unchanged for ``shellcheck_delay``,
with ShellCheck, published when its processes are done. Until then the ShellCheck findings of the previous lint
stay on RUN instructions whose text did not change (moved with them), so they do not flicker while one types.

The two kinds of lint run in two threads, each with its own ``RunState`` (the configuration files read, and
ShellCheck's findings per script, which makes a lint after an edit outside a RUN cost no ShellCheck process).
A configuration file that changes is read again by starting both states afresh (``reload``).
"""

from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor

from .. import api
from ..engine.rule import Finding
from .documents import Document


class Options:
    """What the client may set in ``initializationOptions``: ``shellcheck`` (default true), ``debounce`` and
    ``shellcheckDelay`` in milliseconds, ``config`` (a configuration file for every document, as ``--config``)."""

    def __init__(self, raw: dict | None = None):
        raw = raw if isinstance(raw, dict) else {}
        self.shellcheck = bool(raw.get("shellcheck", True))
        self.debounce = _seconds(raw.get("debounce"), 0.03)
        self.shellcheck_delay = _seconds(raw.get("shellcheckDelay"), 0.25)
        self.config = raw.get("config") if isinstance(raw.get("config"), str) else None


def _seconds(value, default: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        return default
    return value / 1000


class Snapshot:
    """A document's text and version at the time a lint starts."""

    __slots__ = ("uri", "version", "text", "name", "kind")

    def __init__(self, doc: Document):
        self.uri, self.version, self.text, self.name = doc.uri, doc.version, doc.text, doc.name
        self.kind = kind_of(doc)


def kind_of(doc: Document) -> str | None:
    """What fastlint lints the document as: ``api.document_kind`` by its name (and a YAML file's text); a document
    the editor calls a Dockerfile whatever its name (``languageId``) is one too."""
    kind = api.document_kind(doc.name, doc.text)
    if kind is None and doc.language_id.lower() in ("dockerfile", "containerfile"):
        kind = "dockerfile"
    return kind


class Result:
    """One lint of one version: the findings (``shellcheck``: whether ShellCheck ran), the Dockerfile's parse
    tree, a YAML file's parse error (``error``, one line), or the configuration error that stopped it."""

    def __init__(self, snap: Snapshot, findings: list[Finding] | None = None, df=None, error: str | None = None,
                 config_error: api.ConfigError | None = None, shellcheck: bool = False, policy=None):
        self.uri, self.version, self.text, self.name, self.kind = snap.uri, snap.version, snap.text, snap.name, \
            snap.kind
        self.findings = [] if findings is None else findings
        self.df = df
        self.error = error
        self.config_error = config_error
        self.shellcheck = shellcheck
        self.policy = policy

    @property
    def wants_shellcheck(self) -> bool:
        """Whether a lint with ShellCheck would add to this one (a Dockerfile that parses, a policy that runs it)."""
        return (self.kind == "dockerfile" and not self.shellcheck and self.config_error is None
                and self.policy is not None and self.policy.runs("shellcheck")
                and not any(f.code == "DL1000" for f in self.findings))


class Linter:

    def __init__(self, options: Options | None = None):
        self.options = options or Options()
        self.fast = ThreadPoolExecutor(1, thread_name_prefix="fastlint-lint")
        self.slow = ThreadPoolExecutor(1, thread_name_prefix="fastlint-shellcheck")
        self.states = (api.RunState(), api.RunState())  # (fast lane, ShellCheck lane)
        self.results: dict[str, Result] = {}  # uri -> the last result published
        self.with_shellcheck: dict[str, Result] = {}  # uri -> the last result with ShellCheck's findings
        self.tasks: dict[str, asyncio.Task] = {}

    # -- one lint (in a lane's thread) ----------------------------------------------------------------------------
    def lint(self, snap: Snapshot, shellcheck: bool = False) -> Result:
        """Lint a snapshot. A bug in a rule (an exception) is one error diagnostic, its traceback on stderr: the
        server goes on."""
        try:
            return self._lint(snap, shellcheck)
        except Exception as err:  # noqa: BLE001 - the editor's server must outlive a bug in one rule
            import traceback

            traceback.print_exc(file=sys.stderr)
            return Result(snap, error=f"{snap.name}:1:1: fastlint failed on this text (a bug; its traceback is in "
                                      f"the server's log): {type(err).__name__}: {err}")

    def _lint(self, snap: Snapshot, shellcheck: bool) -> Result:
        if snap.kind is None:
            return Result(snap)
        state = self.states[1 if shellcheck else 0]
        try:
            policy = api.policy_for(snap.name, config=self.options.config, state=state)
        except api.ConfigError as err:
            return Result(snap, config_error=err)
        run = shellcheck and self.options.shellcheck
        out = api.lint_document(snap.text, snap.name, kind=snap.kind, policy=policy, shellcheck=run, state=state)
        return Result(snap, out.findings, out.df, out.error, shellcheck=run or not policy.runs("shellcheck"),
                      policy=policy)

    def fix(self, snap: Snapshot, template: bool = False):
        """What ``fastlint fix --no-template`` (``template``: ``fastlint fix``) makes of the text (``api.fix_text``;
        ShellCheck, which has no fixes, left out): a ``FixOutcome``, or None when the configuration does not load."""
        try:
            policy = api.policy_for(snap.name, config=self.options.config, state=self.states[0])
        except api.ConfigError:
            return None
        return api.fix_text(snap.text, snap.name, policy=policy, template=template, shellcheck=False,
                            state=self.states[0])

    def rule_docs(self, code: str, name: str) -> str | None:
        """What ``fastlint rule CODE`` prints for the document ``name`` (its configuration's data rules count),
        or None (an unknown code, or a configuration that does not load)."""
        import os

        try:
            return api.rule_docs(code, os.path.dirname(os.path.abspath(name)), config=self.options.config,
                                 state=self.states[0])
        except api.ConfigError:
            return None

    def reload(self) -> None:
        """Read the configuration files again (and forget ShellCheck's findings per script with them)."""
        self.states = (api.RunState(), api.RunState())

    # -- scheduling (in the server's event loop) ------------------------------------------------------------------
    def schedule(self, doc: Document, publish, delay: float | None = None) -> None:
        """Lint ``doc`` after the quiet time (``delay``, default ``debounce``), replacing a lint of it that has not
        published yet; ``publish(result)`` is called in the event loop for each result of the current version."""
        old = self.tasks.pop(doc.uri, None)
        if old is not None:
            old.cancel()
        wait = self.options.debounce if delay is None else delay
        task = self.tasks[doc.uri] = asyncio.get_running_loop().create_task(self._run(doc, publish, wait))
        task.add_done_callback(_report)

    async def _run(self, doc: Document, publish, wait: float) -> None:
        if wait:
            await asyncio.sleep(wait)
        loop = asyncio.get_running_loop()
        snap = Snapshot(doc)
        result = await loop.run_in_executor(self.fast, self.lint, snap, False)
        if doc.version != snap.version:
            return
        if result.wants_shellcheck:
            result.findings = merge(result.findings, carried_over(self.with_shellcheck.get(doc.uri), result))
        self.results[doc.uri] = result
        publish(result)
        if not (result.wants_shellcheck and self.options.shellcheck):
            return
        await asyncio.sleep(self.options.shellcheck_delay)
        full = await loop.run_in_executor(self.slow, self.lint, snap, True)
        if doc.version != snap.version:
            return
        self.results[doc.uri] = self.with_shellcheck[doc.uri] = full
        publish(full)

    async def current(self, doc: Document) -> Result:
        """The findings of the document's current version: the last published if it is of that version, else a
        lint now (without ShellCheck)."""
        found = self.results.get(doc.uri)
        if found is not None and found.version == doc.version and found.text == doc.text:
            return found
        return await asyncio.get_running_loop().run_in_executor(self.fast, self.lint, Snapshot(doc), False)

    def forget(self, uri: str) -> None:
        task = self.tasks.pop(uri, None)
        if task is not None:
            task.cancel()
        self.results.pop(uri, None)
        self.with_shellcheck.pop(uri, None)

    def close(self) -> None:
        for task in self.tasks.values():
            task.cancel()
        self.fast.shutdown(wait=False, cancel_futures=True)
        self.slow.shutdown(wait=False, cancel_futures=True)


def _report(task: asyncio.Task) -> None:
    """A lint task that failed (a bug outside the rules, which ``Linter.lint`` catches): its traceback on stderr,
    the server's log; the server goes on."""
    if not task.cancelled() and task.exception() is not None:
        import traceback

        traceback.print_exception(task.exception(), file=sys.stderr)


# -- ShellCheck's findings carried over to the next version --------------------------------------------------------
def _instruction_at(df, offset: int):
    for ins in df.instructions:
        if ins.start <= offset < ins.end:
            return ins
    return None


def carried_over(previous: Result | None, result: Result) -> list[Finding]:
    """The ShellCheck findings of ``previous`` on RUN instructions whose text is the same in ``result`` (the n-th
    instruction of that text then is the n-th now), moved to where that instruction is now."""
    if previous is None or previous.df is None or result.df is None:
        return []
    sc = [f for f in previous.findings if f.code.startswith("SC")]
    if not sc:
        return []

    def by_text(df) -> dict[str, list]:
        out: dict[str, list] = {}
        for ins in df.instructions:
            out.setdefault(df.text[ins.start:ins.end], []).append(ins)
        return out

    old, new = by_text(previous.df), by_text(result.df)
    src = result.df.source
    moved = []
    for f in sc:
        ins = _instruction_at(previous.df, f.start)
        if ins is None:
            continue
        text = previous.text[ins.start:ins.end]
        now = new.get(text, [])
        k = old[text].index(ins)
        if k >= len(now):
            continue
        delta = now[k].start - ins.start
        start, end = f.start + delta, f.end + delta
        line, col = src.line_col(start)
        end_line, end_col = src.line_col(end)
        moved.append(Finding(f.code, f.level, f.message, f.file, line, col, end_line, end_col, f.fixable, f.fix,
                             start, end, src.line_text(line)))
    return moved


def merge(findings: list[Finding], more: list[Finding]) -> list[Finding]:
    if not more:
        return findings
    return sorted(findings + more, key=lambda f: (f.line, f.column, f.code))
