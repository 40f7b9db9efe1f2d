"""Layer 5.8. Section fronts, tag pages and author pages: one list each (lists.py), with
the feeds of the term linked from its front page."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sitegen import feeds
from sitegen.config import Config
from sitegen.kinds.base import Claim, Entry, Kind, Planner
from sitegen.kinds.lists import list_claims, list_entries, plan_list
from sitegen.model import Site, Term
from sitegen.plan_sweep import Planned


class Terms(Kind):
    """The pages of every section, tag or author (`name`)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def terms(self, site: Site) -> tuple[Term, ...]:
        return {"section": site.sections, "tag": site.tags, "author": site.authors}[self.name]

    def owner(self, term: Term) -> str:
        if self.name == "section":
            return f"the section content/{term.slug}/"
        return f"the {self.name} '{term.name}'"

    def plan(self, planner: Planner) -> Iterator[Planned]:
        views = planner.views
        lookup = {"section": views.sections, "tag": views.tags, "author": views.authors}
        for term in self.terms(planner.site):
            # Each term's list beside the others': a story is in several (plan_sweep.py).
            yield plan_list(
                planner, self.name, lookup[self.name][term.slug], term.name, term.path,
                term.articles, self.owner(term), term.description,
                feeds=feeds.term_feed_links(self.name, term, planner.config, views))

    def sitemap(self, planner: Planner) -> Iterable[Entry]:
        for term in self.terms(planner.site):
            yield from list_entries(planner, term.path, term.articles)

    def claims(self, site: Site, config: Config) -> Iterable[Claim]:
        per_page = config.build.items_per_page
        for term in self.terms(site):
            yield from list_claims(term.path, len(term.articles), per_page, self.owner(term))
