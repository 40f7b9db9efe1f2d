"""Layer 5. The full-text search index: Pagefind, run over the finished pages.

Pagefind (PyPI `pagefind[extended]`, whose wheel carries the binary) reads
the HTML the build wrote and writes an index plus its JavaScript beside the
pages, in pagefind/. Search then runs in the reader's browser: no server,
and no request to any other host. Only what templates mark with
`data-pagefind-body` is indexed (the default theme marks articles and
standalone pages); `<html lang>` picks the word stemming, Indonesian for `id`.

The index is written to a folder of its own and then passed through the
staging tree like every page, so an unchanged index file keeps its previous
copy and its modification time. (Pagefind filters are left unused for that
reason: Pagefind writes them in a different order on every run.)
"""

from __future__ import annotations

import itertools
import json
import tempfile
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Protocol

from sitegen import search_shards, urls
from sitegen.config import Config
from sitegen.errors import Problem, SitegenError
from sitegen.model import Site
from sitegen.pagefind_runs import Indexer, pagefind_command, pagefind_version
from sitegen.search_books import Records, SearchBooks, index_files
from sitegen.search_cache import CACHE_DIR, KEY_FILE, SearchCache

BUNDLE_DIR = "pagefind"
SHARDS_DIR = "shards"
MANIFEST = "shards.json"
"""Lists the shards the search page merges into the first one, relative to BUNDLE_DIR."""


class Output(Protocol):
    """What this step needs of write.Staging: the new tree is the previous output folder,
    minus what the build no longer writes, with the changed files in `dir` on top."""

    dir: Path
    output: Path
    keep: dict[str, None]
    """Every file of the new tree, relative to the output folder."""
    def current(self, relative: str) -> Path: ...

    def write(self, relative: str, data: bytes) -> None: ...

    def copy(self, relative: str, source: str | Path) -> None: ...

    def keep_unchanged(self, relative: str) -> bool: ...

    def keep_all(self, names: AbstractSet[str]) -> list[str]: ...


def build_index(staging: Output, config: Config, site: Site, renders: dict[str, int],
                cache_dir: Path | None,
                progress: Callable[[str, int, int], None] | None = None,
                part: Part | None = None, bundle_dir: str = BUNDLE_DIR,
                jobs: int = 1, placed: dict[str, str] | None = None,
                placing: dict[str, str] | None = None,
                records: Records | None = None) -> list[str]:
    """Index the site's articles and pages, shard by shard, into the new tree; return the
    shards that Pagefind indexed (the others were kept from the cache). Raise
    SitegenError on failure. `part`: a build shard's or a merge's share of the work. An
    edition's index goes into its own folder (en/pagefind). `jobs`: how many Pagefind
    processes may run at once. `placed`: each shard folder's bundle key as the output
    holds it (the build state's, when the last build into the output is known);
    `placing` gets those this build puts there. `records`: the build state, which keeps
    the books of the cache's bundles (search_books.py)."""
    command = pagefind_command()
    own = bundle_dir != BUNDLE_DIR  # an edition's: cached apart from the default one's
    folder = CACHE_DIR + ("-" + bundle_dir.split("/")[0] if own else "")
    context = f"{pagefind_version()}\0{config.site.language}"
    limit = config.build.search_shard_pages
    books = SearchBooks(records if cache_dir is not None else None, folder, context, limit,
                        present=cache_dir is not None and (cache_dir / folder).is_dir())
    shards = search_shards.derive(books.previous(), map(urls.output_file, map(
        attrgetter("path"), itertools.chain(site.articles, site.pages))), limit)
    if not shards:  # nothing to search yet: Pagefind refuses to write an empty index
        return []
    part = part or Part()
    state = SearchCache(cache_dir, context, folder)
    # An edition on a domain of its own: its pages' URLs there lack its folder.
    strip = config.home_path.lstrip("/") if config.own_domain else ""
    indexed: list[str] = []
    current = staging.current
    with tempfile.TemporaryDirectory(prefix=".sitegen-search-", dir=staging.dir.parent) as work, \
            Indexer(command, staging.current, Path(work), strip, jobs) as indexer:
        locations, keys, bundles, kept, digested = [], {}, {}, set(), {}
        for number, (name, members) in enumerate(shards.items()):
            location = bundle_dir if number == 0 else f"{bundle_dir}/{SHARDS_DIR}/{name}"
            if number:
                locations.append(f"{SHARDS_DIR}/{name}/")
            if not part.indexes(name, members):  # another build shard's, or done by one
                continue
            # The books tell an unchanged shard by its pages' render keys: nothing read.
            key = books.unchanged(name, members, renders)
            if key is None:
                known = books.digests(name) or books.pool() or state.older_digests()
                digested[name] = {output: state.page_digest(output, renders.get(output),
                                                            current, known)
                                  for output in members}
                key = search_shards.shard_digest(
                    context, {output: found[1] for output, found in digested[name].items()})
            keys[name] = key
            # The output holds this very bundle there: its files are kept as they are, with
            # no system call each (a publish keeps 511 of 512 shards, 110,000 files).
            if placed is not None and placed.get(location) == key and books.holds(name, key):
                kept.add(name)
                bundles[name] = None if state.folder is None else state.folder / name
            else:  # its files are copied from the cache's bundle: its key file says it is
                bundles[name] = state.bundle(name, key)
                if bundles[name] is None:  # indexed while the next shards' pages are digested
                    indexer.start(name, members)
        kept_files: list[str] = []
        for number, name in enumerate(shards):
            if name not in keys:
                continue
            bundle = bundles[name]
            location = bundle_dir if number == 0 else f"{bundle_dir}/{SHARDS_DIR}/{name}"
            if progress:
                progress("search", number + 1, len(shards))
            if placing is not None:
                placing[location] = keys[name]
            if name in kept:  # kept in one call below, as the books list its files
                kept_files += [f"{location}/{relative}" for relative in
                               books.shipped(name, number == 0)]
                continue
            if bundle is None:
                books.forget(name)  # the cache's folder changes: no record may claim it
                bundle = state.keep_bundle(name, keys[name], indexer.result(name))
                indexed.append(name)
            files = [relative for relative, _ in state.files(name, bundle)
                     if relative != KEY_FILE]
            if name in digested or not books.holds(name, keys[name]):
                books.remember(name, keys[name], shards[name], renders, digested.get(name), files)
            prefix = f"{bundle}/"
            for relative in files if number == 0 else index_files(files):
                _put(staging, f"{location}/{relative}", prefix + relative,
                     cached=cache_dir is not None)
        # A bundle the output holds: its files are kept with no call each (a body edit keeps
        # 511 of 512 shards, 110,000 files, at 100,000 stories), but one gone from the output.
        for target in staging.keep_all(set(kept_files)):
            name, relative = _kept_source(target, bundle_dir, next(iter(shards)))
            _put(staging, target, f"{bundles[name]}/{relative}", cached=True)
        for name in sorted(kept & digested.keys()):  # the same index, new render keys
            books.remember(name, keys[name], shards[name], renders, digested[name],
                           books.shards[name].files)
        if part.lists:
            staging.write(f"{bundle_dir}/{MANIFEST}",
                          json.dumps({"shards": locations}, indent=1).encode() + b"\n")
    books.finish(set(shards))
    state.sweep(shards)
    return indexed


@dataclass(frozen=True)
class Part:
    """Which search shards this build indexes: all, in a whole build; in a build shard
    (`--shard`), those whose pages are all its own; in a merge, the others. Only a
    merge or a whole build writes the list of shards."""

    owns: Callable[[str], bool] | None = None
    """A build shard's: admits its own output files."""
    done: frozenset[str] = frozenset()
    """A merge's: the search shards that the build shards indexed."""
    lists: bool = True

    def indexes(self, name: str, members: list[str]) -> bool:
        if self.owns is not None:
            return all(self.owns(member) for member in members)
        return name not in self.done


def bundle_marker(shards: dict[str, list[str]], name: str, bundle_dir: str = BUNDLE_DIR) -> str:
    """The file whose presence in a build shard's output says it indexed `name`."""
    first = next(iter(shards))
    return f"{bundle_dir}/pagefind-entry.json" if name == first else \
        f"{bundle_dir}/{SHARDS_DIR}/{name}/pagefind-entry.json"


def _kept_source(target: str, bundle_dir: str, first: str) -> tuple[str, str]:
    """The shard and the file of its bundle that an output file of the index is."""
    inside = target.removeprefix(f"{bundle_dir}/")
    if inside.startswith(f"{SHARDS_DIR}/"):
        _, name, relative = inside.split("/", 2)
        return name, relative
    return first, inside


def _put(staging: Output, relative: str, source: str, cached: bool) -> None:
    # A bundle kept in the cache keeps its files' times, so size and time tell an unchanged
    # file without reading it; a bundle indexed just now is compared byte for byte.
    try:
        if cached:
            staging.copy(relative, source)
        else:
            with open(source, "rb") as stream:
                staging.write(relative, stream.read())
    except FileNotFoundError:  # taken out of the cache's bundle by hand
        raise SitegenError([Problem(source, 0, "this file of the build cache's search index "
                                    f"is gone: remove the cache's {CACHE_DIR}/ folder and "
                                    "build again")]) from None


