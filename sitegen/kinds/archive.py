"""Layer 5.8. The archive: a list per month (lists.py) and the page of every month."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sitegen import urls
from sitegen.config import Config
from sitegen.dates import format_month
from sitegen.kinds.base import Claim, Entry, Kind, Planner, claim
from sitegen.kinds.lists import list_claims, list_entries, plan_list
from sitegen.model import ArchiveMonth, Job, Site, Term
from sitegen.plan_sweep import Planned
from sitegen.value_views import term_view

OWNER = "the archive page"


def _name(month: ArchiveMonth, config: Config) -> str:
    return format_month(month.year, month.month, config.site.language)


class Archive(Kind):
    name = "archive"

    def plan(self, planner: Planner) -> Iterator[Planned]:
        site, config, link = planner.site, planner.config, planner.link
        months = []
        for month in site.archive:
            name = _name(month, config)
            term = Term(slug=f"{month.year}-{month.month:02d}", name=name, path=month.path,
                        articles=month.articles)
            months.append({"year": month.year, "month": month.month, "name": name,
                           "url": link.url(month.path), "count": len(month.articles)})
            yield from plan_list(planner, "archive_month", term_view(term, link), name,
                                 month.path, month.articles, f"the archive of {name}")
        path = config.permalinks.archive
        if planner.wants(path):
            yield Job(urls.output_file(path), ("archive.html",), {
                "site": planner.site_view, "months": months,
                "page": planner.page("archive", planner.t("archive", "Archive"), path),
            }, path, OWNER)

    def sitemap(self, planner: Planner) -> Iterable[Entry]:
        site = planner.site
        for month in site.archive:
            yield from list_entries(planner, month.path, month.articles)
        yield planner.config.permalinks.archive, site.articles[0].date if site.articles else None

    def claims(self, site: Site, config: Config) -> Iterable[Claim]:
        per_page = config.build.items_per_page
        for month in site.archive:
            yield from list_claims(month.path, len(month.articles), per_page,
                                   f"the archive of {_name(month, config)}")
        yield claim(config.permalinks.archive, OWNER)
