"""Layer 4. The template contract: the model seen as plain dicts for templates.

Everything a template can use is built here, and only here, from the site
model: pages and cards here, single values (URLs, dates, images, terms) in
value_views.py, what every page shows of the site in site_views.py. The result
is plain data (dicts, lists, strings, numbers, booleans), so a page's context
pickles into a worker process and hashes for the cache. The README's "Template
contract" section documents every key.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from sitegen import edition_config, newsroom, picture_plan, pictures, site_views, urls
from sitegen.cards import Cards
from sitegen.config import Config
from sitegen.markup import plain_text
from sitegen.model import Article, Site
from sitegen.site_views import (
    language_name,
)
from sitegen.translations import Translations, x_default
from sitegen.value_views import (
    Linker,
    View,
    body_recipe,
    card_image,
    date_view,
    image_view,
    term_view,
)

LATEST = 5
"""Headlines in an article's side column."""


class Views:
    """Builds each article's card once and reuses it on every list that shows it."""

    def __init__(self, site: Site, config: Config, now: dt.datetime | None = None,
                 picture_bytes: picture_plan.Sizes | None = None, preview: bool = False,
                 translations: Translations | None = None,
                 picture_memo: pictures.Memo | None = None) -> None:
        self.site = site
        self.translations = translations
        """The other editions' versions of pages (translations.py); None: one edition."""
        self.style = edition_config.date_style(config)
        self.now = now
        self.preview = preview
        """`sitegen serve`: cards and pages say what readers cannot see yet (`status`)."""
        self.config = config
        self.picture_bytes = picture_bytes or picture_plan.Sizes()
        """Size in bytes of each resized file (output name), for feed enclosures."""
        self.pictures = picture_memo or pictures.Memo(config.images)
        """Each picture's variants (the build's: picture_plan.build_memo)."""
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
        self._cards = Cards()
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
        card = self._cards.get(index)
        if card is None:
            card = self._cards.put(index, self._card(self.site.articles[index]))
        return card

    @property
    def cards_built(self) -> int:
        """How many cards these views built (cards.py)."""
        return self._cards.built

    def behind(self, position: int) -> None:
        """The plan has come to the story at `position`: no page planned from now on shows
        a newer one (cards.py)."""
        self._cards.behind(position)

    def with_site(self, site: Site) -> Views:
        """These views over `site`, a copy of theirs with articles of the same metadata
        (serve's body edits, body_edits.py): every term view is as it was."""
        views = copy.copy(self)
        views.site, views._cards = site, Cards()
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
            "image": card_image(article.image, link, self.pictures),
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
            "pictures": [image_view(p, self.link, self.pictures) for p in article.pictures],
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
                "image": image_view(page.image, link, self.pictures),
                "language": page.language or self.language, **self.status(page)}

    def site_view(self, assets: dict[str, str], strings: dict[str, str],
                  params: dict[str, Any], now: dt.datetime) -> View:
        """The `site` key every page gets (site_views.py)."""
        return site_views.site_view(self.site, self.config, self.link, self.sections,
                                    self.preview, assets, strings, params, now)
