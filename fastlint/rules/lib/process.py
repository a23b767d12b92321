"""Running an external checker's program with an input on its standard input (ShellCheck on one script).

``os.posix_spawnp`` with three pipes, read and written with ``select`` until the program ends or the time is up,
where the system has it; else ``subprocess``. Not ``subprocess`` on the common path: importing it (with locale,
signal, selectors and threading) costs more CPU than ShellCheck itself spends on a small script, and one file
linted by an editor or pre-commit pays that start-up every time.
"""

from __future__ import annotations

import os


class Timeout(Exception):
    """The program ran longer than allowed (it was killed)."""


def run_with_input(args: list[str], data: bytes, timeout: float) -> tuple[int, bytes, bytes]:
    """(exit code, standard output, standard error) of ``args`` run with ``data`` on its standard input. Raises
    ``OSError`` when the program cannot be started, ``Timeout`` when it takes longer than ``timeout`` seconds."""
    if not hasattr(os, "posix_spawnp"):
        return _with_subprocess(args, data, timeout)
    import select
    import time

    in_r, in_w = os.pipe()
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    actions = [(os.POSIX_SPAWN_DUP2, in_r, 0), (os.POSIX_SPAWN_DUP2, out_w, 1), (os.POSIX_SPAWN_DUP2, err_w, 2)]
    try:
        pid = os.posix_spawnp(args[0], args, os.environ, file_actions=actions)  # the pipes' own fds close on exec
    except OSError:
        for fd in (in_r, in_w, out_r, out_w, err_r, err_w):
            os.close(fd)
        raise
    for fd in (in_r, out_w, err_w):
        os.close(fd)
    os.set_blocking(in_w, False)
    chunks: dict[int, list[bytes]] = {out_r: [], err_r: []}
    readers, writers = [out_r, err_r], [in_w] if data else []
    if not data:
        os.close(in_w)
    view, deadline = memoryview(data), time.monotonic() + timeout
    try:
        while readers or writers:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, 9)  # SIGKILL (the signal module is not imported for its name)
                os.waitpid(pid, 0)
                raise Timeout()
            readable, writable, _ = select.select(readers, writers, [], left)
            for fd in writable:
                try:
                    view = view[os.write(fd, view[:65536]):]
                except BrokenPipeError:  # the program stopped reading: what it wrote still counts
                    view = view[:0]
                if not view:
                    writers.remove(fd)
                    os.close(fd)
            for fd in readable:
                chunk = os.read(fd, 65536)
                if chunk:
                    chunks[fd].append(chunk)
                else:
                    readers.remove(fd)
    finally:
        for fd in (out_r, err_r, *writers):
            os.close(fd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), b"".join(chunks[out_r]), b"".join(chunks[err_r])


def _with_subprocess(args: list[str], data: bytes, timeout: float) -> tuple[int, bytes, bytes]:
    import subprocess

    proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = proc.communicate(data, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise Timeout() from None
    return proc.returncode, out, err
