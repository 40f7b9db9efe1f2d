"""Layer 6.985. The pages: the views templates get, which pages to plan (those showing
an edited body, or those whose recorded inputs changed), planned and rendered in the
workers, and no two claiming one file, all before anything moves into the output."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from sitegen import (
    cache,
    claims,
    deps,
    editions,
    hostfiles,
    merge,
    picture_plan,
    readers,
    search,
    shards,
    themes,
    write,
)
from sitegen.build_run import Run
from sitegen.config import Config
from sitegen.errors import stop_on
from sitegen.model import Site
from sitegen.page_inputs import PageInputs
from sitegen.render_pages import claimed, render_pages
from sitegen.sitefiles import StaticFiles
from sitegen.sources import Sources
from sitegen.translations import Translations
from sitegen.value_views import View
from sitegen.views import Views
from sitegen.workers import Workers


def views(run: Run, site: Site, static: StaticFiles, plan: picture_plan.Plan,
           folder: Path) -> tuple[Views, View]:
    config, options = run.config, run.options
    if plan.sizes is None:
        plan.sizes = picture_plan.Sizes(folder, run.output)

    def make(edition_site: Site, edition: Config, index: Translations | None) -> Views:
        return Views(edition_site, edition, options.now, plan.sizes, preview=options.preview,
                     translations=index, picture_memo=plan.memo)
    missing = editions.views(run.editions, run.chain, make,
                             themes.asset_names(static, readers.static_dir(config)),
                             themes.merged_params(run.chain, config), options.now, config.root)
    stop_on(missing, options.strict)
    run.report.warnings.extend(missing)
    first = run.editions[0]
    assert first.views is not None
    return first.views, first.site_view


def decide(run: Run, sources: Sources, site: Site, views: Views,
            site_view: View, staging: write.Staging) -> tuple[deps.State, deps.Decision]:
    """Which pages to plan: those showing an edited body when nothing else changed; else
    those whose recorded inputs changed (page_inputs.py). `staging`: the new tree, which
    knows which of the last build's files are at hand."""
    known, store = deps.load(run.store), run.store
    parts = run.site_parts  # (site_stage.site_key's, of this very site)
    decision = deps.decide(known, sources.articles, sources.keys, store.renders,
                           staging.holds_all, run.site_meta)
    metas = decision.state.metas
    # Without the static files' stats (a page shows a static file through `site.assets`,
    # in the site view, or an article's image, in its metadata), the list of sources and
    # the news window (only sitemaps show them): a photo uploaded with its story, or a
    # story published, is no fact of the whole site.
    shared = [*parts[:3], *parts[6:]]
    # A body edit plans the pages showing the body, by its own rule: the others' recorded
    # inputs stay as they are in the state, never loaded (186,000 records at 100,000).
    body_edit = decision.replan is not None
    decision.inputs = PageInputs(
        deps.site_inputs(shared, site_view, views), {} if body_edit else deps.load_inputs(store),
        deps.card_digests(views, metas), str(run.output),
        store.renders, keep=not body_edit, partial=body_edit)
    decision.inputs.keys = sources.keys  # which stories are new (kinds/shift.py)
    editions.page_inputs(run.editions, decision.inputs, shared, metas,
                         run.options.now, site)
    return known, decision


def render(run: Run, site: Site, views: Views, site_view: View, decision: deps.Decision,
            staging: write.Staging, workers: Workers, static: StaticFiles) -> dict[str, int]:
    """Plan the pages (lazily: a large archive's contexts are never all held at once),
    render those whose key changed, and check that no two claim one file."""
    config, store, report = run.config, run.store, run.report
    decision.inputs.present = staging.holds  # kept pages' files, asked without a stat
    replan = decision.replan
    if replan is not None:  # a body edit: every other file stays as it is (all at hand)
        staging.keep_all(decision.others)
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
    report.inputs_worked = sum(e.inputs.worked for e in run.editions if e.inputs is not None)
    views.forget_cards()
    stop_on(done.failures)
    renders = done.renders if replan is None else {**store.renders, **done.renders}
    # Before anything moves into the output: the previous output stays as it was.
    # Only styles and scripts are renamed (a Path for every photo would grow the
    # interpreter's table of names: sitefiles.StaticFiles).
    assets = themes.fingerprint(static.ending(themes.FINGERPRINTED))
    published = {assets.get(name, name): shown for name, shown in _shown(static, config.root)}
    owned = itertools.chain(claimed(done), hostfiles.alias_claims(site, config))
    stop_on(claims.clashes(owned, published, search.BUNDLE_DIR if config.build.search else None)
             or done.blocked)
    run.lap("render")
    return renders


def _shown(static: StaticFiles, root: Path) -> Iterator[tuple[str, str]]:
    """(name, its file as messages show it) of every static file: each folder resolved
    once, not each file (a resolve is a system call a part of the path: 0.2 ms a photo,
    every build, for the claims' books)."""
    folders: dict[str, str] = {}
    for name, path in static.files():
        folder, _, base = path.rpartition(os.sep)
        if folder not in folders:
            folders[folder] = themes.display_path(folder, root)
        yield name, f"{folders[folder]}/{base}"
