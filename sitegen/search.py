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

import importlib.metadata
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pagefind.service import get_executable

from sitegen import search_shards, urls
from sitegen.config import CONFIG_NAME, Config
from sitegen.errors import Problem, SitegenError
from sitegen.model import Site

BUNDLE_DIR = "pagefind"
SHARDS_DIR = "shards"
MANIFEST = "shards.json"
"""Lists the shards the search page merges into the first one, relative to BUNDLE_DIR."""
_INDEX_FOLDERS = {"index", "fragment", "filter"}
_CACHE_DIR = "search"
_STATE = "state.json"
_KEY_FILE = ".sitegen-key"
# A sample-site index takes well under a second; this only stops a hung process.
TIMEOUT_SECONDS = 600


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
    state = _State(cache_dir, f"{_pagefind_version()}\0{config.site.language}",
                   _CACHE_DIR + ("-" + bundle_dir.split("/")[0] if own else ""))
    # An edition on a domain of its own: its pages' URLs there lack its folder.
    strip = config.home_path.lstrip("/") if config.own_domain else ""
    indexed: list[str] = []
    with tempfile.TemporaryDirectory(prefix=".sitegen-search-", dir=staging.dir.parent) as work, \
            _Indexer(command, staging, Path(work), strip, jobs) as indexer:
        locations, keys, bundles = [], {}, {}
        for number, (name, members) in enumerate(shards.items()):
            if number:
                locations.append(f"{SHARDS_DIR}/{name}/")
            if not part.indexes(name, members):  # another build shard's, or done by one
                continue
            digests = {output: state.page_digest(output, renders.get(output), staging)
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
            for relative, path in _bundle_files(bundle):
                if relative == _KEY_FILE:
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


class _Indexer:
    """Pagefind over the shards to index, `jobs` processes at a time (threads, each waiting
    on its process): each run is small and mostly single-threaded, so one at a time left
    the other cores idle, and the build digests the next shards' pages and keeps the
    finished ones meanwhile. Leaving it waits for the running ones and starts no other
    (after a failure)."""

    def __init__(self, command: list[str], staging: Output, work: Path, strip: str,
                 jobs: int) -> None:
        self.command, self.staging, self.work, self.strip = command, staging, work, strip
        self.pool = ThreadPoolExecutor(max(1, jobs), thread_name_prefix="pagefind")
        self.running: dict[str, Future[Path]] = {}

    def __enter__(self) -> _Indexer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def start(self, name: str, members: list[str]) -> None:
        self.running[name] = self.pool.submit(_index_shard, self.command, self.staging,
                                              members, self.work / name, self.strip)

    def result(self, name: str) -> Path:
        """The shard's fresh bundle (or its failure, raised)."""
        return self.running.pop(name).result()


def _index_shard(command: list[str], staging: Output, members: list[str], work: Path,
                 strip: str = "") -> Path:
    """Run Pagefind over one shard's pages; return the folder of the bundle it wrote."""
    # Pagefind needs the pages as one folder: hard links to each page's current bytes make
    # one cheaply, beside the staging tree so that linking works (write.py cleans it up
    # after a killed build).
    pages, bundle = work / "pages", work / "bundle"
    for relative in members:
        _link(staging.current(relative), pages / relative.removeprefix(strip))
    try:
        finished = subprocess.run(
            [*command, "--site", str(pages), "--output-path", str(bundle), "--silent"],
            capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise _failure(f"could not run {command[0]}: {exc}") from None
    if finished.returncode != 0:
        detail = (finished.stderr or finished.stdout).strip().splitlines()
        raise _failure(f"pagefind exited with status {finished.returncode}"
                       + (f": {' '.join(detail[-3:])}" if detail else ""))
    if not any(p.is_file() for p in bundle.rglob("*")):
        raise _failure("pagefind wrote no index")
    entry = bundle / "pagefind-entry.json"
    if entry.is_file():
        entry.write_bytes(_stable_entry(entry.read_bytes()))
    shutil.rmtree(pages)
    return bundle


def _bundle_files(bundle: Path) -> list[tuple[str, str]]:
    """(path relative to the bundle, path) of each file of a bundle, in Path order. Strings,
    not Paths: every build lists every shard's bundle (about 11,000 files at 10,000
    articles), and pathlib's parsing of each cost a publish a quarter of a second."""
    found: list[tuple[str, str]] = []

    def walk(folder: str, prefix: str) -> None:
        for entry in os.scandir(folder):
            if entry.is_dir():
                walk(entry.path, f"{prefix}{entry.name}/")
            elif entry.is_file():
                found.append((prefix + entry.name, entry.path))
    walk(str(bundle), "")
    return sorted(found, key=lambda item: item[0].split("/"))


def _put(staging: Output, relative: str, source: str, cached: bool) -> None:
    # A bundle kept in the cache keeps its files' times, so size and time tell an unchanged
    # file without reading it; a bundle indexed just now is compared byte for byte.
    if cached:
        staging.copy(relative, source)
    else:
        with open(source, "rb") as stream:
            staging.write(relative, stream.read())


class _State:
    """What the build cache keeps of the search index (`search/` in the cache folder):
    each shard's bundle as Pagefind wrote it, with its input digest, and each page's
    indexed digest with the render key of the bytes it was taken from."""

    def __init__(self, cache_dir: Path | None, context: str, folder: str = _CACHE_DIR) -> None:
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

    def page_digest(self, output: str, render_key: int | None, staging: Output) -> str:
        known = self.pages.get(output)
        if known and render_key is not None and render_key >= 0 and known[0] == render_key:
            return known[1]
        digest = search_shards.indexed_digest(staging.current(output).read_bytes())
        self.pages[output] = [render_key, digest]
        return digest

    def bundle(self, name: str, key: str) -> Path | None:
        if self.folder is None:
            return None
        bundle = self.folder / name
        try:
            return bundle if (bundle / _KEY_FILE).read_text(encoding="utf-8") == key else None
        except OSError:
            return None

    def keep_bundle(self, name: str, key: str, fresh: Path) -> Path:
        """Move a new bundle into the cache; a file with the same bytes as the cached one
        keeps the cached copy (and its time, so the output copy is seen as unchanged).
        The key is written last, so a build killed halfway leaves no bundle that claims it."""
        if self.folder is None:
            return fresh
        kept = self.folder / name
        (kept / _KEY_FILE).unlink(missing_ok=True)
        if not kept.exists():  # a shard's first bundle (a cold build): moved whole
            kept.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(fresh, kept)
            except OSError:
                pass  # (the cache on another file system) file by file below
            else:
                (kept / _KEY_FILE).write_text(key, encoding="utf-8")
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
        (kept / _KEY_FILE).write_text(key, encoding="utf-8")
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


def _pagefind_version() -> str:
    try:
        return importlib.metadata.version("pagefind")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _stable_entry(data: bytes) -> bytes:
    """Pagefind lists the languages of a multilingual site (an article with its own
    `lang`) in a different order on every run; sorted, the file depends on the pages only."""
    entry = json.loads(data)
    entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def pagefind_command() -> list[str]:
    """The Pagefind binary from the installed wheel (or $PAGEFIND_BINARY_PATH)."""
    executable = get_executable()
    if executable is None:
        raise _failure("the pagefind binary was not found: pip install 'pagefind[extended]'")
    return [str(executable)]


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _failure(reason: str) -> SitegenError:
    return SitegenError([Problem(CONFIG_NAME, 0, f"building the search index failed: {reason} "
                                 "(set `search = false` under [build] to build without search)")])
