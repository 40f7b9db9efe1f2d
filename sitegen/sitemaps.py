"""Layer 5. sitemap.xml, the Google News sitemap and robots.txt, planned as render jobs.

The sitemap lists every published page and nothing else: no 404 page, no
redirect left by an alias, no search page, and no draft, future or expired
article (those never reach the `Site`). Each URL carries an accurate
`lastmod`, the only hint Google still reads: an article's last update, or,
for a page of a listing, the newest change among what that page shows.

From `MONTHLY_FROM` URLs the sitemap is an index of a part a month: each page is
in the part of the month its `lastmod` falls in (its own zone's month, the one the
`lastmod` shows), undated pages in a part of their own. A part's URL names its month
and never changes, and its pages stay there until they change: publishing a story
rewrites the part of the month it lands in, those its lists' front pages leave (each
front page moves to the new story's month), and the index, not the whole sitemap of
the archive (20,000 URLs at 10,000 stories) as one file did. A smaller site keeps one
file. A part still past the protocol's limits (50,000 URLs or 50 MB in one file) is
cut into numbered pieces, as a single file is. The news sitemap holds only articles
published in the two days before the build time, at most 1,000 per file, as
Google News asks; it exists even when empty, so its URL stays registered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from markupsafe import escape

from sitegen import dates, edition_config, newsroom, urls
from sitegen.config import Config
from sitegen.model import Article, Job, Site
from sitegen.page_inputs import PageInputs
from sitegen.sitemap_entries import FILE_MARKUP, UNDATED, Entries, uri
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
MONTHLY_FROM = 1_000
"""From this many URLs, the sitemap is an index of a part a month (the module's doc)."""

SITEMAP = "/sitemap.xml"
NEWS_SITEMAP = "/sitemap-news.xml"
ROBOTS = "/robots.txt"


def plan_sitemaps(pages: Sequence[Mapping[str, Any]], site: Site, config: Config,
                  views: Views, now: dt.datetime, max_urls: int = MAX_URLS,
                  max_bytes: int = MAX_BYTES, monthly_from: int | None = None,
                  inputs: PageInputs | None = None) -> Iterator[Job]:
    """sitemap.xml (or an index and its parts) of `pages` (each page kind's `entry`s,
    sitegen/kinds/), the news sitemap, and robots.txt.

    `now` is the build time: only the news sitemap depends on it, so no other
    page changes (or re-renders) just because time passed. `inputs`: a month's part
    whose pages and their `lastmod`s are those of the last build keeps its file.
    """
    home = config.home_path
    if len(pages) >= (MONTHLY_FROM if monthly_from is None else monthly_from):
        yield from _monthly(_at(home, SITEMAP), pages, max_urls, max_bytes, views,
                            inputs or PageInputs())
    else:
        yield from _files(_at(home, SITEMAP), "sitemaps/urlset.xml", pages, URL_MARKUP,
                          max_urls, max_bytes, views)
    news = news_urls(site, config, views, now)
    yield from _files(_at(home, NEWS_SITEMAP), "sitemaps/news.xml", news, NEWS_MARKUP,
                      NEWS_MAX_URLS, max_bytes, views)
    if config.edition:
        return  # one robots.txt, at the root: it names every edition's sitemaps
    sitemaps = [uri(views.link.absolute(SITEMAP)), uri(views.link.absolute(NEWS_SITEMAP))]
    for other, home in edition_sitemaps(config):
        sitemaps += [uri(other.absolute(_at(home, SITEMAP))),
                     uri(other.absolute(_at(home, NEWS_SITEMAP)))]
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
    return [{"loc": uri(views.link.absolute(a.path)), "title": a.title,
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


def _monthly(path: str, entries: Sequence[Mapping[str, Any]], max_urls: int, max_bytes: int,
             views: Views, inputs: PageInputs) -> Iterator[Job]:
    """An index of a part a month (`sitemap-2025-06.xml`), each cut into numbered pieces
    (`sitemap-2025-06-1.xml`) only past the protocol's limits; a part of the same pages
    with the same `lastmod`s as last time keeps its file, its context never digested."""
    template, stem = "sitemaps/urlset.xml", path.removesuffix(".xml")
    listed = []
    for month, part in _months(entries).items():
        pieces = split(part, URL_MARKUP, max_urls, max_bytes)
        for number, piece in enumerate(pieces, start=1):
            part_path = f"{stem}-{month}.xml" if len(pieces) == 1 else \
                f"{stem}-{month}-{number}.xml"
            listed.append({"loc": uri(views.link.absolute(part_path)),
                           "lastmod": _newest(piece)})
            output, owner = urls.output_file(part_path), f"{OWNERS[template]} {path}"
            if not inputs.unchanged(output, owner, _rows(piece)):
                yield Job(output, (template,), {"urls": piece}, path, owner)
    yield Job(urls.output_file(path), ("sitemaps/index.xml",), {"sitemaps": listed}, path,
              f"{OWNERS['sitemaps/index.xml']} {path}")


def _months(entries: Sequence[Mapping[str, Any]]) -> dict[str, Sequence[Mapping[str, Any]]]:
    """Entries.by_month, for any entries (a `lastmod` in ISO 8601 starts with its month)."""
    if isinstance(entries, Entries):
        return dict(entries.by_month())
    months: dict[str, list[Mapping[str, Any]]] = {}
    for entry in entries:
        lastmod = entry.get("lastmod")
        months.setdefault(lastmod[:7] if lastmod else UNDATED, []).append(entry)
    return dict(sorted(months.items()))


def _rows(entries: Sequence[Mapping[str, Any]]) -> Any:
    """What a part shows, cheaply (a page's inputs, page_inputs.py): its pages, their
    moments and versions in other editions; the root URL and the template are among the
    site facts every page's inputs include."""
    if isinstance(entries, Entries):
        return (entries.root, "\n".join(entries.paths),
                " ".join(m.isoformat() if m else "-" for m in entries.moments),
                sorted(entries.alternates.items()))
    return list(entries)


def _newest(entries: Sequence[Mapping[str, Any]]) -> str | None:
    """The newest `lastmod` (or news `published`) of a part, for its index entry."""
    if isinstance(entries, Entries):
        return entries.newest()
    stamps = [stamp for e in entries if (stamp := e.get("lastmod") or e.get("published"))]
    return max(stamps, key=dt.datetime.fromisoformat) if stamps else None


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
        listed.append({"loc": uri(views.link.absolute(part_path)), "lastmod": _newest(part)})
        yield Job(urls.output_file(part_path), (template,), {"urls": part}, path,
                  f"{OWNERS[template]} {path}")
    yield Job(urls.output_file(path), ("sitemaps/index.xml",), {"sitemaps": listed}, path,
              f"{OWNERS['sitemaps/index.xml']} {path}")
