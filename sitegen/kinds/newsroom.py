"""Layer 5.8. The newsroom's lists: series (liputan khusus, parts in reading order) and
the daily index (indeks), each day linking the previous and the next day with stories."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sitegen.config import Config
from sitegen.dates import format_day
from sitegen.kinds.base import Claim, Entry, Kind, Planner
from sitegen.kinds.lists import kept_as_moved, list_claims, list_entries, plan_list
from sitegen.model import Site, Term
from sitegen.plan_sweep import Planned
from sitegen.value_views import View, term_view


class Series(Kind):
    name = "series"

    def plan(self, planner: Planner) -> Iterator[Planned]:
        for series in planner.site.series:
            yield from plan_list(planner, "series", term_view(series, planner.link),
                                 series.name, series.path, series.articles,
                                 f"the series page {series.path}", ordered=True)

    def sitemap(self, planner: Planner) -> Iterable[Entry]:
        for series in planner.site.series:
            yield from list_entries(planner, series.path, series.articles, ordered=True)

    def claims(self, site: Site, config: Config) -> Iterable[Claim]:
        for series in site.series:
            yield from list_claims(series.path, len(series.articles),
                                   config.build.items_per_page,
                                   f"the series page {series.path}", ordered=True)


class Daily(Kind):
    name = "daily"

    def plan(self, planner: Planner) -> Iterator[Planned]:
        site, link, moved = planner.site, planner.link, planner.shift
        language = planner.config.site.language
        names: dict[int, str] = {}

        def name(at: int) -> str:
            if at not in names:
                names[at] = format_day(site.days[at].date, language)
            return names[at]
        for at, day in enumerate(site.days):
            owner = f"the daily index {day.path}"
            # A day of old stories whose newer neighbour has old stories too (an older one
            # always has) is what it was, in a publish: its name, its neighbours', its stories.
            if moved is not None and at and not all(
                    i < moved.added for i in site.days[at - 1].articles) and kept_as_moved(
                    planner, day.path, day.articles, owner):
                continue

            def neighbour(other: int) -> View | None:
                if not 0 <= other < len(site.days):
                    return None
                return {"url": link.url(site.days[other].path), "name": name(other),
                        "iso": site.days[other].date.isoformat()}
            term = Term(slug=day.date.isoformat(), name=name(at), path=day.path,
                        articles=day.articles)
            # Newest first, so the previous day is the next one in the tuple.
            yield from plan_list(planner, "daily", term_view(term, link), name(at), day.path,
                                 day.articles, owner,
                                 day={"iso": day.date.isoformat(),
                                      "previous": neighbour(at + 1), "next": neighbour(at - 1)})

    def sitemap(self, planner: Planner) -> Iterable[Entry]:
        for day in planner.site.days:
            yield from list_entries(planner, day.path, day.articles)

    def claims(self, site: Site, config: Config) -> Iterable[Claim]:
        for day in site.days:
            yield from list_claims(day.path, len(day.articles), config.build.items_per_page,
                                   f"the daily index {day.path}")
