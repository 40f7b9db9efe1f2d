"""Layer 3.96. What every page shows of the site: the `site` key (menu, sections, logo,
feeds, editions, the breaking-news banner), and the names of languages and locales.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from sitegen import ads, dates, edition_config, newsroom, readers
from sitegen.config import Config
from sitegen.images import image_size
from sitegen.model import Site
from sitegen.value_views import AssetURLs, Linker, View, date_view


def site_view(site: Site, config: Config, link: Linker, sections: dict[str, View],
              preview: bool, assets: dict[str, str], strings: dict[str, str],
              params: dict[str, Any], now: dt.datetime) -> View:
    """The `site` key every page gets; `sections` are the sections' term views."""
    # Without a [[menu]] in sitegen.toml, the sections are the menu.
    menu = [(m.name, m.url) for m in config.menu] or [(s.name, s.path)
                                                      for s in site.sections]
    logo = config.site.logo
    # schema.org's names: the template adds them to the publisher as they are.
    policies = {name: link.absolute(url) if url.startswith("/") else url
                for key, name in (("corrections_policy", "correctionsPolicy"),
                                  ("ethics_policy", "ethicsPolicy"), ("masthead", "masthead"))
                if (url := getattr(config.site, key))}
    return {
        "breaking": breaking_view(config, now, link), "policies": policies,
        "title": config.site.title, "description": config.site.description,
        "url": link.url(config.home_path), "permalink": link.absolute(config.home_path),
        "base_path": link.base_path,
        "language": config.site.language,
        "copyright": config.site.copyright, "params": params, "t": strings,
        # `sitegen serve`: drafts are labelled and no analytics snippet is sent.
        "preview": preview,
        "ads": ads.ads_view(config.ads, preview),
        "analytics": ads.analytics_view(config.analytics, preview),
        "menu": [{"name": name, "url": link.url(url) if url.startswith("/") else url}
                 for name, url in menu],
        # No counts here: the site view is on every page, and a count in it would
        # make every page render again whenever an article is published.
        "sections": [{k: v for k, v in s.items() if k != "count"}
                     for s in sections.values()],
        "pages": [{"title": p.title, "url": link.url(p.path)} for p in site.pages],
        "archive_url": link.url(config.permalinks.archive),
        "logo": logo_view(logo, config, link),
        "assets": AssetURLs(assets, link),
        # The year only (for the copyright line): a page that showed the build time
        # would change, and be rendered again, on every build.
        "year": now.year,
        "locale": territory_locale(config.site.language),
        "feeds": feed_links(config.home_path, config.site.title, SITE_FEEDS, link)
        if site.articles else [],
        # Every edition's home and search page (none on a site of one edition).
        "editions": editions_view(config),
        "search": {"url": link.url(config.permalinks.search),
                   "permalink": link.absolute(config.permalinks.search)}
        if config.build.search else None,
    }


def logo_view(logo: str, config: Config, link: Linker) -> View | None:
    """The logo with its real size, so the header does not shift while it loads."""
    if not logo:
        return None
    size = image_size(str(readers.static_dir(config)), logo) or (0, 0)
    return {"url": link.url(logo), "permalink": link.absolute(logo),
            "width": size[0], "height": size[1]}


def editions_view(config: Config) -> list[View]:
    """The site's editions, the default first: for a menu of editions and the search
    page's "all editions" (each one's Pagefind bundle)."""
    if not config.editions:
        return []
    found = []
    for key in edition_config.keys(config):
        edition = edition_config.for_edition(config, key)
        link = Linker(edition)
        found.append({"key": key, "title": edition.site.title, "language": edition.site.language,
                      "name": language_name(edition.site.language),
                      "url": link.url(edition.home_path), "current": key == config.edition,
                      "search": link.url(edition.permalinks.search),
                      "bundle": link.url(edition.home_path + "pagefind/")})
    return found


def breaking_view(config: Config, now: dt.datetime, link: Linker) -> View | None:
    """The breaking-news banner while it is up: the build time decides, so the scheduled
    rebuild after `until` takes it down without an edit."""
    banner = config.breaking
    until = dates.to_aware(banner.until, ZoneInfo(config.site.timezone)) \
        if banner.until else None
    if not banner.text or until is None or now >= until:
        return None
    url = link.url(banner.url) if banner.url.startswith("/") else banner.url
    return {"text": banner.text, "url": url, "until": date_view(until, config.site.language)}


def clock_state(site: Site, config: Config, now: dt.datetime) -> str:
    """What the build time decides on the newsroom's pages: whether the banner is up and
    which live blogs are open. The build's site key includes it, so a rebuild after a
    banner's end or a live blog's close renders again although no file changed."""
    live = [a.source for a in site.articles if a.kind == "live"
            and newsroom.is_open(a.coverage_start, a.coverage_end, now)]
    return repr((breaking_view(config, now, Linker(config)) is not None, live))


# The feeds a listing has, and where they live beside it (sitegen/feeds.py writes them):
# name -> (file, MIME type). Tag and author pages get only RSS (see feeds.py).
FEED_FILES = {"rss": ("feed.xml", "application/rss+xml"),
              "atom": ("atom.xml", "application/atom+xml"),
              "json": ("feed.json", "application/feed+json")}
SITE_FEEDS = ("rss", "atom", "json")
TERM_FEEDS = ("rss",)


def feed_path(listing: str, name: str) -> str:
    """`/ekonomi/` -> `/ekonomi/feed.xml`; a listing written as a file, `/ekonomi.html`,
    gets `/ekonomi-feed.xml` (a folder of that name would clash with the file)."""
    file = FEED_FILES[name][0]
    return listing + file if listing.endswith("/") else f"{listing.rsplit('.', 1)[0]}-{file}"


def feed_links(listing: str, title: str, names: tuple[str, ...], link: Linker) -> list[View]:
    """`<link rel="alternate">` data for the feeds of one listing."""
    return [{"title": title, "url": link.url(feed_path(listing, name)),
             "type": FEED_FILES[name][1]} for name in names]


@lru_cache(maxsize=256)
def language_name(language: str) -> str:
    """A language's name in itself, for a switcher: `en` -> English, `id` -> Indonesia."""
    try:
        name = Locale.parse(language.replace("-", "_")).get_display_name() or language
    except (ValueError, UnknownLocaleError):
        return language
    return name[:1].upper() + name[1:]


def territory_locale(language: str) -> str:
    """`id` -> `id_ID`, the language_TERRITORY form Open Graph's og:locale wants (CLDR's
    likely subtags pick the territory when the site's language code has none)."""
    try:
        locale = Locale.parse(language.replace("-", "_"))
        if not locale.territory:
            likely = get_global("likely_subtags").get(locale.language, locale.language)
            locale = Locale.parse(likely)
    except (ValueError, UnknownLocaleError):
        return language
    return f"{locale.language}_{locale.territory}" if locale.territory else locale.language
