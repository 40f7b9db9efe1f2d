"""Layer 5. sitemap.xml, the Google News sitemap and robots.txt, planned as render jobs.

The sitemap lists every published page and nothing else: no 404 page, no
redirect left by an alias, no search page, and no draft, future or expired
article (those never reach the `Site`). Each URL carries an accurate
`lastmod`, the only hint Google still reads: an article's last update, or,
for a page of a listing, the newest change among what that page shows.

Past the protocol's limits (50,000 URLs or 50 MB in one file) the sitemap
becomes an index of numbered parts. The news sitemap holds only articles
published in the two days before the build time, at most 1,000 per file, as
Google News asks; it exists even when empty, so its URL stays registered.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, overload
from urllib.parse import quote

from markupsafe import escape

from sitegen import dates, edition_config, newsroom, urls
from sitegen.config import Config
from sitegen.model import Article, Job, Site
from sitegen.value_views import Linker, View
from sitegen.views import Views

OWNERS = {"sitemaps/urlset.xml": "the sitemap", "sitemaps/news.xml": "the Google News sitemap",
          "sitemaps/index.xml": "the sitemap index"}

MAX_URLS = 50_000
MAX_BYTES = 52_428_800
NEWS_MAX_URLS = 1_000
NEWS_WINDOW = dt.timedelta(days=2)
# Bytes the templates add around each URL and around the whole file; generous,
# so an estimated part is never larger than the rendered one.
URL_MARKUP = 120
NEWS_MARKUP = 400
FILE_MARKUP = 1_000

SITEMAP = "/sitemap.xml"
NEWS_SITEMAP = "/sitemap-news.xml"
ROBOTS = "/robots.txt"


def plan_sitemaps(pages: Sequence[Mapping[str, Any]], site: Site, config: Config,
                  views: Views, now: dt.datetime, max_urls: int = MAX_URLS,
                  max_bytes: int = MAX_BYTES) -> Iterator[Job]:
    """sitemap.xml (or an index and its parts) of `pages` (each page kind's `entry`s,
    sitegen/kinds/), the news sitemap, and robots.txt.

    `now` is the build time: only the news sitemap depends on it, so no other
    page changes (or re-renders) just because time passed.
    """
    home = config.home_path
    yield from _files(_at(home, SITEMAP), "sitemaps/urlset.xml", pages, URL_MARKUP, max_urls,
                      max_bytes, views)
    news = news_urls(site, config, views, now)
    yield from _files(_at(home, NEWS_SITEMAP), "sitemaps/news.xml", news, NEWS_MARKUP,
                      NEWS_MAX_URLS, max_bytes, views)
    if config.edition:
        return  # one robots.txt, at the root: it names every edition's sitemaps
    sitemaps = [_uri(views.link.absolute(SITEMAP)), _uri(views.link.absolute(NEWS_SITEMAP))]
    for other, home in edition_sitemaps(config):
        sitemaps += [_uri(other.absolute(_at(home, SITEMAP))),
                     _uri(other.absolute(_at(home, NEWS_SITEMAP)))]
    yield Job(urls.output_file(ROBOTS), ("robots.txt",), {"sitemaps": sitemaps}, ROBOTS,
              f"robots.txt {ROBOTS}")


def _at(home: str, path: str) -> str:
    """A sitemap's path in an edition: /sitemap.xml, /en/sitemap.xml."""
    return home + path.lstrip("/")


def edition_sitemaps(config: Config) -> list[tuple[Linker, str]]:
    """The Linkers of the other editions on the site's own domain, whose sitemaps the
    root's robots.txt lists (one on a domain of its own has its own robots.txt)."""
    found = []
    for key, table in config.editions.items():
        if not table.base_url:
            edition = edition_config.for_edition(config, key)
            found.append((Linker(edition), edition.home_path))
    return found


def entry(views: Views, path: str, moment: dt.datetime | None) -> View:
    """One page's `loc` and `lastmod` (its newest change, when it has one), and its
    versions in the other editions (`xhtml:link` alternates) when it has any."""
    return _entry(views.link.absolute("/"), path, moment, _alternates(views, path))


def _alternates(views: Views, path: str) -> list[View]:
    return [{"language": a["language"], "href": _uri(a["permalink"])}
            for a in views.alternates(path)]


def _entry(root: str, path: str, moment: dt.datetime | None,
           alternates: list[View] | None) -> View:
    found: View = {"loc": _uri(root + path.lstrip("/")),
                   "lastmod": dates.iso(moment) if moment else None}
    if alternates:
        found["alternates"] = alternates
    return found


class Entries(Sequence[View]):
    """Sitemap entries kept as each page's (path, newest change) and made into their
    `loc` and `lastmod` views when read, in the worker that renders the file: the views
    of every URL of a large site would cost the planning process hundreds of bytes per
    page. `root` is the site's absolute URL with its base path; `alternates` the other
    editions' versions of the pages that have any. The paths and times are two lists,
    not a pair a page (64 bytes a page more while the sitemap is planned and sent)."""

    __slots__ = ("alternates", "moments", "paths", "root")

    def __init__(self, root: str, rows: Iterable[tuple[str, dt.datetime | None]],
                 alternates: dict[str, list[View]]) -> None:
        self.root, self.alternates = root, alternates
        self.paths: list[str] = []
        self.moments: list[dt.datetime | None] = []
        for path, moment in rows:
            self.paths.append(path)
            self.moments.append(moment)

    @classmethod
    def of(cls, views: Views, rows: Iterable[tuple[str, dt.datetime | None]]) -> Entries:
        found = cls(views.link.absolute("/"), rows, {})
        if views.translations:
            found.alternates = {path: versions for path in found.paths
                                if (versions := _alternates(views, path))}
        return found

    def __len__(self) -> int:
        return len(self.paths)

    def at_most(self, markup: int) -> int:
        """No less than `split`'s estimate of these entries' bytes (`_at_most`): a `loc` is
        at most 3 characters a byte of its URL (percent-encoded), a `lastmod` 32."""
        root = len(self.root.encode())
        alternates = sum(len(str(found)) for found in self.alternates.values())
        return FILE_MARKUP + 6 * (3 * sum(root + len(path.encode()) + 32 for path in self.paths)
                                  + alternates) + markup * len(self.paths)

    @overload
    def __getitem__(self, index: int) -> View: ...

    @overload
    def __getitem__(self, index: slice) -> Entries: ...

    def __getitem__(self, index: int | slice) -> View | Entries:
        if isinstance(index, slice):
            paths = self.paths[index]
            return Entries(self.root, zip(paths, self.moments[index], strict=True),
                           {p: self.alternates[p] for p in paths if p in self.alternates})
        path, moment = self.paths[index], self.moments[index]
        return _entry(self.root, path, moment, self.alternates.get(path))

    def __iter__(self) -> Iterator[View]:
        return (_entry(self.root, path, moment, self.alternates.get(path))
                for path, moment in zip(self.paths, self.moments, strict=True))


def claims(config: Config) -> list[tuple[str, str]]:
    """(output file, owner) of the files every site (and edition) has; an index's parts
    are claimed when they are planned."""
    sitemap, news = _at(config.home_path, SITEMAP), _at(config.home_path, NEWS_SITEMAP)
    return [(urls.output_file(sitemap), f"{OWNERS['sitemaps/urlset.xml']} {sitemap}"),
            (urls.output_file(news), f"{OWNERS['sitemaps/news.xml']} {news}"),
            *([] if config.edition else [(urls.output_file(ROBOTS), f"robots.txt {ROBOTS}")])]


def news_window(site: Site, now: dt.datetime) -> list[Article]:
    """Articles first published in the two days up to `now`, newest first; paid content and
    press releases are not the newsroom's journalism and stay out of Google News."""
    return [a for a in site.articles if now - NEWS_WINDOW <= a.date <= now
            and a.kind not in newsroom.NOT_NEWS]


def news_urls(site: Site, config: Config, views: Views, now: dt.datetime) -> list[View]:
    """The news sitemap's entries, newest first."""
    return [{"loc": _uri(views.link.absolute(a.path)), "title": a.title,
             "published": dates.iso(a.date), "name": config.site.title,
             "language": config.site.language.lower()}
            for a in news_window(site, now)]


def split(entries: Sequence[Mapping[str, Any]], markup: int, max_urls: int,
          max_bytes: int) -> list[Sequence[Mapping[str, Any]]]:
    """Consecutive parts of at most `max_urls` entries and, estimated, `max_bytes` bytes."""
    if len(entries) <= max_urls and _at_most(entries, markup) <= max_bytes:
        return [entries]  # what the estimate below finds too, without escaping every value
    starts = [0]
    size = FILE_MARKUP
    for at, entry in enumerate(entries):
        length = markup + sum(len(str(escape(v)).encode()) for v in entry.values() if v)
        if at > starts[-1] and (at - starts[-1] >= max_urls or size + length > max_bytes):
            starts.append(at)
            size = FILE_MARKUP
        size += length
    return [entries[start:end] for start, end in zip(starts, [*starts[1:], len(entries)],
                                                      strict=True)]


def _at_most(entries: Sequence[Mapping[str, Any]], markup: int) -> int:
    """No less than `split`'s estimate of the entries' bytes: escaping makes a character
    at most 6 bytes (`&quot;`; UTF-8 at most 4)."""
    if isinstance(entries, Entries):  # from its rows, without making each entry
        return entries.at_most(markup)
    return FILE_MARKUP + sum(markup + 6 * sum(len(str(v)) for v in entry.values() if v)
                             for entry in entries)


def _files(path: str, template: str, entries: Sequence[Mapping[str, Any]], markup: int,
           max_urls: int, max_bytes: int, views: Views) -> Iterator[Job]:
    """One file, or an index of numbered parts; their templates get only the entries
    (not `site`), so a change elsewhere in the config does not re-render them."""
    parts = split(entries, markup, max_urls, max_bytes)
    if len(parts) == 1:
        yield Job(urls.output_file(path), (template,), {"urls": parts[0]}, path,
                  f"{OWNERS[template]} {path}")
        return
    stem = path.removesuffix(".xml")
    listed = []
    for number, part in enumerate(parts, start=1):
        part_path = f"{stem}-{number}.xml"
        stamps = [stamp for e in part if (stamp := e.get("lastmod") or e.get("published"))]
        listed.append({"loc": _uri(views.link.absolute(part_path)),
                       "lastmod": max(stamps, key=dt.datetime.fromisoformat) if stamps else None})
        yield Job(urls.output_file(part_path), (template,), {"urls": part}, path,
                  f"{OWNERS[template]} {path}")
    yield Job(urls.output_file(path), ("sitemaps/index.xml",), {"sitemaps": listed}, path,
              f"{OWNERS['sitemaps/index.xml']} {path}")


_URI_SAFE = ":/?#[]@!$&'()*+,;=%~"
# What `quote` leaves as it is (its own safe letters, digits and "_.-~", and ours): a
# sitemap of every URL meets mostly such, and matching is many times cheaper.
_AS_IS = re.compile(r"[A-Za-z0-9_.\-~" + re.escape(_URI_SAFE) + r"]*")


def _uri(iri: str) -> str:
    """Sitemaps want URIs: letters of other scripts in a slug are percent-encoded."""
    if _AS_IS.fullmatch(iri):
        return iri
    return quote(iri, safe=_URI_SAFE)
