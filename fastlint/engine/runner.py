"""The engine: run the selected rules over a parsed file in one pass and turn their hits into findings.

The engine, not the rules, applies: selection (``--select``/``--ignore``, the policy's ``rules:``), levels (the
rule's default, overridden by the policy), pragmas, and the DL1000 finding for a file BuildKit would reject.
"""

from __future__ import annotations

from pathlib import Path

from ..parser import INSTRUCTIONS, parse
from ..parser.tree import Dockerfile
from .config import Policy
from .manifests import is_yaml_name
from .pragmas import read_pragmas, suppressed
from .registry import DL1000, all_rules, matches
from .rule import LEVEL_RANK, Context, Finding, Hit, Rule


class Selection:
    """Rule IDs or prefixes from the command line."""

    def __init__(self, select: list[str] | None = None, ignore: list[str] | None = None):
        self.select = [] if select is None else select
        self.ignore = [] if ignore is None else ignore




class FileResult:

    def __init__(self, path: str, findings: list[Finding], df: Dockerfile | None = None, error: str | None = None):
        self.path = path
        self.findings = findings
        self.df = df
        self.error = error  # the file could not be read at all (one-line message)




def _pattern_hits(code: str, patterns, family: bool) -> bool:
    if matches(code, patterns):
        return True
    # a rule that reports several codes (ShellCheck: SC) is on when a pattern names one of its codes
    return family and any(p.strip().upper().startswith(code) for p in patterns)


def active_rules(policy: Policy, selection: Selection) -> list[type[Rule]]:
    """The rule classes that run under this policy and selection."""
    out = []
    for code, cls in all_rules().items():
        family = getattr(cls, "reports_many", False)
        if selection.select:
            on = _pattern_hits(code, selection.select, family)
        else:
            on = cls.default_enabled and code not in policy.disabled
            if policy.select and _pattern_hits(code, policy.select, family):
                on = True
        if matches(code, policy.ignore) or matches(code, selection.ignore):
            on = False
        if policy.severity.get(code) in ("off", "none"):
            on = False
        if code == "SC" and not policy.shellcheck and not (selection.select and on):
            on = False
        if on:
            out.append(cls)
    return out


def _keep(code: str, policy: Policy, selection: Selection) -> bool:
    """Finding-level selection (for rules that report several codes)."""
    if selection.select and not matches(code, selection.select):
        return False
    if matches(code, policy.ignore) or matches(code, selection.ignore):
        return False
    return policy.severity.get(code) not in ("off", "none")


def service_of(path: str, df: Dockerfile, policy: Policy, pragma_service: str | None):
    """The service a Dockerfile belongs to: the ``# fastlint: service=`` pragma, else its folder's name."""
    if pragma_service:
        return policy.service_named(pragma_service)
    folder = Path(path).resolve().parent.name
    return policy.service_named(folder)


def unknown_instruction(df: Dockerfile):
    """The first top-level instruction BuildKit does not know (``FOO bar``, or the ``{`` of a JSON body whose
    heredoc BuildKit did not see). BuildKit's syntax parser accepts it, but turning the syntax tree into
    instructions fails ("unknown instruction"), so ``docker build`` rejects the file, as hadolint does."""
    for ins in df.instructions:
        if ins.keyword not in INSTRUCTIONS:
            return ins
    return None


def build_error(df: Dockerfile) -> tuple[int, str] | None:
    """(line, message) when ``docker build`` rejects the file: a syntax error, or an unknown instruction; else
    None. Rules do not run on such a file (DL1000 alone), the batching rules skip it, ``fix`` leaves it alone."""
    if df.error is not None:
        return df.error.line, df.error.message
    unknown = unknown_instruction(df)
    if unknown is not None:
        return df.source.line_col(unknown.start)[0], f"unknown instruction: {unknown.keyword_raw}"
    return None


def lint_dockerfile(df: Dockerfile, policy: Policy, rules: list[type[Rule]], selection: Selection) -> list[Finding]:
    path = df.path
    if df.error is not None:
        line = min(max(df.error.line, 1), df.source.line_count)
        start, end = df.source.line_span(line)
        f = _finding(df, path, DL1000[0], DL1000[1], df.error.message, Hit(start, end))
        return [f] if _keep("DL1000", policy, selection) else []
    unknown = unknown_instruction(df)
    if unknown is not None:
        f = _finding(df, path, DL1000[0], DL1000[1], f"unknown instruction: {unknown.keyword_raw}",
                     Hit(unknown.start, unknown.keyword_end))
        return [f] if _keep("DL1000", policy, selection) else []

    pragmas = read_pragmas(df)
    ctx = Context(df, policy, service_of(path, df, policy, pragmas.service), path)
    ctx.pragmas = pragmas
    # manifest rules (FL7xx) run on YAML files (engine/manifests.py), not on Dockerfiles
    instances = [cls(ctx) for cls in rules
                 if cls.tier != "manifest" and not (cls.needs_service and ctx.service is None)]
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

    findings: list[Finding] = []
    seen: set[tuple] = set()
    for rule, h in raw:
        code = h.code or rule.code
        if not _keep(code, policy, selection):
            continue
        if policy.allow_pragmas and suppressed(code, h.start, h.file is not None, pragmas):
            continue
        level = policy.severity.get(code) or h.level or rule.level
        f = _finding(df, h.file or path, code, level, h.message or rule.message, h)
        if h.fix is not None:
            f.fix, f.fixable = h.fix, True
        key = (f.file, f.line, f.column, f.code, f.message)
        if key in seen:
            continue
        seen.add(key)
        findings.append(f)
    findings.sort(key=report_order(path))
    return findings


def report_order(path: str):
    """The order of a file's findings: the Dockerfile's own first (a fix may report in another file), then by
    file, line, column, code."""
    return lambda f: (f.file != path, f.file, f.line, f.column, f.code)


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


def lint_text(text: str, path: str, policy: Policy, selection: Selection | None = None) -> FileResult:
    selection = selection or Selection()
    df = parse(text, path)
    rules = active_rules(policy, selection)
    return FileResult(path, lint_dockerfile(df, policy, rules, selection), df)


def decode(raw: bytes) -> tuple[str | None, str | None, int]:
    """Text of a file's bytes, or (None, reason, line) when it is not a text file."""
    if b"\x00" in raw[:8192]:
        return None, "binary file (it contains NUL bytes), not a Dockerfile", 1
    try:
        return raw.decode("utf-8"), None, 0
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        return None, f"invalid UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start})", line


def read_regular_file(path: Path, display: str) -> tuple[bytes | None, str | None]:
    """(bytes, None), or (None, a one-line error) for what cannot be read. Only regular files are read: a FIFO
    named ``Dockerfile`` would block the run forever, a device would never end. (``check`` and ``fix`` both.)"""
    import stat

    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            return None, f"{display}: is a directory, not a Dockerfile"
        if not stat.S_ISREG(mode):
            kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
            return None, f"{display}: not a regular file ({kind}), not read"
        return path.read_bytes(), None
    except OSError as err:
        import errno

        if err.errno == errno.ELOOP:
            return None, f"{display}: cannot read: a loop of symbolic links"
        if path.is_symlink() and not path.exists():
            return None, f"{display}: cannot read: broken symbolic link"
        return None, f"{display}: cannot read: {err.strerror or err}"


def read_path(path: Path, display: str, policy: Policy, selection: Selection) -> str | FileResult:
    """A file's text, or the FileResult of a file that cannot be linted (unreadable, binary, not UTF-8)."""
    raw, error = read_regular_file(path, display)
    if raw is None:
        return FileResult(display, [], error=error)
    text, reason, line = decode(raw)
    if text is None:
        f = Finding(DL1000[0], DL1000[1], reason, display, line, 1, line, 1)
        return FileResult(display, [f] if _keep("DL1000", policy, selection) else [])
    return text


def lint_path(path: Path, display: str, policy: Policy, selection: Selection) -> FileResult:
    """Lint one file; never raises for bad input."""
    text = read_path(path, display, policy, selection)
    if isinstance(text, FileResult):
        return text
    return lint_text(text, display, policy, selection)


def lint_paths(entries: list[tuple[Path, str, Policy]], selection: Selection) -> list[FileResult]:
    """Lint many files ``(path, display name, policy)``, results in the same order.

    Every file is read and parsed first; then each active rule class that has a ``prepare(dfs)`` class method
    gets, once, every parsed file it will run on, so it can batch work across the files of a run (ShellCheck:
    one batch of processes for all the RUN scripts instead of one per file); then the files are linted one by
    one as ``lint_path`` does. A run of many files is linted by several processes (``lint_in_parallel``)."""
    staged: list[tuple[str, Policy, Dockerfile | FileResult, list[type[Rule]] | None]] = []
    rules_by_policy: dict[int, list[type[Rule]]] = {}
    batches: dict[type[Rule], list[Dockerfile]] = {}
    for path, display, policy in entries:
        if is_yaml_name(path.name):  # a Kubernetes manifest or CI file: the FL7xx rules
            from .manifests import lint_manifest

            staged.append((display, policy, lint_manifest(path, display, policy, selection), None))
            continue
        text = read_path(path, display, policy, selection)
        if isinstance(text, FileResult):
            staged.append((display, policy, text, None))
            continue
        df = parse(text, display)
        rules = rules_by_policy.get(id(policy))
        if rules is None:
            rules = rules_by_policy[id(policy)] = active_rules(policy, selection)
        staged.append((display, policy, df, rules))
        if build_error(df) is None:
            for cls in rules:
                if hasattr(cls, "prepare"):
                    batches.setdefault(cls, []).append(df)
    lintable = [i for i, item in enumerate(staged) if item[3] is not None]
    jobs = parallel_jobs(len(lintable))
    if jobs > 1:
        return lint_in_parallel(staged, lintable, batches, selection, jobs)
    for cls, dfs in batches.items():
        cls.prepare(dfs)
    return [item if rules is None else FileResult(display, lint_dockerfile(item, policy, rules, selection), item)
            for display, policy, item, rules in staged]


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


_STAGED: list = []  # what forked workers read (they inherit it; nothing parsed is sent to them)


def _lint_share(job: tuple[list[int], Selection]) -> dict[int, list[Finding]]:
    """A worker's share: the files at these indices of ``_STAGED``, without the rules that batch work across
    files (``prepare``), which the parent process runs."""
    indices, selection = job
    out = {}
    for i in indices:
        _, policy, df, rules = _STAGED[i]
        out[i] = lint_dockerfile(df, policy, [c for c in rules if not hasattr(c, "prepare")], selection)
    return out


def lint_in_parallel(staged, lintable: list[int], batches, selection: Selection, jobs: int) -> list[FileResult]:
    """Lint the files in ``jobs`` processes: ``jobs - 1`` forked workers and this one each take every
    ``jobs``-th file. The workers are forked before the batching rules start (ShellCheck runs in a thread, and a
    process should not fork while it has threads); those rules then run here, for every file, and their findings
    are merged in the order ``lint_dockerfile`` gives. The findings are the same as in one process. A worker that
    dies (killed, out of memory) does not hang the run: its share is linted here instead."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _STAGED
    _STAGED = staged
    shares = [lintable[k::jobs] for k in range(jobs)]
    found: dict[int, list[Finding]] = {}
    try:
        with ProcessPoolExecutor(jobs - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [(share, pool.submit(_lint_share, (share, selection))) for share in shares[1:]]
            for cls, dfs in batches.items():
                cls.prepare(dfs)
            found.update(_lint_share((shares[0], selection)))
            for share, future in futures:
                try:
                    found.update(future.result())
                except BrokenProcessPool:
                    found.update(_lint_share((share, selection)))
    finally:
        _STAGED = []
    results = []
    for i, (display, policy, item, rules) in enumerate(staged):
        if rules is None:
            results.append(item)
            continue
        findings = found[i]
        batching = [c for c in rules if hasattr(c, "prepare")]
        if batching and build_error(item) is None:  # else: DL1000 alone, above
            findings = findings + lint_dockerfile(item, policy, batching, selection)
            findings.sort(key=report_order(display))
        results.append(FileResult(display, findings, item))
    return results


def worst_rank(findings: list[Finding]) -> int:
    return max((LEVEL_RANK.get(f.level, 0) for f in findings), default=0)
