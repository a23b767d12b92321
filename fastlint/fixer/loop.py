"""The fix loop, after sqlfluff's: lint, apply the fixes that can go together, re-parse, re-lint, repeat.

One pass takes every fixable finding of the allowed safety (safe; unsafe too with ``--unsafe-fixes``), keeps the
fixes whose edits do not overlap (first come first served by offset; the others wait for the next pass, when the
rule reports them again on the new text), applies them, and lints the result.

Fixes that depend on each other do not share a pass. A fix that changes what other rules read declares it
(``Fix.changes``: the base image, the stage structure, the user, the shell): such fixes go first, in a pass of
their own (with only the other fixes of the same rule that declare the same facts: FL102 on two stages), and the
file is linted again before any other fix is chosen. So every fix's text is computed from the text it is applied
to, with the base, user and shell that text has: FL302 never writes Debian's ``useradd`` into a stage whose
``FROM`` FL102 turns into Alpine in the same pass (ruff's isolation levels are the model).

The loop cannot run away:

* at most ``MAX_PASSES`` passes;
* a pass whose result does not parse (DL1000) or makes the engine raise is discarded; its fixes are then tried
  one by one, and those that still break the file are not tried again;
* a text already seen means the fixes go round in circles: the loop stops;
* when the fixes do not settle (pass limit or a cycle), the rules fixed in the last two passes are the ones
  that go on for ever: the loop starts again from the original without their fixes (at most ``MAX_RESTARTS``
  times), so one rule's faulty fix does not cost the file every other fix;
* when nothing settles even so, the original text is kept and ``settled`` is False.

Edits of another file (``Edit.path``, e.g. FL404's ``.dockerignore``) are not applied to the Dockerfile: each is
applied once to that file's current text and returned in ``other_files`` for the caller to write.

**The structural fix** (safety grade ``structural``: the template migration). When the caller gives one
(``structural``: a function of the original text that returns the rewritten file, ``fastlint fix`` without
``--no-template``) and the loop's result still breaks the standard's structure (an FL1xx finding), the structural
fix is the fix of those findings: the original is rewritten, and the loop runs again on the rewritten text (with
unsafe fixes: the rewrite changes the image anyway). The structural findings it fixed are ``applied`` like every
other fix (``safety="structural"``), followed by the fixes of the second loop; the first loop's fixes are
superseded. A rewrite that cannot be done (``StructuralError``, one sentence) leaves the first loop's result and
says why in ``rewrite_error``.

Every fix the loop throws away is a ``Discard`` in ``FixOutcome.discards`` (a fix whose text does not parse, whose
edits overlap or leave the text, that changes nothing, that breaks the file together with the fixes of its pass,
or that never settles): each is a bug of a rule's fix, which users would otherwise never see. With
``FASTLINT_DEBUG=1`` each discard is also written to stderr with the edits the fix wanted to make
(``scripts/fix_fuzz.py`` counts them over the corpus and mutated files).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..engine.config import Policy
from ..engine.rule import LEVEL_RANK, Finding, Fix
from ..engine.runner import FileResult, Selection, build_error, lint_text
from ..engine.state import RunState
from .edits import EditError, apply_edits, choose, edit_path

STRUCTURAL = "structural"  # the safety grade of a fix that rewrites the whole file (the template migration)
STRUCTURE_PREFIX = "FL1"  # an FL1xx finding: the file breaks the standard's 4-stage structure
MAX_PASSES = 10
MAX_RESTARTS = 3  # times the loop starts again from the original without the fixes that do not converge
_CONTEXT = 40  # characters on each side of an edit that identify a fix across passes


@dataclass
class Applied:
    """One fix that made it into the result: the finding it fixed (code and line in the text of its pass)."""

    code: str
    line: int
    message: str
    description: str
    safety: str
    file: str | None = None  # another file the fix edited (``.dockerignore``), else None


@dataclass
class Discard:
    """A fix the loop threw away, and why (``kind``: ``parse`` the text does not parse or the engine fails on it,
    ``edits`` the edits overlap or leave the text, ``noop`` the fix changes nothing, ``together`` fine alone but
    not with the fixes of its pass, ``unsettled`` the rule's fixes never settle, ``other-file`` another file's
    edits could not be applied)."""

    code: str
    line: int
    kind: str
    reason: str


@dataclass
class FixOutcome:
    path: str
    original: str
    text: str  # the result (the original when nothing applied or the fixes did not settle)
    applied: list[Applied] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)  # findings of the result
    passes: int = 0
    settled: bool = True
    notes: list[str] = field(default_factory=list)  # what the loop had to give up, one sentence each
    discards: list[Discard] = field(default_factory=list)  # the fixes thrown away (each a rule's bug)
    other_files: dict[str, str] = field(default_factory=dict)  # path -> new text (e.g. the .dockerignore)
    error: str | None = None  # the original cannot be fixed at all (it does not parse): one line
    error_line: int = 0
    internal: bool = False  # error is fastlint's own failure (a bug), not the file's
    rewrite: object = None  # the structural fix's result when it was applied (a fixer.migrate.Migration)
    rewrite_error: str | None = None  # why the structural fix could not be applied (the loop's result is kept)
    refused: bool = False  # the structural fix refused the file: it is left untouched (rewrite_error says why)
    rewrite_failed: str | None = None  # the structural fix broke (a bug, or output that does not parse): one line

    @property
    def changed(self) -> bool:
        return self.text != self.original or bool(self.other_files)

    def unfixed(self, threshold: str = "info") -> list[Finding]:
        """Remaining findings at or above ``threshold`` (what makes ``fastlint fix`` exit 1)."""
        rank = LEVEL_RANK.get(threshold, LEVEL_RANK["info"])
        return [f for f in self.remaining if LEVEL_RANK.get(f.level, 0) >= rank]


class StructuralError(Exception):
    """The structural fix cannot rewrite this file (no package.json, no port...); the message is one sentence.
    ``untouched``: the file is left exactly as it is (a refusal: no other fix is applied either); otherwise the
    first loop's fixes are kept."""

    def __init__(self, message: str, untouched: bool = False):
        super().__init__(message)
        self.untouched = untouched


def allowed(fix: Fix, unsafe: bool) -> bool:
    return fix.safety == "safe" or (unsafe and fix.safety == "unsafe")


def needs_structure(findings: list[Finding]) -> bool:
    """True when a finding says the file breaks the standard's structure (FL1xx): the structural fix's findings."""
    return any(f.code.startswith(STRUCTURE_PREFIX) for f in findings)


def _signature(text: str, f: Finding) -> tuple:
    """What identifies a fix across passes: offsets move, but the text it replaces, the text around it and the
    text it writes do not."""
    assert f.fix is not None
    parts = []
    for e in f.fix.edits:
        if edit_path(e) is None:
            parts.append((None, text[max(0, e.start - _CONTEXT):e.start], text[e.start:e.end],
                          text[e.end:e.end + _CONTEXT], e.text))
        else:
            parts.append((edit_path(e), e.start, e.end, e.text))
    return (f.code, tuple(parts))


def _lint(text: str, path: str, policy: Policy, selection: Selection,
          state: RunState) -> tuple[FileResult | None, str | None]:
    """Lint a candidate text: (result, None), or (None, why the candidate is rejected)."""
    try:
        result = lint_text(text, path, policy, selection, state)
    except Exception as err:  # a rule crashing on a fixed text must not lose the user's file
        return None, f"the engine failed on the fixed text ({type(err).__name__}: {err})"
    rejected = build_error(result.df, policy) if result.df is not None else None
    if rejected is not None:
        return None, f"the fixed text does not parse (line {rejected[0]}: {rejected[1]})"
    return result, None


def _read_other(path: str, cache: dict[str, str]) -> str:
    if path not in cache:
        try:
            cache[path] = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            cache[path] = ""
    return cache[path]


def fix_text(text: str, path: str, policy: Policy, selection: Selection | None = None, unsafe: bool = False,
             max_passes: int = MAX_PASSES, state: RunState | None = None, structural=None) -> FixOutcome:
    """Fix one Dockerfile's text (``path`` locates the service and its other files). Never raises for bad input:
    a text that does not parse comes back untouched with ``error`` set. ``state``: the run's (a new one if
    None), shared by every lint of the loop. ``structural``: the structural fix (see the module docstring)."""
    selection = selection or Selection()
    state = state if state is not None else RunState()
    out = _fix_loop(text, path, policy, selection, unsafe, max_passes, state)
    if structural is None or out.error is not None or not needs_structure(out.remaining):
        return out
    return _rewrite(out, structural, path, policy, selection, state, max_passes)


def _rewrite(first: FixOutcome, structural, path: str, policy: Policy, selection: Selection, state: RunState,
             max_passes: int) -> FixOutcome:
    """Apply the structural fix to the original (the first loop's fixes are superseded), then the loop again."""
    text = first.original
    try:
        rewrite = structural(text)
    except StructuralError as err:
        first.rewrite_error = str(err)
        if err.untouched:  # refused: the original stays as it is, without the first loop's fixes either
            first.text, first.applied, first.other_files, first.refused = first.original, [], {}, True
            first.remaining = _final_findings(text, path, policy, selection, state)
        return first
    except Exception as err:  # a bug must not cost the user the file, nor print a traceback
        first.rewrite_failed = f"the template rewrite failed ({type(err).__name__}: {err})"
        return first
    fixed = [f for f in _final_findings(text, path, policy, selection, state) if f.code.startswith(STRUCTURE_PREFIX)]
    second = _fix_loop(rewrite.text, path, policy, selection, True, max_passes, state)
    if second.error is not None:
        first.rewrite_failed = (f"the template's output does not parse (line {second.error_line}: "
                                f"{second.error})")
        return first
    second.original = text
    second.rewrite = rewrite
    second.discards = first.discards + second.discards  # thrown away in the first loop all the same
    second.applied = [Applied(f.code, f.line, f.message, "rewrite from the template", STRUCTURAL)
                      for f in fixed] + second.applied
    return second


def _fix_loop(text: str, path: str, policy: Policy, selection: Selection, unsafe: bool, max_passes: int,
              state: RunState) -> FixOutcome:
    out = FixOutcome(path=path, original=text, text=text)
    try:
        result = lint_text(text, path, policy, selection, state)
    except Exception as err:
        out.error = f"fastlint failed on this file ({type(err).__name__}: {err}); please report it"
        out.internal = True
        return out
    rejected = build_error(result.df, policy) if result.df is not None else None
    if rejected is not None:
        out.error_line, out.error = rejected
        out.remaining = result.findings
        return out

    original_result = result
    current = text
    seen = {text}
    rejected: set[tuple] = set()  # fixes that broke the file: never tried again
    excluded: set[str] = set()  # rules whose fixes did not converge: left out after a restart
    pass_codes: list[set[str]] = []  # the codes applied in each pass since the last (re)start
    restarts = 0
    other_done: set[tuple] = set()  # other-file fixes already applied
    other_original: dict[str, str] = {}
    other_new: dict[str, str] = {}
    applied: list[Applied] = []
    applied_other: list[Applied] = []

    while True:
        candidates = [f for f in result.findings if f.fix is not None and allowed(f.fix, unsafe)
                      and f.code not in excluded and _signature(current, f) not in rejected]
        own, side = [], []
        for f in candidates:
            (side if any(edit_path(e) is not None for e in f.fix.edits) else own).append(f)
        _apply_other(current, side, other_done, other_original, other_new, applied_other, out)
        if not own:
            break  # settled: nothing left to apply to the Dockerfile
        if out.passes >= max_passes or out.settled is False:
            if out.passes >= max_passes:
                out.notes.append(f"the fixes did not settle after {max_passes} passes")
            # the rules fixed in the last passes are the ones that never settle: start again without them
            culprits = set().union(*pass_codes[-2:]) - excluded if pass_codes else set()
            if not culprits or restarts >= MAX_RESTARTS:
                out.settled = False
                break
            restarts += 1
            excluded |= culprits
            out.notes.append(f"started again from the original without the fixes of {', '.join(sorted(culprits))}")
            for code in sorted(culprits):
                _discard(out, code, 0, "unsettled", "its fixes do not settle (a cycle or the pass limit)")
            current, result, seen, applied, pass_codes = text, original_result, {text}, [], []
            out.passes, out.settled = 0, True
            continue
        out.passes += 1
        choice = choose(isolate(own), len(current), lambda f: f.fix)
        for f in choice.broken:
            rejected.add(_signature(current, f))
            out.notes.append(f"{f.code} at line {f.line}: the fix's edits overlap or leave the text; not applied")
            _discard(out, f.code, f.line, "edits", "the fix's edits overlap or leave the text", current, f)
        batch = choice.accepted
        new_text, new_result, why = _try(current, batch, path, policy, selection, state)
        if new_result is None:
            # the pass broke the file: keep the fixes that are fine alone, never retry the others
            good = []
            for f in batch:
                _, alone, why_alone = _try(current, [f], path, policy, selection, state)
                if alone is None:
                    rejected.add(_signature(current, f))
                    out.notes.append(f"{f.code} at line {f.line}: fix not applied: {why_alone}")
                    _discard(out, f.code, f.line, "parse", why_alone, current, f)
                else:
                    good.append(f)
            batch = good
            new_text, new_result, why = (_try(current, batch, path, policy, selection, state) if batch
                                         else (current, None, ""))
            if new_result is None and len(batch) > 1:
                for f in batch[1:]:  # fine alone, not together: they wait for the next pass
                    _discard(out, f.code, f.line, "together", f"breaks the file with the fixes of its pass ({why})",
                             current, f)
                batch = batch[:1]
                new_text, new_result, why = _try(current, batch, path, policy, selection, state)
            if new_result is None:
                continue  # nothing applied this pass; the rejected fixes are filtered out next time
        if new_text == current:
            for f in batch:  # a fix that changes nothing but keeps firing would loop for ever
                rejected.add(_signature(current, f))
                out.notes.append(f"{f.code} at line {f.line}: the fix changes nothing; not applied")
                _discard(out, f.code, f.line, "noop", "the fix changes nothing", current, f)
            continue
        pass_codes.append({f.code for f in batch})
        if new_text in seen:
            out.settled = False  # handled at the top of the next turn: restart without these rules, or give up
            out.notes.append("the fixes go round in circles (a pass gave back an earlier text)")
            continue
        seen.add(new_text)
        for f in batch:
            applied.append(Applied(f.code, f.line, f.message, f.fix.description, f.fix.safety))
        current, result = new_text, new_result

    if not out.settled:
        out.notes.append("file left unchanged")
        codes = sorted(set().union(*pass_codes)) if pass_codes else []
        _discard(out, ",".join(codes) or "-", 0, "unsettled", "the fixes never settle: the file is left unchanged")
        out.remaining = _final_findings(text, path, policy, selection, state)
        return out
    out.text = current
    out.applied = applied + applied_other
    out.other_files = {p: t for p, t in other_new.items() if t != other_original.get(p)}
    out.remaining = result.findings
    if out.other_files:  # the rules that look at the other files see them as they will be written
        out.remaining = [f for f in result.findings
                         if not (f.fix is not None and any(edit_path(e) in out.other_files for e in f.fix.edits))]
    return out


def isolate(findings: list[Finding]) -> list[Finding]:
    """The fixes one pass may apply together. When some fixes change what other rules read (``Fix.changes``),
    the pass holds only the first of them (by offset) and the other fixes of the same rule that declare the same
    facts; every other fix waits until the file has been linted again. Otherwise all of them."""
    isolated = [f for f in findings if f.fix.changes]
    if not isolated:
        return findings
    lead = min(isolated, key=lambda f: min((e.start for e in f.fix.edits if edit_path(e) is None), default=0))
    return [f for f in isolated if f.code == lead.code and f.fix.changes == lead.fix.changes]


def _discard(out: FixOutcome, code: str, line: int, kind: str, reason: str, text: str | None = None,
             finding: Finding | None = None) -> None:
    """Record a fix the loop threw away; with FASTLINT_DEBUG=1 also write it to stderr, with its edits."""
    out.discards.append(Discard(code, line, kind, reason))
    if not os.environ.get("FASTLINT_DEBUG"):
        return
    where = f"{out.path}:{line}" if line else out.path
    lines = [f"fastlint debug: fix loop: {where}: {code} fix discarded ({kind}): {reason}"]
    if finding is not None and finding.fix is not None and text is not None:
        for e in finding.fix.edits:
            if edit_path(e) is None:
                lines.append(f"    edit [{e.start}, {e.end}) {text[e.start:e.end]!r} -> {e.text!r}")
            else:
                lines.append(f"    edit of {edit_path(e)} [{e.start}, {e.end}) -> {e.text!r}")
    print("\n".join(lines), file=sys.stderr, flush=True)


def _final_findings(text: str, path: str, policy: Policy, selection: Selection, state: RunState) -> list[Finding]:
    try:
        return lint_text(text, path, policy, selection, state).findings
    except Exception:
        return []


def _try(current: str, batch: list[Finding], path: str, policy: Policy, selection: Selection, state: RunState):
    """Apply a batch of fixes to ``current``: (new text, its lint result or None, why it was rejected)."""
    edits = [e for f in batch for e in f.fix.edits if edit_path(e) is None]
    try:
        new_text = apply_edits(current, edits)
    except EditError as err:
        return current, None, str(err)
    if new_text == current:
        return current, object(), ""
    new_result, why = _lint(new_text, path, policy, selection, state)
    return new_text, new_result, why


def _apply_other(current: str, side: list[Finding], done: set, original: dict[str, str], new: dict[str, str],
                 applied: list[Applied], out: FixOutcome) -> None:
    """Apply fixes that edit other files, once each (the rule keeps reporting them until the file is written).
    A fix with edits of both the Dockerfile and another file counts as an other-file fix: only its other-file
    edits are applied."""
    for f in side:
        sig = _signature(current, f)
        if sig in done:
            continue
        done.add(sig)
        by_path: dict[str, list] = {}
        for e in f.fix.edits:
            p = edit_path(e)
            if p is not None:
                by_path.setdefault(p, []).append(e)
        try:
            updates = {}
            for p, edits in by_path.items():
                base = new[p] if p in new else _read_other(p, original)
                if p in new and new[p] != _read_other(p, original):
                    continue  # already rewritten by an earlier fix this run: its offsets no longer hold
                updates[p] = apply_edits(base, edits)
        except (EditError, OSError, UnicodeDecodeError) as err:
            out.notes.append(f"{f.code}: fix of {', '.join(by_path)} not applied: {err}")
            _discard(out, f.code, f.line, "other-file", str(err))
            continue
        if not updates:
            continue
        new.update(updates)
        for p in updates:
            applied.append(Applied(f.code, f.line, f.message, f.fix.description, f.fix.safety, file=p))
