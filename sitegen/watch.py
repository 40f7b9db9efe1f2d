"""Layer 8. File changes -> one set of changed paths per burst.

Editors save in several steps (write a temporary file, rename it over the
original, touch a backup) and a `git checkout` touches hundreds of files in a
row. Rebuilding on every event would start a storm of builds, each seeing a
half-written state, so events are filtered (`classify`) and collected until
the site has been quiet for `QUIET` seconds (`ChangeBatcher`); only then does
the preview rebuild, once, for the whole burst.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import (
    EVENT_TYPE_CLOSED,
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from sitegen.config import CONFIG_NAME

QUIET = 0.1
"""Seconds without events that end a burst (MkDocs' build_delay, Hugo's batcher)."""
SETTLE = 0.02
"""Seconds without events that end a burst whose every file was written and closed
(inotify's IN_CLOSE_WRITE): no write is left half done, so only what else the same
save touches (a backup, a second file) is waited for. A body edit is then shown at
once (body_edits.py) instead of after QUIET."""

WATCHED_DIRS = ("content", "themes")
IGNORED_DIRS = frozenset({".git", ".hg", ".svn", ".sitegen", "__pycache__", "node_modules",
                          ".idea", ".vscode"})
_TEMP_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".swpx", ".tmp", ".temp", ".part", ".crdownload",
                  ".kate-swp", ".orig", ".rej")
_TEMP_PREFIXES = (".#", ".~lock.", ".goutputstream-", ".syncthing.")
_TEMP_NAMES = frozenset({"4913", ".DS_Store", "Thumbs.db"})  # 4913: vim's can-I-write probe
# What a build does to the files it reads (open them, read them, hard-link them, which
# changes their metadata) must never look like a change: the preview would rebuild forever.
_CHANGE_EVENTS = frozenset({EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED,
                            EVENT_TYPE_MOVED, EVENT_TYPE_CLOSED})


def is_temporary(name: str) -> bool:
    """Whether a file name is an editor's or a tool's scratch file, never content."""
    return (name in _TEMP_NAMES or name.endswith(_TEMP_SUFFIXES) or name.startswith(_TEMP_PREFIXES)
            or "___jb_" in name or (name.startswith("#") and name.endswith("#")))


def classify(path: Path, root: Path, ignored: Iterable[Path] = ()) -> str | None:
    """What a changed path is to the site: "config", "content", "theme", or None to ignore it.

    `root` and `ignored` (output and cache folders) must be absolute and resolved; `path`
    is absolute, as watchdog reports it.
    """
    if any(path == folder or path.is_relative_to(folder) for folder in ignored):
        return None
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return None
    if not parts or IGNORED_DIRS.intersection(parts) or is_temporary(parts[-1]):
        return None
    if parts == (CONFIG_NAME,):
        return "config"
    return {"content": "content", "themes": "theme"}.get(parts[0])


class ChangeBatcher:
    """Changed paths collected until `quiet` seconds pass with no new one.

    Thread-safe: watchdog's thread adds, the rebuild thread waits. `clock` is
    injectable so the debounce can be tested without sleeping.
    """

    def __init__(self, quiet: float = QUIET, clock: Callable[[], float] = time.monotonic,
                 settle: float = SETTLE) -> None:
        self.quiet = quiet
        self.settle = min(settle, quiet)
        self.clock = clock
        self._pending: set[Path] = set()
        self._open: set[Path] = set()
        """Paths of the burst not known to be written whole: changed, and not closed since
        (renamed, deleted, or written by a tool whose close is not reported)."""
        self._last = 0.0
        self._closed = False
        self._changed = threading.Condition()

    def add(self, paths: Iterable[Path]) -> None:
        paths = set(paths)
        if not paths:
            return
        with self._changed:
            self._pending |= paths
            self._open |= paths
            self._last = self.clock()
            self._changed.notify_all()

    def written(self, path: Path) -> None:
        """A file was written and closed: its write is whole (inotify's IN_CLOSE_WRITE)."""
        with self._changed:
            self._pending.add(path)
            self._open.discard(path)
            self._last = self.clock()
            self._changed.notify_all()

    def _quiet(self) -> float:
        return self.quiet if self._open else self.settle

    @property
    def pending(self) -> bool:
        with self._changed:
            return bool(self._pending)

    def take_if_quiet(self) -> set[Path] | None:
        """The whole burst once it has been quiet long enough, else None."""
        with self._changed:
            return self._take_if_quiet()

    def _take_if_quiet(self) -> set[Path] | None:
        if not self._pending or self.clock() - self._last < self._quiet():
            return None
        batch, self._pending, self._open = self._pending, set(), set()
        return batch

    def wait(self, timeout: float | None = None) -> set[Path] | None:
        """Block until a burst is over and return it; None once closed or after `timeout`."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._changed:
            while not self._closed:
                batch = self._take_if_quiet()
                if batch is not None:
                    return batch
                now = time.monotonic()
                if deadline is not None and now >= deadline:
                    return None
                left = 3600.0 if deadline is None else deadline - now
                if self._pending:
                    left = min(left, self._quiet() - (self.clock() - self._last))
                self._changed.wait(max(left, 0.01))
            return None

    @property
    def closed(self) -> bool:
        with self._changed:
            return self._closed

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()


class Watcher(FileSystemEventHandler):
    """Feeds a ChangeBatcher with the site's changes (watchdog, or polling with `poll`)."""

    def __init__(self, root: Path, batcher: ChangeBatcher, ignored: Iterable[Path] = (),
                 poll: bool = False) -> None:
        self.root = root.resolve()
        self.batcher = batcher
        self.ignored = tuple(p.resolve() for p in ignored)
        """Output and cache folders; the preview updates it when sitegen.toml changes."""
        self.observer: BaseObserver = PollingObserver(timeout=0.5) if poll else Observer()
        self._watched: set[Path] = set()

    def start(self) -> None:
        # The site's root non-recursively (sitegen.toml is replaced, not edited, by many
        # editors, and content/ may be created later); its folders recursively.
        self.observer.schedule(self, str(self.root), recursive=False)
        self._watch_folders()
        self.observer.start()

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join(timeout=10)

    def _watch_folders(self) -> None:
        for name in WATCHED_DIRS:
            folder = self.root / name
            if folder not in self._watched and folder.is_dir():
                self.observer.schedule(self, str(folder), recursive=True)
                self._watched.add(folder)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _CHANGE_EVENTS:
            return
        if event.is_directory and event.event_type == EVENT_TYPE_MODIFIED:
            return  # a folder's mtime moves when a file in it changes; that file is reported
        paths = [Path(os.fsdecode(event.src_path))]
        if event.dest_path:
            paths.append(Path(os.fsdecode(event.dest_path)))
        if event.is_directory and any(p.parent == self.root for p in paths):
            self._watch_folders()
        if event.event_type == EVENT_TYPE_CLOSED and not event.is_directory:
            if classify(paths[0], self.root, self.ignored):
                self.batcher.written(paths[0])
            return
        self.batcher.add(p for p in paths if classify(p, self.root, self.ignored))
