"""Layer 6. The build state: everything a build keeps for the next one, in one SQLite file.

`.sitegen-cache/state.sqlite` (the standard library's sqlite3, in WAL mode)
holds one table of records, each (kind, folder, name) -> a marshal'd value
with a CRC-32 of its bytes:

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
import marshal
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.errors import Problem

FILE = "state.sqlite"
_SCHEMA = """CREATE TABLE IF NOT EXISTS records (
    kind TEXT NOT NULL, folder TEXT NOT NULL, name TEXT NOT NULL,
    crc INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (kind, folder, name)
) WITHOUT ROWID"""
_SALT = ("meta", "", "salt")
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


class BuildState:
    """One build cache folder's state. `directory` None: a build without a cache.
    `kept`: the records met stay in memory for the process's next build (serve)."""

    def __init__(self, directory: Path | None = None, salt: str = "",
                 kept: bool = True) -> None:
        self.directory = directory
        self.salt = salt
        self.warnings: list[Problem] = []
        self.articles: dict[str, Any] = {} if kept else _Unkept()
        """Read key -> (Article, problems) met by this process (serve keeps them)."""
        self.stamps: dict[str, Any] = {} if kept else _Unkept()
        """Source -> its stamp record, as met by this process."""
        self.folders: dict[str, Folder] = {} if kept else _Unkept()
        """Output folder -> the facts this process last saved for it."""
        self.memo: dict[tuple[str, str], Any] = {} if kept else _Unkept()
        """Other values kept in memory between builds of one process (serve)."""
        self._db: sqlite3.Connection | None = None
        self._opened = False
        self._pending: list[tuple[str, str, str, Any]] = []
        self._early: list[tuple[str, str, str, Any]] = []
        self._dropped: list[tuple[str, str, str]] = []
        self._damaged = 0
        self._streaming = False
        """Between `begin` and `commit`: puts are written as they come, in one transaction."""

    # --- the file -------------------------------------------------------------------------

    @property
    def path(self) -> Path | None:
        return self.directory / FILE if self.directory is not None else None

    def _connection(self) -> sqlite3.Connection | None:
        if not self._opened:
            self._opened = True
            self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection | None:
        path = self.path
        if path is None:
            return None
        try:
            return self._connect(path)
        except sqlite3.Error as exc:
            self._unreadable(exc)
        self._discard()  # and start a new one
        try:
            return self._connect(path)
        except (sqlite3.Error, OSError):
            return None

    def _connect(self, path: Path) -> sqlite3.Connection:
        # serve builds in a thread of its own; one build at a time uses the connection.
        db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(_SCHEMA)
            row = db.execute("SELECT crc, data FROM records WHERE kind=? AND folder=? AND name=?",
                             _SALT).fetchone()
            if row is None or self._value(row) != self.salt:
                # Another version wrote it (or nobody did): none of it is used.
                db.execute("DELETE FROM records")
                db.execute("INSERT INTO records VALUES (?, ?, ?, ?, ?)",
                           (*_SALT, *_pack(self.salt)))
            return db
        except BaseException:
            db.close()
            raise

    def _unreadable(self, exc: Exception) -> None:
        self.warnings.append(Problem(str(self.path), 0, f"ignoring the build cache "
                                     f"({type(exc).__name__}: {exc}); it is rebuilt",
                                     warning=True))

    def _failed(self, exc: sqlite3.Error) -> None:
        """A file found bad while in use: warn, set it aside, and save nothing of this
        build (what was read before may be part of the damage); the next build starts
        from an empty state."""
        if self._db is None:
            return
        self._unreadable(exc)
        self._db.close()
        self._db = None
        self._pending.clear()
        self._dropped.clear()
        self._early.clear()
        self._discard()

    def _discard(self) -> None:
        path = self.path
        if path is not None:
            for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                with contextlib.suppress(OSError):
                    name.unlink(missing_ok=True)

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

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
        self._db, self._opened = None, False

    # --- records --------------------------------------------------------------------------

    def _value(self, row: tuple[int, bytes]) -> Any:
        crc, data = row
        if zlib.crc32(data) != crc:
            self._damaged += 1
            return None
        try:
            return marshal.loads(data)
        except (ValueError, EOFError, TypeError):
            self._damaged += 1
            return None

    def get(self, kind: str, folder: str, name: str) -> Any:
        """One record's value, or None (none, or damaged)."""
        db = self._connection()
        if db is None:
            return None
        try:
            row = db.execute("SELECT crc, data FROM records WHERE kind=? AND folder=? AND name=?",
                             (kind, folder, name)).fetchone()
        except sqlite3.Error as exc:
            self._failed(exc)
            return None
        return self._value(row) if row else None

    def get_many(self, kind: str, folder: str, names: list[str]) -> dict[str, Any]:
        """The sound records among `names`, in one query (a query a record costs a
        10,000-article build a third of a second). Ask for a few hundred at a time."""
        db = self._connection()
        if db is None or not names:
            return {}
        try:
            rows = db.execute("SELECT name, crc, data FROM records WHERE kind=? AND folder=? "
                              f"AND name IN ({','.join('?' * len(names))})",
                              (kind, folder, *names)).fetchall()
        except sqlite3.Error as exc:
            self._failed(exc)
            return {}
        return {name: value for name, crc, data in rows
                if (value := self._value((crc, data))) is not None}

    def items(self, kind: str, folder: str) -> Iterator[tuple[str, Any]]:
        """Every sound record of a kind in a folder."""
        db = self._connection()
        if db is None:
            return
        try:
            rows = db.execute("SELECT name, crc, data FROM records WHERE kind=? AND folder=?",
                              (kind, folder)).fetchall()
        except sqlite3.Error as exc:
            self._failed(exc)
            return
        for name, crc, data in rows:
            value = self._value((crc, data))
            if value is not None:
                yield name, value

    def names(self, kind: str, folder: str) -> set[str]:
        db = self._connection()
        if db is None:
            return set()
        try:
            return {name for (name,) in db.execute(
                "SELECT name FROM records WHERE kind=? AND folder=?", (kind, folder))}
        except sqlite3.Error as exc:
            self._failed(exc)
            return set()

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
            db.executemany("DELETE FROM records WHERE kind=? AND folder=? AND name=?", dropped)
            db.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?)",
                           ((k, f, n, *_pack(v)) for k, f, n, v in pending))
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
            self.warnings.append(Problem(str(self.path), 0, "the build cache was not saved "
                                         f"({exc.strerror or exc}); the next build makes it "
                                         "again", warning=True))

    def drop(self, kind: str, folder: str, names: Iterable[str]) -> None:
        self._dropped.extend((kind, folder, name) for name in names)

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
                db.executemany("DELETE FROM records WHERE kind=? AND folder=? AND name=?",
                               dropped)
                db.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?)",
                               ((k, f, n, *_pack(v)) for k, f, n, v in pending))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            self._failed(exc)
        except OSError as exc:  # the build is done: a state not saved only costs time
            self.warnings.append(Problem(str(self.path), 0, "the build cache was not saved "
                                         f"({exc.strerror or exc}); the next build makes it "
                                         "again", warning=True))

    def _report_damage(self) -> None:
        if self._damaged:
            damaged, self._damaged = self._damaged, 0
            self.warnings.append(Problem(str(self.path), 0, f"{damaged} damaged entr"
                                         f"{'y was' if damaged == 1 else 'ies were'} dropped "
                                         "from the build cache (checksum mismatch); what "
                                         "they held is made again", warning=True))


def _pack(value: Any) -> tuple[int, bytes]:
    data = marshal.dumps(value)
    return zlib.crc32(data), data

