"""Fixing files on disk: what ``fastlint fix`` does for each Dockerfile, without printing anything.

For one file: read it, run the fix loop, rewrite it from the template when it breaks the 4-stage structure, then
either build a unified diff (``--diff``) or write the result atomically. Decisions documented here:

* A file that does not parse is left untouched (an error; exit code 2).
* A symbolic link is refused when the fix would be written in place (the rename would replace the link by a
  file); ``--diff`` reads through it, ``--output`` writes a new file beside it.
* A read-only file (no write permission bit, even for root) is refused: read-only means "do not change me".
* The template rewrite keeps the original as ``Dockerfile.backup`` (``--no-backup``: not kept); an existing
  backup with other content is never overwritten (an error, nothing written).
* No ``package.json`` beside the Dockerfile: it is not a Node.js service, so it is not rewritten from the template;
  the other fixes are still applied, a one-line warning says why, and the FL1xx findings stay (exit code 1).
* ``--verify`` (``gate``): a changed file is built and run first (fastlint/verifier/gate.py) and written only when
  its image builds and turns healthy (and, rewritten from the template, runs as non-root); otherwise the file is
  left untouched, one line says why, and the original's findings stay (exit code 1).
* Every write is atomic (temporary file + rename, the mode kept); a file whose result equals its text is not
  written at all, so a second run changes nothing, not even the modification time.
"""

from __future__ import annotations

import difflib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine.rule import LEVEL_RANK, Finding
from ..engine.runner import Selection, decode, lint_text, read_regular_file
from ..engine.state import RunState
from .loop import Applied, fix_text
from .migrate import migrate


@dataclass
class FixOptions:
    diff: bool = False
    template: bool = True
    template_text: str | None = None  # a custom template (--template-file), else the built-in one
    port: int | None = None  # --port: the service's port for the template rewrite
    output: str | None = None  # --output NAME: write beside the input under NAME
    backup: bool = True
    unsafe: bool = False
    selection: Selection = field(default_factory=Selection)
    config: Path | None = None
    no_config: bool = False
    state: RunState = field(default_factory=RunState)  # the run's: configuration files read, ShellCheck's findings
    gate: Any = None  # --verify: a fastlint.verifier.gate.Gate that must pass a changed file before it is written


@dataclass
class FileReport:
    display: str
    path: Path
    original: str | None = None
    text: str | None = None
    applied: list[Applied] = field(default_factory=list)
    migrated: bool = False  # rewritten from the template (the structural fix is in ``applied``)
    remaining: list[Finding] = field(default_factory=list)
    threshold: str = "info"
    other_files: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # one line each, "file:line: message"
    errors: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    backup: str | None = None
    output_written: str | None = None  # the --output file, when written
    diff: str = ""

    @property
    def changed(self) -> bool:
        return self.text is not None and (self.text != self.original or bool(self.other_files))

    @property
    def fixed_count(self) -> int:
        return len(self.applied)

    @property
    def unfixed(self) -> list[Finding]:
        rank = LEVEL_RANK.get(self.threshold, LEVEL_RANK["info"])
        return [f for f in self.remaining if LEVEL_RANK.get(f.level, 0) >= rank]


def fix_file(path: Path, display: str, opts: FixOptions) -> FileReport:
    """Fix one file (see the module docstring). Raises only ``ConfigError`` (a bad policy file)."""
    rep = FileReport(display=display, path=path)
    in_place = not opts.diff and opts.output is None
    if in_place and path.is_symlink():
        rep.errors.append(f"{display}: is a symbolic link (to {_link_target(path)}); fastlint fix does not write "
                          "through links: fix the file it points to, or use --output or --diff")
        return rep
    raw, error = read_regular_file(path, display)
    if raw is None:
        rep.errors.append(error)
        return rep
    text, reason, line = decode(raw)
    if text is None:
        rep.errors.append(f"{display}:{line}: cannot fix: {reason}")
        return rep
    rep.original = text
    policy = opts.state.policies.policy_for(path, opts.config, opts.no_config)
    rep.threshold = policy.failure_threshold or "info"

    def rewrite(original: str):  # the structural fix: the rewrite from the template (fixer/migrate.py)
        return migrate(original, display, policy, opts.template_text, opts.port)

    outcome = fix_text(text, display, policy, opts.selection, unsafe=opts.unsafe, state=opts.state,
                       structural=rewrite if opts.template else None)
    if outcome.error is not None:
        where = f"{display}:{outcome.error_line}" if outcome.error_line else display
        why = outcome.error if outcome.internal else f"the file does not parse: {outcome.error}"
        rep.errors.append(f"{where}: cannot fix: {why}; left untouched")
        return rep
    if outcome.rewrite_failed is not None:
        rep.errors.append(f"{display}: {outcome.rewrite_failed}; left untouched"
                          + (" (--no-template applies the other fixes)"
                             if outcome.rewrite_failed.startswith("the template rewrite failed") else ""))
        return rep
    result, applied, remaining = outcome.text, list(outcome.applied), outcome.remaining
    other = dict(outcome.other_files)
    mig = outcome.rewrite
    if mig is None:
        rep.warnings += [f"{display}: {note}" for note in outcome.notes]
        if outcome.rewrite_error is not None:
            rep.warnings.append(f"{display}: not rewritten from the template: {outcome.rewrite_error}"
                                + ("; left untouched" if outcome.refused else ""))
    else:
        # the rewrite read the original: its warnings give the original's line numbers
        rep.warnings = [f"{display}{f':{n}' if n else ''}: {m}" for n, m in mig.warnings]
        rep.warnings += [f"{display}: {note}" for note in outcome.notes]
        still = sorted({f.code for f in remaining if f.code.startswith("FL1")})
        if still:
            rep.warnings.append(f"{display}: the template's output still breaks the structure "
                                f"({', '.join(still)}): check the template and the policy's stages")
        rep.migrated = True
        # the structural fix and the other files' fixes (FL404); the fixes of the rewritten text are part of it
        applied = [a for a in applied if a.safety == "structural" or a.file is not None]

    rep.text, rep.applied, rep.remaining, rep.other_files = result, applied, remaining, other
    if opts.gate is not None and rep.changed:
        why = opts.gate.why_not(path, result, other, rep.migrated)  # EngineError: the caller's (exit 2)
        if why is not None:
            rep.warnings.append(f"{display}: not {'rewritten' if rep.migrated else 'fixed'}: the fixed file was "
                                f"built and run (--verify) and {why}; left untouched")
            rep.text, rep.applied, rep.other_files, rep.migrated = text, [], {}, False
            rep.remaining = lint_findings(text, display, policy, opts.selection, opts.state)
            return rep
    if opts.diff:
        rep.diff = _diff(display, text, result) + "".join(
            _diff(p, _read_or_empty(Path(p)), t, new_file=not Path(p).exists()) for p, t in sorted(other.items()))
        return rep
    _write(rep, path, opts)
    return rep


def _write(rep: FileReport, path: Path, opts: FixOptions) -> None:
    """Write the result (and the backup, and other files) after checking that every write can happen."""
    target = path if opts.output is None else path.with_name(opts.output)
    mode = stat.S_IMODE(path.stat().st_mode)  # a new output or backup gets the input's permissions
    writes: list[tuple[Path, str, int | None]] = []
    if opts.output is not None:
        if target.is_symlink():
            rep.errors.append(f"{target}: is a symbolic link; not written")
            return
        if _read_or_none(target) != rep.text:
            writes.append((target, rep.text, None if target.exists() else mode))
    elif rep.text != rep.original:
        writes.append((target, rep.text, None))
    if rep.migrated and opts.backup and opts.output is None and writes:
        backup = path.with_name(path.name + ".backup")
        existing = _read_or_none(backup)
        if existing is not None and existing != rep.original:
            rep.errors.append(f"{backup}: a backup from an earlier rewrite is in the way (its content differs); "
                              "move it away or use --no-backup; nothing written")
            return
        if existing is None:
            writes.insert(0, (backup, rep.original, mode))
        rep.backup = str(backup)
    for p, content in sorted(rep.other_files.items()):
        writes.append((Path(p), content, None))
    for p, _, _ in writes:
        problem = _cannot_write(p)
        if problem:
            rep.errors.append(f"{p}: {problem}; nothing written")
            return
    from ..fsutil import atomic_write

    for p, content, new_mode in writes:
        try:
            atomic_write(p, content, mode=new_mode)
        except OSError as err:
            rep.errors.append(f"{p}: cannot write: {err.strerror or err}")
            return
        rep.written.append(str(p))
        if opts.output is not None and p == target:
            rep.output_written = str(p)


def _cannot_write(p: Path) -> str | None:
    if p.is_symlink():
        return "is a symbolic link"
    if p.exists():
        if p.is_dir():
            return "is a directory"
        mode = p.stat().st_mode
        if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            return "is read-only"
    parent = p.parent if str(p.parent) else Path(".")
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"its folder {parent} is not writable"
    return None


def _link_target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def _read_or_none(p: Path) -> str | None:
    try:
        return p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _read_or_empty(p: Path) -> str:
    return _read_or_none(p) or ""


def _diff(name: str, before: str, after: str, new_file: bool = False) -> str:
    """A unified diff (git's ``\\ No newline at end of file`` marker included)."""
    if before == after:
        return ""
    a = before.splitlines(keepends=True)
    b = after.splitlines(keepends=True)
    lines = difflib.unified_diff(a, b, "/dev/null" if new_file else f"a/{name}", f"b/{name}")
    out = []
    for line in lines:
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def check_scripts_first(files: list[tuple[Path, str]], opts: FixOptions) -> None:
    """Start the rules that batch work across files (``Rule.batches``: ShellCheck) on all the files at once,
    before they are fixed one by one: the engine's own batching (``runner.stage_files``, ``prefetch``,
    ``batches_of``, ``prepare_batches``), as ``check`` does.

    Each file is linted several times by the fix loop, one file after the other; without this, every file would
    start its own ShellCheck processes. After it, ShellCheck's findings for every script already written are in
    the run's state (``opts.state``), and only the scripts a fix changes are checked again. The batch runs in
    the background while the first files are fixed (the rule waits for it before reading). Files that cannot be
    read or that BuildKit rejects are left for ``fix_file`` to report."""
    from ..engine.runner import batches_of, prefetch, prepare_batches, stage_files

    entries = [(path, display, opts.state.policies.policy_for(path, opts.config, opts.no_config))
               for path, display in files]
    staged = stage_files(entries, opts.selection)
    prefetch(staged, opts.state)
    prepare_batches(batches_of(staged), opts.state)


def lint_findings(text: str, display: str, policy, selection: Selection, state: RunState) -> list[Finding]:
    """The findings of a text (none when the engine fails: the caller has linted it already)."""
    try:
        return lint_text(text, display, policy, selection, state).findings
    except Exception:
        return []
