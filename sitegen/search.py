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

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sitegen import search_shards, urls
from sitegen.config import Config
from sitegen.errors import Problem, SitegenError
from sitegen.model import Site
from sitegen.pagefind_runs import Indexer, pagefind_command, pagefind_version
from sitegen.search_cache import CACHE_DIR, KEY_FILE, SearchCache, bundle_files

BUNDLE_DIR = "pagefind"
SHARDS_DIR = "shards"
MANIFEST = "shards.json"
"""Lists the shards the search page merges into the first one, relative to BUNDLE_DIR."""
_INDEX_FOLDERS = {"index", "fragment", "filter"}


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


def build_index(staging: Output, config: Config, site: Site, renders: dict[str, int],
                cache_dir: Path | None,
                progress: Callable[[str, int, int], None] | None = None,
                part: Part | None = None, bundle_dir: str = BUNDLE_DIR,
                jobs: int = 1, placed: dict[str, str] | None = None,
                placing: dict[str, str] | None = None) -> list[str]:
    """Index the site's articles and pages, shard by shard, into the new tree; return the
    shards that Pagefind indexed (the others were kept from the cache). Raise
    SitegenError on failure. `part`: a build shard's or a merge's share of the work. An
    edition's index goes into its own folder (en/pagefind). `jobs`: how many Pagefind
    processes may run at once. `placed`: each shard folder's bundle key as the output
    holds it (the build state's, when the last build into the output is known);
    `placing` gets those this build puts there."""
    command = pagefind_command()
    shards = search_shards.plan((urls.output_file(a.path) for a in (*site.articles, *site.pages)),
                                config.build.search_shard_pages)
    if not shards:  # nothing to search yet: Pagefind refuses to write an empty index
        return []
    part = part or Part()
    own = bundle_dir != BUNDLE_DIR  # an edition's: cached apart from the default one's
    state = SearchCache(cache_dir, f"{pagefind_version()}\0{config.site.language}",
                   CACHE_DIR + ("-" + bundle_dir.split("/")[0] if own else ""))
    # An edition on a domain of its own: its pages' URLs there lack its folder.
    strip = config.home_path.lstrip("/") if config.own_domain else ""
    indexed: list[str] = []
    current = staging.current
    with tempfile.TemporaryDirectory(prefix=".sitegen-search-", dir=staging.dir.parent) as work, \
            Indexer(command, staging.current, Path(work), strip, jobs) as indexer:
        locations, keys, bundles = [], {}, {}
        for number, (name, members) in enumerate(shards.items()):
            if number:
                locations.append(f"{SHARDS_DIR}/{name}/")
            if not part.indexes(name, members):  # another build shard's, or done by one
                continue
            digests = {output: state.page_digest(output, renders.get(output), current)
                       for output in members}
            keys[name] = search_shards.shard_digest(state.context, digests)
            bundles[name] = state.bundle(name, keys[name])
            if bundles[name] is None:  # indexed while the next shards' pages are digested
                indexer.start(name, members)
        for number, name in enumerate(shards):
            if name not in keys:
                continue
            bundle = bundles[name]
            location = bundle_dir if number == 0 else f"{bundle_dir}/{SHARDS_DIR}/{name}"
            # The output holds this very bundle there: its files are kept as they are,
            # with no system call each (a publish keeps 63 of 64 shards, 11,000 files).
            kept = bundle is not None and placed is not None and placed.get(location) == keys[name]
            if bundle is None:
                bundle = state.keep_bundle(name, keys[name], indexer.result(name))
                indexed.append(name)
            if progress:
                progress("search", number + 1, len(shards))
            # A bundle the output holds is listed by its key file, not walked (its files
            # are only named, unless one went from the output: then copied from it).
            for relative, path in state.files(name, bundle) if kept else bundle_files(bundle):
                if relative == KEY_FILE:
                    continue
                # A merged shard needs only its index: the primary's script and
                # language module search it.
                if number == 0 or relative == "pagefind-entry.json" or relative.endswith(
                        ".pf_meta") or relative.split("/")[0] in _INDEX_FOLDERS:
                    target = f"{location}/{relative}"
                    if not (kept and staging.keep_unchanged(target)):
                        _put(staging, target, path, cached=cache_dir is not None)
            if placing is not None:
                placing[location] = keys[name]
        if part.lists:
            staging.write(f"{bundle_dir}/{MANIFEST}",
                          json.dumps({"shards": locations}, indent=1).encode() + b"\n")
    state.save(shards)
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


