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

from sitegen import search_shards

CACHE_DIR = "search"
_STATE = "state.json"
KEY_FILE = ".sitegen-key"
"""In a kept bundle's folder: the digest it was indexed under, written last."""


class SearchCache:
    """What the build cache keeps of the search index (`search/` in the cache folder):
    each shard's bundle as Pagefind wrote it, with its input digest, and each page's
    indexed digest with the render key of the bytes it was taken from."""

    def __init__(self, cache_dir: Path | None, context: str, folder: str = CACHE_DIR) -> None:
        self.context = context
        self.folder = cache_dir / folder if cache_dir is not None else None
        self.pages: dict[str, list[Any]] = {}
        """Page -> [its render key, the digest of what is indexed of it]."""
        if self.folder is None:
            return
        try:
            saved = json.loads((self.folder / _STATE).read_text(encoding="utf-8"))
            if saved.get("context") == context:
                self.pages = dict(saved["pages"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # no state, or damaged: every shard is indexed again

    def page_digest(self, output: str, render_key: int | None,
                    current: Callable[[str], Path]) -> str:
        known = self.pages.get(output)
        if known and render_key is not None and render_key >= 0 and known[0] == render_key:
            return known[1]
        digest = search_shards.indexed_digest(current(output).read_bytes())
        self.pages[output] = [render_key, digest]
        return digest

    def bundle(self, name: str, key: str) -> Path | None:
        if self.folder is None:
            return None
        bundle = self.folder / name
        try:
            return bundle if (bundle / KEY_FILE).read_text(encoding="utf-8") == key else None
        except OSError:
            return None

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
                (kept / KEY_FILE).write_text(key, encoding="utf-8")
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
        (kept / KEY_FILE).write_text(key, encoding="utf-8")
        return kept

    def save(self, shards: dict[str, list[str]]) -> None:
        if self.folder is None:
            return
        for stale in self.folder.iterdir() if self.folder.is_dir() else ():
            if stale.is_dir() and stale.name not in shards:
                shutil.rmtree(stale, ignore_errors=True)
        indexed = {output for members in shards.values() for output in members}
        state = {"context": self.context, "shards": list(shards),
                 "pages": {k: v for k, v in sorted(self.pages.items()) if k in indexed}}
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f"{_STATE}.{os.getpid()}.tmp"
        temporary.write_text(json.dumps(state), encoding="utf-8")
        os.replace(temporary, self.folder / _STATE)
