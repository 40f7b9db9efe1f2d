"""Layer 6.5. What decides whether something is unchanged, and one build's bookkeeping.

The keys hash full inputs:
- read key: a source's bytes and path, the config values reading uses, the
  static files' names and bytes (never their times), sitegen's and the Markdown
  libraries' versions. A hit skips YAML and Markdown.
- render key: the theme's templates and the page's whole context, so a page
  is re-rendered exactly when something it can show changed (the last guard,
  whatever decided to plan the page).
- site key: everything a build reads; when it matches the last build's into
  the folder, rendering is skipped altogether.

`BuildCache` keeps one build's books in the build state (state.py): each
source's stamp (its stat when hashed, so an untouched source is not read
again), each article by read key, and the folder's files with their render
keys, written after the output is in place.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib.metadata
import itertools
import os
import pickle
import sqlite3
import sys
import time
from array import array
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import babel
import jinja2
import markdown
import pygments

from sitegen import __version__, article_records, messages, pictures, staged_pictures
from sitegen.config import Config
from sitegen.errors import Problem, named_as
from sitegen.model import Article
from sitegen.sealed import short_key, short_name
from sitegen.state import FILE, BuildState, Folder

CACHE_VERSION = 10  # 10: a read is keyed on the static files it asked about
# A file modified this close to when it was hashed may change again without its
# time changing (coarse file system clocks), so its stamp is not trusted ("racy git").
_RACY_NS = 2_000_000_000


Stat = tuple[int, int, int]
"""What a source's stamp holds of its stat: modification time (ns), size, inode."""


def stat_of(found: os.stat_result) -> Stat:
    return found.st_mtime_ns, found.st_size, found.st_ino


def salt() -> str:
    """Everything global that changes what the cache holds."""
    return "|".join([str(CACHE_VERSION), __version__, markdown.__version__,
                     importlib.metadata.version("pymdown-extensions"), pygments.__version__,
                     jinja2.__version__, babel.__version__, importlib.metadata.version("nh3"),
                     f"{sys.version_info.major}.{sys.version_info.minor}"])


def read_context(config: Config) -> str:
    """What every read key shares: versions and the config values reading uses. The
    static files a source asked about are added per source (read_key_with)."""
    # The language of the messages: a file's stored problems are shown as they were made.
    parts = (salt(), messages.language(), config.base_path, config.site.timezone,
             config.site.language,
             config.permalinks.article, config.permalinks.page, config.markdown.raw_html,
             repr(config.content.ignore_keys),
             # Body pictures are written with their variants' names and formats.
             repr(config.images), repr(pictures.encoders()))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def read_key(source: bytes, relative: str, context: str) -> str:
    digest = hashlib.sha256(f"{context}\0{relative}\0".encode())
    digest.update(source)
    return short_name(digest)


def read_key_with(source_key: str, asked: Sequence[str], digests: Mapping[str, str]) -> str:
    """The read key of a source whose bytes and context give `source_key` and whose reading
    asked about the static files `asked` (images.asking): each with its digest now, or as
    missing. Reading depends on the static folder only through those answers, so the same
    answers read the same Article; a photo added for another story changes no other key."""
    if not asked:
        return source_key
    digest = hashlib.sha256(source_key.encode())
    for name in asked:
        digest.update(f"\0{name}\0{digests.get(name, '-')}".encode())
    return short_name(digest)


def site_key(*parts: str) -> str:
    """One key for everything a build reads: when it matches the last build's, the
    output cannot differ and rendering is skipped altogether."""
    return hashlib.sha256("\0".join((salt(), *parts)).encode()).hexdigest()


def digest(value: Any) -> str:
    # pickle is only hashed here, never loaded: it is fast and deterministic for the
    # plain data in a context (equal data in equal order gives equal bytes) once its
    # memo is off. With it, an object met twice is written as a reference the second
    # time, so equal contexts whose parts were shared differently (articles read
    # anew or from the cache) gave different bytes, and pages rendered for nothing.
    # The bytes go straight into the hash, a frame (64 KiB) at a time, as the pickler
    # flushes them: the sitemap's context holds every page of the site, and its pickled
    # bytes held whole were the planning process's largest object (180 bytes a page).
    hashed = _Hashing()
    pickler = pickle.Pickler(hashed, protocol=5)
    pickler.fast = True
    pickler.dump(value)
    return hashed.sha.hexdigest()


class _Hashing:
    """A file that hashes what is written to it (all a Pickler needs of its file)."""

    __slots__ = ("sha", "write")

    def __init__(self) -> None:
        self.sha = hashlib.sha256()
        self.write = self.sha.update


def render_key(theme_stamp: str, templates: tuple[str, ...], context: dict[str, Any],
               site_digest: str) -> int:
    """The key of one page; `site_digest` stands for the `site` view all pages share."""
    rest = {k: v for k, v in context.items() if k != "site"}
    shared = site_digest if "site" in context else ""
    parts = (theme_stamp, "\0".join(templates), shared, digest(rest))
    return short_key(hashlib.sha256("\0".join(parts).encode()))


def theme_stamp(theme_paths: list[Path]) -> str:
    """A hash of every template and translation file of a theme chain."""
    digest = hashlib.sha256(salt().encode())
    for root in theme_paths:
        for folder in ("templates", "i18n"):
            for path in sorted((root / folder).rglob("*")):
                if path.is_file():
                    digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                    digest.update(path.read_bytes())
    return digest.hexdigest()


def forget_output(directory: Path, folder: Path) -> None:
    """A build without the cache into `folder` replaces the tree the state's books of it
    describe: those books are dropped, and nothing else of the cache is read or written
    (any version's state: the next build with the cache then judges every page). Kept,
    they let that build keep pages of a tree it did not make."""
    path = directory / FILE
    if not path.is_file():
        return
    with contextlib.suppress(sqlite3.Error):
        db = sqlite3.connect(path, timeout=5, isolation_level=None)
        try:
            db.execute("DELETE FROM records WHERE kind='folder' AND folder=?", (str(folder),))
        finally:
            db.close()


def usable_dir(directory: Path) -> tuple[Path | None, list[Problem]]:
    """The cache folder if it can be written; else None and a warning (build without it)."""
    probe = directory / f".probe-{os.getpid()}"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if isinstance(exc, FileExistsError | NotADirectoryError):
            reason = "it is not a folder"
        return None, [Problem(str(directory), 0, f"the build cache cannot be used ({reason}); "
                              "building without it: fix or remove it, or set [build] cache_dir",
                              warning=True)]
    return directory, []


class BuildCache:
    """One build's bookkeeping over the build state (state.py): which sources are
    unchanged, their articles, and what the last build into `folder` wrote.

    Sources and articles are asked for one at a time; the folder's facts (its
    files and their render keys) are loaded at the start. What this build learns
    is put into the state and written by `finish`, after the output is in place.
    """

    def __init__(self, state: BuildState, timezone: str, folder: Path) -> None:
        self.state = state
        self.directory = state.directory
        self.zone = ZoneInfo(timezone)
        self.folder = folder
        self.key = str(folder)
        self.warnings = state.warnings
        facts = state.folders.get(self.key) or self._load_folder()
        self.renders, self.static = dict(facts.renders), facts.static
        self.site, self.checked = facts.site_key, facts.checked
        self.previous = facts
        """As loaded (what `finish` compares against, to write only what changed)."""
        self.missing = False
        """A file of the last build is missing from the output (`unchanged_site`)."""

    def _load_folder(self) -> Folder:
        facts = self.state.get("folder", self.key, "facts")
        if not (isinstance(facts, list) and len(facts) in (4, 5, 6)):
            return Folder()  # no build into it is known (or it was interrupted)
        site, checked, static, meta_key, *packed = facts
        if packed and isinstance(packed[0], bytes):  # the picture variants (`finish`)
            static = [*static, *staged_pictures.unpack(packed[0])]
        pages = _unpack_pages(packed[1]) if len(packed) == 2 else None
        if pages is not None:
            renders, shows = pages
        else:  # a record of each page (what serve's body edits change: body_edits.py)
            renders, shows = self._load_pages()
        return Folder(str(site), [Problem(*p) for p in checked] if checked is not None else None,
                      renders, shows, set(static), str(meta_key))

    def _load_pages(self) -> tuple[dict[str, int], dict[str, str | tuple[str, ...]]]:
        """Each page's render key and the bodies it showed, from its own record."""
        renders: dict[str, int] = {}
        shows: dict[str, str | tuple[str, ...]] = {}
        for name, value in self.state.items("output", self.key):
            if isinstance(value, list) and len(value) == 2 and isinstance(value[0], int):
                shown = value[1]
                renders[name] = value[0]
                shows[name] = shown if isinstance(shown, str) else tuple(shown)
        return renders, shows

    def stamp_key(self, relative: str, stat: Stat, context: str,
                  fetched: dict[str, Any] | None = None) -> str | None:
        """The read key of a file whose stat is as it was when it was hashed.
        `fetched`: stamp records read ahead (`prefetch`), else each is queried."""
        known = self.state.stamps.get(relative)
        if known is None:
            known = fetched.get(relative) if fetched is not None else \
                self.state.get("source", "", relative)
        if (isinstance(known, list) and len(known) == 6
                and known[:3] == list(stat) and known[3] - stat[0] > _RACY_NS
                and known[4] == context):
            self.state.stamps[relative] = known
            return str(known[5])
        return None

    def remember_stamp(self, relative: str, stat: Stat, context: str, key: str) -> None:
        stamp = [*stat, time.time_ns(), context, key]
        # Written as they come: a stamp says under what it holds, like a read key.
        self.state.stamps[relative] = stamp
        self.state.write_now("source", "", relative, stamp)

    def article(self, relative: str, key: str, fetched: dict[str, Any] | None = None
                ) -> tuple[Article, list[Problem]] | None:
        hit = self.state.articles.get(key)
        if hit is None:
            plain = fetched.get(key) if fetched is not None else self.state.get("read", "", key)
            if not isinstance(plain, list) or len(plain) != 2:
                return None
            try:
                hit = (article_records.from_plain(plain[0], self.zone, relative),
                       named_as([Problem(*p) for p in plain[1]], relative))
            except (TypeError, ValueError, KeyError):
                return None
            self.state.articles[key] = hit
        return hit

    def asked(self, relative: str, source_key: str, fetched: dict[str, Any] | None = None
              ) -> tuple[str, ...]:
        """The static files the source read as `source_key` asked about (none when unknown:
        its read key is then the source key, under which no Article that asked is kept).
        Kept under the source's name, with the key it was read under."""
        known = fetched.get(relative) if fetched is not None else \
            self.state.get("asked", "", relative)
        if isinstance(known, list) and known and known[0] == source_key \
                and all(isinstance(name, str) for name in known):
            return tuple(known[1:])
        return ()

    def remember_asked(self, relative: str, source_key: str, asked: tuple[str, ...]) -> None:
        self.state.write_now("asked", "", relative, [source_key, *asked])

    def remember_article(self, relative: str, key: str, article: Article,
                         problems: list[Problem]) -> None:
        self.state.articles[key] = (article, problems)
        self.state.write_now("read", "", key, [article_records.to_plain(article),
                                               [list(dataclasses.astuple(p)) for p in problems]])

    def unchanged_render(self, output: str, key: int) -> bool:
        return self.renders.get(output) == key

    def forget_renders(self) -> None:
        """Called before the output changes: if the build dies while files move, the
        folder's records would claim pages are up to date that are not."""
        self.state.forget_folder(self.key)

    def previous_files(self) -> set[str] | None:
        """Every file of the last build into the folder, when it is known (not when some
        went missing since: the output is walked then)."""
        if self.static is None or self.missing:
            return None
        return set(self.renders) | self.static

    def unchanged_site(self, key: str) -> bool:
        """Whether the last build into this folder had exactly these inputs, and its
        files are all still there."""
        if self.site != key or self.static is None:
            return False
        # A file removed from the output by hand: the swap must not take the books' list
        # of files for the output's, or the spare tree's manifest would claim it holds
        # the file, and a later build made in that tree would lose it.
        self.missing = not all(os.path.isfile(f"{self.folder}/{name}")
                               for name in itertools.chain(self.renders, self.static))
        return not self.missing

    def finish(self, sources: Mapping[str, str], renders: dict[str, int], static: set[str],
               site: str, checked: list[Problem], meta_key: str,
               shows: dict[str, str | tuple[str, ...]],
               changed: Collection[str] | None = None, pictures: Iterable[str] = ()) -> None:
        """Put what this build learned into the state (`sources`: each source's read key;
        the others vanish); the caller commits it. `changed`: the only pages whose render
        key or bodies shown may differ from the last build's (a body edit's planned pages:
        every other page is the last build's, and its record is not compared), None: any."""
        state, key = self.state, self.key
        current = set(sources)
        for name in [name for name in state.stamps if name not in current]:
            del state.stamps[name]
        state.drop("source", "", state.names("source", "") - current)
        state.drop("asked", "", state.names("asked", "") - current)
        keys = set(sources.values())
        state.drop("read", "", state.names("read", "") - keys)
        for name in [k for k in state.articles if k not in keys]:
            del state.articles[name]
        known = self.previous if self.previous.static is not None else None
        if known is None:
            changed = None
        for name in renders if changed is None else changed:
            render, shown = renders.get(name), shows.get(name, ())
            if render is None:
                continue
            if known is None or known.renders.get(name) != render \
                    or known.shows.get(name, ()) != shown:
                state.put("output", key, name, [render, shown])
        if known is None:
            state.drop("output", key, state.names("output", key) - set(renders))
        elif changed is None or len(renders) != len(known.renders):
            state.drop("output", key, set(known.renders) - set(renders))
        # The picture variants packed (staged_pictures.py): a list of their names, and the
        # JSON of it, were a kilobyte a photo at the planning process's peak. Then every
        # page as its records now hold it, in one value (`_pack_pages`).
        state.put("folder", key, "facts", [site, [list(dataclasses.astuple(p)) for p in checked],
                                          sorted(static), meta_key, staged_pictures.pack(pictures),
                                          *_pack_pages(known, renders, shows, changed)])
        if state.kept:  # serve's memory of the folder (else nothing is kept: not made)
            state.folders[key] = Folder(site, checked, renders,
                                        {n: shows[n] for n in renders if shows.get(n)},
                                        {*static, *pictures}, meta_key)


# Every page's render key and shown bodies, kept in the folder's facts beside the record of
# each page: the next build reads them as one value (three columns: the names, the keys
# as 64-bit integers, the bodies shown) instead of 186,000 records at 100,000 stories,
# each checked and decoded (0.5 s a build). The records stay, for serve's body edits
# (body_edits.py), which change a few and write the facts without the columns: a build
# after those reads the records.


def _pack_pages(known: Folder | None, renders: dict[str, int],
                shows: dict[str, str | tuple[str, ...]],
                changed: Collection[str] | None) -> list[list[Any]]:
    """[[names, keys, shown]] as the output's records hold them once `finish`'s puts and
    drops are written ([] when a key is no 64-bit integer: the records are read then)."""
    if known is None or changed is None:  # each page put unless its record says as much
        pages = renders
        shown = [shows.get(name, ()) for name in pages]
    else:  # a body edit: the planned pages put, every other record as it was
        pages, were = dict(known.renders), known.shows
        fresh = {name for name in changed if renders.get(name) is not None}
        pages.update((name, renders[name]) for name in fresh)
        if len(renders) != len(known.renders):
            for name in set(known.renders) - set(renders):
                del pages[name]
        shown = [shows.get(name, ()) if name in fresh else were.get(name, ())
                 for name in pages]
    try:  # (a key that is None, or past 64 bits: no columns, the records are read)
        keys = _in_key_order(array("q", pages.values())).tobytes()
    except (OverflowError, TypeError):
        return []
    return [[list(pages), keys, shown]]


KEY_ORDER = "little"
"""The byte order of the page columns' keys, whatever the machine's: in its own, a cache
brought from a machine of the other order would read keys that match nothing (every
page rendered once)."""


def _in_key_order(keys: array[int]) -> array[int]:
    """The machine's keys in KEY_ORDER, or KEY_ORDER's in the machine's (swapped in place:
    the same swap either way)."""
    if sys.byteorder != KEY_ORDER:
        keys.byteswap()
    return keys


def _unpack_pages(packed: Any) -> tuple[dict[str, int], dict[str, str | tuple[str, ...]]] | None:
    """`_pack_pages`'s columns as (renders, shows); None when they are not sound."""
    if not (isinstance(packed, list) and len(packed) == 3 and isinstance(packed[0], list)
            and isinstance(packed[1], bytes) and isinstance(packed[2], list)):
        return None
    names, keys, shown = packed[0], array("q"), packed[2]
    try:
        keys.frombytes(packed[1])
    except ValueError:
        return None
    _in_key_order(keys)
    if not len(names) == len(keys) == len(shown):
        return None
    return dict(zip(names, keys, strict=True)), dict(zip(names, shown, strict=True))
