"""Layer 1. A time limit for converting one file, so no body can stall a build.

Python-Markdown has patterns whose cost grows with the square of some count
(thousands of `<a `, of `<http://`, of reference definitions or
abbreviations in one body); the worst known ones are bounded where they are
(`sitegen.brackets`), and this limit catches the rest: a body that takes
longer than `SECONDS` to convert is a problem of its file.

It uses the interval timer (SIGALRM), which only the main thread of a
process can set: the CLI's build and its worker processes have the limit;
a build running in another thread (the preview's rebuilds of a small site)
converts without it.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

SECONDS = 10.0


class TimeLimitExceeded(BaseException):
    """The work inside `limit` took longer than it was given (a BaseException, so that no
    `except Exception` inside a library swallows it)."""


@contextmanager
def limit(seconds: float | None = None) -> Iterator[None]:
    """Raise TimeLimitExceeded inside the block once `seconds` (default SECONDS) have passed."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
            signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimeLimitExceeded()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, SECONDS if seconds is None else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
