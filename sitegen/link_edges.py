"""Layer 5.85. Which pages link to which file, kept in the build state's file: the link
check asks it which pages to judge again when files are gone (a story removed,
unpublished, renamed, and its photo's variants with it), in place of judging every page
of the site.

Two tables beside the state's records: `link_names` gives each file name of an output
folder a small integer, and `link_edges` holds a (target, page) pair of those integers
for each file a judged page links to (some 14 bytes a pair). A picture's variants are
one target, the photo's (`group`): a page showing a photo links to a dozen of them, and
they come and go together. Asked per query, never loaded: a set of every linked file
would cost the process that plans the build a string an article.

The edges only grow. A pair is written when its page is judged, in a transaction of its
own, before the folder's facts that rely on it (check.py), and none is ever deleted: a
pair whose page no longer links there costs that page one more judgement when the target
goes, while a pair deleted by a build that then died would lose a finding. A build
without a state keeps none: its check has no facts to go on, and judges every page.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable

from sitegen.state_file import RecordFile

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS link_names (id INTEGER PRIMARY KEY, folder TEXT NOT NULL, "
    "name TEXT NOT NULL, UNIQUE (folder, name))",
    "CREATE TABLE IF NOT EXISTS link_edges (target INTEGER NOT NULL, page INTEGER NOT NULL, "
    "PRIMARY KEY (target, page)) WITHOUT ROWID",
)
# Names' integers remembered (the menu's pages recur on every page); a bound, not a copy.
# Both bounds are reached by a site of 1,000 articles: what they hold is the same at any
# size, so the main process's peak does not grow with the archive (tests/test_memory.py).
NAMES_REMEMBERED = 1024
# Judged pages' links held before they are written together.
PAGES_HELD = 200
# Names in one query.
_CHUNK = 400
# A picture's variant (pictures._name: `_img/<stem>-<width>x<height>.<recipe>.<format>`):
# its photo's stem is what the edges keep. Two photos of one stem share a target, which
# only judges a few pages more when one goes.
_VARIANT = re.compile(r"(_img/.+)-[0-9]+x[0-9]+\.[0-9a-f]+\.[a-z0-9]+")


def group(name: str) -> str:
    """The target the edges keep for a link to the file `name`: its own name, or its
    photo's for a picture's variant."""
    if name.startswith("_img/"):
        variant = _VARIANT.fullmatch(name)
        if variant:
            return variant.group(1)
    return name


class LinkEdges:
    """One output folder's edges, in `state`'s file."""

    def __init__(self, state: RecordFile | None, folder: str) -> None:
        self.state, self.folder = state, folder
        self.ids: dict[str, int] = {}
        self.held: list[tuple[str, list[str]]] = []
        self.pairs = 0
        """Pairs handed to be written (judged pages' links), for the benchmarks."""

    def add(self, page: str, targets: Iterable[str]) -> None:
        """`page`, judged, links to `targets` (files' `group`s)."""
        if self.state is None:
            return
        found = list(targets)
        if found:
            self.held.append((page, found))
            self.pairs += len(found)
        if len(self.held) >= PAGES_HELD:
            self.flush()

    def flush(self) -> None:
        held, self.held = self.held, []
        if held and self.state is not None:
            self.state.transaction(lambda db: self._write(db, held))

    def linking(self, gone: Iterable[str]) -> set[str]:
        """Every page that linked to one of the files `gone` when it was last judged (and
        maybe some that no longer do, or that linked to another variant of its photo)."""
        self.flush()
        targets = sorted({group(name) for name in gone})
        if self.state is None or not targets:
            return set()

        def ask(db: sqlite3.Connection) -> set[str]:
            _create(db)
            found: set[str] = set()
            for start in range(0, len(targets), _CHUNK):
                chunk = targets[start:start + _CHUNK]
                found.update(name for (name,) in db.execute(
                    "SELECT p.name FROM link_names t JOIN link_edges e ON e.target = t.id "
                    "JOIN link_names p ON p.id = e.page WHERE t.folder = ? AND t.name IN "
                    f"({','.join('?' * len(chunk))})", (self.folder, *chunk)))
            return found

        return self.state.transaction(ask) or set()

    def _write(self, db: sqlite3.Connection, held: list[tuple[str, list[str]]]) -> None:
        _create(db)
        names = {page for page, _ in held}.union(*(found for _, found in held))
        ids = self._ids(db, names)
        # In the table's order: a b-tree filled in order touches fewer of its pages.
        db.executemany("INSERT OR IGNORE INTO link_edges VALUES (?, ?)",
                       sorted((ids[target], ids[page]) for page, found in held for target in found))

    def _ids(self, db: sqlite3.Connection, names: set[str]) -> dict[str, int]:
        ids = {name: self.ids[name] for name in names if name in self.ids}
        unknown = sorted(names - ids.keys())
        for start in range(0, len(unknown), _CHUNK):
            chunk = unknown[start:start + _CHUNK]
            ids.update(_select(db, self.folder, chunk))
            new = [name for name in chunk if name not in ids]
            if new:
                db.executemany("INSERT INTO link_names (folder, name) VALUES (?, ?)",
                               [(self.folder, name) for name in new])
                ids.update(_select(db, self.folder, new))
        if len(self.ids) + len(unknown) > NAMES_REMEMBERED:
            self.ids.clear()
        for name in unknown[:NAMES_REMEMBERED]:
            self.ids[name] = ids[name]
        return ids


def _select(db: sqlite3.Connection, folder: str, names: list[str]) -> list[tuple[str, int]]:
    return db.execute("SELECT name, id FROM link_names WHERE folder = ? AND name IN "
                      f"({','.join('?' * len(names))})", (folder, *names)).fetchall()


def _create(db: sqlite3.Connection) -> None:
    for statement in _SCHEMA:
        db.execute(statement)
