"""Layer 6.7. The read stage: every source as an Article, from the build state when its
bytes are unchanged (and its body is still on disk), else read and converted by the
workers, which keep each body on disk (bodies.py) and return only its reference."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import os
import time
from collections.abc import Callable, Generator, Iterator, Mapping
from pathlib import Path
from typing import Any

from sitegen import bodies, cache, readers, source_books, static_stamps
from sitegen.config import Config
from sitegen.errors import Problem, named_as
from sitegen.model import Article, replaced, shared
from sitegen.workers import Workers


@dataclasses.dataclass
class Sources:
    articles: list[Article]
    problems: list[Problem]
    keys: Mapping[str, str]
    """Every source file -> its read key (a hash of its bytes and what reading depends on),
    packed (source_books.Book: held to the end of the build)."""
    parsed: list[str]
    """The sources that were read and converted (not taken from the state)."""
    warnings: list[Problem]
    """About the cache's stored bodies (one changed after it was stored is made again)."""


def read_all(config: Config, store: cache.BuildCache, workers: Workers,
             folder: Path, skip_body: Callable[[str], bool] | None = None,
             seen: dict[str, cache.Stat] | None = None) -> Sources:
    """Every source of the site, in path order, with the problems of each. `skip_body`
    (a shard's): the output files of the articles whose bodies are not converted.
    `seen`: the sources' stats the early answer took (`_known`; emptied)."""
    context = cache.read_context(config)
    digests = static_stamps.static_digests(store.state, readers.static_dir(config))
    if skip_body is not None:  # what is read of a file depends on which shard reads it
        context += f"\0{skip_body!r}"
    found: dict[str, tuple[Article | None, list[Problem]]] = {}
    keys: dict[str, str] = {}
    pending: list[tuple[str, str, str, bool]] = []
    walked: list[Problem] = []
    warnings: list[Problem] = []
    # Bodies this process found intact, under their files' stat: `serve` reads and hashes
    # only what changed. (Rendering checks every body it reads against its name anyway.)
    checked = store.state.memo.setdefault(("bodies", str(folder)), {})
    if store.state.memo.get(("bodies", str(folder))) is not checked:
        checked = None  # a one-off build: no later build of this process to spare
    started, trusted = time.time_ns(), _checked_before(store, folder)
    for relative, path, stat, source_key, key, hit in _known(config, store, context, digests,
                                                            walked, seen):
        if source_key is None or key is None:  # (the second only with the first)
            with open(path, "rb") as stream:
                source_key = cache.read_key(stream.read(), relative, context)
            store.remember_stamp(relative, stat, context, source_key)
            key = cache.read_key_with(source_key, store.asked(relative, source_key), digests)
            hit = store.article(relative, key)
        keys[relative] = key
        usable = bool(hit)
        if hit and hit[0].body_ref:  # and its body is still on disk, as it was stored
            usable = (kept := _intact(folder, hit[0].body_ref, checked, trusted)) is True
            if kept is False:
                warnings.append(Problem(relative, 0, bodies.CHANGED, warning=True))
        if hit and usable:
            found[relative] = hit
        else:
            # Whether it asked about static files before (its key then differs from
            # its source key): a record to replace when it asks about none now.
            pending.append((path, relative, source_key, key != source_key))
    # Every stored body an article shows is checked now: later builds may take those whose
    # change time is older than this check's start as they are (written with the state).
    store.state.put(CHECKED[0], folder.name, CHECKED[1], started)
    if checked is not None:
        shown = {hit[0].body_ref for hit in found.values() if hit[0] is not None}
        for ref in [ref for ref in checked if ref not in shown]:
            del checked[ref]
    read = functools.partial(_read_off_main, config=config, folder=folder, skip_body=skip_body)
    results = workers.map("read", read, [path for path, _, _, _ in pending])
    parsed = []
    for (_, relative, source_key, asked_before), (article, problems, asked) in zip(
            pending, results, strict=True):
        # The source's name as the build holds it already: one string, not two.
        article = None if article is None else shared(article, source=relative)
        problems = named_as(problems, relative)
        found[relative] = (article, problems)
        parsed.append(relative)
        if asked or asked_before:
            store.remember_asked(relative, source_key, asked)
        keys[relative] = key = cache.read_key_with(source_key, asked, digests)
        if article is not None:
            store.remember_article(relative, key, article, problems)
    if parsed:
        bodies.forget_others(folder, (a.body_ref for a, _ in found.values() if a is not None))
    articles, problems = [], walked
    for relative in sorted(found):
        article, article_problems = found[relative]
        problems.extend(article_problems)
        if article is not None:
            articles.append(article)
    return Sources(articles, problems, source_books.read_keys(keys), parsed,
                   warnings)


# Sources whose records are read from the state in one query (a few hundred: a
# query's cost is spread, and the records of the whole archive are never held at once).
READ_AHEAD = 256
_NONE: dict[str, Any] = {}

Known = tuple[str, str, cache.Stat, str | None, str | None,
              tuple[Article, list[Problem]] | None]


def _known(config: Config, store: cache.BuildCache, context: str, digests: dict[str, str],
           walked: list[Problem], seen: dict[str, cache.Stat] | None = None
           ) -> Iterator[Known]:
    """Each source file with its stat, its source key when its stat is as it was when it
    was hashed (else None), its read key with the static files it asked about as they are
    now (cache.read_key_with), and the article the state keeps under that key.

    `seen`: the stats the early answer took of this build's files (nothing_changed.look),
    taken (and emptied) in place of a stat each. Two passes over the state: each source's
    stamp and what it asked about, in path order (they are kept under its name); then the
    articles, one query a batch in read-key order. A read key is a
    hash: a batch asked for in path order had its records on pages all over the file (at
    100,000 a page read from the file a record), in key order on a few neighbouring ones."""
    root = len(str(config.root)) + 1
    seen = seen if seen is not None else {}
    # Names, not Paths (sitefiles.walk_names); a worker makes the Path of one it reads.
    # In name order, as the state keeps them (the walk's, but for a Windows separator).
    found = iter(sorted((path[root:].replace(os.sep, "/"), path)
                        for path in readers.discover_names(config, walked)))
    # A build that keeps no stamps in memory (all but serve's) asks for every source's:
    # its stamps, and the static files each asked about, are one pass each over their
    # records in name order, not a query a batch (a look-up a record).
    scans = None if store.state.stamps else (_Scan(store.state.ordered("source", "")),
                                             _Scan(store.state.ordered("asked", "")))
    stamped: list[tuple[str, str, cache.Stat, str | None, str | None]] = []
    while batch := list(itertools.islice(found, READ_AHEAD)):
        stats = [(relative, path, seen.pop(path) if path in seen
                  else cache.stat_of(os.stat(path))) for relative, path in batch]
        names = [relative for relative, _, _ in stats]
        fetched = _stamps_and_asked(store, names) if scans is None else {
            "source": scans[0].take(names), "asked": scans[1].take(names)}
        for relative, path, stat in stats:
            source = store.stamp_key(relative, stat, context, fetched["source"])
            key = None if source is None else cache.read_key_with(
                source, store.asked(relative, source, fetched["asked"]), digests)
            stamped.append((relative, path, stat, source, key))
    seen.clear()  # the early answer's other files: nothing more is asked of them
    for scan in scans or ():
        scan.close()  # no statement left open on the state when the read writes to it
    of_key = {key: relative for relative, _, _, _, key in stamped if key is not None}
    wanted = sorted(key for key in of_key if key not in store.state.articles)
    hits = {}
    for start in range(0, len(wanted), READ_AHEAD):
        keys = wanted[start:start + READ_AHEAD]
        plain = store.state.get_many("read", "", keys)
        for key in keys:
            hits[key] = store.article(of_key[key], key, plain)
    for relative, path, stat, source, key in stamped:
        yield relative, path, stat, source, key, None if key is None else \
            hits[key] if key in hits else store.article(relative, key, _NONE)


class _Scan:
    """One kind's records in name order (RecordFile.ordered), taken a batch of names in
    the same order at a time; a record of a name not asked for (a source deleted since)
    is passed over."""

    def __init__(self, rows: Generator[tuple[str, Any], None, None]) -> None:
        self.rows = rows
        self.head = next(rows, None)

    def take(self, names: list[str]) -> dict[str, Any]:
        found = {}
        for name in names:
            while self.head is not None and self.head[0] < name:
                self.head = next(self.rows, None)
            if self.head is not None and self.head[0] == name:
                found[name] = self.head[1]
        return found

    def close(self) -> None:
        self.rows.close()


def _stamps_and_asked(store: cache.BuildCache, names: list[str]) -> dict[str, dict[str, Any]]:
    """The stamp records (but those this process keeps: serve's) and the static files
    asked about of a batch of sources, in one query (asked alone when every stamp is kept)."""
    state = store.state
    unknown = [name for name in names if name not in state.stamps]
    if not unknown:
        return {"source": {}, **state.get_kinds(("asked",), "", names)}
    fetched = state.get_kinds(("source", "asked"), "", names)
    if len(unknown) < len(names):  # serve's kept stamps: fetched too, and not looked at
        fetched["source"] = {name: fetched["source"][name] for name in unknown
                             if name in fetched["source"]}
    return fetched


# The state's record of when the last build began checking the stored bodies its
# articles show (all of them, by their bytes or by this rule): under the kind below, in the
# bodies folder's name. Nanoseconds of clock a file system's change time may lag by.
CHECKED = ("bodies", "checked")
RACY_NS = 2_000_000_000


def _checked_before(store: cache.BuildCache, folder: Path) -> int | None:
    """The time before which a stored body, unchanged since, is known to be intact (None:
    no build is known to have checked them, or the last one to begin did not finish).

    A file's change time (ctime) moves on every write, rename over it, new link or `touch`,
    and no one but the kernel can set it back: a body whose ctime is older than the start of
    the last build that checked every stored body its articles show is as that build found
    it. A publish then stats the archive's bodies instead of reading and hashing them (a
    quarter of a second at 10,000 articles). A body changed since, or linked in, or a cache
    restored elsewhere (new ctimes), is read and hashed as before."""
    kind, name = CHECKED
    known = store.state.get(kind, folder.name, name)
    if known:
        # Until this build has finished, none is: a build that fails (a body found changed
        # when a page was rendered, say) leaves the next one to read and check every body.
        store.state.write_now(kind, folder.name, name, 0)
        store.state.flush()
    # A time still to come (another machine's clock, a damaged record) vouches for nothing.
    return known - RACY_NS if isinstance(known, int) and 0 < known <= time.time_ns() else None


def _intact(folder: Path, ref: str, checked: dict[str, object] | None,
            trusted: int | None = None) -> bool | None:
    """bodies.intact, taken from the body's change time when it is older than `trusted`
    (`_checked_before`), else remembered under the body's stat for later builds of this
    process (`checked`; None: there are none)."""
    if trusted is not None:
        try:
            if os.stat(f"{folder}/{ref[:2]}/{ref}.html").st_ctime_ns < trusted:
                return True
        except OSError:
            pass  # not stored: bodies.intact links it in from another folder, or says so
    if checked is None:
        return bodies.intact(folder, ref)
    known = checked.get(ref)
    if known is not None and known == bodies.stamp(folder, ref):
        return True
    kept = bodies.intact(folder, ref)
    if kept is True:
        checked[ref] = bodies.stamp(folder, ref)
    else:
        checked.pop(ref, None)
    return kept


def _read_off_main(path: str, config: Config, folder: Path,
                   skip_body: Callable[[str], bool] | None = None,
                   ) -> tuple[Article | None, list[Problem], tuple[str, ...]]:
    """Read a source where it is converted (a worker) and keep its body on disk there;
    with the static files it asked about (readers.read_asking)."""
    article, problems, asked = readers.read_asking(Path(path), config=config,
                                                   skip_body=skip_body)
    if article is not None and article.body_html:
        article = replaced(article, body_html="",
                           body_ref=bodies.save(folder, article.body_html))
    return article, problems, asked


def skip_bad(sources: Sources, strict: bool) -> list[Problem]:
    """Leave out every source with an error (with --strict, a warning too); keep the rest.
    Returns the problems of the sources left out."""
    bad = {p.path for p in sources.problems if strict or not p.warning}
    skipped = [p for p in sources.problems if p.path in bad]
    sources.articles = [a for a in sources.articles if a.source not in bad]
    sources.problems = [p for p in sources.problems if p.path not in bad]
    return skipped
