"""The engine: read files, run the selected rules over each in one pass, turn their hits into findings.

* ``lint_paths(entries, selection, state)``: the batch a command runs: every file is read and parsed first, the
  rules that fetch something once per run do it (``Rule.prefetch``: BuildKit's checks ask a local engine for the
  base images) before any worker is forked, the rules that share work across files (``Rule.batches``:
  ShellCheck) get them all at once (``prepare_batches``), then each file is linted, by several processes for a
  large run. YAML files (Kubernetes manifests, CI files)
  are linted by ``manifests.lint_manifest``: another kind of file of the same pipeline.
* ``lint_text`` / ``lint_dockerfile``: one Dockerfile.

The engine, not the rules, applies (``pipeline.py``, the same for every kind of file): selection
(``--select``/``--ignore``, the policy's ``rules:``), levels (the rule's default, overridden by the policy),
pragmas, de-duplication, order; and the DL1000 finding for a file BuildKit would reject.
"""

from __future__ import annotations

import os

from ..parser import INSTRUCTIONS, parse
from ..parser.tree import Dockerfile
from .checks import FileChecks, directive_error
from .config import Policy
from .pipeline import (  # noqa: F401 (Selection, FileResult, report_order: re-exported for callers)
    DOCKERFILE, FileResult, Selection, active_entries, finalize, for_file, is_yaml_name, keep, reads_suppressions,
    report_order, review_suppressions,
)
from .index import buildkit_checks
from .pragmas import prefixes_of, read_pragmas, suppressions_of
from .registry import DL1000, load
from .rule import LEVEL_RANK, Context, Finding, Hit, Rule
from .state import RunState


def service_of(path: str, df: Dockerfile, policy: Policy, pragma_service: str | None):
    """The service a Dockerfile belongs to: the ``# fastlint: service=`` pragma, else its folder's name."""
    if pragma_service:
        return policy.service_named(pragma_service)
    folder = os.path.basename(os.path.dirname(os.path.realpath(path)))
    return policy.service_named(folder)


def unknown_instruction(df: Dockerfile):
    """The first top-level instruction BuildKit does not know (``FOO bar``, or the ``{`` of a JSON body whose
    heredoc BuildKit did not see). BuildKit's syntax parser accepts it, but turning the syntax tree into
    instructions fails ("unknown instruction"), so ``docker build`` rejects the file, as hadolint does."""
    for ins in df.instructions:
        if ins.keyword not in INSTRUCTIONS:
            return ins
    return None


def build_error(df: Dockerfile, policy: Policy | None = None) -> tuple[int, str] | None:
    """(line, message) when ``docker build`` rejects the file: a syntax error, an unknown instruction, or a
    ``# check=`` directive BuildKit cannot read (unless the policy's ``buildkit: check:`` replaces it); else None.
    Rules do not run on such a file (DL1000 alone), the batching rules skip it, ``fix`` leaves it alone."""
    if df.error is not None:
        return df.error.line, df.error.message
    unknown = unknown_instruction(df)
    if unknown is not None:
        return df.source.line_col(unknown.start)[0], f"unknown instruction: {unknown.keyword_raw}"
    return directive_error(df, policy)


def lint_dockerfile(df: Dockerfile, policy: Policy, rules: list[type[Rule]], selection: Selection,
                    state: RunState | None = None, used: list[set[str]] | None = None,
                    ran: list[type[Rule]] | None = None) -> list[Finding]:
    """The findings of ``rules`` on a parsed Dockerfile. A file linted in two passes (``lint_in_parallel``)
    carries what its ignore pragmas turned off from one pass to the next in ``used`` (one set per pragma, read
    and updated), and the second pass names in ``ran`` every rule of both (for ``check_suppressions``)."""
    path = df.path
    if df.error is not None:
        line = min(max(df.error.line, 1), df.source.line_count)
        start, end = df.source.line_span(line)
        f = _finding(df, path, DL1000[0], DL1000[1], df.error.message, Hit(start, end))
        return [f] if keep("DL1000", policy, selection) else []
    unknown = unknown_instruction(df)
    if unknown is not None:
        f = _finding(df, path, DL1000[0], DL1000[1], f"unknown instruction: {unknown.keyword_raw}",
                     Hit(unknown.start, unknown.keyword_end))
        return [f] if keep("DL1000", policy, selection) else []
    bad_check = directive_error(df, policy)
    if bad_check is not None:
        start, end = df.source.line_span(bad_check[0])
        f = _finding(df, path, DL1000[0], DL1000[1], bad_check[1], Hit(start, end))
        return [f] if keep("DL1000", policy, selection) else []

    pragmas = read_pragmas(df, prefixes_of(policy))
    if used:
        for s, earlier in zip(pragmas.suppressions, used):
            s.used |= earlier
    ctx = Context(df, policy, service_of(path, df, policy, pragmas.service), path,
                  state if state is not None else RunState())
    ctx.pragmas = pragmas
    configured = FileChecks(df, policy, selection)  # BuildKit's check configuration (engine/checks.py)

    def runs(cls: type[Rule]) -> bool:
        return DOCKERFILE in cls.kinds and not (cls.needs_service and ctx.service is None)

    instances = [cls(ctx) for cls in rules if runs(cls) and not reads_suppressions(cls)]
    reviewers = [cls(ctx) for cls in rules if runs(cls) and reads_suppressions(cls)]
    raw: list[tuple[Rule, Hit]] = []

    def collect(rule: Rule, hits) -> None:
        if hits:
            for h in hits:
                raw.append((rule, h))

    for r in instances:
        collect(r, r.start_file(df))
    stage_hooks = [r for r in instances if type(r).start_stage is not Rule.start_stage]
    # the hot loop (rules x instructions): only rules that look at instructions, bound methods, no helper call
    checks = [(r, r.check) for r in instances if type(r).check is not Rule.check]
    append = raw.append
    for ins in df.instructions:
        if ins.keyword == "FROM" and ins.stage is not None:
            for r in stage_hooks:
                collect(r, r.start_stage(ins.stage))
        sub = ins.sub
        for r, check in checks:
            hits = check(ins)
            if hits:
                for h in hits:
                    append((r, h))
            if sub is not None:
                hits = check(sub)
                if hits:
                    for h in hits:
                        append((r, h))
    for r in instances:
        collect(r, r.finish())

    if any(r.buildkit for r in instances):
        raw = buildkit_configured(raw, configured)

    def locate(code: str, level: str, message: str, h: Hit) -> Finding:
        return _finding(df, h.file or path, code, level, message, h)

    def pragmas_of(code: str, h: Hit) -> list:
        return suppressions_of(code, h.start, h.file is not None, pragmas)

    buildkit = buildkit_checks()

    def skipped(code: str, h: Hit) -> bool:
        """BuildKit's ``# check=skip=NAME`` for its checks."""
        check = buildkit.get(code.upper())
        return check is not None and configured.skipped(check, h.start)

    said = pragmas_of if policy.allow_pragmas else None
    findings = finalize(raw, path, policy, selection, locate, said, skipped)
    if used is not None:
        used[:] = [s.used for s in pragmas.suppressions]
    if reviewers and policy.allow_pragmas and pragmas.suppressions:
        review_suppressions(pragmas.suppressions, [c for c in (ran or rules) if runs(c)], policy, selection)
        reviews = [(r, h) for r in reviewers for h in r.check_suppressions(pragmas.suppressions) or ()]
        if reviews:
            findings = sorted(findings + finalize(reviews, path, policy, selection, locate, said),
                              key=report_order(path))
    return findings


def buildkit_configured(raw: list[tuple[Rule, Hit]], checks: FileChecks) -> list[tuple[Rule, Hit]]:
    """The hits of BuildKit's checks that BuildKit would report (the file's check configuration, and the
    comments above the instruction), made errors by ``error=true`` (unless the policy sets the level)."""
    out = []
    error = checks.config.error
    for rule, h in raw:
        cls = type(rule)
        if cls.buildkit:
            if not checks.runs(cls, h):
                continue
            if error:
                h.level = "error"
        out.append((rule, h))
    return out


def _finding(df: Dockerfile, path: str, code: str, level: str, message: str, h: Hit) -> Finding:
    if h.file is not None:  # a hit in another file (a Kubernetes manifest): positions given by the rule
        return Finding(code, level, message, h.file, h.line, h.column, h.end_line or h.line,
                       h.end_column or h.column)
    src = df.source
    line, col = src.line_col(h.start)
    end = max(h.end, h.start)
    end_line, end_col = src.line_col(end)
    return Finding(code, level, message, path, line, col, end_line, end_col, start=h.start, end=end,
                   source_line=src.line_text(line))


def rules_for(df: Dockerfile, policy: Policy, selection: Selection, entries: list) -> list:
    """The rules to run on one Dockerfile (index entries or classes): the active rules (``entries``), and the
    experimental BuildKit checks the file itself enables (``# check=experimental=``, engine/checks.py), chosen
    from the rule index."""
    if "experimental" not in df.text and policy.buildkit_check is None:
        return entries  # (no BuildKit setting can enable one: nothing to work out)
    running = {e.code for e in entries}
    candidates = [c for c in buildkit_checks().values()
                  if not c.default_enabled and c.code not in running and c.code not in policy.disabled]
    if not candidates:
        return entries
    enabled = FileChecks(df, policy, selection).enabled(candidates)
    return entries + enabled if enabled else entries


def lint_text(text: str, path: str, policy: Policy, selection: Selection | None = None,
              state: RunState | None = None) -> FileResult:
    selection = selection or Selection()
    df = parse(text, path)
    entries = rules_for(df, policy, selection, active_entries(policy, selection, DOCKERFILE))
    rules = load(for_file(entries, df))
    return FileResult(path, lint_dockerfile(df, policy, rules, selection, state, ran=entries), df)


def decode(raw: bytes) -> tuple[str | None, str | None, int]:
    """Text of a file's bytes, or (None, reason, line) when it is not a text file."""
    if b"\x00" in raw[:8192]:
        return None, "binary file (it contains NUL bytes), not a Dockerfile", 1
    try:
        return raw.decode("utf-8"), None, 0
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        return None, f"invalid UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start})", line


def read_regular_file(path, display: str) -> tuple[bytes | None, str | None]:
    """(bytes, None), or (None, a one-line error) for what cannot be read. Only regular files are read: a FIFO
    named ``Dockerfile`` would block the run forever, a device would never end. (``check`` and ``fix`` both.)"""
    import stat

    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            return None, f"{display}: is a directory, not a Dockerfile"
        if not stat.S_ISREG(mode):
            kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
            return None, f"{display}: not a regular file ({kind}), not read"
        with open(path, "rb") as fh:
            return fh.read(), None
    except OSError as err:
        import errno

        if err.errno == errno.ELOOP:
            return None, f"{display}: cannot read: a loop of symbolic links"
        if os.path.islink(path) and not os.path.exists(path):
            return None, f"{display}: cannot read: broken symbolic link"
        return None, f"{display}: cannot read: {err.strerror or err}"


def read_path(path, display: str, policy: Policy, selection: Selection) -> str | FileResult:
    """A file's text, or the FileResult of a file that cannot be linted (unreadable, binary, not UTF-8)."""
    raw, error = read_regular_file(path, display)
    if raw is None:
        return FileResult(display, [], error=error)
    text, reason, line = decode(raw)
    if text is None:
        f = Finding(DL1000[0], DL1000[1], reason, display, line, 1, line, 1)
        return FileResult(display, [f] if keep("DL1000", policy, selection) else [])
    return text


def lint_path(path, display: str, policy: Policy, selection: Selection,
              state: RunState | None = None) -> FileResult:
    """Lint one file; never raises for bad input."""
    text = read_path(path, display, policy, selection)
    if isinstance(text, FileResult):
        return text
    return lint_text(text, display, policy, selection, state)


class Staged:
    """A file of a run, read and parsed: ``df`` and the ``rules`` to run on it (``ran``: the index entries of
    every rule active for it, those left out for the instructions it lacks included), or the ``result`` of a file
    that needs no rule run here (unreadable, or a YAML file, linted when staged)."""

    __slots__ = ("display", "policy", "df", "rules", "ran", "result")

    def __init__(self, display: str, policy: Policy, df: Dockerfile | None = None,
                 rules: list[type[Rule]] | None = None, result: FileResult | None = None, ran: list | None = None):
        self.display = display
        self.policy = policy
        self.df = df
        self.rules = rules
        self.ran = ran
        self.result = result


def stage_files(entries: list[tuple[str, str, Policy]], selection: Selection,
                state: RunState | None = None) -> list[Staged]:
    """Read and parse every file of a run (YAML files are linted here: they have no batching rule)."""
    staged: list[Staged] = []
    entries_by_policy: dict[int, list] = {}
    for n, (path, display, policy) in enumerate(entries):
        if state is not None:
            state.report("reading", n, len(entries))
        if is_yaml_name(os.path.basename(path)):  # a Kubernetes manifest or CI file: the rules of those kinds
            from .manifests import lint_manifest  # (imported only when a run has such a file)

            staged.append(Staged(display, policy, result=lint_manifest(path, display, policy, selection)))
            continue
        text = read_path(path, display, policy, selection)
        if isinstance(text, FileResult):
            staged.append(Staged(display, policy, result=text))
            continue
        active = entries_by_policy.get(id(policy))
        if active is None:
            active = entries_by_policy[id(policy)] = active_entries(policy, selection, DOCKERFILE)
        df = parse(text, display)
        active = rules_for(df, policy, selection, active)
        staged.append(Staged(display, policy, df, load(for_file(active, df)), ran=active))
    return staged


def batches_of(staged: list[Staged]) -> dict[type[Rule], list[Dockerfile]]:
    """For each rule that shares work across files (``Rule.batches``), every file of the run it will run on
    (files that BuildKit rejects left out: no rule runs on them)."""
    batches: dict[type[Rule], list[Dockerfile]] = {}
    for item in staged:
        if item.df is None or build_error(item.df, item.policy) is not None:
            continue
        for cls in item.rules:
            if cls.batches:
                batches.setdefault(cls, []).append(item.df)
    return batches


def prefetch(staged: list[Staged], state: RunState) -> None:
    """``Rule.prefetch`` of the rules that override it, once per function, with every file each runs on (files
    BuildKit rejects left out), before any worker is forked; ``check`` and ``fix`` both call this."""
    calls: dict[object, tuple[type[Rule], dict[int, Dockerfile]]] = {}
    default = Rule.prefetch.__func__
    for item in staged:
        if item.df is None or build_error(item.df, item.policy) is not None:
            continue
        for cls in item.rules:
            func = cls.prefetch.__func__
            if func is not default:
                calls.setdefault(func, (cls, {}))[1][id(item.df)] = item.df
    for cls, dfs in calls.values():
        cls.prefetch(state, list(dfs.values()))


def prepare_batches(batches: dict[type[Rule], list[Dockerfile]], state: RunState) -> None:
    """Start the batched work (ShellCheck: one batch of processes for all the RUN scripts of the run, in the
    background) before the files are linted; ``check`` and ``fix`` both call this, once per run."""
    for cls, dfs in batches.items():
        cls.prepare(state, dfs)


def lint_paths(entries: list[tuple[str, str, Policy]], selection: Selection,
               state: RunState | None = None) -> list[FileResult]:
    """Lint many files ``(path, display name, policy)``, results in the same order.

    Every file is read and parsed first; then each active rule that batches work (``Rule.batches``) gets, once,
    every parsed file it will run on (``prepare_batches``); then the files are linted one by one as
    ``lint_path`` does. A run of many files is linted by several processes (``lint_in_parallel``)."""
    state = state if state is not None else RunState()
    staged = stage_files(entries, selection, state)
    prefetch(staged, state)
    batches = batches_of(staged)
    lintable = [i for i, item in enumerate(staged) if item.df is not None]
    jobs = parallel_jobs(len(lintable))
    if jobs > 1:
        return lint_in_parallel(staged, lintable, batches, selection, jobs, state)
    prepare_batches(batches, state)
    results = []
    for n, item in enumerate(staged):
        state.report("linting", n, len(staged))
        results.append(item.result if item.df is None else
                       FileResult(item.display, lint_dockerfile(item.df, item.policy, item.rules, selection, state),
                                  item.df))
    return results


FILES_PER_PROCESS = 32  # below this, starting a process costs more than it saves


def parallel_jobs(files: int) -> int:
    """How many processes lint ``files`` files: ``FASTLINT_JOBS`` if set (1: this process alone), else one per
    core this process may use, at least FILES_PER_PROCESS files each. Only where ``fork`` is the safe default
    (Linux): the workers inherit the parsed files instead of receiving them."""
    import os
    import sys

    env = os.environ.get("FASTLINT_JOBS", "").strip()
    if env.isdigit() and int(env) >= 1:
        wanted = int(env)
    else:
        if not sys.platform.startswith("linux"):
            return 1
        try:
            wanted = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            wanted = os.cpu_count() or 1
    if not hasattr(os, "fork"):
        return 1
    return max(1, min(wanted, files // FILES_PER_PROCESS))


def _later(cls: type[Rule]) -> bool:
    """A rule run after the others, in the parent process of a parallel run: it batches work across files, or it
    reviews the pragmas once every other rule ran."""
    return cls.batches or reads_suppressions(cls)


def _lint_indices(staged: list[Staged], indices: list[int], selection: Selection,
                  state: RunState) -> dict[int, tuple[list[Finding], list[set[str]]]]:
    """The findings of the files at these indices, and what their pragmas turned off, without the rules that
    run later (``_later``: in the parent process)."""
    out = {}
    for i in indices:
        item = staged[i]
        used: list[set[str]] = []
        found = lint_dockerfile(item.df, item.policy, [c for c in item.rules if not _later(c)], selection, state,
                                used)
        out[i] = (found, used)
    return out


_WORKER: list = []  # in a forked worker only: (staged files, state) of the run that forked it (its initializer)


def _start_worker(staged: list[Staged], state: RunState) -> None:
    _WORKER[:] = [staged, state]


def _lint_share(job: tuple[list[int], Selection]) -> dict[int, tuple[list[Finding], list[set[str]]]]:
    """A worker's share: the files at these indices of the run it inherited (nothing parsed is sent to it)."""
    indices, selection = job
    staged, state = _WORKER
    return _lint_indices(staged, indices, selection, state)


def lint_in_parallel(staged: list[Staged], lintable: list[int], batches, selection: Selection, jobs: int,
                     state: RunState) -> list[FileResult]:
    """Lint the files in ``jobs`` processes: ``jobs - 1`` forked workers and this one each take every
    ``jobs``-th file. The workers are forked before the batching rules start (ShellCheck runs in a thread, and a
    process should not fork while it has threads); they inherit the staged files through their initializer's
    arguments (with ``fork`` nothing is pickled). The batching rules then run here, for every file, and their
    findings are merged in the order ``lint_dockerfile`` gives. The findings are the same as in one process. A
    worker that dies (killed, out of memory) does not hang the run: its share is linted here instead."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    shares = [lintable[k::jobs] for k in range(jobs)]
    found: dict[int, tuple[list[Finding], list[set[str]]]] = {}
    with ProcessPoolExecutor(jobs - 1, mp_context=multiprocessing.get_context("fork"), initializer=_start_worker,
                             initargs=(staged, state)) as pool:
        futures = [(share, pool.submit(_lint_share, (share, selection))) for share in shares[1:]]
        prepare_batches(batches, state)
        found.update(_lint_indices(staged, shares[0], selection, state))
        for share, future in futures:
            state.report("linting", len(found), len(lintable))
            try:
                found.update(future.result())
            except BrokenProcessPool:
                found.update(_lint_indices(staged, share, selection, state))
    results = []
    for i, item in enumerate(staged):
        state.report("finishing", i, len(staged))  # the batched rules' findings (ShellCheck's), file by file
        if item.df is None:
            results.append(item.result)
            continue
        findings, used = found[i]
        later = [c for c in item.rules if _later(c)]
        if later and build_error(item.df, item.policy) is None:  # else: DL1000 alone, above
            findings = findings + lint_dockerfile(item.df, item.policy, later, selection, state, used, item.ran)
            findings.sort(key=report_order(item.display))
        results.append(FileResult(item.display, findings, item.df))
    return results


def worst_rank(findings: list[Finding]) -> int:
    return max((LEVEL_RANK.get(f.level, 0) for f in findings), default=0)
