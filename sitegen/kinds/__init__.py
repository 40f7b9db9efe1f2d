"""Layer 5.9. The table of page kinds: the one place that lists them.

Planning (render.plan), sitemap.xml (the `Sitemaps` kind) and the URL claims
(`url_clashes`, and each job's owner) all come from `KINDS`, in this order,
which is the order pages are planned and listed in the sitemap. A new page
kind is a module with a `Kind` subclass (base.py) and a template; `register`
adds it (a site's plugin, or a test).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from sitegen import claims as file_claims
from sitegen.config import Config
from sitegen.errors import Problem
from sitegen.kinds import shift
from sitegen.kinds.archive import Archive
from sitegen.kinds.articles import Aliases, Articles, Pages
from sitegen.kinds.base import Claim, Kind, Planner
from sitegen.kinds.files import AdsTxt, Feeds, HostFiles, Sitemaps
from sitegen.kinds.home import Home
from sitegen.kinds.newsroom import Daily, Series
from sitegen.kinds.special import NotFound, Search
from sitegen.kinds.terms import Terms
from sitegen.model import Job, Site
from sitegen.page_inputs import PageInputs
from sitegen.plan_sweep import Sweep
from sitegen.sitemap_entries import Entries
from sitegen.value_views import View
from sitegen.views import Views

KINDS: list[Kind] = [
    Home(), Articles(), Terms("section"), Terms("tag"), Terms("author"), Archive(), Series(),
    Daily(), Pages(), NotFound(), Aliases(), Search(), Feeds(), Sitemaps(), HostFiles(),
    AdsTxt(),
]
"""Every page kind, in planning order. Live blogs are articles (`Articles`)."""


def register(kind: Kind, before: str = "feeds") -> Callable[[], None]:
    """Add a page kind before the kind named `before` (so the files made of pages, the
    feeds and sitemaps, stay last); returns what removes it again."""
    names = [k.name for k in KINDS]
    KINDS.insert(names.index(before) if before in names else len(KINDS), kind)
    return lambda: KINDS.remove(kind)


def plan(site: Site, config: Config, site_view: View, views: Views, now: dt.datetime,
         wanted: Callable[[str], bool] | None = None,
         inputs: PageInputs | None = None,
         only: Callable[[Kind], bool] | None = None, whole: Site | None = None) -> Iterator[Job]:
    """Every kind's jobs, in the table's order; with `wanted`, only the files it admits
    (the kinds that show no body are then not planned at all). `inputs` records what each
    page is planned from and leaves out those planned from the same as last time. `only`
    picks the kinds (a shard's, or its merge's: `Kind.sharded`). An edition other than
    the default (config.edition) gets no files a site has once; `whole` is every
    edition's site, for those."""
    planner = Planner(site, config, site_view, views, now, wanted or (lambda _: True),
                      wanted is None, inputs or PageInputs(), whole=whole)
    planner.sitemap_entries = lambda: sitemap_entries(planner)
    if inputs is not None and inputs.site:
        planner.shift = _shift(planner, inputs)
    # The kinds' lists, article pages and feeds interleaved in one walk through the
    # archive, so that each card is built once (plan_sweep.py).
    sweep = Sweep(views.behind, planner.want)
    try:
        for kind in list(KINDS):
            if only is not None and not only(kind):
                continue
            if kind.once and config.edition:
                continue
            if planner.everything or kind.replanned_for_bodies:
                yield from sweep.run(kind.plan(planner))
        yield from sweep.finish()
    finally:
        # The lambda holds the planner, and it the site and its views: a cycle, which
        # would keep every Article until the garbage collector runs (the build lets
        # them go before the link check, its largest peak).
        planner.sitemap_entries = _no_entries


def _no_entries() -> list[View]:
    return []


def _shift(planner: Planner, inputs: PageInputs) -> shift.Shift | None:
    """The shift from the last build's archive (shift.py), its digest recorded when the
    whole edition is planned; a body edit's or a shard's plan records none (the last
    one's, carried with the other pages' inputs, would no longer say what they show)."""
    home = planner.config.home_path
    if not planner.everything:
        shift.forget(inputs.found, home)
        return None
    return shift.find(inputs.found, inputs.previous, home, inputs.site,
                      repr(planner.views.named), planner.site.articles, inputs.keys,
                      inputs.keep)


def sitemap_entries(planner: Planner) -> Entries:
    """`loc` and `lastmod` of every page some kind lists in the sitemap, in table order."""
    return Entries.of(planner.views, (
        row for kind in KINDS for row in kind.sitemap(planner)))


def claims(site: Site, config: Config) -> list[Claim]:
    """(output file, owner) of every file the kinds will write that the site model
    decides (a sitemap's numbered parts are claimed when planned)."""
    return [found for _, made in claims_by_kind(site, config) for found in made]


def claims_by_kind(site: Site, config: Config) -> Iterator[tuple[str, list[Claim]]]:
    """`claims`, kind by kind in the table's order, each under a name of its own (its
    `name`, numbered when two kinds share one): what claim_book.py keeps."""
    seen: dict[str, int] = {}
    for kind in list(KINDS):
        if kind.once and config.edition:
            continue
        seen[kind.name] = count = seen.get(kind.name, 0) + 1
        yield kind.name if count == 1 else f"{kind.name}#{count}", list(kind.claims(site, config))


def url_clashes(site: Site, config: Config) -> list[Problem]:
    """Two things on one URL (or on two that differ only in case or Unicode
    normalization), found from the claims alone: before any picture is made or page
    rendered, so the previous output stays as it was."""
    return file_claims.clashes(claims(site, config), {}, None)
