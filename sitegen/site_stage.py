"""Layer 6.98. The site as a build knows it: every source read (or, in a merge, the
shards' articles), what is published as of the build's time, each edition's related
articles, the static files, and the key of everything the output depends on (a build
whose key matches the last one's into the folder renders nothing)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen import (
    cache,
    collect,
    deps,
    editions,
    last_build,
    merge,
    nothing_changed,
    render,
    shards,
    sitemaps,
    static_stage,
    static_stamps,
)
from sitegen.build_run import Run
from sitegen.claim_book import ClaimBook
from sitegen.config import Config
from sitegen.errors import stop_on
from sitegen.index_lists import IndexLists
from sitegen.link_locations import PageSources
from sitegen.links import MdLinks, resolve_md_links
from sitegen.listing import held_back
from sitegen.model import Site
from sitegen.nothing_changed import Look
from sitegen.site_views import clock_state
from sitegen.sitefiles import StaticFiles
from sitegen.sources import Sources, read_all, skip_bad
from sitegen.workers import Workers


def read(run: Run, workers: Workers, held: Path,
         seen: Look | None = None) -> tuple[Sources, MdLinks]:
    """Every source as an Article, and the links between them resolved (a merge: the
    shards' articles, their links resolved by the shards). `seen`: the early answer's
    look, whose stats of the sources the read takes in place of its own."""
    if run.options.merge:
        run.parts = merge.check(run.config, run.options.merge, run.output,
                                run.options.selection)
        sources = merge.read(run.parts)
        run.lap("read")
        return sources, MdLinks()
    sources = read_all(run.config, run.store, workers, held, shards.others(run.options.shard),
                       seen.stats if seen is not None else None)
    run.report.parsed = sources.parsed
    run.report.warnings.extend(sources.warnings)
    if run.options.keep_going or run.config.build.keep_going:
        run.report.skipped = skip_bad(sources, run.options.strict)
    # Checked with the built pages' links, so that every link problem shows at once.
    sources.articles, md_links = resolve_md_links(sources.articles, run.config)
    stop_on(sources.problems, run.options.strict)
    run.report.warnings.extend(p for p in sources.problems if p.warning)
    run.lap("read")
    return sources, md_links


def select(run: Run, sources: Sources) -> Site:
    """What is published as of the build's time, and what was held back."""
    options, articles = run.options, sources.articles
    selection = collect.Selection(options.now, options.drafts, options.future, options.expired)
    book = ClaimBook(run.state, run.store.key)  # clashes among the claims that changed
    run.editions, site, problems = editions.select(articles, run.config, selection, book)
    if options.keep_going or run.config.build.keep_going:  # a URL clash leaves one out
        skipped = editions.skip_clashes(articles, run.config, selection, problems, book)
        if skipped is not None:
            articles, run.editions, site, problems, clashed = skipped
            run.report.skipped += clashed
            sources.articles = articles
    book.keep()
    run.report.claims_checked = book.asked
    run.report.held = held_back(articles, selection)
    # render.check_templates works once the workers' constructor set up the environment.
    stop_on([*problems, *render.check_templates()], options.strict)
    run.report.warnings.extend(p for p in problems if p.warning)
    return site


RELATED = ("related", "last")
"""The state's record, per edition, of the shape related articles were last worked out
from and the answer (related.py): a publish works out only the articles it changes."""


def relate(run: Run) -> Site:
    """Each edition's related articles, from the last build's answer where it holds."""
    kind, name = RELATED
    known: dict[str, Any] = {}

    def last(edition: str) -> Any:
        known[edition] = found = run.state.get(kind, edition, name)
        return found
    # Each edition's shape worked out once: relating and its record below both use it.
    shapes = {e.config.edition: collect.shape(e.site) for e in run.editions}
    run.editions, site = editions.relate(run.editions, last, shapes)
    for edition in run.editions:
        key = edition.config.edition
        shape = shapes[key]
        if not (isinstance(known.get(key), list | tuple) and known[key][0] == shape):
            # Written now, not held to the end of the build (where its memory would add
            # to the largest): it says what it was worked out from, whatever happens next.
            run.state.write_now(kind, key, name, (shape, IndexLists.plain(edition.site.related)))
    run.state.flush()
    return site


@dataclass(frozen=True)
class Left:
    """What the link check and the steps after it need of the Articles (`let_go`)."""

    pages: PageSources
    """Each page's source, packed (where the check tells a finding)."""
    holds: int
    """Until when this build's early answer holds (nothing_changed.until)."""
    last: last_build.LastBuild | None
    """What serve renders a body edit from (last_build.record): the site, kept by serve."""


def let_go(run: Run, seen: Look | None, sources: Sources, site: Site, held: Path,
           decision: deps.Decision) -> Left:
    """What the steps after the pages need of the Articles, in a compact form; and the
    Articles no longer held by the build's books (the caller lets go of its site and
    views). The link check is the largest peak of a build with a photo a story: each
    Article with its Image is about 1.4 KB of it an article, where its page's source
    costs the check a few dozen bytes. serve keeps its site for a body edit anyway."""
    left = Left(PageSources(site), nothing_changed.until(run, seen, sources.articles),
                last_build.record(run, held, site, decision))
    sources.articles = []
    decision.inputs.digests = _no_digest  # its card digests' views hold the site
    if left.last is None:
        run.editions = []  # each edition's site and views
    return left


def _no_digest(at: int, source: str) -> None:
    return None


def static_files(run: Run) -> StaticFiles:
    config, options = run.config, run.options
    judged = static_stamps.judged(run.state)
    static = static_stage.static_files(config, run.chain,
                                       options.keep_going or config.build.keep_going,
                                       options.strict, run.report, judged)
    static_stamps.keep_judged(run.state, judged)
    run.theme = cache.theme_stamp([t.path for t in run.chain])
    return static


def site_key(run: Run, static: StaticFiles, site: Site, keys: Mapping[str, str]) -> str:
    """Everything the output depends on: what `site_parts` covers, and every source."""
    parts = site_parts(run.config, run.output, run.theme, static, site, run.options.now,
                       run.options.shard)
    run.site_key = cache.site_key(*parts, repr(sorted(keys.items())))
    # Held for the planning decision (page_stage.decide): the parts as a hash, and but
    # the 4th to 6th as they are (the static files' stats and the sources are ~90 bytes
    # an article, a photo a story, for the whole build).
    run.site_meta = deps.seeded("\0".join(parts))
    run.site_parts = [*parts[:3], "", "", "", *parts[6:]]
    return run.site_key


def site_parts(config: Config, output: Path, theme: str, static: StaticFiles, site: Site,
                now: dt.datetime, shard: shards.Shard | None) -> list[str]:
    """What the output depends on apart from the sources' bytes: config, theme, the
    static files (name, size, time: what decides whether one is copied), and what the
    build time decides (what is published, the news sitemap's window, the year). The
    page inputs' site key (page_stage.decide) takes all but the 4th to 6th (static files'
    stats, sources, news window): keep their places. The last: which shard this is (a
    shard's output holds only its own pages)."""
    stamps = [(name, (stat := os.stat(path)).st_size, stat.st_mtime_ns)
              for name, path in sorted(static.files())]
    return [repr(config), repr(output), theme, repr(stamps),
            repr([a.source for a in (*site.articles, *site.pages)]),
            repr([a.source for a in sitemaps.news_window(site, now)]), str(now.year),
            clock_state(site, config, now), repr(shard)]
