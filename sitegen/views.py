"""Layer 4. The template contract: the model seen as plain dicts for templates.

Everything a template can use is built here, and only here, from the site
model. The result is plain data (dicts, lists, strings, numbers, booleans), so
a page's context pickles into a worker process and hashes for the cache.
The README's "Template contract" section documents every key.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from sitegen import dates, readers, urls
from sitegen.config import Config
from sitegen.images import IMAGE_TYPES, image_size
from sitegen.model import Article, Image, Site, Term

View = dict[str, Any]


class Linker:
    """Turns site paths into root-relative URLs (with the base path) and absolute permalinks."""

    def __init__(self, config: Config) -> None:
        self.base_path = config.base_path
        self.origin = config.origin

    def url(self, path: str) -> str:
        return urls.url_for(self.base_path, path)

    def absolute(self, path: str) -> str:
        return self.origin + self.url(path)


# Formatting with CLDR data costs more than everything else about a date, and
# `serve` formats the same dates on every build. Callers never change the dict.
@lru_cache(maxsize=100_000)
def date_view(moment: dt.datetime | None, language: str) -> View | None:
    if moment is None:
        return None
    return {"iso": dates.iso(moment), "long": dates.format_long(moment, language),
            "short": dates.format_short(moment, language)}


def image_view(image: Image | None, link: Linker) -> View | None:
    if image is None:
        return None
    suffix = "." + image.src.rsplit(".", 1)[-1].lower()
    return {"url": link.url(image.src), "permalink": link.absolute(image.src), "alt": image.alt,
            "caption": image.caption, "credit": image.credit, "width": image.width,
            "height": image.height, "type": IMAGE_TYPES.get(suffix, "")}


def term_view(term: Term, link: Linker) -> View:
    return {"slug": term.slug, "name": term.name, "url": link.url(term.path),
            "permalink": link.absolute(term.path), "description": term.description,
            "count": len(term.articles)}


class Views:
    """Builds each article's card once and reuses it on every list that shows it."""

    def __init__(self, site: Site, config: Config) -> None:
        self.site = site
        self.config = config
        self.link = Linker(config)
        self.language = config.site.language
        self.sections = {t.slug: term_view(t, self.link) for t in site.sections}
        self.tags = {t.slug: term_view(t, self.link) for t in site.tags}
        self.authors = {t.slug: term_view(t, self.link) for t in site.authors}
        self._cards: dict[int, View] = {}

    def card(self, index: int) -> View:
        """What a list shows of an article: everything but the body."""
        if index not in self._cards:
            self._cards[index] = self._card(self.site.articles[index])
        return self._cards[index]

    def cards(self, indexes: tuple[int, ...] | list[int]) -> list[View]:
        return [self.card(i) for i in indexes]

    def _card(self, article: Article) -> View:
        link = self.link
        updated = article.updated if article.updated and article.updated != article.date else None
        return {
            "title": article.title, "url": link.url(article.path),
            "permalink": link.absolute(article.path), "summary": article.summary,
            "date": date_view(article.date, self.language),
            "updated": date_view(updated, self.language),
            "section": self.sections.get(article.section),
            "authors": [self.authors[urls.slugify(a)] for a in article.authors],
            "tags": [self.tags[urls.slugify(t)] for t in article.tags],
            "image": image_view(article.image, link), "featured": article.featured,
            "location": article.location,
        }

    def article(self, index: int) -> View:
        article = self.site.articles[index]
        older, newer = self.site.neighbours[index]
        return {
            # Reading time and word count change with every edit of the body, so they
            # are not on cards: a list page must not re-render when only a body changed.
            **self.card(index), "body_html": article.body_html, "toc_html": article.toc_html,
            "reading_time": article.reading_time, "word_count": article.word_count,
            "related": self.cards(self.site.related[index]),
            "previous": self.card(older) if older is not None else None,
            "next": self.card(newer) if newer is not None else None,
        }

    def page(self, page: Article) -> View:
        link = self.link
        return {"title": page.title, "url": link.url(page.path),
                "permalink": link.absolute(page.path), "summary": page.summary,
                "body_html": page.body_html, "toc_html": page.toc_html,
                "date": date_view(page.date, self.language),
                "image": image_view(page.image, link)}

    def _logo(self, logo: str) -> View | None:
        """The logo with its real size, so the header does not shift while it loads."""
        if not logo:
            return None
        size = image_size(str(readers.static_dir(self.config)), logo) or (0, 0)
        return {"url": self.link.url(logo), "permalink": self.link.absolute(logo),
                "width": size[0], "height": size[1]}

    def site_view(self, assets: dict[str, str], strings: dict[str, str],
                  params: dict[str, Any], now: dt.datetime) -> View:
        """The `site` key every page gets."""
        config, link = self.config, self.link
        # Without a [[menu]] in sitegen.toml, the sections are the menu.
        menu = [(m.name, m.url) for m in config.menu] or [(s.name, s.path)
                                                          for s in self.site.sections]
        logo = config.site.logo
        return {
            "title": config.site.title, "description": config.site.description,
            "url": link.url("/"), "permalink": link.absolute("/"), "base_path": link.base_path,
            "language": config.site.language,
            "copyright": config.site.copyright, "params": params, "t": strings,
            "menu": [{"name": name, "url": link.url(url) if url.startswith("/") else url}
                     for name, url in menu],
            # No counts here: the site view is on every page, and a count in it would
            # make every page render again whenever an article is published.
            "sections": [{k: v for k, v in s.items() if k != "count"}
                         for s in self.sections.values()],
            "pages": [{"title": p.title, "url": link.url(p.path)} for p in self.site.pages],
            "archive_url": link.url(config.permalinks.archive),
            "logo": self._logo(logo),
            "assets": {name: link.url("/" + out) for name, out in assets.items()},
            # The year only (for the copyright line): a page that showed the build time
            # would change, and be rendered again, on every build.
            "year": now.year,
            "locale": territory_locale(config.site.language),
            "feeds": feed_links("/", config.site.title, SITE_FEEDS, link) if self.site.articles
            else [],
            "search": {"url": link.url(config.permalinks.search),
                       "permalink": link.absolute(config.permalinks.search)}
            if config.build.search else None,
        }


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
