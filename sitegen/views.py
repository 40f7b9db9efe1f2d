"""Layer 4. The template contract: the model seen as plain dicts for templates.

Everything a template can use is built here, and only here, from the site
model. The result is plain data (dicts, lists, strings, numbers, booleans), so
a page's context pickles into a worker process and hashes for the cache.
The README's "Template contract" section documents every key.
"""

from __future__ import annotations

import copy
import datetime as dt
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from sitegen import ads, dates, edition_config, newsroom, pictures, readers, urls
from sitegen.config import Config
from sitegen.images import IMAGE_TYPES, image_size
from sitegen.markup import plain_text
from sitegen.model import Article, Image, Site, Term
from sitegen.translations import Translations, x_default

View = dict[str, Any]
LATEST = 5
"""Headlines in an article's side column."""


class Linker:
    """Turns site paths into root-relative URLs (with the base path) and absolute permalinks."""

    def __init__(self, config: Config) -> None:
        self.base_path = config.base_path
        self.origin = config.origin
        # An edition on a domain of its own: its site paths' prefix is not in its URLs.
        self.drop = f"/{config.edition_path}" if config.own_domain else ""

    def url(self, path: str) -> str:
        if self.drop and path.startswith(self.drop + "/"):
            path = path[len(self.drop):]
        return urls.url_for(self.base_path, path)

    def absolute(self, path: str) -> str:
        return self.origin + self.url(path)


def date_view(moment: dt.datetime | None, language: str, style: str = "") -> View | None:
    """A date as templates show it (`format_long` or `format_styled`, `format_short`,
    `format_time`), from what dates.py remembers by the day and the clock time."""
    if moment is None:
        return None
    day, short, zone = dates.day_texts(moment, language, style)
    time = dates.clock_text(moment, language)
    return {"iso": dates.iso(moment), "long": f"{day} {time} {zone}", "short": short,
            "time": time}


def image_view(image: Image | None, link: Linker,
               settings: pictures.Settings | None = None) -> View | None:
    """An image with its responsive versions (`sources`, `srcset`), the 1200 px version
    for sharing (`share`) and the crops for structured data (`crops`); without resized
    versions (an SVG, a GIF) those fall back to the original file."""
    if image is None:
        return None
    suffix = "." + image.src.rsplit(".", 1)[-1].lower()
    view = {"url": link.url(image.src), "permalink": link.absolute(image.src), "alt": image.alt,
            "caption": image.caption, "credit": image.credit, "copyright": image.copyright,
            "width": image.width, "height": image.height, "type": IMAGE_TYPES.get(suffix, ""),
            "src": link.url(image.src), "srcset": "", "sources": [], "crops": [],
            # image_focus as CSS percentages: where a cropped box keeps its centre.
            "focus": f"{image.focus[0] * 100:g}% {image.focus[1] * 100:g}%",
            # Taller than 4:3 (a phone's portrait photo): the page crops it (theme CSS).
            "tall": image.height * 4 > image.width * 3}
    original = {"url": view["url"], "permalink": view["permalink"], "width": image.width,
                "height": image.height, "type": view["type"], "file": image.src.lstrip("/")}
    view["share"] = original
    if settings is None or not image.digest:
        return view
    size = (image.width, image.height)
    *modern, fallback = pictures.responsive(image.src, image.digest, size, settings).values()
    largest = fallback[-1]
    view.update(src=pictures.address(largest, link.base_path), width=largest.width,
                height=largest.height,
                srcset=pictures.srcset(fallback, link.base_path),
                sources=[{"type": v[0].type, "srcset": pictures.srcset(v, link.base_path)}
                         for v in modern])
    shared = pictures.share(image.src, image.digest, size, settings)
    if shared:
        view["share"] = _variant_view(shared, link)
    view["crops"] = [_variant_view(v, link)
                     for v in pictures.crops(image.src, image.digest, size, image.focus, settings)]
    return view


def _variant_view(variant: pictures.Variant, link: Linker) -> View:
    if variant.url:  # an image service's: absolute, or a path on the site's own host
        absolute = variant.url if "://" in variant.url else link.origin + variant.url
        return {"url": variant.url, "permalink": absolute, "width": variant.width,
                "height": variant.height, "type": variant.type, "file": ""}
    return {"url": link.url("/" + variant.output), "permalink": link.absolute("/" + variant.output),
            "width": variant.width, "height": variant.height, "type": variant.type,
            "file": variant.output}


def term_view(term: Term, link: Linker) -> View:
    return {"slug": term.slug, "name": term.name, "url": link.url(term.path),
            "permalink": link.absolute(term.path), "description": term.description,
            "count": len(term.articles)}


# Cards are remembered for the pages planned together (a list's pages, an article's
# neighbours), not for the whole archive: a card is about a kilobyte.
CARDS_REMEMBERED = 512


class Views:
    """Builds each article's card once and reuses it on every list that shows it."""

    def __init__(self, site: Site, config: Config, now: dt.datetime | None = None,
                 picture_bytes: dict[str, int] | None = None, preview: bool = False,
                 translations: Translations | None = None) -> None:
        self.site = site
        self.translations = translations
        """The other editions' versions of pages (translations.py); None: one edition."""
        self.style = edition_config.date_style(config)
        self.now = now
        self.preview = preview
        """`sitegen serve`: cards and pages say what readers cannot see yet (`status`)."""
        self.config = config
        self.picture_bytes = picture_bytes or {}
        """Size in bytes of each resized file (output name), for feed enclosures."""
        self.link = Linker(config)
        self.language = config.site.language
        self.sections = {t.slug: term_view(t, self.link) for t in site.sections}
        self.tags = {t.slug: term_view(t, self.link) for t in site.tags}
        self.authors = {t.slug: term_view(t, self.link) for t in site.authors}
        # Cards name their terms without counts: with them, publishing one article would
        # change every card of its section and tags, and every page showing one.
        self.named = {kind: {slug: {k: v for k, v in term.items() if k != "count"}
                              for slug, term in terms.items()}
                       for kind, terms in (("section", self.sections), ("tag", self.tags),
                                           ("author", self.authors))}
        self._cards: dict[int, View] = {}
        self._series = {t.slug: t for t in site.series}

    def date(self, moment: dt.datetime | None, language: str) -> View | None:
        return date_view(moment, language, self.style)

    def alternates(self, path: str) -> list[View]:
        """The page's versions in every edition, for `hreflang` links and the language
        switcher (`current` marks this one); empty for a page with no translation."""
        versions = self.translations.versions(path) if self.translations else []
        if not versions:
            return []
        config = self.config
        found = []
        for key, language, where in versions:
            link = self.link if key == config.edition else Linker(
                edition_config.for_edition(config, key))
            edition = edition_config.for_edition(config, key)
            found.append({"language": language, "edition": edition.site.title,
                          "name": language_name(language), "url": link.url(where),
                          "permalink": link.absolute(where), "current": where == path})
        default = x_default(versions)
        if default is not None:
            found.append({**found[versions.index(default)], "language": "x-default",
                          "current": False})
        return found

    def card(self, index: int) -> View:
        """What a list shows of an article: everything but the body."""
        if index not in self._cards:
            if len(self._cards) >= CARDS_REMEMBERED:
                self._cards.clear()
            self._cards[index] = self._card(self.site.articles[index])
        return self._cards[index]

    def with_site(self, site: Site) -> Views:
        """These views over `site`, a copy of theirs with articles of the same metadata
        (serve's body edits, body_edits.py): every term view is as it was."""
        views = copy.copy(self)
        views.site, views._cards = site, {}
        return views

    def forget_cards(self) -> None:
        """Once every page is planned: the cards are not needed by the stages after."""
        self._cards.clear()

    def cards(self, indexes: tuple[int, ...] | list[int]) -> list[View]:
        return [self.card(i) for i in indexes]

    def card_terms(self, article: Article) -> tuple[Any, ...]:
        """The term views an article's card shows (their names come from the whole site)."""
        named = self.named
        return (named["section"].get(article.section),
                [named["author"][urls.slugify(a)] for a in article.authors],
                [named["tag"][urls.slugify(t)] for t in article.tags])

    def _card(self, article: Article) -> View:
        link = self.link
        # A correction or a reply updates the article; a live blog's entries do not change
        # its card (only its page and feeds), so a new entry re-renders no list.
        updated = article.modified if article.modified != article.date else None
        language = article.language or self.language
        # The same views as the digest of its inputs takes (page_inputs.py).
        section, authors, tags = self.card_terms(article)
        return {
            "title": article.title, "url": link.url(article.path),
            "permalink": link.absolute(article.path), "summary": article.summary,
            "date": self.date(article.date, language),
            "updated": self.date(updated, language), "language": language,
            "section": section, "authors": authors, "tags": tags,
            "image": image_view(article.image, link, self.config.images),
            "featured": article.featured,
            "location": article.location, "kind": article.kind,
            "is_live": self.now is not None and article.kind == "live" and newsroom.is_open(
                article.coverage_start, article.coverage_end, self.now),
            **self.status(article),
        }

    def status(self, article: Article) -> View:
        """In the preview only: {"status": {"kind": "draft" | "scheduled" | "expired",
        "date": ...}} for what a build would hold back; nothing at all in a build, so a
        built page never shows it (and its context is as before)."""
        if not self.preview or self.now is None:
            return {}
        language = article.language or self.language
        if article.draft:
            return {"status": {"kind": "draft", "date": None}}
        if article.date is not None and article.date > self.now:
            return {"status": {"kind": "scheduled", "date": self.date(article.date, language)}}
        if article.expires is not None and article.expires <= self.now:
            return {"status": {"kind": "expired", "date": self.date(article.expires, language)}}
        return {"status": None}

    def article(self, index: int) -> View:
        article = self.site.articles[index]
        older, newer = self.site.neighbours[index]
        return {
            # Reading time and word count change with every edit of the body, so they
            # are not on cards: a list page must not re-render when only a body changed.
            **self.card(index), "body_html": body_recipe(article, self.link.origin),
            # The dek under the headline: only a summary the writer gave. One taken from
            # the first paragraph would stand twice, as dek and as the body's start.
            "dek": article.summary if article.summary_written else "",
            "toc_html": article.toc_html,
            "reading_time": article.reading_time, "word_count": article.word_count,
            "related": self.cards(self.site.related[index]),
            "pictures": [image_view(p, self.link, self.config.images) for p in article.pictures],
            # The page needs the embeds' script (themes/default/static/js/embeds.js).
            "embeds": article.has_embeds,
            # The other editions' versions, for the language switcher (translations.py).
            "translations": [v for v in self.alternates(article.path)
                             if v["language"] != "x-default"],
            "previous": self.card(older) if older is not None else None,
            "next": self.card(newer) if newer is not None else None,
            **self._newsroom(index),
        }

    def _newsroom(self, index: int) -> View:
        """Corrections, reply, live blog, series, "Baca juga" and the side column's latest."""
        article, site, language = self.site.articles[index], self.site, self.language
        series = None
        term = self._series.get(urls.slugify(article.series)) if article.series else None
        if term is not None:
            at = term.articles.index(index)
            series = {**term_view(term, self.link), "parts": self.cards(term.articles),
                      "position": at + 1,
                      "previous": self.card(term.articles[at - 1]) if at > 0 else None,
                      "next": self.card(term.articles[at + 1])
                      if at + 1 < len(term.articles) else None}
        live = None
        if article.kind == "live":
            permalink = self.link.absolute(article.path)
            live = {"open": self.card(index)["is_live"],
                    "start": self.date(article.coverage_start, language),
                    "end": self.date(article.coverage_end, language),
                    "entries": [{"date": self.date(e.date, language), "headline": e.headline,
                                 "body_html": e.body_html, "text": plain_text(e.body_html),
                                 "anchor": e.anchor,
                                 "permalink": f"{permalink}#{e.anchor}"} for e in article.live]}
        reply = article.reply
        return {
            "modified": self.date(article.live_modified, language),
            "corrections": [{"date": self.date(c.date, language), "text": c.text}
                            for c in reversed(article.corrections)],
            "reply": {"date": self.date(reply.date, language), "text": reply.text,
                      "by": reply.by} if reply else None,
            "live": live, "series": series,
            "see_also": self.cards(site.see_also[index]) if site.see_also else [],
            # The stories published just before this one, not the site's newest: those
            # would change every article page, and so render the whole archive again,
            # whenever an article is published.
            "latest": self.cards(self.latest(index)),
        }

    def latest(self, index: int) -> list[int]:
        """The stories published just before an article, not already in its related box."""
        site = self.site
        shown = {index, *site.related[index]}
        return [i for i in range(index + 1, min(len(site.articles),
                                                index + 1 + LATEST + len(shown)))
                if i not in shown][:LATEST]

    def article_inputs(self, index: int) -> tuple[View | None, list[list[int | None]]]:
        """What an article's page shows of other articles (page_inputs.py): its series'
        term, and every index `article` and `_newsroom` make a card of, by role."""
        site, article = self.site, self.site.articles[index]
        term = self._series.get(urls.slugify(article.series)) if article.series else None
        return (None if term is None else term_view(term, self.link),
                [[index], list(site.related[index]), list(site.neighbours[index]),
                 list(term.articles) if term is not None else [],
                 list(site.see_also[index]) if site.see_also else [], [*self.latest(index)]])

    def page(self, page: Article) -> View:
        link = self.link
        return {"title": page.title, "url": link.url(page.path),
                "permalink": link.absolute(page.path), "summary": page.summary,
                "dek": page.summary if page.summary_written else "",
                "body_html": body_recipe(page, link.origin), "toc_html": page.toc_html,
                "embeds": page.has_embeds,
                "date": self.date(page.date, page.language or self.language),
                "image": image_view(page.image, link, self.config.images),
                "language": page.language or self.language, **self.status(page)}

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
            "preview": self.preview,
            "ads": ads.ads_view(config.ads, self.preview),
            "analytics": ads.analytics_view(config.analytics, self.preview),
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
            "feeds": feed_links(config.home_path, config.site.title, SITE_FEEDS, link)
            if self.site.articles else [],
            # Every edition's home and search page (none on a site of one edition).
            "editions": editions_view(config),
            "search": {"url": link.url(config.permalinks.search),
                       "permalink": link.absolute(config.permalinks.search)}
            if config.build.search else None,
        }


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


def body_recipe(article: Article, origin: str, feed: View | None = None) -> View:
    """Where a page shows an article's body: what bodies.finish needs to make its HTML
    in the process that renders the page (the body itself stays on disk). A paid
    article's links that leave the site get rel="sponsored" there, not when reading,
    since which links leave the site depends on the site's address."""
    return {"ref": article.body_ref, "html": article.body_html,
            "links": dict(article.link_targets),
            "sponsored": origin if article.kind == "advertorial" else "", "feed": feed}


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
