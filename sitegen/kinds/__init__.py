"""Layer 5.9. The table of page kinds: the one place that lists them.

Planning (render.plan), sitemap.xml (the `Sitemaps` kind) and the URL claims
(`url_clashes`, and each job's owner) all come from `KINDS`, in this order,
which is the order pages are planned and listed in the sitemap. A new page
kind is a module with a `Kind` subclass (base.py) and a template; `register`
adds it (a site's plugin, or a test).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

from sitegen import claims as file_claims
from sitegen import portable_names, sitemaps
from sitegen.config import CONFIG_NAME, Config
from sitegen.errors import Problem
from sitegen.kinds.archive import Archive
from sitegen.kinds.articles import Aliases, Articles, Pages
from sitegen.kinds.base import Claim, Kind, Planner
from sitegen.kinds.files import AdsTxt, Feeds, HostFiles, Sitemaps
from sitegen.kinds.home import Home
from sitegen.kinds.newsroom import Daily, Series
from sitegen.kinds.special import NotFound, Search
from sitegen.kinds.terms import Terms
from sitegen.model import Job, Site
from sitegen.views import View, Views

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
         wanted: Callable[[str], bool] | None = None) -> Iterator[Job]:
    """Every kind's jobs, in the table's order; with `wanted`, only the files it admits
    (the kinds that show no body are then not planned at all)."""
    planner = Planner(site, config, site_view, views, now, wanted or (lambda _: True),
                      wanted is None)
    planner.sitemap_entries = lambda: sitemap_entries(planner)
    for kind in list(KINDS):
        if planner.everything or kind.replanned_for_bodies:
            for job in kind.plan(planner):
                if planner.want(job.output):
                    yield job


def sitemap_entries(planner: Planner) -> list[View]:
    """`loc` and `lastmod` of every page some kind lists in the sitemap, in table order."""
    return [sitemaps.entry(planner.views, path, moment)
            for kind in KINDS for path, moment in kind.sitemap(planner)]


def claims(site: Site, config: Config) -> list[Claim]:
    """(output file, owner) of every file the kinds will write that the site model
    decides (a sitemap's numbered parts are claimed when planned)."""
    return [found for kind in KINDS for found in kind.claims(site, config)]


def url_clashes(site: Site, config: Config) -> list[Problem]:
    """Two things on one URL, found from the claims alone: before any picture is made or
    page rendered, so the previous output stays as it was. URLs that differ only in case
    or Unicode normalization are one file on Windows, macOS and many hosts: a clash too."""
    found = claims(site, config)
    owners = dict(reversed(found))  # the first claimant of each file
    problems = file_claims.clashes(found, {}, None)
    for first, other in portable_names.twins(dict.fromkeys(output for output, _ in found)):
        named, who = owners[first], owners[other]
        if named != who:
            where = _CONTENT.search(who)
            problems.append(Problem(
                where.group(0) if where else CONFIG_NAME, 1,
                f"URL {_url(other)} differs from {_url(first)} (of {_named(named)}) only in "
                "case or Unicode normalization, and they are one file on Windows, macOS and "
                "many hosts: give one of them another slug"))
    return problems


_CONTENT = re.compile(r"content/\S*")


def _url(output: str) -> str:
    return "/" + output.removesuffix("index.html")


def _named(owner: str) -> str:
    """A content file's path rather than "an alias in" it."""
    found = _CONTENT.search(owner)
    return found.group(0) if found and found.group(0).endswith(".md") else owner
