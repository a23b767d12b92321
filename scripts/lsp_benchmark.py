#!/usr/bin/env python3
"""How fast `fastlint lsp` answers an editor. Prints figures; it is not a test.

It starts the server (``python -m fastlint lsp``) and drives it over stdio as an editor does, with pygls's client:
initialize, didOpen of a 300-line Dockerfile, then didChange after didChange (one character typed or deleted in
the middle of the file, incremental), timing each from the moment the change is sent to the moment the
``publishDiagnostics`` of that version arrives. The server's own defaults apply (a quiet time of 30 ms before a
lint: the figures include it), ShellCheck off, as the target says ("diagnostics for a 300-line Dockerfile within
100 ms of a change, without ShellCheck"). Then a burst: ``--burst`` changes sent 10 ms apart, as fast typing does,
timed from the last one to the diagnostics of the last version (the versions before it are never published).
``--shellcheck`` adds the time until ShellCheck's findings arrive after a change inside a RUN.

    python scripts/lsp_benchmark.py [--changes 50] [--burst 20] [--file DOCKERFILE] [--debounce MS] [--shellcheck]

The default file is made from the ten fixture services' Dockerfiles, one after another, to 300 lines.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lsprotocol import types  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402


def dockerfile_of(lines: int) -> str:
    """The fixture services' Dockerfiles one after another (again from the first when they run out), ``lines``
    lines long, not ending inside a line continuation."""
    sources = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "services").glob("*/Dockerfile"))]
    out: list[str] = []
    while len(out) < lines:
        for text in sources:
            out += text.splitlines()
            if len(out) >= lines:
                break
    out = out[:lines]
    while out[-1].rstrip().endswith("\\"):
        out[-1] = out[-1].rstrip().rstrip("\\")
    return "\n".join(out) + "\n"


class Editor:
    def __init__(self):
        self.client = LanguageClient("lsp-benchmark", "1")
        self.arrived: dict[int, float] = {}  # version -> when its diagnostics arrived
        self.counts: dict[int, int] = {}
        self.times: dict[int, list[float]] = {}  # version -> when each of its publishes arrived
        self.event = asyncio.Event()

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams):
            now = time.perf_counter()
            v = params.version
            self.arrived.setdefault(v, now)
            self.counts[v] = len(params.diagnostics)
            self.times.setdefault(v, []).append(now)
            self.event.set()

    async def wait(self, test, timeout: float = 30) -> None:
        async def loop():
            while not test():
                self.event.clear()
                await self.event.wait()

        await asyncio.wait_for(loop(), timeout)


def change_at(text: str, line: int, insert: bool) -> tuple[types.TextDocumentContentChangePartial, str]:
    """Type an 'x' at the start of a line's last word, or delete it again (the text stays what it was)."""
    lines = text.split("\n")
    col = len(lines[line]) - len(lines[line].split(" ")[-1])
    start = sum(len(x) + 1 for x in lines[:line]) + col
    pos = types.Position(line, col)
    if insert:
        return types.TextDocumentContentChangePartial(range=types.Range(pos, pos), text="x"), \
            text[:start] + "x" + text[start:]
    end = types.Position(line, col + 1)
    return types.TextDocumentContentChangePartial(range=types.Range(pos, end), text=""), text[:start] + text[start + 1:]


def cpu_seconds(pid: int) -> float:
    """The CPU time a process has used (user + system; Linux ``/proc``), else 0."""
    import os

    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def figures(name: str, samples_ms: list[float]) -> str:
    s = sorted(samples_ms)
    p90 = s[min(len(s) - 1, int(0.9 * len(s)))]
    return (f"{name}: n={len(s)}  min {s[0]:.1f}  median {statistics.median(s):.1f}  p90 {p90:.1f}  "
            f"max {s[-1]:.1f} ms")


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--burst", type=int, default=20)
    parser.add_argument("--file", type=Path)
    parser.add_argument("--debounce", type=float, help="the server's quiet time in ms (default: the server's)")
    parser.add_argument("--shellcheck", action="store_true", help="also time ShellCheck's findings")
    args = parser.parse_args()

    text = args.file.read_text(encoding="utf-8") if args.file else dockerfile_of(300)
    n_lines = text.count("\n")
    workdir = Path(tempfile.mkdtemp(prefix="fastlint-lsp-bench-"))
    (workdir / ".git").mkdir()
    svc = workdir / "fast-validation-service"
    svc.mkdir()
    path = svc / "Dockerfile"
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()

    ed = Editor()
    started = time.perf_counter()
    await ed.client.start_io(sys.executable, "-m", "fastlint", "lsp")
    options = {"shellcheck": args.shellcheck, "shellcheckDelay": 0}
    if args.debounce is not None:
        options["debounce"] = args.debounce
    await ed.client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=workdir.as_uri(), initialization_options=options))
    ed.client.initialized(types.InitializedParams())
    ready = time.perf_counter()
    ed.client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri, language_id="dockerfile", version=1, text=text)))
    await ed.wait(lambda: 1 in ed.arrived)
    print(f"file: {args.file or 'the fixture services, 300 lines'} ({n_lines} lines, {ed.counts[1]} diagnostics)")
    print(f"server start to initialized: {(ready - started) * 1000:.0f} ms; didOpen to diagnostics: "
          f"{(ed.arrived[1] - ready) * 1000:.0f} ms")

    lines = text.split("\n")
    targets = [i for i, line in enumerate(lines) if line.startswith(("RUN ", "ENV ", "COPY ", "EXPOSE "))]
    version, samples = 1, []
    pid = ed.client._server.pid
    cpu_before = cpu_seconds(pid)
    for i in range(args.changes):
        change, text = change_at(text, targets[(i // 2) % len(targets)], insert=i % 2 == 0)
        version += 1
        sent = time.perf_counter()
        ed.client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=version), [change]))
        v = version
        await ed.wait(lambda: v in ed.arrived)
        samples.append((ed.arrived[v] - sent) * 1000)
    print(figures("one change -> its diagnostics", samples))
    cpu = (cpu_seconds(pid) - cpu_before) / args.changes * 1000
    if cpu:
        print(f"server CPU time per change (lint, diagnostics, JSON; what a quiet machine's latency is made of, "
              f"besides the {options.get('debounce', 30):g} ms quiet time): {cpu:.1f} ms")
    print(f"machine load (1 min): {Path('/proc/loadavg').read_text().split()[0] if Path('/proc/loadavg').exists() else '?'}")

    burst = []
    for b in range(3):
        for i in range(args.burst):
            change, text = change_at(text, targets[(b * 7) % len(targets)], insert=i % 2 == 0)
            version += 1
            last = time.perf_counter()
            ed.client.text_document_did_change(types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=version), [change]))
            await asyncio.sleep(0.01)
        v = version
        await ed.wait(lambda: v in ed.arrived)
        burst.append((ed.arrived[v] - last) * 1000)
        published = [x for x in ed.arrived if version - args.burst < x < v]
        if published:
            print(f"  (burst {b + 1}: {len(published)} earlier versions published)")
    print(figures(f"burst of {args.burst} changes 10 ms apart: last change -> its diagnostics", burst))

    if args.shellcheck:
        runs = [i for i, line in enumerate(text.split("\n")) if line.startswith("RUN ")]
        sc = []
        for i in range(6):
            # an 'x' typed, then deleted again, on the same RUN (deleting elsewhere would break the file)
            change, text = change_at(text, runs[(i // 2) % len(runs)], insert=i % 2 == 0)
            version += 1
            sent = time.perf_counter()
            ed.client.text_document_did_change(types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=version), [change]))
            v = version
            await ed.wait(lambda: len(ed.times.get(v, [])) >= 2, timeout=60)  # the second: with ShellCheck
            sc.append((ed.times[v][1] - sent) * 1000)
        print(figures("a change inside a RUN -> the diagnostics with ShellCheck's", sc))

    await ed.client.shutdown_async(None)
    ed.client.exit(None)
    await ed.client.stop()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
