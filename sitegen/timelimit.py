"""Layer 1. A time limit for converting one file, so no body can stall a build.

Python-Markdown has patterns whose cost grows with the square of some count
(thousands of `<a `, of `<http://`, of reference definitions or
abbreviations in one body); the worst known ones are bounded where they are
(`sitegen.brackets`), and this limit catches the rest: a body that takes
longer than `SECONDS` to convert is a problem of its file.

In the main thread of a process (the CLI's build and its worker processes) it
uses the interval timer (SIGALRM). Only the main thread may set that, so in any
other thread (the preview's rebuild thread) a timer thread raises the exception
in the converting thread instead (PyThreadState_SetAsyncExc, the C API for
exactly this); both take effect between two Python bytecodes, like any signal.
"""

from __future__ import annotations

import ctypes
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
    given = SECONDS if seconds is None else seconds
    if threading.current_thread() is not threading.main_thread() or not hasattr(
            signal, "setitimer"):
        with _in_thread(given):
            yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimeLimitExceeded()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, given)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
_set_async_exc.argtypes = (ctypes.c_ulong, ctypes.py_object)


@contextmanager
def _in_thread(seconds: float) -> Iterator[None]:
    """The limit for a thread that cannot have SIGALRM: a timer raises the exception in it.
    The lock makes the timer and the end of the block exclusive, so the exception is
    never raised after the block, where nothing would catch it."""
    target = threading.get_ident()
    lock = threading.Lock()
    state = {"open": True, "raised": False}

    def expire() -> None:
        with lock:
            if state["open"]:
                state["raised"] = True
                _set_async_exc(target, ctypes.py_object(TimeLimitExceeded))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["open"] = False
            if state["raised"]:
                # Raised but perhaps not delivered yet (the block ended first): withdrawn.
                _set_async_exc(target, ctypes.py_object())  # NULL clears it
        timer.cancel()
