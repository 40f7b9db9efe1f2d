"""Layer 7. The pipeline: the one place that knows the order of the stages.

Each stage is a plain function in its own module. Problems are collected per
stage and stop the build after it with every problem listed; a failed build
leaves the previous output untouched. `build` reads as the table of contents;
the build state (state.py, kept by cache.BuildCache and deps) does the
bookkeeping between stages, and parallelism (workers.py) wraps them, so the
stages know nothing of either.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import itertools
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen import (
    bodies,
    cache,
    claims,
    cluster,
    collect,
    deps,
    editions,
    hostfiles,
    merge,
    picture_cache,
    picture_plan,
    readers,
    render,
    search,
    shards,
    sitemaps,
    static_stage,
    themes,
    tree_files,
    write,
)
from sitegen.check import check_site, page_sources
from sitegen.config import Config
from sitegen.errors import Problem
from sitegen.errors import stop_on as _stop_on
from sitegen.link_index import LinkIndex
from sitegen.links import MdLinks, resolve_md_links
from sitegen.listing import HeldBack, held_back
from sitegen.model import IndexLists, Site
from sitegen.page_inputs import PageInputs
from sitegen.render_pages import claimed, render_pages
from sitegen.sources import Sources, read_all, skip_bad
from sitegen.state import BuildState
from sitegen.translations import Translations
from sitegen.views import View, Views, clock_state
from sitegen.workers import Progress, Workers


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
    keep_going: bool = False
    """Skip the sources with errors and build the rest (also `[build] keep_going`)."""
    progress: Progress | None = None
    """Called as progress(stage, done, total) while reading and rendering."""
    preview: bool = False
    """`sitegen serve`: pages label drafts, scheduled and expired stories, and carry no
    analytics (templates see `site.preview` and each card's `status`)."""
    reuse_output: Path | None = None
    """A previous output (or the deployed site's copy) whose published picture variants
    are taken, once checked, instead of encoding them again (picture_reuse.py)."""
    state: BuildState | None = None
    """The build state to use and keep in memory (`sitegen serve` passes one across its
    builds); None: this build opens the cache's and closes it."""
    shard: shards.Shard | None = None
    """`--shard K/N`: build only the pages of this shard, and its manifest (shards.py)."""
    merge: tuple[Path, ...] = ()
    """`--merge DIR...`: the shards' partial outputs to make one site of (merge.py)."""
    cluster: str = ""
    """The Dask scheduler whose workers do the fan-out (cluster.py): `sitegen build` passes
    `--cluster` or else `[build] cluster` (the preview builds here); "": local processes."""

    @property
    def selection(self) -> tuple[object, ...]:
        """What decides which articles are published, apart from the clock."""
        return (self.drafts, self.future, self.expired)


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
    sources: Mapping[str, str] = field(default_factory=dict)
    """Output page -> the content file it shows (for locating link problems)."""
    held: HeldBack = field(default_factory=HeldBack)
    """The drafts, scheduled and expired articles this build left out."""
    skipped: list[Problem] = field(default_factory=list)
    """With keep_going: the problems of the sources left out of the site."""
    processed_images: list[str] = field(default_factory=list)
    """Source images that were decoded to make resized versions (the others' were cached)."""
    reused_images: int = 0
    """Variants taken from `--reuse-output` instead of being encoded."""
    picture_cache: picture_cache.Pruned | None = None
    """The picture cache's size before and after `[images] cache_limit` trimmed it."""
    search_indexed: list[str] = field(default_factory=list)
    """Search index shards that Pagefind indexed (the others were kept from the cache)."""
    planned: list[str] = field(default_factory=list)
    """Output files whose context was built (a body edit plans only the pages showing it)."""

    @property
    def pages(self) -> int:
        return len(self.written) + len(self.unchanged)


def build(config: Config, options: BuildOptions) -> BuildReport:
    """Build the whole site into the output folder; raise SitegenError with every problem.

    The table of contents: each line is a stage, a plain function; the build state
    (state.py, through cache.BuildCache) keeps the books between them."""
    output = (options.output or config.output_dir).resolve()
    # Held until the state is saved too: its records must describe this tree.
    with write.OutputLock(output), _state(options) as state:
        last = _set_aside_last_build(state)
        run = _begin(config, options, output, state)
        with _bodies_folder(run.cache_dir, output) as held, _workers(run, held) as workers:
            sources, md_links = _read(run, workers, held)
            site = _select(run, sources)
            static = _static_files(run)
            if run.store.unchanged_site(_site_key(run, static, site, sources.keys)) and \
                    not run.parts:  # a shard's page may change with no source changed
                _recheck(run, site, md_links, workers, sources)  # nothing changed at all
                _keep_last_build(state, last)
                return run.report
            site = _relate(run)
            with static_stage.pictures_folder(run.config, run.options.use_cache) as folder:
                plan = _pictures(run, site, static, folder, workers)
                run.lap("pictures")
                views, site_view = _views(run, site, static, plan, folder)
                known, decision = _decide(run, sources, site, static, views, site_view)
                staging = write.Staging(output)
                try:
                    renders = _render(run, site, views, site_view, decision, staging, workers,
                                      static)
                    static_stage.copy_files(run.config, static, plan, folder, staging)
                    _merged_pages(run, staging)
                    _search(run, site, renders, staging)
                    _manifest(run, site, sources, renders, staging, held)
                    checked = _check_links(run, _TreeFiles(staging), site, md_links, workers,
                                           written=_written(state, staging))
                    run.store.forget_renders()  # until the state describes the new tree
                    run.report.removed = staging.commit(run.store.previous_files())
                except BaseException:
                    staging.discard()
                    raise
        run.report.written, run.report.unchanged = staging.written, staging.unchanged
        _remember(run, sources, renders, staging, checked, known, decision)
        _keep_last_build(state, _last_build(run, held, site, decision))
    return run.report


LAST_BUILD = ("serve", "last build")
"""Where a kept state (serve's) holds the last build's `LastBuild`."""
WRITTEN_OUTSIDE = ("serve", "written outside a build")
"""Where a kept state holds the pages serve wrote since the last build (body_edits.py):
the link check scans them again, as if the build had written them."""


@dataclass(frozen=True)
class LastBuild:
    """What the last build planned its pages from, kept in serve's memory so that a body
    edit can be rendered at once (body_edits.py) before the next build runs."""

    config: Config
    now: dt.datetime
    output: Path
    bodies: Path
    chain: tuple[themes.Theme, ...]
    cache_dir: Path
    editions: list[editions.Edition]
    site: Site
    known: deps.State
    """Each source's metadata digest and body, and the bodies each page shows."""


def _set_aside_last_build(state: BuildState) -> LastBuild | None:
    """serve's last build, not held twice while this one plans (put back if nothing
    changed, replaced by this one otherwise)."""
    last = state.memo.pop(LAST_BUILD, None)
    return last if isinstance(last, LastBuild) else None


def _keep_last_build(state: BuildState, last: LastBuild | None) -> None:
    if last is not None:
        state.memo[LAST_BUILD] = last


def _last_build(run: _Run, held: Path, site: Site, decision: deps.Decision) -> LastBuild | None:
    """What a body edit in serve is rendered from (body_edits.py); none for a build
    without a cache, a shard or a merge. The pages serve wrote are this build's now."""
    run.state.memo.pop(WRITTEN_OUTSIDE, None)
    if run.cache_dir is None or run.options.shard or run.options.merge:
        return None
    return LastBuild(run.config, run.options.now, run.report.output, held, run.chain,
                     run.cache_dir, [dataclasses.replace(e, inputs=None) for e in run.editions],
                     site, decision.state)


def _written(state: BuildState, staging: write.Staging) -> list[str]:
    """The files this build wrote, and the pages serve wrote since the last build: the
    link check scans both again."""
    return [*staging.written, *state.memo.get(WRITTEN_OUTSIDE, ())]


@dataclass
class _Run:
    """One build's surroundings, which every stage helper below needs."""

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
def _state(options: BuildOptions) -> Iterator[BuildState]:
    """The state serve keeps across builds, or one for this build alone."""
    if options.state is not None:
        yield options.state
        return
    state = BuildState(kept=False)
    try:
        yield state
    finally:
        state.close()


def _begin(config: Config, options: BuildOptions, output: Path, state: BuildState) -> _Run:
    """The guards (the output, the theme, the cache folder), then the state's books."""
    _stop_on(write.check_destination(output, config.root, readers.content_dir(config)))
    chain = themes.resolve_chain(config)
    _stop_on(write.check_cache_dir(config.cache_dir, output, [
        readers.static_dir(config), *(theme.path / "static" for theme in chain)]))
    cache_dir, unusable = cache.usable_dir(config.cache_dir) if options.use_cache else (None, [])
    state.attach(cache_dir, cache.salt())
    store = cache.BuildCache(state, config.site.timezone, output)
    # The same list: warnings of saving the state, at the end, reach the report too.
    store.warnings[:0] = unusable
    return _Run(config, options, output, state, store,
                BuildReport(output, [], [], store.warnings, {}), chain, cache_dir)


def _workers(run: _Run, held: Path) -> Workers:
    bytecode = run.cache_dir  # compiled templates are sealed outside it (sealed.py)
    address = run.options.cluster
    where = "sitegen.toml" if address == run.config.build.cluster else "--cluster"
    return Workers(run.options.jobs, run.options.progress, run.chain, run.config.root,
                   bytecode, held, cluster.connect(address, where, run.config, run.chain, held))


def _read(run: _Run, workers: Workers, held: Path) -> tuple[Sources, MdLinks]:
    """Every source as an Article, and the links between them resolved (a merge: the
    shards' articles, their links resolved by the shards)."""
    if run.options.merge:
        run.parts = merge.check(run.config, run.options.merge, run.output,
                                run.options.selection)
        sources = merge.read(run.parts)
        run.lap("read")
        return sources, MdLinks()
    sources = read_all(run.config, run.store, workers, held, shards.others(run.options.shard))
    run.report.parsed = sources.parsed
    run.report.warnings.extend(sources.warnings)
    if run.options.keep_going or run.config.build.keep_going:
        run.report.skipped = skip_bad(sources, run.options.strict)
    # Checked with the built pages' links, so that every link problem shows at once.
    sources.articles, md_links = resolve_md_links(sources.articles, run.config)
    _stop_on(sources.problems, run.options.strict)
    run.report.warnings.extend(p for p in sources.problems if p.warning)
    run.lap("read")
    return sources, md_links


def _select(run: _Run, sources: Sources) -> Site:
    """What is published as of the build's time, and what was held back."""
    options, articles = run.options, sources.articles
    selection = collect.Selection(options.now, options.drafts, options.future, options.expired)
    run.editions, site, problems = editions.select(articles, run.config, selection)
    if options.keep_going or run.config.build.keep_going:  # a URL clash leaves one out
        skipped = editions.skip_clashes(articles, run.config, selection, problems)
        if skipped is not None:
            articles, run.editions, site, problems, clashed = skipped
            run.report.skipped += clashed
            sources.articles = articles
    run.report.held = held_back(articles, selection)
    # render.check_templates works once the workers' constructor set up the environment.
    _stop_on([*problems, *render.check_templates()], options.strict)
    run.report.warnings.extend(p for p in problems if p.warning)
    return site


RELATED = ("related", "last")
"""The state's record, per edition, of the shape related articles were last worked out
from and the answer (related.py): a publish works out only the articles it changes."""


def _relate(run: _Run) -> Site:
    """Each edition's related articles, from the last build's answer where it holds."""
    kind, name = RELATED
    known: dict[str, Any] = {}

    def last(edition: str) -> Any:
        known[edition] = found = run.state.get(kind, edition, name)
        return found
    run.editions, site = editions.relate(run.editions, last)
    for edition in run.editions:
        key, shape = edition.config.edition, collect.shape(edition.site)
        if not (isinstance(known.get(key), list | tuple) and known[key][0] == shape):
            # Written now, not held to the end of the build (where its memory would add
            # to the largest): it says what it was worked out from, whatever happens next.
            run.state.write_now(kind, key, name, (shape, IndexLists.plain(edition.site.related)))
    run.state.flush()
    return site


def _static_files(run: _Run) -> dict[str, Path]:
    config, options = run.config, run.options
    static = static_stage.static_files(config, run.chain,
                                       options.keep_going or config.build.keep_going,
                                       options.strict, run.report)
    run.theme = cache.theme_stamp([t.path for t in run.chain])
    return static


def _recheck(run: _Run, site: Site, md_links: MdLinks, workers: Workers,
             sources: Sources) -> None:
    """Nothing the output depends on changed since the last build into it: the same
    files, and the last link check's findings stand."""
    store = run.store
    run.report.unchanged = sorted([*store.renders, *(store.static or ())])
    run.lap("collect")
    checked = _check_links(run, _OutputFiles(str(run.output), run.report.unchanged), site,
                           md_links, workers, store.checked)
    store.finish(sources.keys, store.renders, store.static or set(), run.site_key, checked,
                 store.previous.meta_key, store.previous.shows)
    run.state.commit()
    run.lap("check")


def _views(run: _Run, site: Site, static: dict[str, Path], plan: picture_plan.Plan,
           folder: Path) -> tuple[Views, View]:
    config, options = run.config, run.options
    sizes = {v.output: (folder / v.key).stat().st_size for v in plan.variants}

    def make(edition_site: Site, edition: Config, index: Translations | None) -> Views:
        return Views(edition_site, edition, options.now, sizes, preview=options.preview,
                     translations=index)
    missing = editions.views(run.editions, run.chain, make, themes.fingerprint(static),
                             themes.merged_params(run.chain, config), options.now, config.root)
    _stop_on(missing, options.strict)
    run.report.warnings.extend(missing)
    first = run.editions[0]
    assert first.views is not None
    return first.views, first.site_view


def _decide(run: _Run, sources: Sources, site: Site, static: dict[str, Path], views: Views,
            site_view: View) -> tuple[deps.State, deps.Decision]:
    """Which pages to plan: those showing an edited body when nothing else changed; else
    those whose recorded inputs changed (page_inputs.py)."""
    known, store = deps.load(run.store), run.store
    parts = _site_parts(run.config, run.output, run.theme, static, site, run.options.now,
                        run.options.shard)
    decision = deps.decide(known, sources.articles, sources.keys, store.renders,
                           run.output, "\0".join(parts))
    metas = decision.state.metas
    # Without the list of sources and the news window (only sitemaps show them).
    decision.inputs = PageInputs(
        deps.site_inputs([*parts[:4], *parts[6:]], site_view, views), deps.load_inputs(store),
        deps.card_digests(views, metas), str(run.output),
        store.renders, keep=decision.replan is None, carry=decision.replan is not None)
    editions.page_inputs(run.editions, decision.inputs, [*parts[:4], *parts[6:]], metas,
                         run.options.now, site)
    return known, decision


def _render(run: _Run, site: Site, views: Views, site_view: View, decision: deps.Decision,
            staging: write.Staging, workers: Workers, static: dict[str, Path]) -> dict[str, int]:
    """Plan the pages (lazily: a large archive's contexts are never all held at once),
    render those whose key changed, and check that no two claim one file."""
    config, store, report = run.config, run.store, run.report
    decision.inputs.present = staging.holds  # kept pages' files, asked without a stat
    replan = decision.replan
    if replan is not None:  # a body edit: every other file stays as it is
        for kept in set(store.renders) - replan:
            staging.keep_unchanged(kept)
    wanted: Callable[[str], bool] | None = None if replan is None else replan.__contains__
    only = None
    if run.options.shard:
        wanted, only = shards.wanted(site, run.options.shard, wanted), shards.kinds_built
    elif run.options.merge:
        only = merge.kinds_built
    jobs = editions.plan(run.editions, run.options.now, wanted, site, only)
    run.lap("collect")
    # The pages are a stream, counted only at its end: the last build's count, or a page
    # a source and term, is the progress display's estimate.
    expected = len(store.renders) or (len(site.articles) + len(site.pages) + len(
        site.sections) + len(site.tags) + len(site.authors))
    done = render_pages(jobs, run.theme, editions.site_digests(run.editions, cache.digest),
                        store, staging, workers,
                        decision.state.shows, expected, decision.inputs.kept)
    for kept, _ in decision.inputs.kept:  # the bodies a kept page shows are as they were
        if kept in store.previous.shows:
            decision.state.shows[kept] = store.previous.shows[kept]
    report.planned, report.rendered = done.planned, done.rendered
    views.forget_cards()
    _stop_on(done.failures)
    renders = done.renders if replan is None else {**store.renders, **done.renders}
    # Before anything moves into the output: the previous output stays as it was.
    assets = themes.fingerprint(static)
    published = {assets[name]: themes.display_path(str(path), config.root)
                 for name, path in static.items()}
    owned = itertools.chain(claimed(done), hostfiles.alias_claims(site, config))
    _stop_on(claims.clashes(owned, published, search.BUNDLE_DIR if config.build.search else None)
             or done.blocked)
    run.lap("render")
    return renders


def _pictures(run: _Run, site: Site, static: dict[str, Path], folder: Path,
              workers: Workers) -> picture_plan.Plan:
    """Encode the pictures the site shows that are not in the folder yet (a shard: those
    its own pages show; a merge: none, they are the shards')."""
    if run.parts:
        return merge.make_pictures(run.config, site, static, folder, run.parts)
    if run.options.shard:
        site = shards.pictures_site(site, run.options.shard)
    return static_stage.make_pictures(run.config, site, static, folder, workers, run.report,
                                      run.options.reuse_output)


def _merged_pages(run: _Run, staging: write.Staging) -> None:
    """A merge: the pages (and search shards) the shards made, into the new tree."""
    if run.parts:
        for relative, source in merge.pages(run.parts):
            staging.copy(relative, source)


def _manifest(run: _Run, site: Site, sources: Sources, renders: dict[str, int],
              staging: write.Staging, held: Path) -> None:
    """A shard: its manifest, which lists its pages and search shards too."""
    if run.options.shard:
        bundles = tuple(editions.bundle(e.config) + "/" for e in run.editions)
        made = [*renders, *(f for f in staging.keep if f.startswith(bundles))]
        shards.write_manifest(staging, run.config, run.options.shard, run.options.selection,
                              site, sources.keys, made, held)


def _search(run: _Run, site: Site, renders: dict[str, int], staging: write.Staging) -> None:
    """The search index: a shard indexes the search shards that hold only its pages, the
    merge the others, and lists them all; each edition has its own index."""
    if run.config.build.search:
        for edition in run.editions:
            part = shards.search_part(run.options.shard) if run.options.shard else \
                merge.search_part(run.parts, edition.config, edition.site,
                                  editions.bundle(edition.config)) if run.parts \
                else None
            bundle = editions.bundle(edition.config)
            indexed = search.build_index(staging, edition.config, edition.site, renders,
                                         run.store.directory, run.options.progress, part, bundle,
                                         run.options.jobs, _search_placed(run),
                                         run.search_placed)
            # Another edition's shards are named with its folder: en/pagefind/all.
            run.report.search_indexed += [f"{bundle}/{name}" if edition.config.edition
                                          else name for name in indexed]
        run.lap("search")


SEARCH_PLACED = ("search", "placed")
"""The state's record, per output folder, of the search bundles its files are."""


def _search_placed(run: _Run) -> dict[str, str]:
    """The search bundles the output holds, as the last build into it left them (written
    with that build's facts, which go before the output changes: none after a kill)."""
    kind, name = SEARCH_PLACED
    found = run.state.get(kind, run.store.key, name) if run.store.static is not None else None
    return found if isinstance(found, dict) else {}


def _check_links(run: _Run, files: Mapping[str, str], site: Site, md_links: MdLinks,
                 workers: Workers, known: list[Problem] | None = None,
                 written: list[str] | None = None) -> list[Problem]:
    """Every internal link, image and fragment of the new tree, before it replaces the
    output: warnings, or with --strict errors that leave the output as it was. The pages
    written are scanned by the workers, like they were rendered. `known`: what the check
    found in these very files before."""
    report, config = run.report, run.config
    report.sources = page_sources(site)
    problems = known
    if run.options.shard:  # its links go to every shard's pages: the merge checks them
        problems = []
    if problems is None:
        problems = check_site(config, files, report.sources, md_links,
                              LinkIndex(run.state if run.cache_dir else None, report.output),
                              _shown_output(report.output, config.root),
                              functools.partial(workers.map, "check"),
                              written)
    _stop_on(problems, run.options.strict)
    report.warnings.extend(problems)
    run.lap("check")
    return problems


def _remember(run: _Run, sources: Sources, renders: dict[str, int], staging: write.Staging,
              checked: list[Problem], known: deps.State, decision: deps.Decision) -> None:
    """The new output is in place: what this build learned goes into the state, in one
    transaction."""
    run.state.begin()
    try:
        run.store.finish(sources.keys, renders, staging.keep - set(renders) - {tree_files.MARKER},
                         run.site_key, checked, decision.state.meta_key, decision.state.shows)
        deps.save(run.store, known, decision.state)
        deps.save_inputs(run.store, decision.inputs.previous, decision.inputs.found)
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


class _TreeFiles(Mapping[str, str]):
    """The new tree's files -> where their bytes are, made when asked: a path held for
    every file of a large site would cost the main process a kilobyte per article (and
    a Path, whose parts pathlib interns, grows the interpreter's table of names)."""

    def __init__(self, staging: write.Staging) -> None:
        self.staging = staging
        self.folder = str(staging.dir)

    def __getitem__(self, name: str) -> str:
        if name not in self.staging.keep:
            raise KeyError(name)
        return f"{self.folder}/{name}"

    def __contains__(self, name: object) -> bool:
        return name in self.staging.keep

    def __iter__(self) -> Iterator[str]:
        return iter(self.staging.keep)

    def __len__(self) -> int:
        return len(self.staging.keep)


class _OutputFiles(Mapping[str, str]):
    """The output's files (sorted names) -> their paths, made when asked."""

    def __init__(self, folder: str, names: list[str]) -> None:
        self.folder, self.names, self.known = folder, names, frozenset(names)

    def __getitem__(self, name: str) -> str:
        if name not in self.known:
            raise KeyError(name)
        return f"{self.folder}/{name}"

    def __contains__(self, name: object) -> bool:
        return name in self.known

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


def _shown_output(output: Path, root: Path) -> str:
    return output.relative_to(root).as_posix() if output.is_relative_to(root) else str(output)


@contextlib.contextmanager
def _bodies_folder(cache_dir: Path | None, output: Path) -> Iterator[Path]:
    """Where article bodies are kept (bodies.py): the build cache's folder for this output,
    or a folder of this build's own without it."""
    if cache_dir is not None:
        yield bodies.folder_for(cache_dir, output)
        return
    with tempfile.TemporaryDirectory(prefix="sitegen-bodies-") as folder:
        yield Path(folder)


def _site_key(run: _Run, static: dict[str, Path], site: Site, keys: dict[str, str]) -> str:
    """Everything the output depends on: what `_site_parts` covers, and every source."""
    run.site_key = cache.site_key(*_site_parts(run.config, run.output, run.theme, static, site,
                                               run.options.now, run.options.shard),
                                  repr(sorted(keys.items())))
    return run.site_key


def _site_parts(config: Config, output: Path, theme: str, static: dict[str, Path], site: Site,
                now: dt.datetime, shard: shards.Shard | None) -> list[str]:
    """What the output depends on apart from the sources' bytes: config, theme, the
    static files (name, size, time: what decides whether one is copied), and what the
    build time decides (what is published, the news sitemap's window, the year). The
    page inputs' site key (`_decide`) takes all but the 5th and 6th (sources, news window):
    keep their places. The last: which shard this is (a shard's output holds only its own
    pages)."""
    stamps = [(name, (stat := path.stat()).st_size, stat.st_mtime_ns)
              for name, path in sorted(static.items())]
    return [repr(config), repr(output), theme, repr(stamps),
            repr([a.source for a in (*site.articles, *site.pages)]),
            repr([a.source for a in sitemaps.news_window(site, now)]), str(now.year),
            clock_state(site, config, now), repr(shard)]
