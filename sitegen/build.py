"""Layer 7. The pipeline: the one place that knows the order of the stages.

Each stage is a plain function in its own module. Problems are collected per
stage and stop the build after it with every problem listed; a failed build
leaves the previous output untouched. Caching and parallelism wrap the
stages here, so the stages know nothing of either.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen import cache, collect, readers, render, search, sitemaps, themes, write
from sitegen.config import Config
from sitegen.errors import Problem, SitegenError, errors_only
from sitegen.model import Article, Site
from sitegen.views import Views

# Below this many items, starting worker processes costs more than it saves.
PARALLEL_MIN = 32
# Items sent to a worker at once: enough to amortise the round trip.
CHUNK_MAX = 32
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BuildOptions:
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    drafts: bool = False
    future: bool = False
    expired: bool = False
    strict: bool = False
    jobs: int = os.cpu_count() or 1
    output: Path | None = None
    """Overrides the config's output folder (serve builds into a folder of its own)."""
    use_cache: bool = True
    progress: Progress | None = None
    """Called as progress(stage, done, total) while reading and rendering."""


@dataclass
class BuildReport:
    output: Path
    written: list[str]
    unchanged: list[str]
    warnings: list[Problem]
    timings: dict[str, float]
    parsed: list[str] = field(default_factory=list)
    """Sources that were read and converted (not taken from the cache)."""
    rendered: list[str] = field(default_factory=list)
    """Output files whose template ran (the others' inputs did not change)."""
    removed: list[str] = field(default_factory=list)
    search_indexed: list[str] = field(default_factory=list)
    """Search index shards that Pagefind indexed (the others were kept from the cache)."""

    @property
    def pages(self) -> int:
        return len(self.written) + len(self.unchanged)


def build(config: Config, options: BuildOptions) -> BuildReport:
    """Build the whole site into the output folder; raise SitegenError with every problem."""
    clock = _Clock()
    output = (options.output or config.output_dir).resolve()
    _stop_on(write.check_destination(output, config.root, readers.content_dir(config)))
    chain = themes.resolve_chain(config)
    store = cache.BuildCache(config.cache_dir if options.use_cache else None,
                             config.site.timezone, output)
    report = BuildReport(output, [], [], list(store.warnings), {})
    bytecode = config.cache_dir / "templates" if options.use_cache else None
    with _Workers(options, chain, config.root, bytecode) as workers:
        articles, problems, keys = _read(config, store, workers, report)
        _stop_on(problems, options.strict)
        report.warnings.extend(p for p in problems if p.warning)
        clock.lap("read", report)
        selection = collect.Selection(options.now, options.drafts, options.future, options.expired)
        site, problems = collect.select_site(articles, config, selection)
        _stop_on([*problems, *render.check_templates()])
        static = themes.static_files(chain, readers.static_dir(config))
        assets = themes.fingerprint(static)
        theme = cache.theme_stamp([t.path for t in chain])
        site_key = _site_key(config, output, theme, keys, static, site, options.now)
        if store.unchanged_site(site_key):
            # Nothing the output depends on changed since the last build into it.
            report.unchanged = sorted([*store.renders, *(store.static or ())])
            store.finish(set(keys), store.renders, store.static or set(), site_key)
            clock.lap("collect", report)
            return report
        site = collect.relate(site)
        views = Views(site, config)
        site_view = views.site_view(assets, themes.translations(chain, config.site.language),
                                    themes.merged_params(chain, config), options.now)
        # Pages are planned lazily and handed to the workers as they come, so the
        # contexts of a large archive are never all held at once.
        jobs = render.plan(site, config, site_view, views, options.now)
        clock.lap("collect", report)
        staging = write.Staging(output)
        try:
            renders = _render(jobs, [assets[name] for name in static], theme,
                              cache.digest(site_view), store, staging, workers, report)
            clock.lap("render", report)
            for name, source in static.items():
                staging.copy(assets[name], source)
            if config.build.search:
                report.search_indexed = search.build_index(
                    staging, config, site, renders,
                    config.cache_dir if options.use_cache else None)
                clock.lap("search", report)
            store.forget_renders()
            previous = set(store.renders) | store.static if store.static is not None else None
            report.removed = staging.commit(previous)
        except BaseException:
            staging.discard()
            raise
    report.written, report.unchanged = staging.written, staging.unchanged
    store.finish(set(keys), renders, staging.keep - set(renders) - {write.MARKER}, site_key)
    clock.lap("write", report)
    return report


def _read(config: Config, store: cache.BuildCache, workers: _Workers,
          report: BuildReport) -> tuple[list[Article], list[Problem], dict[str, str]]:
    """Every source as an Article: from the cache when its key matches, else parsed."""
    context = cache.read_context(config, cache.static_stamp(readers.static_dir(config)))
    found: dict[str, tuple[Article | None, list[Problem]]] = {}
    keys: dict[str, str] = {}
    pending: list[tuple[Path, str, str]] = []
    root = len(str(config.root)) + 1
    for path in readers.discover(config):
        relative = str(path)[root:].replace(os.sep, "/")
        stat = path.stat()
        key = store.stamp_key(relative, stat, context)
        if key is None:
            key = cache.read_key(path.read_bytes(), relative, context)
            store.remember_stamp(relative, stat, context, key)
        keys[relative] = key
        hit = store.article(relative, key)
        if hit:
            found[relative] = hit
        else:
            pending.append((path, relative, key))
    read = functools.partial(readers.read_source, config=config)
    results = workers.map("read", read, [path for path, _, _ in pending])
    for (_, relative, key), (article, problems) in zip(pending, results, strict=True):
        found[relative] = (article, problems)
        report.parsed.append(relative)
        if article is not None:
            store.remember_article(relative, key, article, problems)
    articles, problems = [], []
    for relative in sorted(found):
        article, article_problems = found[relative]
        problems.extend(article_problems)
        if article is not None:
            articles.append(article)
    return articles, problems, keys


def _render(jobs: Iterable[render.Job], static: list[str], stamp: str, site_digest: str,
            store: cache.BuildCache, staging: write.Staging, workers: _Workers,
            report: BuildReport) -> dict[str, str]:
    """Render the jobs whose context or templates changed; keep the other files as they are."""
    renders: dict[str, str] = {}
    claims: list[tuple[str, str]] = []

    def needed() -> Iterator[render.Job]:
        for job in jobs:
            claims.append((job.output, job.source))
            key = cache.render_key(stamp, job.templates, job.context, site_digest)
            renders[job.output] = key
            if not (store.unchanged_render(job.output, key)
                    and staging.keep_unchanged(job.output)):
                yield job

    failures: list[Problem] = []
    for relative, data, problems in workers.map("render", render.render_job, needed()):
        failures.extend(problems)
        report.rendered.append(relative)
        if data is not None and not failures:
            staging.write(relative, data)
    _stop_on([*render.clashes(claims, static), *failures])
    return renders


def _site_key(config: Config, output: Path, theme: str, keys: dict[str, str],
              static: dict[str, Path], site: Site, now: dt.datetime) -> str:
    """Everything the output depends on: config, theme, every source, the static
    files (name, size, time: what decides whether one is copied), and what the build
    time decides (what is published, the news sitemap's window, the year)."""
    stamps = [(name, (stat := path.stat()).st_size, stat.st_mtime_ns)
              for name, path in sorted(static.items())]
    return cache.site_key(
        repr(config), repr(output), theme, repr(sorted(keys.items())), repr(stamps),
        repr([a.source for a in (*site.articles, *site.pages)]),
        repr([a.source for a in sitemaps.news_window(site, now)]), str(now.year))


def _stop_on(problems: Iterable[Problem], strict: bool = False) -> None:
    """Raise with all problems if any is an error (with --strict, a warning is one too)."""
    problems = list(problems)
    if problems and (strict or errors_only(problems)):
        raise SitegenError(problems)


class _Clock:
    def __init__(self) -> None:
        self.last = time.perf_counter()

    def lap(self, name: str, report: BuildReport) -> None:
        now = time.perf_counter()
        report.timings[name] = now - self.last
        self.last = now


class _Workers:
    """A map over worker processes, started at most once per build and only when worth it.

    Results come back in input order, so the output never depends on timing.
    """

    def __init__(self, options: BuildOptions, chain: tuple[themes.Theme, ...], root: Path,
                 bytecode: Path | None) -> None:
        self.jobs, self.progress = options.jobs, options.progress
        self.init_args = (chain, root, bytecode)
        self.pool: ProcessPoolExecutor | None = None
        render.init_worker(*self.init_args)

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def map(self, stage: str, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        """fn over items, in order. At most a few chunks are in flight at once, so
        memory holds a window of the work, not all of it."""
        total = len(items) if isinstance(items, list) else 0
        if self.jobs <= 1 or (total and total < PARALLEL_MIN):
            results: Iterable[Any] = map(fn, items)
        else:
            results = self._parallel(fn, iter(items), total)
        for done, result in enumerate(results, start=1):
            if self.progress:
                self.progress(stage, done, total)
            yield result

    def _parallel(self, fn: Callable[[Any], Any], items: Iterator[Any],
                  total: int) -> Iterator[Any]:
        chunk = max(1, min(CHUNK_MAX, math.ceil(total / (self.jobs * 8)))) if total else CHUNK_MAX
        first = list(itertools.islice(items, chunk))
        if len(first) < PARALLEL_MIN and not total:
            # A short stream (an incremental rebuild): not worth starting workers.
            yield from map(fn, itertools.chain(first, items))
            return
        if self.pool is None:
            self.pool = ProcessPoolExecutor(self.jobs, initializer=render.init_worker,
                                            initargs=self.init_args)
        flight: deque[Future[list[Any]]] = deque()
        pending = first
        while pending or flight:
            while pending and len(flight) < self.jobs * 4:
                flight.append(self.pool.submit(_run_chunk, fn, pending))
                pending = list(itertools.islice(items, chunk))
            yield from flight.popleft().result()


def _run_chunk(fn: Callable[[Any], Any], items: list[Any]) -> list[Any]:
    return [fn(item) for item in items]
