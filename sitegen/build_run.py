"""Layer 6.97. One build's surroundings, which every stage of build.py needs: the guards
before anything is read (the output, the theme, the cache folder), the build state and
its books (`begin` opens them; `remember` writes what the build learned once the new
output is in place, in one transaction), the bodies folder and the workers.

`Run` is what the stage modules (site_stage, page_stage, output_stage, link_stage)
receive: the config, the options, the state's books and the report. `lap` times a stage
for the report (benchmarks/stage_cpu.py wraps it to measure each stage's CPU).
"""

from __future__ import annotations

import contextlib
import hashlib
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen import (
    bodies,
    cache,
    cluster,
    deps,
    destinations,
    editions,
    merge,
    picture_cache,
    readers,
    themes,
    tree_files,
    write,
)
from sitegen.build_options import BuildOptions, BuildReport
from sitegen.config import Config
from sitegen.errors import Problem, stop_on
from sitegen.sources import Sources
from sitegen.state import BuildState
from sitegen.workers import Workers

if TYPE_CHECKING:
    from hashlib import _Hash as Hash


@dataclass
class Run:
    """One build's surroundings, which every stage needs."""

    config: Config
    options: BuildOptions
    output: Path
    state: BuildState
    store: cache.BuildCache
    report: BuildReport
    chain: tuple[themes.Theme, ...]
    cache_dir: Path | None
    editions: list[editions.Edition] = field(default_factory=list)
    """Each edition's Config and Site (one, the site's own, without [editions])."""
    site_key: str = ""
    site_parts: list[str] = field(default_factory=list)
    """What `site_key` was made of (site_stage.site_parts): page_stage.decide's too, not
    worked out again (a stat of every static file, a photo a story)."""
    site_meta: Hash = field(default_factory=hashlib.sha256)
    """A sha256 fed with all of `site_parts` joined (deps.seeded), whose 4th to 6th are
    held as "" (site_stage.site_key)."""
    theme: str = ""
    """The theme's stamp (templates and translations)."""
    last: float = field(default_factory=time.perf_counter)
    parts: merge.Parts | None = None
    """With --merge: the shards' partial outputs."""
    search_placed: dict[str, str] = field(default_factory=dict)
    """Each search shard folder's bundle key this build puts in the output."""

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.report.timings[name] = now - self.last
        self.last = now


@contextlib.contextmanager
def open_state(options: BuildOptions) -> Iterator[BuildState]:
    """The state serve keeps across builds, or one for this build alone."""
    if options.state is not None:
        yield options.state
        return
    state = BuildState(kept=False)
    try:
        yield state
    finally:
        state.close()


@dataclass(frozen=True)
class Guarded:
    """What the guards found before anything is read."""

    chain: tuple[themes.Theme, ...]
    cache_dir: Path | None
    unusable: list[Problem]
    """Why the cache folder cannot be used (a warning), if it cannot."""


def guard(config: Config, options: BuildOptions, output: Path, state: BuildState) -> Guarded:
    """The guards (the output, the theme, the cache folder); the state attached to it."""
    stop_on(destinations.check_destination(output, config.root, readers.content_dir(config)))
    chain = themes.resolve_chain(config)
    stop_on(destinations.check_cache_dir(config.cache_dir, output, [
        readers.static_dir(config), *(theme.path / "static" for theme in chain)]))
    cache_dir, unusable = cache.usable_dir(config.cache_dir) if options.use_cache else (None, [])
    if not options.use_cache:
        cache.forget_output(config.cache_dir, output)
    state.attach(cache_dir, cache.salt())
    return Guarded(chain, cache_dir, unusable)


def begin(config: Config, options: BuildOptions, output: Path, state: BuildState,
          guarded: Guarded) -> Run:
    """The state's books, once the guards have passed (`guard`)."""
    store = cache.BuildCache(state, config.site.timezone, output)
    # The same list: warnings of saving the state, at the end, reach the report too.
    store.warnings[:0] = guarded.unusable
    return Run(config, options, output, state, store,
               BuildReport(output, [], [], store.warnings, {}), guarded.chain,
               guarded.cache_dir)


def start_workers(run: Run, held: Path) -> Workers:
    bytecode = run.cache_dir  # compiled templates are sealed outside it (sealed.py)
    address = run.options.cluster
    where = "sitegen.toml" if address == run.config.build.cluster else "--cluster"
    return Workers(run.options.jobs, run.options.progress, run.chain, run.config.root,
                   bytecode, held, cluster.connect(address, where, run.config, run.chain, held))


@contextlib.contextmanager
def staged(output: Path) -> Iterator[write.Staging]:
    """The new tree, discarded if the build fails before it replaces the output: the
    previous output stays as it was."""
    staging = write.Staging(output)
    try:
        yield staging
    except BaseException:
        staging.discard()
        raise


@contextlib.contextmanager
def bodies_folder(cache_dir: Path | None, output: Path) -> Iterator[Path]:
    """Where article bodies are kept (bodies.py): the build cache's folder for this output,
    or a folder of this build's own without it."""
    if cache_dir is not None:
        yield bodies.folder_for(cache_dir, output)
        return
    with tempfile.TemporaryDirectory(prefix="sitegen-bodies-") as folder:
        yield Path(folder)


SEARCH_PLACED = ("search", "placed")
"""The state's record, per output folder, of the search bundles its files are."""


def search_placed(run: Run) -> dict[str, str]:
    """The search bundles the output holds, as the last build into it left them (written
    with that build's facts, which go before the output changes: none after a kill)."""
    kind, name = SEARCH_PLACED
    found = run.state.get(kind, run.store.key, name) if run.store.static is not None else None
    return found if isinstance(found, dict) else {}


def remember(run: Run, sources: Sources, renders: dict[str, int], staging: write.Staging,
              checked: list[Problem], known: deps.State, decision: deps.Decision) -> None:
    """The new output is in place: what this build learned goes into the state, in one
    transaction."""
    run.state.begin()
    try:
        static = staging.keep.keys() - renders.keys()  # a set difference: no loop a file
        static.discard(tree_files.MARKER)
        # A body edit: only its planned pages' records can differ from the last build's.
        changed = None if decision.replan is None else decision.replan.union(
            renders.keys() - decision.others)
        run.store.finish(sources.keys, renders, static, run.site_key, checked,
                         decision.state.meta_key, decision.state.shows, changed,
                         staging.pictures)
        deps.save(run.store, known, decision.state)
        deps.save_inputs(run.store, decision.inputs)
        run.state.put(SEARCH_PLACED[0], run.store.key, SEARCH_PLACED[1], run.search_placed)
    except BaseException:
        run.state.abandon()
        raise
    run.state.commit()
    limit = picture_cache.parse_size(run.config.images.cache_limit or "")
    if limit is not None and run.options.use_cache:
        # After the output holds its copies: an evicted variant is only made again.
        run.report.picture_cache = picture_cache.prune(run.config.cache_dir / "pictures", limit)
    run.lap("write")
