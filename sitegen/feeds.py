"""Layer 5. RSS 2.0, Atom 1.0 and JSON Feed 1.1 files, planned as render jobs.

The feeds are rendered by theme templates (`feeds/rss.xml`, `feeds/atom.xml`,
`feeds/feed.json`), so a site overrides them like any page. What they get is
ready to print: only absolute URLs, since a feed reader has no page to resolve
a relative one against (that includes every link and image inside the
article body), and each date already written in its format's notation.

The site and every section get all three formats, with the full article or
its summary as `build.feed_full_content` says. Tags and authors, of which a
large archive has thousands, get one RSS feed each with summaries only: the
same bodies repeated in every topic's feed would multiply the build's output.
A listing without articles gets no feed at all.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from sitegen import dates, feed_notes, readers, urls
from sitegen.config import Config
from sitegen.images import static_file
from sitegen.model import Article, Job, Site, Term
from sitegen.page_inputs import PageInputs
from sitegen.plan_sweep import At, Planned
from sitegen.site_views import SITE_FEEDS, TERM_FEEDS, feed_links, feed_path
from sitegen.value_views import View, body_recipe, card_image
from sitegen.views import Views

TEMPLATES = {"rss": "feeds/rss.xml", "atom": "feeds/atom.xml", "json": "feeds/feed.json"}
OWNERS = {"rss": "the RSS feed", "atom": "the Atom feed", "json": "the JSON feed"}
# Entries are remembered for the feeds planned together (a story is in its section's,
# its tags' and its authors' feeds), not for every story some feed lists: each term's
# feed lists its newest stories, so with many terms that is much of the archive.
ITEMS_REMEMBERED = 512


def plan_feeds(site: Site, config: Config, site_view: View, views: Views,
               wanted: Callable[[str], bool] | None = None,
               inputs: PageInputs | None = None) -> Iterator[Planned]:
    """Every feed of the site: the site's, each section's, each tag's and each author's;
    with `wanted`, only those of the listings that have a file it admits; with `inputs`,
    only those whose entries changed since the last build (page_inputs.py). Each
    listing's feeds are planned beside the others' (plan_sweep.py)."""
    if not site.articles:
        return
    feeds = _Feeds(site, config, views, wanted, inputs or PageInputs())
    feeds.strings = site_view["t"]
    full = config.build.feed_full_content
    home = {"title": config.site.title, "description": config.site.description}
    yield feeds.listing(home, config.home_path, range(len(site.articles)), SITE_FEEDS, full,
                             site_view)
    for section in site.sections:
        yield feeds.listing(_about(section, config), section.path, section.articles,
                                 SITE_FEEDS, full, site_view)
    for term in (*site.tags, *site.authors):
        yield feeds.listing(_about(term, config), term.path, term.articles, TERM_FEEDS,
                                 False, site_view)


def feed_claims(site: Site, home: str = "/") -> Iterator[tuple[str, str]]:
    """(output file, owner) of every feed `plan_feeds` writes, without building one."""
    if not site.articles:
        return
    for path, names in ((home, SITE_FEEDS), *((s.path, SITE_FEEDS) for s in site.sections),
                        *((t.path, TERM_FEEDS) for t in (*site.tags, *site.authors))):
        for name in names:
            output = urls.output_file(feed_path(path, name))
            yield output, f"{OWNERS[name]} /{output}"


def term_feed_links(kind: str, term: Term, config: Config, views: Views) -> list[View]:
    """The feeds of a section, tag or author page, for its `<link rel="alternate">`."""
    names = SITE_FEEDS if kind == "section" else TERM_FEEDS
    return feed_links(term.path, _about(term, config)["title"], names, views.link)


def _about(term: Term, config: Config) -> dict[str, str]:
    return {"title": f"{term.name} | {config.site.title}",
            "description": term.description or config.site.description}


class _Feeds:
    """The feed files of listings; each article's item is built once, however many feeds
    it is in."""

    def __init__(self, site: Site, config: Config, views: Views,
                 wanted: Callable[[str], bool] | None = None,
                 inputs: PageInputs | None = None) -> None:
        self.site = site
        self.inputs = inputs or PageInputs()
        self.wanted = wanted
        self.views = views
        self.limit = config.build.feed_items
        self.static_dir = str(readers.static_dir(config))
        self._cache: dict[tuple[int, bool], View] = {}
        self.strings: dict[str, str] = {}
        self.language = config.site.language

    def listing(self, about: dict[str, str], path: str, indexes: Sequence[int],
                names: tuple[str, ...], full: bool, site_view: View) -> Iterator[Job | At]:
        """The feeds of one listing: its newest articles, in each of the given formats."""
        newest = list(indexes[: self.limit])
        if not newest or (self.wanted and not any(
                self.wanted(urls.output_file(feed_path(path, name))) for name in names)):
            return
        # Its inputs: the entries' articles (their bodies too in a full-content feed).
        articles = self.site.articles
        parts = ("feed", about, path, names, full,
                 self.inputs.articles(newest, articles),
                 [(articles[i].body_ref, articles[i].body_html) for i in newest] if full else ())
        todo = [name for name in names if not self.inputs.unchanged(
            urls.output_file(feed_path(path, name)),
            f"{OWNERS[name]} /{urls.output_file(feed_path(path, name))}", parts)]
        if not todo:
            return
        yield At(min(newest))  # its entries are built when the walk comes to its newest story
        link = self.views.link
        feed = {
            "title": about["title"],
            # RSS requires a channel description; an empty one fails validators.
            "description": about["description"] or about["title"],
            "home_url": link.absolute(path), "language": site_view["language"],
            "updated": _stamps(max(self.site.articles[i].live_modified for i in newest)),
            "entries": [self.item(i, full) for i in newest],
            "icon": site_view["logo"]["permalink"] if site_view["logo"] else None,
            "links": {name: link.absolute(feed_path(path, name)) for name in names},
        }
        for name in todo:
            output = urls.output_file(feed_path(path, name))
            yield Job(output, (TEMPLATES[name],), {
                "site": site_view, "feed": {**feed, "url": feed["links"][name]},
            }, "/" + output, f"{OWNERS[name]} /{output}")

    def item(self, index: int, full: bool) -> View:
        key = (index, full)
        if key not in self._cache:
            if len(self._cache) >= ITEMS_REMEMBERED:
                self._cache.clear()
            self._cache[key] = self._build(index, full)
        return self._cache[key]

    def _build(self, index: int, full: bool) -> View:
        # What an entry shows of the story's card, made here rather than asking for its
        # card: a card is kept from the first page that shows it until the plan's walk
        # reaches its story (cards.py), and a feed shows the newest stories of a tag or
        # author, so far ahead of the walk (a thousand cards kept at 4,000 stories).
        article, views = self.site.articles[index], self.views
        permalink = views.link.absolute(article.path)
        section, authors, tags = views.card_terms(article)
        return {
            "id": permalink, "url": permalink, "title": article.title,
            "summary": " ".join(filter(None, (article.summary, feed_notes.notes_text(
                article, self.strings, self.language)))),
            # Finished where the feed is rendered (bodies.finish): sanitized whatever
            # [markdown] raw_html says, so no script reaches a feed reader.
            "content_html": body_recipe(article, self.views.link.origin, {
                "before": feed_notes.label_html(article, self.strings),
                "after": feed_notes.entries_html(article, self.language)
                + feed_notes.notes_html(article, self.strings, self.language),
                "base": permalink}) if full else "",
            "published": _stamps(article.date), "modified": _stamps(article.live_modified),
            "authors": [{"name": a["name"], "url": a["permalink"]} for a in authors],
            "categories": [*([section["name"]] if section else []),
                           *(t["name"] for t in tags)],
            "image": self._image(article, card_image(article.image, views.link, views.pictures)),
        }

    def _image(self, article: Article, image: Mapping[str, Any] | None) -> View | None:
        if article.image is None or image is None:
            return None
        # The 1200 px version that social networks get too; RSS requires its length in bytes.
        shared = image["share"]
        path = static_file(self.static_dir, article.image.src)
        length = self.views.picture_bytes.get(shared["file"]) or (
            os.stat(path).st_size if path else 0)
        return {"url": shared["permalink"], "type": shared["type"], "alt": image["alt"],
                "width": shared["width"], "height": shared["height"], "length": length,
                "caption": image["caption"], "credit": image["credit"]}


def _stamps(moment: dt.datetime) -> View:
    """A date in RSS's RFC 822 notation and in the RFC 3339 one of Atom and JSON Feed,
    both with the site's offset; formatted without the machine's locale."""
    return {"rfc822": email.utils.format_datetime(moment), "rfc3339": dates.iso(moment)}
