"""Layer 5.8. Files for machines: the feeds, the sitemaps and robots.txt, the static
host's `_redirects` and `_headers`, and ads.txt. What they hold is made by feeds.py, sitemaps.py
and hostfiles.py; here they are declared as kinds like any page."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sitegen import ads, feeds, hostfiles, sitemaps
from sitegen.config import Config
from sitegen.kinds.base import Claim, Kind, Planner
from sitegen.model import Job, Site
from sitegen.plan_sweep import Planned


class Feeds(Kind):
    name = "feeds"

    def plan(self, planner: Planner) -> Iterator[Planned]:
        return feeds.plan_feeds(planner.site, planner.config, planner.site_view,
                                planner.views, planner.want, planner.inputs)

    def claims(self, site: Site, config: Config) -> Iterable[Claim]:
        return feeds.feed_claims(site, config.home_path)


class Sitemaps(Kind):
    """sitemap.xml lists what every kind's `sitemap` answers, in the registry's order."""

    name = "sitemaps"
    replanned_for_bodies = False

    def plan(self, planner: Planner) -> Iterator[Job]:
        return sitemaps.plan_sitemaps(planner.sitemap_entries(), planner.site, planner.config,
                                      planner.views, planner.now, inputs=planner.inputs)

    def claims(self, site: Site, config: Config) -> Iterable[Claim]:
        return sitemaps.claims(config)


class HostFiles(Kind):
    name = "host files"
    replanned_for_bodies = False
    once = True

    def plan(self, planner: Planner) -> Iterator[Job]:
        return hostfiles.plan_host_files(planner.whole or planner.site, planner.config,
                                         planner.site_view, planner.views)

    def claims(self, site: Site, config: Config) -> Iterable[Claim]:
        return hostfiles.claims(config)


class AdsTxt(Kind):
    """/ads.txt, with `[ads] ads_txt` (ads.py)."""

    name = "ads.txt"
    replanned_for_bodies = False
    once = True
    owner = "ads.txt ([ads] ads_txt)"

    def plan(self, planner: Planner) -> Iterator[Job]:
        for output, templates, context, source in ads.plan_ads_txt(planner.config.ads):
            yield Job(output, templates, context, source, self.owner)

    def claims(self, site: Site, config: Config) -> Iterable[Claim]:
        return [(ads.ADS_TXT, self.owner)] if config.ads.ads_txt.strip() else []
