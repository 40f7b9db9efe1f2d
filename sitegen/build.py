"""Layer 7. The pipeline: the one place that knows the order of the stages.

Each stage is a plain function in its own module. Problems are collected per
stage and stop the build after it with every problem listed; a failed build
leaves the previous output untouched.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sitegen import collect, readers, render, themes, write
from sitegen.config import Config
from sitegen.errors import Problem, SitegenError, errors_only
from sitegen.views import Views

T = TypeVar("T")
R = TypeVar("R")


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


@dataclass
class BuildReport:
    output: Path
    written: list[str]
    unchanged: list[str]
    warnings: list[Problem]
    timings: dict[str, float]

    @property
    def pages(self) -> int:
        return len(self.written) + len(self.unchanged)


def build(config: Config, options: BuildOptions) -> BuildReport:
    """Build the whole site into the output folder; raise SitegenError with every problem."""
    clock = _Clock()
    output = (options.output or config.output_dir).resolve()
    _stop_on(write.check_destination(output, config.root, readers.content_dir(config)))
    chain = themes.resolve_chain(config)
    environment = themes.make_environment(chain)
    warnings: list[Problem] = []
    with _workers(options.jobs, chain, config.root) as parallel_map:
        clock.lap("start")
        read = functools.partial(readers.read_source, config=config)
        articles = []
        for article, problems in parallel_map(read, readers.discover(config)):
            warnings.extend(problems)
            if article is not None:
                articles.append(article)
        _stop_on(warnings, options.strict)
        clock.lap("read")
        selection = collect.Selection(options.now, options.drafts, options.future, options.expired)
        site, problems = collect.collect_site(articles, config, selection)
        _stop_on([*problems, *themes.check_templates(environment, config.root)])
        static = themes.static_files(chain, readers.static_dir(config))
        assets = themes.fingerprint(static)
        views = Views(site, config)
        site_view = views.site_view(assets, themes.translations(chain, config.site.language),
                                    themes.merged_params(chain, config), options.now)
        jobs = list(render.plan(site, config, site_view, views))
        clock.lap("collect")
        staging = write.Staging(output)
        try:
            failures = []
            for relative, data, problems in parallel_map(render.render_job, jobs):
                failures.extend(problems)
                if data is not None and not failures:
                    staging.write(relative, data)
            _stop_on(failures)
            clock.lap("render")
            for name, source in static.items():
                staging.copy(assets[name], source)
            staging.commit()
            clock.lap("write")
        except BaseException:
            staging.discard()
            raise
    return BuildReport(output, staging.written, staging.unchanged,
                       [p for p in warnings if p.warning], clock.laps)


def _stop_on(problems: Iterable[Problem], strict: bool = False) -> None:
    """Raise with all problems if any is an error (with --strict, a warning is one too)."""
    problems = list(problems)
    if problems and (strict or errors_only(problems)):
        raise SitegenError(problems)


class _Clock:
    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self.last
        self.last = now


ParallelMap = Callable[[Callable[[T], R], Iterable[T]], Iterator[R]]


@contextmanager
def _workers(jobs: int, chain: tuple[themes.Theme, ...], root: Path) -> Iterator[ParallelMap]:
    """A map over worker processes started once per build (a plain map for --jobs 1).

    Results come back in input order, so the output never depends on timing.
    """
    if jobs <= 1:
        render.init_worker(chain, root)
        yield map  # type: ignore[misc]
        return
    with ProcessPoolExecutor(jobs, initializer=render.init_worker,
                             initargs=(chain, root)) as pool:

        def parallel_map(fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
            items = list(items)
            chunk = max(1, math.ceil(len(items) / (jobs * 8)))
            return pool.map(fn, items, chunksize=chunk)

        yield parallel_map
