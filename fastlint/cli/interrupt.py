"""Ctrl-C: one line, exit 130, every child process ended, no half-written file.

``install()`` (called by ``cli.main`` before anything else) replaces Python's SIGINT handler. On Ctrl-C the
handler ignores further Ctrl-C, ends the child processes (ShellCheck, forked lint workers: SIGTERM, then SIGKILL
for any left after a second) and raises ``Interrupted`` in the main thread. ``Interrupted`` is not a
``KeyboardInterrupt``, so nothing on the way catches it as one, while every ``finally`` and
``except BaseException`` runs: atomic writes remove their temporary file, the verifier removes what it built.
``cli.main`` then ends any child started meanwhile, gives the batches running in background threads
(ShellCheck's) ``BATCH_END_SECONDS`` to end and remove their temporary folder, prints ``fastlint: interrupted``
and exits with 130 (128 + SIGINT), as shells do. The unwinding gets ``UNWIND_SECONDS``: a thread then finishes in its place
(leaving a ``with ProcessPoolExecutor`` waits for a result a killed worker may have half written, for ever).

A forked lint worker inherits the handler: there it exits at once and silently (the main process is ending).
"""

from __future__ import annotations

import os
import signal
import sys

EXIT_CODE = 128 + signal.SIGINT
UNWIND_SECONDS = 3.0
BATCH_END_SECONDS = 2.0
_MAIN_PID = os.getpid()
_FINISHING = None  # a lock, made on Ctrl-C (threading and time are imported then: start-up time)


class Interrupted(BaseException):
    """Raised in the main thread on Ctrl-C."""


def install() -> None:
    global _MAIN_PID
    _MAIN_PID = os.getpid()
    signal.signal(signal.SIGINT, _on_sigint)


def _on_sigint(signum, frame) -> None:  # noqa: ARG001 - the signal module's signature
    global _FINISHING
    if os.getpid() != _MAIN_PID:
        os._exit(EXIT_CODE)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C does not interrupt the clean-up
    import threading

    _FINISHING = threading.Lock()
    end_children()
    watchdog = threading.Timer(UNWIND_SECONDS, finish)
    watchdog.name = "interrupt-watchdog"
    watchdog.daemon = True
    watchdog.start()
    raise Interrupted()


def finish() -> None:
    """After ``Interrupted`` reached ``cli.main`` (or the unwinding took too long): end what is left, say so in one
    line, exit 130 (without the interpreter's exit handlers, which would wait for worker threads). Once."""
    import time

    if _FINISHING is not None and not _FINISHING.acquire(blocking=False):
        while True:  # the other thread is finishing: it ends the process
            time.sleep(1)
    end_children()
    _let_batches_end(BATCH_END_SECONDS)
    try:
        sys.stdout.flush()
    except Exception:
        pass
    print("fastlint: interrupted", file=sys.stderr, flush=True)
    os._exit(EXIT_CODE)


def _let_batches_end(seconds: float) -> None:
    """Give the threads that run a batch in the background (ShellCheck's, named ``fastlint-...``) ``seconds`` to
    end now that their processes are gone: each removes its temporary folder on the way out (``os._exit`` would
    leave it)."""
    import threading
    import time

    deadline = time.monotonic() + seconds
    for t in threading.enumerate():
        if t.name.startswith("fastlint-") and t is not threading.current_thread():
            t.join(max(0.0, deadline - time.monotonic()))


def end_children(grace: float = 1.0) -> None:
    """End every process this one started (and theirs): no new ShellCheck process, SIGTERM to all, SIGKILL to
    those still there after ``grace`` seconds; the direct children are reaped."""
    import time

    stop = getattr(sys.modules.get("fastlint.rules.shellcheck"), "stop", None)  # None: not imported (yet)
    if stop is not None:
        stop()
    pids = _descendants()
    _send(pids, signal.SIGTERM)
    ended = list(pids)
    deadline = time.monotonic() + grace
    while pids and time.monotonic() < deadline:
        _reap(ended)
        pids = [p for p in pids if _alive(p)]
        if pids:
            time.sleep(0.02)
    _send(pids, signal.SIGKILL)
    _reap(ended)


def _descendants() -> list[int]:
    """This process's descendants: from /proc on Linux, else the lint workers multiprocessing knows."""
    me = os.getpid()
    try:
        entries = [int(e) for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        import multiprocessing

        return [p.pid for p in multiprocessing.active_children() if p.pid]
    children: dict[int, list[int]] = {}
    for pid in entries:
        try:
            with open(f"/proc/{pid}/stat", "rb") as fh:
                ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(pid)
    out, todo = [], [me]
    while todo:
        for child in children.get(todo.pop(), ()):
            out.append(child)
            todo.append(child)
    return out


def _send(pids: list[int], sig: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except OSError:
            pass


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        try:
            os.kill(pid, 0)
            return True
        except OSError:
            return False


def _reap(pids: list[int]) -> None:
    """Collect the exit status of the ended ones that are direct children (so none stays a zombie)."""
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
