"""Layer 4.8. What the build cache keeps of the search index: each shard's bundle as
Pagefind wrote it, under the digest of what it indexed, so that a rebuild runs Pagefind
only over the shards whose indexed content changed.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sitegen import search_books, search_shards

CACHE_DIR = "search"
_STATE = "state.json"
"""Where a sitegen before the build state's books kept every page's digest."""
KEY_FILE = ".sitegen-key"
"""In a kept bundle's folder: the digest it was indexed under, written last, then the
bundle's files, one a line (`bundle_files`). The build state's books say the same of
every bundle (search_books.py); the key file is read where they cannot tell (a bundle
to copy into an output that lacks it, a build killed before the books were written, a
cache an older sitegen wrote), and its list spares that build walking the bundle."""


class SearchCache:
    """What the build cache keeps of the search index (`search/` in the cache folder):
    each shard's bundle as Pagefind wrote it, with the key it was indexed under. What
    each shard's pages were digested at is in the build state (search_books.py)."""

    def __init__(self, cache_dir: Path | None, context: str, folder: str = CACHE_DIR) -> None:
        self.context = context
        self.folder = cache_dir / folder if cache_dir is not None else None
        self.listed: dict[str, list[str]] = {}
        """A bundle found kept (`bundle`) -> its files, as its key file lists them."""
        self._older: dict[str, list[Any]] | None = None

    def older_digests(self) -> dict[str, list[Any]]:
        """Page -> [render key, digest], as a sitegen before the build state's books kept
        them (a file of them all, read and written whole each build): read once, so that
        the first build after an upgrade digests only the pages that changed."""
        if self._older is None:
            self._older = {}
            try:
                saved = json.loads((self.folder / _STATE).read_text(encoding="utf-8")) \
                    if self.folder is not None else {}
                if saved.get("context") == self.context:
                    self._older = dict(saved["pages"])
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                pass  # none, or damaged: those pages are digested again
        return self._older

    def page_digest(self, output: str, render_key: int | None, current: Callable[[str], Path],
                    known: dict[str, list[Any]]) -> list[Any]:
        """[render key, indexed digest] of a page: `known`'s when it was digested at the same
        render key, else worked out from its bytes."""
        found = known.get(output)
        key = search_books.trusted(render_key)
        if found and key is not None and found[0] == key:
            return found
        return [key, search_shards.indexed_digest(current(output).read_bytes())]

    def bundle(self, name: str, key: str) -> Path | None:
        if self.folder is None:
            return None
        bundle = self.folder / name
        try:
            found, *files = (bundle / KEY_FILE).read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError):
            return None
        if found != key:
            return None
        if files:  # (a key file of an older sitegen lists none: the bundle is walked)
            self.listed[name] = files
        return bundle

    def files(self, name: str, bundle: Path) -> list[tuple[str, str]]:
        """(path relative to the bundle, path) of each file of a bundle `bundle` found
        kept, or kept just now, in Path order."""
        listed = self.listed.get(name)
        if self.folder is None:  # a build without a cache: a bundle of its own, walked
            return bundle_files(bundle)
        if listed is None:  # an older sitegen's key file: walked once, listed from now on
            walked = bundle_files(bundle)
            key = (bundle / KEY_FILE).read_text(encoding="utf-8")
            self._seal(name, bundle, key)
            return walked
        prefix = f"{bundle}/"
        return [(relative, prefix + relative) for relative in listed]

    def keep_bundle(self, name: str, key: str, fresh: Path) -> Path:
        """Move a new bundle into the cache; a file with the same bytes as the cached one
        keeps the cached copy (and its time, so the output copy is seen as unchanged).
        The key is written last, so a build killed halfway leaves no bundle that claims it."""
        if self.folder is None:
            return fresh
        kept = self.folder / name
        (kept / KEY_FILE).unlink(missing_ok=True)
        if not kept.exists():  # a shard's first bundle (a cold build): moved whole
            kept.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(fresh, kept)
            except OSError:
                pass  # (the cache on another file system) file by file below
            else:
                self._seal(name, kept, key)
                return kept
        new = {p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file()}
        if kept.is_dir():
            for path in sorted(kept.rglob("*"), reverse=True):
                relative = path.relative_to(kept).as_posix()
                if path.is_file() and relative not in new:
                    path.unlink()
                elif path.is_dir() and not any(path.iterdir()):
                    path.rmdir()
        for relative in sorted(new):
            source, target = fresh / relative, kept / relative
            if not (target.is_file() and target.read_bytes() == source.read_bytes()):
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
        self._seal(name, kept, key)
        return kept

    def _seal(self, name: str, kept: Path, key: str) -> None:
        """Write the key file, with the bundle's files (none whose name would break a line:
        it is then walked each time)."""
        files = [relative for relative, _ in bundle_files(kept) if relative != KEY_FILE]
        listed = files and not any("\n" in f or "\r" in f for f in files)
        (kept / KEY_FILE).write_text("\n".join([key, *files]) if listed else key,
                                     encoding="utf-8")
        self.listed.pop(name, None)
        if listed:
            self.listed[name] = files

    def sweep(self, shards: dict[str, list[str]]) -> None:
        """Remove the bundles of shards no longer planned, and an older sitegen's file of
        digests (they are in the build state now)."""
        if self.folder is None or not self.folder.is_dir():
            return
        with os.scandir(self.folder) as entries:
            stale = [entry.path for entry in entries
                     if entry.is_dir() and entry.name not in shards]
        for path in stale:
            shutil.rmtree(path, ignore_errors=True)
        (self.folder / _STATE).unlink(missing_ok=True)


def bundle_files(bundle: Path) -> list[tuple[str, str]]:
    """(path relative to the bundle, path) of each file of a bundle, in Path order, walked.
    Strings, not Paths: pathlib's parsing of each of a large site's bundle files cost a
    publish a quarter of a second."""
    found: list[tuple[str, str]] = []

    def walk(folder: str, prefix: str) -> None:
        for entry in os.scandir(folder):
            if entry.is_dir():
                walk(entry.path, f"{prefix}{entry.name}/")
            elif entry.is_file():
                found.append((prefix + entry.name, entry.path))
    walk(str(bundle), "")
    return sorted(found, key=lambda item: item[0].split("/"))
