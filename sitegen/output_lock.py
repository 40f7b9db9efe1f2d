"""Layer 5.7. One build at a time in an output folder, and what a killed one left undone.

A lock (flock, released by the kernel when its process dies) keeps a second build
out of a folder while one writes it. Taking it first finishes or removes what a
killed build left: the mount-point journal rolled forward, the staging tree and the
search index's work removed, the previous tree put back where a swap without
exchange was killed between its renames.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

from sitegen.errors import Problem, SitegenError
from sitegen.output_places import beside, inside_mode
from sitegen.tree_files import JOURNAL, SEARCH_SCRATCH, internal, remove, roll_forward

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; builds into one folder must not overlap
    fcntl = None  # type: ignore[assignment]


class OutputLock:
    """Held for a whole build: a second build into the same folder stops with a message.

    The lock file lies beside the output folder (which the swap replaces) while a
    build runs; in the mount-point case the folder itself, which never moves, is
    locked instead. Taking the lock also removes or completes what a killed build
    left behind.
    """

    def __init__(self, output: Path) -> None:
        self.output = output.resolve()
        self.fd: int | None = None
        self.path: Path | None = None

    def __enter__(self) -> OutputLock:
        if fcntl is not None:
            if inside_mode(self.output):
                self.path = None
                self.fd = os.open(self.output, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
                self._take()
            else:
                self.output.parent.mkdir(parents=True, exist_ok=True)
                self.path = beside(self.output, "lock")
                while True:
                    self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
                    self._take()
                    # The holder before us removes the file when done: ours must still be it.
                    try:
                        if os.stat(self.path).st_ino == os.fstat(self.fd).st_ino:
                            break
                    except FileNotFoundError:
                        pass
                    os.close(self.fd)
                os.ftruncate(self.fd, 0)
                os.pwrite(self.fd, f"{os.getpid()}\n".encode(), 0)
        try:
            recover(self.output)
        except BaseException:
            self.__exit__(None, None, None)  # `with` calls it only once entered
            raise
        return self

    def _take(self) -> None:
        assert self.fd is not None and fcntl is not None
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(self.fd)
            os.close(self.fd)
            self.fd = None
            raise SitegenError([Problem(str(self.output), 0, "another sitegen build"
                                        f"{f' (process {holder})' if holder else ''} is "
                                        "writing this folder: wait until it has finished, "
                                        "then build again")]) from None

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self.fd is not None:
            if self.path is not None:
                self.path.unlink(missing_ok=True)  # while still held, so no one else's goes
            os.close(self.fd)  # releases the lock
            self.fd = None


def _read_pid(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode("ascii", errors="replace").strip()
    except OSError:
        return ""


def recover(output: Path) -> None:
    """Finish or remove what a killed build left: the output is one whole tree again.
    (The spare tree beside it is not removed: the next build brings it up to date.)"""
    if (output / JOURNAL).is_file():
        roll_forward(output)
    if output.is_dir():
        for name in os.listdir(output):
            if internal(name):
                remove(output / name)
    if output.parent.is_dir():
        for name in os.listdir(output.parent):  # the search index's work, when killed
            if name.startswith(SEARCH_SCRATCH):
                remove(output.parent / name, strict=False)
    old = beside(output, "old")
    if not os.path.lexists(output) and old.is_dir():
        os.rename(old, output)  # killed between the renames of a swap without exchange
    remove(old)
