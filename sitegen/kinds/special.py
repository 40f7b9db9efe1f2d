"""Layer 5.8. Pages every site has once: the 404 page and the search page. Neither is in
the sitemap (neither is content)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sitegen import urls
from sitegen.config import Config
from sitegen.kinds.base import Claim, Kind, Planner, claim
from sitegen.model import Job, Site

NOT_FOUND = "/404.html"


class NotFound(Kind):
    name = "404"

    def plan(self, planner: Planner) -> Iterator[Job]:
        path = not_found(planner.config)
        if planner.wants(path):
            yield Job(urls.output_file(path), ("404.html",), {
                "site": planner.site_view,
                "page": planner.page("404", planner.t("not_found", "404"), path),
            }, "404.html", "the 404 page")

    def claims(self, site: Site, config: Config) -> Iterable[Claim]:
        return [claim(not_found(config), "the 404 page")]


def not_found(config: Config) -> str:
    """/404.html, and each other edition's own (/en/404.html) in its language."""
    return config.home_path + NOT_FOUND.lstrip("/")


class Search(Kind):
    name = "search"

    @staticmethod
    def owner(path: str) -> str:
        return f"the search page {path} ([permalinks] search)"

    def plan(self, planner: Planner) -> Iterator[Job]:
        path = planner.config.permalinks.search
        if planner.config.build.search and planner.wants(path):
            yield Job(urls.output_file(path), ("search.html",), {
                "site": planner.site_view,
                "page": planner.page("search", planner.t("search", "Search"), path),
            }, path, self.owner(path))

    def claims(self, site: Site, config: Config) -> Iterable[Claim]:
        path = config.permalinks.search
        return [claim(path, self.owner(path))] if config.build.search else []
