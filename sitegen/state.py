"""Layer 0.5. The build state: everything a build keeps for the next one, in one SQLite
file.

`.sitegen-cache/state.sqlite` (the standard library's sqlite3, in WAL mode)
holds one table of records, each (kind, folder, name) -> a marshal'd value
with a CRC-32 of its bytes (the file, reading it and its health: state_file.py):

- `source`  path -> its stat when it was hashed, and its read key (racy-git rule)
- `read`    read key -> the Article (without its body: bodies.py) and its problems
- `folder`  output folder -> the facts of the last build into it: site key,
            the link check's findings, which files are pages (render keys) and
            which are other files, and the body-edit bookkeeping (deps.py)
- `output`  (folder, file) -> [render key, the body references it showed]
- `meta`    (folder, source) -> [read key, metadata digest, body reference]
- `link`    (folder, file) -> what the link check knows of one page (check.py)
- `bodies`  (bodies folder) -> when the last build that checked every stored body
            its articles show began (sources.py: older bodies are known by ctime)
- `related` (edition) -> the shape related stories were last worked out from, and
            the answer (related.py: a publish works out only what it changes)
- `search`  (folder) -> the search bundle key each shard folder of the output holds
- `search-shard`, `search-digests` (search cache folder, shard) -> its pages at the
            render key each was indexed at, its key and bundle files; its pages'
            digests (search_books.py: a body edit reads the one and writes one shard's)

Records are read per query, never the whole file: a build asks for the
articles it needs by read key, which hashes the source's bytes (not its time or
path alone), so a cache restored on another CI machine serves as well as a
local one. What a build learned is written once, in one transaction, after its
output is in place; the folder's record is deleted before the output changes,
so a build that dies halfway leaves no record that claims more than is true.

Nothing here is trusted blindly: a record whose checksum does not match is
dropped (a warning; what it held is made again), and a file SQLite cannot
read is set aside with a warning and the build goes on without it. `sitegen
serve` keeps one BuildState across its builds, and with it the articles and
folder facts of the last build in memory.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.errors import Problem
from sitegen.state_file import FILE as FILE
from sitegen.state_file import RecordFile, write

_BATCH = 500


@dataclass
class Folder:
    """What the last build into one output folder left: loaded at a build's start."""

    site_key: str | None = None
    checked: list[Problem] | None = None
    """What the link check of that build found."""
    renders: dict[str, int] = field(default_factory=dict)
    """Every page (rendered file) -> its render key."""
    shows: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    """Page -> the stored bodies its context showed (deps.py)."""
    static: set[str] | None = None
    """The other files (static, pictures, search index); None: no build is known."""
    meta_key: str = ""


class _Unkept(dict[Any, Any]):
    """A memory that keeps nothing: a build whose process ends with it reads each record
    once, and holding every article's records again would cost the planning process
    hundreds of bytes per article."""

    def __setitem__(self, key: Any, value: Any) -> None:
        pass

    def setdefault(self, key: Any, default: Any = None) -> Any:
        return default


class BuildState(RecordFile):
    """One build cache folder's state: its records (state_file.RecordFile), when what a
    build learns is written, and what the process keeps in memory. `directory` None: a
    build without a cache. `kept`: the records met stay in memory for the process's next
    build (serve)."""

    def __init__(self, directory: Path | None = None, salt: str = "",
                 kept: bool = True) -> None:
        super().__init__(directory, salt)
        self.kept = kept
        self.articles: dict[str, Any] = {} if kept else _Unkept()
        """Read key -> (Article, problems) met by this process (serve keeps them)."""
        self.stamps: dict[str, Any] = {} if kept else _Unkept()
        """Source -> its stamp record, as met by this process."""
        self.folders: dict[str, Folder] = {} if kept else _Unkept()
        """Output folder -> the facts this process last saved for it."""
        self.memo: dict[tuple[str, str], Any] = {} if kept else _Unkept()
        """Other values kept in memory between builds of one process (serve)."""
        self._pending: list[tuple[str, str, str, Any]] = []
        self._early: list[tuple[str, str, str, Any]] = []
        self._dropped: list[tuple[str, str, str]] = []
        self._streaming = False
        """Between `begin` and `commit`: puts are written as they come, in one transaction."""

    def attach(self, directory: Path | None, salt: str) -> None:
        """Use this state for a build whose cache is `directory` (serve keeps one state
        across its builds; one of another folder or version starts empty)."""
        self.warnings = []
        if (directory, salt) == (self.directory, self.salt):
            return
        self.close()
        self.directory, self.salt = directory, salt
        self.articles.clear()
        self.stamps.clear()
        self.folders.clear()
        self.memo.clear()

    def _lost(self) -> None:
        self._pending.clear()
        self._dropped.clear()
        self._early.clear()

    def put(self, kind: str, folder: str, name: str, value: Any) -> None:
        """Written with the next `commit`."""
        self._pending.append((kind, folder, name, value))
        if self._streaming and len(self._pending) >= _BATCH:
            self._stream(finish=False)

    def write_now(self, kind: str, folder: str, name: str, value: Any) -> None:
        """Written soon, in a transaction of its own: for records that say under what
        they hold (a read key, a file's stat), which a build that dies later cannot
        make untrue, and which a large build should not hold in memory."""
        if self._streaming:  # a transaction is open: with it
            self.put(kind, folder, name, value)
            return
        self._early.append((kind, folder, name, value))
        if len(self._early) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        early, self._early = self._early, []
        self._transaction(early, [])

    def begin(self) -> None:
        """From now to `commit`, what is put is written as it comes, in one transaction
        that `commit` ends: the records a large build learned are never all held in
        memory at once, and a build that dies before `commit` leaves none of them."""
        self.flush()
        db = self._connection()
        if db is None or self._streaming:
            return
        try:
            db.execute("BEGIN IMMEDIATE")
            self._streaming = True
        except sqlite3.Error as exc:
            self._failed(exc)

    def abandon(self) -> None:
        """End what `begin` started without writing it (the build failed meanwhile)."""
        self._pending.clear()
        self._dropped.clear()
        if self._streaming and self._db is not None:
            self._streaming = False
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")

    def _stream(self, finish: bool) -> None:
        pending, dropped = self._pending, self._dropped
        self._pending, self._dropped = [], []
        db = self._db
        if db is None:
            self._streaming = False
            return
        try:
            write(db, pending, dropped)
            if finish:
                self._streaming = False
                db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._streaming = False
            self._failed(exc)  # closing the connection rolls the transaction back
        except OSError as exc:
            self._streaming = False
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            self._not_saved(exc)

    def drop(self, kind: str, folder: str, names: Iterable[str]) -> None:
        self._dropped.extend((kind, folder, name) for name in names)

    def drop_now(self, kind: str, folder: str, names: Iterable[str]) -> None:
        """Dropped soon, in a transaction of its own (with what `write_now` holds): for
        records a change made outside a build makes untrue (a page written early)."""
        dropped = [(kind, folder, name) for name in names]
        if self._streaming:  # a transaction is open: with it
            self._dropped.extend(dropped)
            return
        early, self._early = self._early, []
        self._transaction(early, dropped)

    def forget_folder(self, folder: str) -> None:
        """Now, in a transaction of its own: the folder's output is about to change, so
        nothing may claim to know it until the build that changes it has finished."""
        self.folders.pop(folder, None)
        db = self._connection()
        if db is None:
            return
        try:
            db.execute("DELETE FROM records WHERE kind='folder' AND folder=?", (folder,))
        except sqlite3.Error as exc:
            self._failed(exc)

    def commit(self) -> None:
        """Write what was put and dropped since the last commit, in one transaction."""
        if self._streaming:
            self._stream(finish=True)
            self._report_damage()
            return
        self.flush()
        self._report_damage()
        pending, dropped = self._pending, self._dropped
        self._pending, self._dropped = [], []
        self._transaction(pending, dropped)

    def _transaction(self, pending: list[tuple[str, str, str, Any]],
                     dropped: list[tuple[str, str, str]]) -> None:
        db = self._connection()
        if db is None or not (pending or dropped):
            return
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                write(db, pending, dropped)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            self._failed(exc)
        except OSError as exc:  # the build is done: a state not saved only costs time
            self._not_saved(exc)


