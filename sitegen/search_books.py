"""Layer 4.7. The search index's books in the build state (state.py): per search shard, its
pages with the render key each was indexed at, the shard's key and its bundle's files;
and, apart, its pages' indexed digests. Read per shard, written per shard that changed.

A build plans the shards from the last build's (`search_shards.derive`: only the pages
that came or went are hashed), tells a shard unchanged by its pages' render keys alone
(no digest worked out, no file read), and keeps an unchanged bundle by the file list
its record holds (no walk, no key file read). Only a shard whose pages changed has its
digests loaded, and only its record is written again: a body edit at 100,000 stories
reads the books of 512 shards and writes one.

A record says what the cache's bundle folder holds (search_cache.py): it is dropped
before the folder changes and written after it is whole again, so a build killed in
between leaves none, and the next build looks at the folder's key file instead.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, Protocol

SHARD = "search-shard"
"""(search cache folder, shard) -> [context, limit, key, pages, render keys, files, the
files of its index]."""
DIGESTS = "search-digests"
"""(search cache folder, shard) -> [context, {page: [render key, indexed digest]}]."""


class Records(Protocol):
    """What the books need of the build state (state.BuildState)."""

    def items(self, kind: str, folder: str) -> Any: ...

    def get(self, kind: str, folder: str, name: str) -> Any: ...

    def write_now(self, kind: str, folder: str, name: str, value: Any) -> None: ...

    def drop_now(self, kind: str, folder: str, names: Any) -> None: ...


@dataclass(frozen=True)
class Shard:
    """What the books hold of one shard: its bundle's key and files, and its pages with
    the render key of each (None: a page rendered without one, digested again)."""

    key: str
    pages: list[str]
    renders: list[int | None]
    files: list[str]
    """The bundle's files, relative to it, in Path order (search_cache.bundle_files)."""
    index: list[str]
    """Those of `files` a shard merged into the first one puts into the output: its index
    (the first one's script and language module search it)."""


INDEX_FOLDERS = {"index", "fragment", "filter"}


def index_files(files: list[str]) -> list[str]:
    """The files of a bundle that make its index (`Shard.index`)."""
    return [relative for relative in files if relative == "pagefind-entry.json"
            or relative.endswith(".pf_meta") or relative.split("/")[0] in INDEX_FOLDERS]


def trusted(render_key: int | None) -> int | None:
    """A render key that tells a page's bytes (a page made without one: None)."""
    return render_key if render_key is not None and render_key >= 0 else None


class SearchBooks:
    """The books of one search cache folder (`folder`: its name in the cache, an
    edition's own or the default one) under `context` (Pagefind's version, the
    language) and the shards' page limit: a record of another is not the last build's."""

    def __init__(self, records: Records | None, folder: str, context: str, limit: int,
                 present: bool = True) -> None:
        self.records, self.folder, self.context, self.limit = records, folder, context, limit
        self.shards: dict[str, Shard] = {}
        self.found: set[str] = set()
        self._pool: dict[str, list[Any]] | None = None
        """Every shard with a record, sound or not (dropped when its folder changes)."""
        if records is None:
            return
        for name, value in records.items(SHARD, folder):
            self.found.add(name)
            if not present:  # the cache's folder of bundles is gone: none is held
                continue
            try:
                context_, limit_, key, pages, renders, files, index = value
            except (TypeError, ValueError):
                continue
            if (context_, limit_) == (context, limit) and len(pages) == len(renders):
                self.shards[name] = Shard(key, pages, renders, files, index)
        # One plan's shards share their number of bits; a build killed while it planned
        # anew (the archive doubled) may have left some of each: then none is the plan.
        if len({name.partition("-")[0] for name in self.shards}) > 1:
            self.shards = {}

    def holds(self, name: str, key: str) -> bool:
        """Whether the books say the cache's bundle of `name` is the one indexed as `key`."""
        shard = self.shards.get(name)
        return shard is not None and shard.key == key

    def shipped(self, name: str, first: bool) -> list[str]:
        """The files of the shard's bundle that go into the output: all the first shard's,
        the index of another."""
        shard = self.shards[name]
        return shard.files if first else shard.index

    def previous(self) -> dict[str, list[str]]:
        """The last build's shard plan, as far as the books know it (search_shards.derive)."""
        return {name: self.shards[name].pages for name in sorted(self.shards)}

    def unchanged(self, name: str, members: list[str], renders: dict[str, int]) -> str | None:
        """The shard's key when it holds the same pages at the same render keys as the
        books say (nothing of it read or digested), else None."""
        shard = self.shards.get(name)
        if shard is None or shard.pages != members:
            return None
        # A page without a render key (-1, or none) never equals the books' None for it.
        get = renders.get
        return shard.key if [get(page, -1) for page in members] == shard.renders else None

    def digests(self, name: str) -> dict[str, list[Any]]:
        """The shard's pages as last digested: page -> [render key, indexed digest]."""
        if self.records is None:
            return {}
        found = self.records.get(DIGESTS, self.folder, name)
        try:
            context, pages = found
        except (TypeError, ValueError):
            return {}
        return pages if context == self.context and isinstance(pages, dict) else {}

    def pool(self) -> dict[str, list[Any]]:
        """Every page's last digest, whatever its shard: for a shard the books hold none of
        (the archive doubled and was planned anew, or a prefix's first page). Read once."""
        if self._pool is None:
            self._pool = {}
            for _, found in self.records.items(DIGESTS, self.folder) if self.records else ():
                with contextlib.suppress(TypeError, ValueError):
                    context, pages = found
                    if context == self.context and isinstance(pages, dict):
                        self._pool.update(pages)
        return self._pool

    def forget(self, name: str) -> None:
        """Now, before the shard's bundle folder changes: no record claims it."""
        self.shards.pop(name, None)
        if self.records is not None and name in self.found:
            self.found.discard(name)
            self.records.drop_now(SHARD, self.folder, [name])

    def remember(self, name: str, key: str, members: list[str], renders: dict[str, int],
                 digests: dict[str, list[Any]] | None, files: list[str]) -> None:
        """The shard's record, once its bundle folder is whole; its pages' digests with it
        when they were worked out (`digests`: page -> [render key, digest])."""
        shard = Shard(key, members, [trusted(renders.get(page)) for page in members], files,
                      index_files(files))
        self.shards[name] = shard
        if self.records is None:
            return
        if digests is not None:
            self.records.write_now(DIGESTS, self.folder, name, [self.context, digests])
        self.records.write_now(SHARD, self.folder, name, [
            self.context, self.limit, key, members, shard.renders, files, shard.index])
        self.found.add(name)

    def finish(self, names: set[str]) -> None:
        """Drop the records of shards no longer planned."""
        gone = sorted(name for name in self.found if name not in names)
        for name in gone:
            self.shards.pop(name, None)
        if self.records is not None and gone:
            self.records.drop_now(SHARD, self.folder, gone)
            self.records.drop_now(DIGESTS, self.folder, gone)
