"""Loaded into the test cluster's Dask workers (`dask worker --preload THIS_FILE`).

An audit hook forbids every open or listing of a path under SITEGEN_GUARD_FORBIDDEN
(the folder that holds the test sites): a worker that read the client's disk by path
would fail the build, and the attempt is logged. It also logs each Markdown source the
worker reads from its own copy of the site ("read NAME"), so that the tests can see which
worker did what; SITEGEN_GUARD_SLOW seconds of sleep before each such read make a
build slow enough to kill a worker in the middle of it.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

FORBIDDEN = os.path.realpath(os.environ["SITEGEN_GUARD_FORBIDDEN"]) + os.sep
LOG = os.environ["SITEGEN_GUARD_LOG"]
SLOW = float(os.environ.get("SITEGEN_GUARD_SLOW", "0"))
_EVENTS = {"open", "os.listdir", "os.scandir"}
_inside = [False]


def _log(line: str) -> None:
    _inside[0] = True
    try:
        with open(LOG, "a", encoding="utf-8") as stream:
            stream.write(line + "\n")
    finally:
        _inside[0] = False


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event not in _EVENTS or _inside[0] or not args or isinstance(args[0], int):
        return
    try:
        path = os.path.realpath(os.fsdecode(args[0]))
    except (TypeError, ValueError):
        return
    if path.startswith(FORBIDDEN):
        _log(f"FORBIDDEN {event} {path}")
        raise PermissionError(f"a worker touched the client's disk: {path}")
    if event == "open" and path.endswith(".md") and "sitegen-sites" in path \
            and str(args[1] if len(args) > 1 else "r").startswith("r"):
        _log(f"read {os.path.basename(path)}")
        if SLOW:
            time.sleep(SLOW)


def dask_setup(worker: Any) -> None:
    sys.addaudithook(_hook)
    _log(f"armed {worker.address}")
