"""Layer 5.8. Article pages (live blogs are articles too), standalone pages, and the
redirect pages of their aliases."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator

from sitegen import collect, hostfiles, related, urls
from sitegen.config import Config
from sitegen.kinds.base import Claim, Entry, Kind, Planner, claim
from sitegen.kinds.shift import Shift, keep, newest_of, note_newest
from sitegen.model import Article, Job, Site
from sitegen.plan_sweep import At, Planned

AHEAD = 256
"""How far before its own place in the archive an article's page may be planned (for a
related story newer than it: one further is shown from a card built again)."""


class Articles(Kind):
    name = "article"
    sharded = True

    def plan(self, planner: Planner) -> Iterator[Planned]:
        articles, inputs = planner.site.articles, planner.inputs
        # A page's translations are not among what a publish keeps track of.
        moved = planner.shift if planner.views.translations is None else None
        # Each page is planned where the walk through the archive comes to the newest
        # story it shows a card of: itself, its neighbours, its related stories (two of
        # which may be newer), but at most AHEAD stories before its own (plan_sweep.py).
        # So the pages come in the order of those places, reordered within AHEAD.
        waiting: list[tuple[int, int, str]] = []  # (place, index, output file), a heap
        site = planner.site
        # Which of the newest stories each page shows, recorded when the whole edition is
        # planned (a removal of them keeps the pages that showed none: shift.py).
        recording = bool(inputs.site) and planner.everything
        shown_lists = [site.related, site.neighbours, *([site.see_also] if site.see_also else [])]
        for index, article in enumerate(articles):
            while waiting and waiting[0][0] < index - AHEAD:  # none to come is before it
                yield from self._page(planner, *heapq.heappop(waiting))
            if not planner.wants(article.path):
                continue
            output = urls.output_file(article.path)  # one string for every book it is in
            newest = newest_of(shown_lists, index) if recording else None
            note_newest(inputs.found, output, newest)
            if moved is not None and _moved_along(article, output, index, newest, moved) \
                    and keep(inputs, [output], article.source):
                continue
            # What the page is made of (page_inputs.py): its own body, and each article
            # it shows a card of, by role, with their metadata digests.
            series, shown = planner.views.article_inputs(index)
            if inputs.unchanged(output, article.source, (
                    "article", article.body_ref, article.body_html, article.toc_html,
                    article.reading_time, article.word_count, article.has_embeds, series,
                    # Its translations' addresses: a new translation plans this page again.
                    planner.views.alternates(article.path),
                    [inputs.articles(role, articles)
                     for role in shown])):
                continue
            newest = min(i for role in shown[:3] for i in role if i is not None)
            heapq.heappush(waiting, (max(newest, index - AHEAD), index, output))
        while waiting:
            yield from self._page(planner, *heapq.heappop(waiting))

    @staticmethod
    def _page(planner: Planner, place: int, index: int, output: str) -> Iterator[Planned]:
        yield At(place)
        article = planner.site.articles[index]
        view = planner.views.article(index)
        yield Job(output, ("article.html",), {
            "site": planner.site_view, "article": view,
            "page": planner.page("article", article.title, article.path, article.summary,
                                 image=view["image"], language=view["language"]),
        }, article.source, article.source)

    def sitemap(self, planner: Planner) -> Iterable[Entry]:
        # A live blog's page changes with each entry, so its entries date it (a story
        # without extras has none: its `modified`, worked out once for every list).
        return ((a.path, m if a.extras is None else a.live_modified)
                for a, m in zip(planner.site.articles, planner.modified(), strict=True))

    def claims(self, site: Site, config: Config) -> Iterable[Claim]:
        return [claim(a.path, a.source) for a in site.articles]


def _moved_along(article: Article, output: str, index: int, newest: int | None,
                 moved: Shift) -> bool:
    """Whether an old story's page shows what it showed last time, when this build's
    archive is the last one's with new stories in front or without its newest (shift.py):
    its card, body and fields are as they were, and no new or removed story is among
    what it shows (`newest`, the newest it shows: as a section neighbour, related story,
    "Baca juga" link); its "latest" box is of older stories only, and a series page is
    always planned. Its related stories are then its last ones, moved along (related.py:
    for one that may be offered)."""
    return not article.series and related.moved_along_unless_new(
        collect.shape_entry(article)) and moved.keeps_page(output, index, newest)


class Pages(Kind):
    name = "page"
    sharded = True

    def plan(self, planner: Planner) -> Iterator[Job]:
        for page in planner.site.pages:
            if planner.wants(page.path):
                yield Job(urls.output_file(page.path), ("page.html",), {
                    "site": planner.site_view, "article": planner.views.page(page),
                    "page": planner.page("page", page.title, page.path, page.summary,
                                         language=page.language or planner.config.site.language),
                }, page.source, page.source)

    def sitemap(self, planner: Planner) -> Iterable[Entry]:
        return [(p.path, p.modified if p.date else None) for p in planner.site.pages]

    def claims(self, site: Site, config: Config) -> Iterable[Claim]:
        return [claim(p.path, p.source) for p in site.pages]


class Aliases(Kind):
    """A redirect page at each alias; none where the host answers aliases with a real 301
    (hostfiles.py's `_redirects`). Not in the sitemap: a redirect is not a page."""

    name = "redirect"
    sharded = True

    def plan(self, planner: Planner) -> Iterator[Job]:
        site, link = planner.site, planner.link
        if hostfiles.replaces_redirect_pages(planner.config):
            return
        for article in (*site.articles, *site.pages):
            for alias in article.aliases:
                if planner.wants(alias):
                    yield Job(urls.output_file(alias), ("redirect.html",), {
                        "site": planner.site_view,
                        "target": {"url": link.url(article.path),
                                   "permalink": link.absolute(article.path)},
                        "page": planner.page("redirect", article.title, alias),
                    }, article.source, f"an alias in {article.source}")

    def claims(self, site: Site, config: Config) -> Iterable[Claim]:
        # Claimed on every host: on those answering with a 301, the alias is still a URL
        # that must not be another page's.
        return [claim(alias, f"an alias in {a.source}")
                for a in (*site.articles, *site.pages) for alias in a.aliases]
