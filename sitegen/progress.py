"""Layer 0. Showing a long build's progress: a bar on a terminal, a line now and then in
a CI log, nothing under `--quiet`.

The build calls `display(stage, done, total)` as work comes back (reading, pictures,
rendering, search; total 0 when unknown). A terminal gets one line redrawn in place,
with the count, the share done and an estimate of the time left in the stage, once the
build has run for `delay` seconds (a quick build shows nothing). Anything else (a CI
log, a pipe) gets a whole line every `interval` seconds at most, so a log shows that a
long build is alive without thousands of lines.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TextIO

DELAY = 2.0
INTERVAL = 10.0
# Tests set it to see the display without a long build (tests/test_progress.py).
_SECONDS = "SITEGEN_PROGRESS_SECONDS"
_NAMES = {"read": "reading", "pictures": "pictures", "reusing": "reusing pictures",
          "render": "rendering", "search": "search", "check": "checking"}


def estimate(seconds: float) -> str:
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Display:
    def __init__(self, stream: TextIO, terminal: bool,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream, self.terminal, self.clock = stream, terminal, clock
        configured = os.environ.get(_SECONDS)
        self.delay: float = float(configured) if configured else DELAY
        self.interval: float = float(configured) if configured else INTERVAL
        self.started = clock()
        self.stage = ""
        self.stage_started = self.started
        # A log's first line comes after an interval too: a quick build writes none.
        self.last_drawn = float("-inf") if terminal else self.started
        self.width = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self.clock()
        if stage != self.stage:
            self.stage, self.stage_started = stage, now
        if now - self.started < self.delay:
            return
        if self.terminal:
            if now - self.last_drawn < 0.1 and done != total:
                return
            line = self._line(done, total, now, bar=True)
            self.stream.write("\r" + line.ljust(self.width))
            self.width = len(line)
        else:
            if now - self.last_drawn < self.interval:
                return
            self.stream.write(f"sitegen: {self._line(done, total, now, bar=False)}\n")
        self.stream.flush()
        self.last_drawn = now

    def _line(self, done: int, total: int, now: float, bar: bool) -> str:
        name = _NAMES.get(self.stage, self.stage)
        if total <= 0 or done > total:
            return f"{name:<9} {done} done"
        left = (now - self.stage_started) / done * (total - done) if done else 0.0
        share = f"{done}/{total} {100 * done // total:3d}%"
        ahead = f" about {estimate(left)} left" if done and done < total else ""
        if not bar:
            return f"{name} {share}{ahead}"
        filled = 24 * done // total
        return f"{name:<9} [{'#' * filled}{'.' * (24 - filled)}] {share}{ahead}"

    def clear(self) -> None:
        """Take the bar off the terminal before the summary is printed."""
        if self.terminal and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0
