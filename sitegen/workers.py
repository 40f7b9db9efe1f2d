"""Layer 6.5. A map over worker processes, for the build's stages that fan out.

Started at most once per build and only when worth it; every worker builds its
Jinja environment once and dies with the build (lifeline.py).
"""

from __future__ import annotations

import gc
import io
import itertools
import math
import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from sitegen import cluster, lifeline, render
from sitegen.themes import Theme

# Below this many items, sending them to the worker processes costs more than it saves.
PARALLEL_MIN = 32
START_MIN = 128
"""Below this many items, starting the worker processes costs more than it saves: each
forks the build's process and builds its template environment (about 0.12 s of CPU),
while a page renders in a few milliseconds. A publish renders and checks about 40 pages:
starting the pool for them cost a 10,000-story publish a quarter of a second of CPU, and
wall time too. A pool already started takes PARALLEL_MIN."""
# Items sent to a worker at once: enough to amortise the round trip.
CHUNK_MAX = 32
# A chunk ends at CHUNK_MAX items or once its pickled bytes pass this: a page's context
# can grow with the archive (a day's or month's index), and a chunk counted in items
# alone would then hold a share of the archive's cards.
CHUNK_BYTES = 64 << 10
# Beyond one chunk per worker, chunks are sent ahead only while their pickled bytes stay
# under this, for the same reason. Rendering 64 KiB of contexts keeps a worker busy far
# longer than pickling the next chunk takes, so a small window starves no worker.
BYTES_AHEAD = 256 << 10
Progress = Callable[[str, int, int], None]
"""Called as progress(stage, done, total)."""


class Workers:
    """A map over worker processes, started at most once per build and only when worth it.

    Results come back in input order, so the output never depends on timing.
    """

    def __init__(self, jobs: int, progress: Progress | None, chain: tuple[Theme, ...],
                 root: Path, bytecode: Path | None, bodies_dir: Path,
                 remote: cluster.Cluster | None = None) -> None:
        self.jobs, self.progress = jobs, progress
        self.remote = remote
        """With `--cluster`: where the stages in cluster.STAGES run (fn a partial)."""
        self.init_args = (chain, root, bytecode, bodies_dir)
        self.pool: ProcessPoolExecutor | None = None
        collecting = gc.isenabled()
        render.init_worker(*self.init_args)  # for what this process renders itself
        if not collecting:  # a CLI build's process collects no cycles (cli/build.py):
            gc.disable()  # init_worker turns the collector on for the workers alone

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        if self.remote is not None:
            self.remote.close()

    def map(self, stage: str, fn: Callable[[Any], Any], items: Iterable[Any],
            minimum: int | None = None, expected: int = 0) -> Iterator[Any]:
        """fn over items, in order. At most a few chunks are in flight at once, so
        memory holds a window of the work, not all of it. Fewer than `minimum` items
        run in this process (by default START_MIN, or PARALLEL_MIN once the workers are
        started). `expected`: how many a stream of items will likely hold (for the
        progress display's estimate)."""
        total = len(items) if isinstance(items, list) else 0
        if minimum is None:
            minimum = START_MIN if self.pool is None else PARALLEL_MIN
        results: Iterable[Any]
        if self.remote is not None and stage in cluster.STAGES:
            results = self.remote.map(stage, fn, items, total)
        elif self.jobs <= 1 or (total and total < minimum):
            results = map(fn, items)
        else:
            results = self._parallel(fn, iter(items), total, minimum)
        for done, result in enumerate(results, start=1):
            if self.progress:
                self.progress(stage, done, total or max(expected, done))
            yield result

    def _parallel(self, fn: Callable[[Any], Any], items: Iterator[Any],
                  total: int, minimum: int) -> Iterator[Any]:
        chunk = max(1, min(CHUNK_MAX, math.ceil(total / (self.jobs * 8)))) if total else CHUNK_MAX
        first = list(itertools.islice(items, chunk if total else max(chunk, minimum)))
        if len(first) < minimum and not total:
            # A short stream (an incremental rebuild): not worth starting workers.
            yield from map(fn, itertools.chain(first, items))
            return
        if self.pool is None:
            self.pool = ProcessPoolExecutor(self.jobs, initializer=_init_worker,
                                            initargs=self.init_args)
        chunks = _pickled_chunks(fn, itertools.chain(first, items), chunk)
        flight: deque[tuple[Future[list[Any]], int]] = deque()
        ahead = 0
        pending = next(chunks, None)
        while pending or flight:
            while pending and len(flight) < self.jobs * 4 and (
                    ahead < BYTES_AHEAD or len(flight) < self.jobs):
                data, count = pending
                flight.append((self.pool.submit(_run_pickled, data, count), len(data)))
                ahead += len(data)
                pending = next(chunks, None)
            done, size = flight.popleft()
            ahead -= size
            yield from done.result()


def _pickled_chunks(fn: Callable[[Any], Any], items: Iterator[Any],
                    most: int) -> Iterator[tuple[bytes, int]]:
    """The items pickled as they are taken, in chunks of at most `most` items or about
    CHUNK_BYTES: a page's objects are let go at once rather than held by the executor
    until its chunk's answer comes back, and a chunk of large pages (a month's index)
    stays as small in memory as one of small pages. One pickler per chunk, so what the
    chunk's items share (the site's view) is sent once."""
    while True:
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dump(fn)
        count = 0
        for item in items:
            pickler.dump(item)
            count += 1
            if count >= most or buffer.tell() >= CHUNK_BYTES:
                break
        if not count:
            return
        data = buffer.getvalue()
        del buffer, pickler  # not held (nor what the memo holds) while the chunk is away
        yield data, count


def _init_worker(*args: Any) -> None:
    lifeline.tie_to_parent()  # a killed build leaves no worker behind
    render.init_worker(*args)


def _run_pickled(data: bytes, count: int) -> list[Any]:
    unpickler = pickle.Unpickler(io.BytesIO(data))  # one memo, as the chunk was pickled
    fn = unpickler.load()
    return [fn(unpickler.load()) for _ in range(count)]
