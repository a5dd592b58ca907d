"""Rebuild progress: a bar on a terminal, periodic plain lines in a log, nothing for library callers.

All of it goes to stderr, so that stdout carries only the summary
(``--json`` output stays parseable while the bar runs).
"""
from __future__ import annotations

import sys
import time

from tqdm import tqdm

# tqdm's monitor is a thread; the rebuild forks worker processes, and forking
# with extra threads alive is asking for trouble.
tqdm.monitor_interval = 0

#: Seconds between plain progress lines when stderr is not a terminal.
LOG_EVERY_S = 5.0
PREFIX = "rebuild: "


class Progress:
    """Silent progress: what ``build.rebuild`` uses unless told otherwise."""

    def phase(self, text: str) -> None:
        """A step of the rebuild begins (scanning, indexing, committing, switching)."""

    def start(self, total: int) -> None:
        """Articles are about to be cleaned and indexed; ``total`` is an estimate."""

    def advance(self, count: int) -> None:
        """``count`` more articles are done (cleaned and indexed, or found unchanged)."""

    def close(self) -> None:
        pass


class LogLines(Progress):
    """One line per phase, and one every LOG_EVERY_S seconds while articles are indexed."""

    def __init__(self, stream=None, every: float = LOG_EVERY_S):
        self.stream = stream or sys.stderr
        self.every = every
        self.total = self.done = 0
        self.started = self.last = 0.0

    def _line(self, text: str) -> None:
        print(PREFIX + text, file=self.stream, flush=True)

    def phase(self, text: str) -> None:
        self._line(text)

    def start(self, total: int) -> None:
        self.total, self.done = total, 0
        self.started = self.last = time.monotonic()

    def advance(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            rate = self.done / max(now - self.started, 1e-9)
            self._line(f"{self.done} of ~{max(self.total, self.done)} articles ({rate:.0f}/s)")


class Bar(Progress):
    """A tqdm bar on the terminal."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.bar = None

    def phase(self, text: str) -> None:
        if self.bar is not None:
            self.bar.set_description_str(text)
        else:
            print(PREFIX + text, file=self.stream, flush=True)

    def start(self, total: int) -> None:
        self.bar = tqdm(total=total, unit=" articles", file=self.stream, dynamic_ncols=True,
                        desc="indexing", smoothing=0.1)

    def advance(self, count: int) -> None:
        if self.bar is not None:
            if self.bar.n + count > self.bar.total:
                self.bar.total = self.bar.n + count
            self.bar.update(count)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def for_stream(stream=None) -> Progress:
    """A bar when ``stream`` (stderr by default) is a terminal, plain lines otherwise."""
    stream = stream or sys.stderr
    return Bar(stream) if stream.isatty() else LogLines(stream)
