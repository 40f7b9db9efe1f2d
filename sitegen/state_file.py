"""Layer 0.2. The build state's file: one SQLite table of records, each (kind, folder,
name) -> a marshal'd value with a CRC-32 of its bytes (what each kind holds: state.py).

`RecordFile` opens the file when first asked (WAL mode: readers never wait for the
writer), reads records per query, never the whole file, and writes a batch of them
in one statement pair. A file written by another version of sitegen (its salt
record differs) is emptied; a record whose checksum does not match is counted as
damaged and read as missing (reported once, at the next commit); a file SQLite
cannot read is set aside with a warning and the build goes on with a new one.
When and what a build writes is BuildState's (state.py).

Its pages are 16 KiB (`PAGE_SIZE`), not SQLite's 4 KiB: in a table WITHOUT ROWID a
record of more than about 1,000 bytes (an article's, with its image, summary and table
of contents; a page's links) spilled into an overflow page of its own, so the records a
publish reads of a 10,000-article archive took 46 MB of file in place of 14 MB and three
times the time to fetch. A file made with other pages is rewritten once (VACUUM).
"""

from __future__ import annotations

import collections
import contextlib
import marshal
import sqlite3
import zlib
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any, TypeVar

from sitegen.errors import Problem

FILE = "state.sqlite"
_SCHEMA = """CREATE TABLE IF NOT EXISTS records (
    kind TEXT NOT NULL, folder TEXT NOT NULL, name TEXT NOT NULL,
    crc INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (kind, folder, name)
) WITHOUT ROWID"""
_SALT = ("meta", "", "salt")
_T = TypeVar("_T")
PAGE_SIZE = 16384


class RecordFile:
    """The records of one build cache folder's state file. `directory` None: a build
    without a cache, which reads nothing and writes nothing."""

    def __init__(self, directory: Path | None = None, salt: str = "") -> None:
        self.directory = directory
        self.salt = salt
        self.warnings: list[Problem] = []
        self._db: sqlite3.Connection | None = None
        self._opened = False
        self._damaged = 0
        self.loaded: collections.Counter[str] = collections.Counter()
        """How many records of each kind were read (what a build reads of the books,
        counted: tests assert that an edit reads what it changes, not the archive)."""

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
            db.execute(f"PRAGMA page_size={PAGE_SIZE}")  # a new file's; an old one's below
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(_SCHEMA)
            row = db.execute("SELECT crc, data FROM records WHERE kind=? AND folder=? AND name=?",
                             _SALT).fetchone()
            if row is None or self._value(row) != self.salt:
                # Another version wrote it (or nobody did): none of it is used.
                db.execute("DELETE FROM records")
                db.execute("INSERT INTO records VALUES (?, ?, ?, ?, ?)",
                           (*_SALT, *pack(self.salt)))
            if db.execute("PRAGMA page_size").fetchone()[0] != PAGE_SIZE:
                _repage(db)
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
        self._lost()
        self._discard()

    def _lost(self) -> None:
        """What was held to be written goes with a bad file (BuildState holds some)."""

    def _discard(self) -> None:
        path = self.path
        if path is not None:
            for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                with contextlib.suppress(OSError):
                    name.unlink(missing_ok=True)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
        self._db, self._opened = None, False

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
        self.loaded[kind] += 1 if row else 0
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
        self.loaded[kind] += len(rows)
        return {name: value for name, crc, data in rows
                if (value := self._value((crc, data))) is not None}

    def get_kinds(self, kinds: tuple[str, ...], folder: str, names: list[str]
                  ) -> dict[str, dict[str, Any]]:
        """get_many of several kinds kept under the same names (a source's stamp and the
        static files it asked about), in one query: kind -> name -> value."""
        found: dict[str, dict[str, Any]] = {kind: {} for kind in kinds}
        db = self._connection()
        if db is None or not names:
            return found
        try:
            rows = db.execute(f"SELECT kind, name, crc, data FROM records WHERE kind IN "
                              f"({','.join('?' * len(kinds))}) AND folder=? AND name IN "
                              f"({','.join('?' * len(names))})",
                              (*kinds, folder, *names)).fetchall()
        except sqlite3.Error as exc:
            self._failed(exc)
            return found
        for kind, name, crc, data in rows:
            if (value := self._value((crc, data))) is not None:
                found[kind][name] = value
        return found

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
        self.loaded[kind] += len(rows)
        for name, crc, data in rows:
            value = self._value((crc, data))
            if value is not None:
                yield name, value

    def ordered(self, kind: str, folder: str) -> Generator[tuple[str, Any], None, None]:
        """Every sound record of a kind in a folder, in name order, one at a time as the
        caller takes them (one pass over their pages; none held all at once). Close it
        (or take every one) before writing with this connection."""
        db = self._connection()
        if db is None:
            return
        cursor = db.cursor()
        try:
            rows = cursor.execute("SELECT name, crc, data FROM records WHERE kind=? AND "
                                  "folder=? ORDER BY name", (kind, folder))
            for name, crc, data in rows:
                value = self._value((crc, data))
                if value is not None:
                    yield name, value
        except sqlite3.Error as exc:
            self._failed(exc)
        finally:
            with contextlib.suppress(sqlite3.Error):
                cursor.close()

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

    def names_from(self, kind: str, folder: str, prefix: str, limit: int) -> list[str]:
        """Up to `limit` names of a kind in a folder that begin with `prefix`, in order: a
        range of the table's key, so a query costs the names found, not the records kept
        (claim_book.py asks what is claimed at or under one output name)."""
        db = self._connection()
        if db is None:
            return []
        try:
            return [name for (name,) in db.execute(
                "SELECT name FROM records WHERE kind=? AND folder=? AND name>=? AND name<? "
                "LIMIT ?", (kind, folder, prefix, prefix + "\U0010ffff", limit))]
        except sqlite3.Error as exc:
            self._failed(exc)
            return []

    def transaction(self, work: Callable[[sqlite3.Connection], _T]) -> _T | None:
        """`work` done on the file's connection in a transaction of its own (within the
        open one, if any): for a table beside the records (link_edges.py). None when the
        file cannot be used; a failure sets it aside like any other."""
        db = self._connection()
        if db is None:
            return None
        try:
            if db.in_transaction:
                return work(db)
            db.execute("BEGIN IMMEDIATE")
            try:
                result = work(db)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            return result
        except sqlite3.Error as exc:
            self._failed(exc)
        except OSError as exc:
            self._not_saved(exc)
        return None

    def _not_saved(self, exc: OSError) -> None:
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


def _repage(db: sqlite3.Connection) -> None:
    """Rewrite a file made with pages of another size in PAGE_SIZE pages (WAL mode fixes
    the size, so it is left for the rewrite). Another process holding the file open
    (`serve`) makes it fail: the file then stays as it is, as good, until a later build."""
    try:
        db.execute("PRAGMA journal_mode=DELETE")
        db.execute(f"PRAGMA page_size={PAGE_SIZE}")
        db.execute("VACUUM")
    except sqlite3.OperationalError:
        pass
    db.execute("PRAGMA journal_mode=WAL")


def write(db: sqlite3.Connection, pending: list[tuple[str, str, str, Any]],
          dropped: list[tuple[str, str, str]]) -> None:
    """Delete `dropped` and write `pending`, in the transaction the caller holds open."""
    db.executemany("DELETE FROM records WHERE kind=? AND folder=? AND name=?", dropped)
    db.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?)",
                   ((k, f, n, *pack(v)) for k, f, n, v in pending))


def pack(value: Any) -> tuple[int, bytes]:
    data = marshal.dumps(value)
    return zlib.crc32(data), data

