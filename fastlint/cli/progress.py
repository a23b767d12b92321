"""The progress line of a long run: on a terminal (standard error), once a run has taken a few seconds, one line
that says how far it got, rewritten in place and erased at the end (nothing in a log or a pipe)."""

from __future__ import annotations

import time

DELAY = 2.0  # seconds before the line appears: a short run shows nothing
EVERY = 0.2  # seconds between two rewrites


class Progress:

    def __init__(self, stream, delay: float | None = None):
        self.stream = stream
        self.start = time.monotonic()
        self.delay = DELAY if delay is None else delay
        self.shown = 0.0  # when the line was last written (0: never)

    def __call__(self, step: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.start < self.delay or now - self.shown < EVERY:
            return
        self.shown = now
        self.stream.write(f"\r\x1b[Kfastlint: {step} {done}/{total} files ({now - self.start:.0f} s)")
        self.stream.flush()

    def close(self) -> None:
        """Erase the line (before the report and the messages are written)."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = 0.0
