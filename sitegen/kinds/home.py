"""Layer 5.8. The home page: the front page's editorial blocks, then every story as a
list that does not shift (lists.py)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

from sitegen import newsroom, related
from sitegen.config import Config
from sitegen.kinds.base import Claim, Entry, Kind, Planner
from sitegen.kinds.lists import list_claims, list_entries, plan_list
from sitegen.model import Site
from sitegen.plan_sweep import Planned
from sitegen.value_views import View
from sitegen.views import Views

HOME_FEATURED = 5
HOME_SECTION_ITEMS = 4
HOME_NEXT = 4
HOME_LATEST = 10
OWNER = "the home page"


class Home(Kind):
    name = "home"

    def plan(self, planner: Planner) -> Iterator[Planned]:
        config = planner.config
        # The shared index objects (related.numbers): held as long as the plan walks the
        # archive, and an int made for each by range() is 32 bytes more an article.
        everything = tuple(related.numbers(len(planner.site.articles)))
        home = planner.home
        blocks = _blocks(planner.site, planner.views) if planner.wants(home) else None
        yield from plan_list(planner, "home", None, config.site.title, home, everything, OWNER,
                             config.site.description, home=blocks)

    def sitemap(self, planner: Planner) -> Iterable[Entry]:
        return list_entries(planner, planner.home,
                            tuple(related.numbers(len(planner.site.articles))))

    def claims(self, site: Site, config: Config) -> Iterable[Claim]:
        return list_claims(config.home_path, len(site.articles), config.build.items_per_page, OWNER)


def _blocks(site: Site, views: Views) -> View:
    """The front page's blocks, top down. Each block takes the next stories not yet shown
    in a block above it, so no story appears twice on the first screen; a section block
    left with nothing new is dropped."""
    shown: set[int] = set()

    def take(indexes: Iterable[int], count: int) -> list[int]:
        picked = list(itertools.islice((i for i in indexes if i not in shown), count))
        shown.update(picked)
        return picked

    everything = range(len(site.articles))
    # Paid content and press releases never lead the front page.
    journalism = [i for i in everything if site.articles[i].kind not in newsroom.NOT_NEWS]
    lead = take(journalism, 1)
    next_stories = take(journalism, HOME_NEXT)
    latest = take(everything, HOME_LATEST)
    featured = take((i for i, a in enumerate(site.articles) if a.featured), HOME_FEATURED)
    blocks = [(t, take(t.articles, HOME_SECTION_ITEMS)) for t in site.sections]
    return {
        "lead": views.card(lead[0]) if lead else None,
        "next": views.cards(next_stories),
        "featured": views.cards(featured),
        "latest": views.cards(latest),
        "sections": [{"section": views.sections[t.slug], "articles": views.cards(chosen)}
                     for t, chosen in blocks if chosen],
        "index_url": views.link.url(site.days[0].path) if site.days else None,
    }
