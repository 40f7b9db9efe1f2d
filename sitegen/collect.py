"""Layer 4. Articles -> the `Site`: what is published, in which order, grouped how.

Pure: no I/O. Decides which articles are published at the build time (drafts,
future and expired ones stay out unless asked for) and computes sections,
tags, authors, the date archive, related articles and previous/next links.
Which URLs the pages of all this take is the page kinds' (sitegen/kinds/).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sitegen import urls
from sitegen.config import Config
from sitegen.errors import Problem
from sitegen.index_lists import IndexLists
from sitegen.model import ArchiveDay, ArchiveMonth, Article, Site, Term
from sitegen.related import Shape, related
from sitegen.related import numbers as _numbers


@dataclass(frozen=True)
class Selection:
    """Which articles are published: those of `now`, plus what the flags let in."""

    now: dt.datetime
    drafts: bool = False
    future: bool = False
    expired: bool = False

    def admits(self, article: Article) -> bool:
        extras = article.extras  # None: no draft, no expiry (most stories; asked per story)
        if extras is not None and extras.draft and not self.drafts:
            return False
        if article.date and article.date > self.now and not self.future:
            return False
        return extras is None or not (extras.expires and extras.expires <= self.now
                                      and not self.expired)


def collect_site(sources: list[Article], config: Config,
                 selection: Selection) -> tuple[Site, list[Problem]]:
    """The whole site model: `select_site` and then `relate`."""
    site, problems = select_site(sources, config, selection)
    return relate(site), problems


Clashes = Callable[[Site, Config], list[Problem]]
"""Two things on one URL: the page kinds know the URLs (kinds.url_clashes)."""


def select_site(sources: list[Article], config: Config, selection: Selection,
                clashes: Clashes | None = None) -> tuple[Site, list[Problem]]:
    """What is published, in which order and grouped how; related articles and
    previous/next links are left empty for `relate` (a build whose inputs did not
    change never needs them)."""
    published = [a for a in sources if selection.admits(a)]
    articles = sorted((a for a in published if a.section),  # not a page (Article.is_page)
                      key=lambda a: (-a.date.timestamp(), a.source))
    pages = sorted((a for a in published if not a.section), key=lambda a: a.path)
    sections = _sections(articles, config)
    # Names that share a slug are looked for while grouping: one pass over the archive's
    # tags and authors, not two.
    collisions: list[Problem] = []
    tags = _terms(articles, lambda a: a.tags, config.permalinks.tag, {}, {},
                  ("tags", collisions))
    names = {slug: author.name for slug, author in config.authors.items() if author.name}
    bios = {slug: author.bio for slug, author in config.authors.items()}
    authors = _terms(articles, lambda a: a.authors, config.permalinks.author, names, bios,
                     ("authors", collisions))
    see_also, unknown = _see_also(articles, sources, config)
    site = Site(articles=tuple(articles), pages=tuple(pages), sections=sections, tags=tags,
                authors=authors, archive=_archive(articles, config), related=(), neighbours=(),
                series=_series(articles, config), days=_days(articles, config),
                see_also=see_also)
    found = clashes(site, config) if clashes else []
    return site, [*found, *collisions, *_section_names(sections), *unknown]


def relate(site: Site, last: Any = None, shaped: Shape | None = None) -> Site:
    """The site with each article's related articles and section neighbours. `last`: the
    related articles of a shape an earlier build worked out (related.py), reused for the
    articles a publish leaves as they were. `shaped`: `shape(site)`, when the caller
    has it (site_stage.relate records it too: a pass over the archive each)."""
    found = shape(site) if shaped is None else shaped
    return dataclasses.replace(site, related=related(found, last),
                               neighbours=_neighbours(len(site.articles), site.sections))


def shape(site: Site) -> Shape:
    """What related articles depend on: each article's section and tags, and whether it
    may be offered. Drafts and paid content never are (an advertorial under "Berita
    terkait" would pass an advertiser's text off as the newsroom's)."""
    return tuple(map(shape_entry, site.articles))


def shape_entry(article: Article) -> tuple[str, tuple[str, ...], bool]:
    """One article's part of `shape`."""
    return article.section, article.tags, article.draft or article.kind == "advertorial"


def _sections(articles: list[Article], config: Config) -> tuple[Term, ...]:
    members: dict[str, list[int]] = defaultdict(list)
    for index, article in zip(_numbers(len(articles)), articles, strict=True):
        members[article.section].append(index)
    # Sections appear in the order sitegen.toml lists them, then alphabetically.
    order = [s for s in config.sections if s in members]
    order += sorted(set(members) - set(config.sections))
    result = []
    for slug in order:
        named = config.sections.get(slug)
        fallback = slug.replace("-", " ").title()
        result.append(Term(
            slug=slug, name=named.title if named and named.title else fallback,
            path=config.permalinks.section.format(section=slug), articles=tuple(members[slug]),
            description=named.description if named else "",
        ))
    return tuple(result)


def _terms(articles: list[Article], values: Callable[[Article], tuple[str, ...]], pattern: str,
           names: dict[str, str], descriptions: dict[str, str],
           collisions: tuple[str, list[Problem]] | None = None) -> tuple[Term, ...]:
    """The terms the values name, each with its articles in order. `collisions`: (the
    values' kind, a list to which the names sharing a slug are added: `_collision`)."""
    members: dict[str, list[int]] = {}
    spelled: dict[str, str] = {}
    slugs: dict[str, str] = {}  # each name's slug, worked out once a call
    reported: set[tuple[str, str]] = set()
    for index, article in zip(_numbers(len(articles)), articles, strict=True):
        for value in values(article):
            slug = slugs.get(value)
            if slug is None:
                slug = slugs[value] = urls.slugify(value)
            if not slug:
                continue
            first = spelled.get(slug)
            if first is None:  # the slug's first article
                spelled[slug] = value
                members[slug] = [index]
                continue
            if collisions is not None and first != value and \
                    _spelling(first) != _spelling(value) and (first, value) not in reported:
                reported.add((first, value))
                kind, found = collisions
                found.append(_collision(kind, value, first, articles[members[slug][0]].source,
                                        slug, article.source))
            # Indexes come in order: the last one tells whether this article is in already.
            indexes = members[slug]
            if indexes[-1] != index:
                indexes.append(index)
    return tuple(
        Term(slug=slug, name=names.get(slug, spelled[slug]), path=pattern.format(slug=slug),
             articles=tuple(members[slug]), description=descriptions.get(slug, ""))
        for slug in sorted(members)
    )


def _archive(articles: list[Article], config: Config) -> tuple[ArchiveMonth, ...]:
    months: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, article in zip(_numbers(len(articles)), articles, strict=True):
        months[(article.date.year, article.date.month)].append(index)
    base = config.permalinks.archive
    return tuple(
        ArchiveMonth(year, month, f"{base.rstrip('/')}/{year:04d}/{month:02d}/",
                     tuple(months[(year, month)]))
        for year, month in sorted(months, reverse=True)
    )


def _days(articles: list[Article], config: Config) -> tuple[ArchiveDay, ...]:
    days: dict[dt.date, list[int]] = defaultdict(list)
    for index, article in zip(_numbers(len(articles)), articles, strict=True):
        days[article.date.date()].append(index)
    base = config.permalinks.daily.rstrip("/")
    return tuple(ArchiveDay(day, f"{base}/{day:%Y/%m/%d}/", tuple(days[day]))
                 for day in sorted(days, reverse=True))


def _series(articles: list[Article], config: Config) -> tuple[Term, ...]:
    """Each series with its parts in reading order: the oldest part first."""
    return tuple(
        Term(slug=term.slug, name=term.name, path=term.path, articles=term.articles[::-1])
        for term in _terms(articles, lambda a: (a.series,) if a.series else (),
                           config.permalinks.series, {}, {}))


def _see_also(articles: list[Article], sources: list[Article],
              config: Config) -> tuple[tuple[tuple[int, ...], ...], list[Problem]]:
    """The "Baca juga" links as article indexes. A link is an article's URL (`/ekonomi/judul/`,
    also with the site's address) or its file (`ekonomi/judul.md`). One to an article that
    exists but is not published (a draft, an embargo) is left out quietly; one to nothing
    is a warning."""
    if not any(article.see_also for article in articles):  # most archives: no dicts made
        return ((),) * len(articles), []
    files = {a.source.removeprefix("content/"): a.path for a in sources}
    exists = set(files.values())
    published = {a.path: i for i, a in enumerate(articles)}
    site_url = config.site.base_url.rstrip("/")
    result, problems = [], []
    for index, article in zip(_numbers(len(articles)), articles, strict=True):
        found: list[int] = []
        for target in article.see_also:
            path = target.removeprefix(site_url).removeprefix(config.base_path.rstrip("/"))
            path = files.get(target.removeprefix("content/"), path)
            if path not in exists:
                problems.append(Problem(article.source, 1, f"see_also: no article at {target} "
                                        "(write its URL, such as /ekonomi/judul/, or its file, "
                                        "such as ekonomi/judul.md)", warning=True))
            elif published.get(path, index) != index and published[path] not in found:
                found.append(published[path])
        result.append(tuple(found))
    return tuple(result), problems


def _neighbours(count: int, sections: tuple[Term, ...]) -> IndexLists:
    """Each article's (older, newer) story of its section: the lists laid side by side
    (C slices and extends), not a pair a story made in Python."""
    at: list[int] = []
    older: list[int] = []
    newer: list[int] = []
    for section in sections:
        members = section.articles
        if members:
            at += members
            older += members[1:]
            older.append(-1)
            newer.append(-1)
            newer += members[:-1]
    return IndexLists.pairs(count, older, newer, at)


@lru_cache(maxsize=100_000)  # every tag and author of every article, on every build
def _spelling(name: str) -> str:
    """What makes two names one topic: case, accents and word separators do not count."""
    plain = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in plain
                   if not (unicodedata.combining(c) or c.isspace() or c in "-_"))


def _collision(kind: str, name: str, first: str, where: str, slug: str,
               source: str) -> Problem:
    """Names that differ in more than case, accents and spacing but share a slug
    (`C++`, `C#` and `C` are all `c`) would silently merge into one page."""
    return Problem(source, 1, (
        f"{kind} '{name}' and '{first}' (in {where}) have the same slug '{slug}' "
        f"and would share one page: spell them alike if they are one, or make "
        f"them differ in letters or digits (such as 'C Sharp' for 'C#')"))


def _section_names(sections: tuple[Term, ...]) -> list[Problem]:
    """A section's folder name is its URL, so it is checked like a slug."""
    return [Problem(f"content/{term.slug}/", 0, f"the section folder name '{term.slug}' is "
                    "not a slug (letters, digits and hyphens), and it is the section's URL: "
                    "rename the folder, such as "
                    f"'{urls.slugify(term.slug) or 'berita'}'", warning=True)
            for term in sections if not urls.is_valid_slug(term.slug)]
