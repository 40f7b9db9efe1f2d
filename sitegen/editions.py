"""Layer 6.9. A build of several editions: each edition is the site pipeline run over
its own articles with its own Config (edition_config.py), inside one build that writes
one output tree, committed at once.

Here are the stage steps that differ with editions: selecting and relating each
edition's site, its views and site view (its language's interface strings), the
pages' recorded inputs, the plan (every page kind, per edition), and the search
index (one Pagefind bundle per edition, in its folder). The translations index
(translations.py) ties them together from metadata alone, so an edition's pages
depend on the others' only through the addresses of their translations: publishing
in one edition plans none of another's pages but the originals it translates.
A site without `[editions]` is one edition whose Config and Site are the site's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen import claims as file_claims
from sitegen import collect, deps, edition_config, kinds, render, search, sitemaps, themes
from sitegen.config import Config
from sitegen.errors import Problem
from sitegen.interface_strings import missing_strings, translations
from sitegen.model import Article, Job, Site
from sitegen.page_inputs import PageInputs
from sitegen.related import Shape
from sitegen.sealed import short_key
from sitegen.translations import Translations
from sitegen.value_views import View
from sitegen.views import Views


@dataclass
class Edition:
    """One edition's part of a build."""

    config: Config
    site: Site
    views: Views | None = None
    site_view: View = field(default_factory=dict)
    inputs: PageInputs | None = None
    digest: int = 0
    """What all of the edition's pages are made of (`page_inputs`): the same as in the
    last build, its files are kept and none of its pages planned."""


def select(articles: list[Article], config: Config, selection: collect.Selection,
           clashes: collect.Clashes = kinds.url_clashes,
           ) -> tuple[list[Edition], Site, list[Problem]]:
    """Each edition's published site, every edition's together, and the problems (URL
    clashes are looked for across all editions: they share one output tree; `clashes`
    looks for them on a site of one edition: claim_book.py's, against what it keeps)."""
    if not config.editions:
        site, problems = collect.select_site(articles, config, selection, clashes)
        return [Edition(config, site)], site, problems
    groups: dict[str, list[Article]] = {key: [] for key in edition_config.keys(config)}
    for article in articles:
        groups.setdefault(article.edition, []).append(article)
    found, problems = [], []
    for key, members in groups.items():
        if key not in config.editions and key != edition_config.DEFAULT:
            continue  # read with an edition the config no longer has: read again later
        edition = edition_config.for_edition(config, key)
        site, trouble = collect.select_site(members, edition, selection)
        found.append(Edition(edition, site))
        problems += trouble
    owned = [c for e in found for c in kinds.claims(e.site, e.config)]
    return found, whole(found), [*file_claims.clashes(owned, {}, None), *problems]


def skip_clashes(articles: list[Article], config: Config, selection: collect.Selection,
                 problems: list[Problem], clashes: collect.Clashes = kinds.url_clashes,
                 ) -> tuple[list[Article], list[Edition], Site, list[Problem],
                            list[Problem]] | None:
    """With --keep-going: leave out each source an error names (a URL clash) and select
    again; None when no error names a source."""
    skipped: list[Problem] = []
    result = None
    for _ in range(len(articles) + 1):  # each round leaves at least one source out
        named = {p.path for p in problems if not p.warning}
        bad = {a.source for a in articles if a.source in named}
        if not bad:
            break
        skipped += [p for p in problems if p.path in bad]
        articles = [a for a in articles if a.source not in bad]
        editions, site, problems = select(articles, config, selection, clashes)
        result = (articles, editions, site, problems, skipped)
    return result


def relate(editions: list[Edition], last: Callable[[str], Any] = lambda _: None,
           shapes: Mapping[str, Shape] | None = None) -> tuple[list[Edition], Site]:
    """Each edition's related articles and neighbours (within the edition). `last`: an
    edition's name (`config.edition`) -> what an earlier build worked its related
    articles out from (collect.relate). `shapes`: each edition's `collect.shape`, when
    the caller has them."""
    related = [dataclasses.replace(e, site=collect.relate(
        e.site, last(e.config.edition), (shapes or {}).get(e.config.edition)))
        for e in editions]
    return related, whole(related)


def whole(editions: list[Edition]) -> Site:
    """Every edition's articles, pages and lists as one Site, for what looks at the
    whole output (pictures, host files, the link check); a single edition's own."""
    if len(editions) == 1:
        return editions[0].site
    sites = [e.site for e in editions]

    def joined(name: str) -> tuple:
        return tuple(itertools.chain.from_iterable(getattr(s, name) for s in sites))
    articles = sorted(joined("articles"), key=lambda a: (-a.date.timestamp(), a.source))
    return Site(articles=tuple(articles), pages=joined("pages"), sections=joined("sections"),
                tags=joined("tags"), authors=joined("authors"), archive=joined("archive"),
                related=(), neighbours=(), series=joined("series"), days=joined("days"))


def views(editions: list[Edition], chain: tuple[themes.Theme, ...], make: Callable[
        [Site, Config, Translations | None], Views], assets: dict[str, str],
          params: dict[str, object], now: dt.datetime, root: Path) -> list[Problem]:
    """Each edition's Views and site view; the interface strings' problems."""
    config = editions[0].config
    index = None
    if len(editions) > 1:
        index = Translations(config, {e.config.edition: (*e.site.articles, *e.site.pages)
                                      for e in editions})
    problems = []
    for edition in editions:
        language = edition.config.site.language
        strings = translations(chain, language, root)
        if config.editions:
            problems += missing_strings(chain, language, root, edition.config.edition)
        edition.views = make(edition.site, edition.config, index)
        edition.site_view = edition.views.site_view(assets, strings, dict(params), now)
    return problems


def page_inputs(editions: list[Edition], first: PageInputs, parts: list[str],
                metas: Mapping[str, int], now: dt.datetime, site: Site) -> None:
    """Each edition's recorder of the pages' inputs: its own site key (its site view),
    sharing one record of what was found and kept; and, with several editions, the
    digest of everything each edition's pages are made of."""
    editions[0].inputs = first
    for edition in editions[1:]:
        assert edition.views is not None
        inputs = PageInputs(deps.site_inputs(parts, edition.site_view, edition.views),
                            first.previous, deps.card_digests(edition.views, metas),
                            first.output, first.renders)
        inputs.keep, inputs.found, inputs.kept = first.keep, first.found, first.kept
        inputs.keys = first.keys
        edition.inputs = inputs
    if len(editions) < 2:
        return
    # The files the site has once (host files) show every edition's aliases and folders.
    shared = repr(([(a.path, a.aliases) for a in (*site.articles, *site.pages) if a.aliases],
                   sorted({a.path.strip("/").split("/")[0] for a in site.articles})))
    for edition in editions:
        assert edition.inputs is not None and edition.views is not None
        views, published = edition.views, (*edition.site.articles, *edition.site.pages)
        edition.digest = short_key(hashlib.sha256(repr((
            # Each source's metadata digest and its body's (content-addressed) reference:
            # not its read key, which a file written just before a build may change.
            edition.inputs.site, [(a.source, metas.get(a.source, 0),
                                   a.body_ref or a.body_html) for a in published],
            [a.source for a in sitemaps.news_window(edition.site, now)],
            [views.alternates(a.path) for a in published],
            "" if edition.config.edition else shared)).encode()))


_EDITION = "\0edition "
"""The key its digest is kept under among the pages' inputs."""


def _unchanged(edition: Edition, editions: list[Edition]) -> bool:
    """Whether an edition's pages are all made of what they were made of last time (and
    its files are still there): then they are kept, and none is planned."""
    inputs, key = edition.inputs, _EDITION + edition.config.edition
    assert inputs is not None
    if not edition.digest:
        return False
    inputs.found[key] = edition.digest
    if not inputs.keep or inputs.previous.get(key) != edition.digest:
        return False
    others = tuple(e.config.home_path.lstrip("/") for e in editions
                   if e.config.edition and e is not edition)
    mine = edition.config.home_path.lstrip("/")
    owned = [o for o in inputs.renders if o.startswith(mine) and not o.startswith(others)] \
        if others else [o for o in inputs.renders if o.startswith(mine)]
    if not owned or not all(os.path.isfile(f"{inputs.output}/{o}") for o in owned):
        return False
    name = edition.config.edition or "the default edition"
    for output in owned:
        inputs.kept.append((output, f"a page of {name} (unchanged)"))
        if output in inputs.previous:
            inputs.found[output] = inputs.previous[output]
    return True


def plan(editions: list[Edition], now: dt.datetime, wanted: Callable[[str], bool] | None,
         site: Site, only: Callable[[kinds.Kind], bool] | None = None) -> Iterator[Job]:
    """Every edition's pages, the default edition's first; an edition made of the same
    as last time plans none (publishing in one edition plans only that one's pages)."""
    for edition in editions:
        assert edition.views is not None
        if wanted is None and _unchanged(edition, editions):
            continue
        yield from render.plan(edition.site, edition.config, edition.site_view, edition.views,
                               now, wanted, edition.inputs, only, whole=site)


def site_digests(editions: list[Edition], digest: Callable[[object], str],
                 ) -> Callable[[object], str]:
    """A page's `site` view -> its digest (each edition has its own site view)."""
    known = {id(e.site_view): digest(e.site_view) for e in editions}
    return lambda view: known.get(id(view)) or digest(view)


def bundle(config: Config) -> str:
    """Where an edition's search index goes: pagefind/, en/pagefind/."""
    return config.home_path.lstrip("/") + search.BUNDLE_DIR
