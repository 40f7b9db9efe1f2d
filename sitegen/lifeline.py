"""Layer 0. Worker processes end when the process that started them dies.

A build killed with SIGKILL (a CI timeout, the OOM killer) cannot shut its
worker pool down; without this the workers would wait for work forever.
On Linux the kernel sends them SIGKILL the moment their parent is gone
(prctl PR_SET_PDEATHSIG); elsewhere a watchdog thread notices the parent
changed and exits.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 1.0


def tie_to_parent() -> None:
    """Called first in each worker process."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # died before the kernel was told
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="sitegen-lifeline", daemon=True).start()


def _watch(parent: int) -> None:
    # PR_SET_PDEATHSIG follows the thread that forked the worker, not the process;
    # the watchdog covers other systems and that case.
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)
