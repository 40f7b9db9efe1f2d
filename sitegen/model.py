"""Layer 2. The site model: plain, frozen data with no back-references.

Relations are stored as keys and indexes, never as object references, so the
model pickles cheaply into worker processes and hashes for the build cache.
Every class has slots: the planning process holds one Article per story of the
archive, and an instance dict would be most of its size.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

from sitegen import packed_values
from sitegen.newsroom import LiveEntry, Note
from sitegen.packed_values import IMAGE_FIELDS as IMAGE_FIELDS
from sitegen.packed_values import Image as Image
from sitegen.packed_values import image_values as image_values
from sitegen.packed_values import named

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Extras:
    """The fields of an Article that most stories leave empty, in a record an article
    holds only when one of them is set: every field of Article is 8 bytes of the
    planning process an article of the archive, set or not (`Article.extras`)."""

    expires: dt.datetime | None = None
    corrections: tuple[Note, ...] = ()
    """Oldest first."""
    reply: Note | None = None
    """The right of reply (hak jawab) of a party the article is about."""
    coverage_start: dt.datetime | None = None
    coverage_end: dt.datetime | None = None
    live: tuple[LiveEntry, ...] = ()
    """A live blog's entries, newest first."""
    series: str = ""
    see_also: tuple[str, ...] = ()
    """Site paths of the articles an editor linked as "Baca juga"."""
    language: str = ""
    """The article's own language (`lang:`), when it is not the site's."""
    md_links: tuple[str, ...] = ()
    """The body's links to other Markdown files, as marked (markup.MD_LINK)."""
    link_targets: tuple[tuple[str, str], ...] = ()
    """(marked link, the URL it becomes): filled in once every source is read (links.py)."""
    translation_key: str = ""
    """What ties it to its translations (translations.py): `translation_key:`, or the
    original's with `translation_of:`; '' for neither: then its path inside its
    edition's folder (derived, not kept: a string an article of the archive)."""
    featured: bool = False
    # Rarely set in the planning process, which never holds a body (`body_ref` names it).
    body_html: str = ""
    toc_html: str = ""
    """A long piece's table of contents."""
    draft: bool = False
    """Only drafts are, and those are left out of a build unless it asks for them."""
    aliases: tuple[str, ...] = ()
    pictures: tuple[Image, ...] = ()
    """The body's pictures (figures and galleries), in order: for structured data and for
    the build, which makes their resized versions."""
    has_embeds: bool = False
    """The body has an embed's placeholder, so its page needs the embeds' script."""
    edition: str = ""
    """The edition it belongs to (`[editions]` key; '' the default edition)."""


NO_EXTRAS = Extras()
EXTRA_FIELDS = tuple(f.name for f in dataclasses.fields(Extras))


class _FromExtras(Generic[T]):
    """A field of an Article's extras read as the Article's own: its value, or the field's
    default when the article holds no extras."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, article: None, owner: type) -> _FromExtras[T]: ...
    @overload
    def __get__(self, article: Article, owner: type) -> T: ...

    def __get__(self, article: Article | None, owner: type) -> T | _FromExtras[T]:
        if article is None:
            return self
        return getattr(article.extras or NO_EXTRAS, self.name)


@dataclass(frozen=True, slots=True, init=False, repr=False)
class Article:
    """One Markdown source: a news article, or a standalone page when section is ''.

    Made with `make_article` (or `Article(...)`, whose arguments are its values but those of
    its extras) and changed with `replaced`; the fields of its `extras` read as its own
    (`article.series`). The planning process holds one for every story of the archive, so
    it keeps as slots only what is read of every story (for lists, dates, terms, bodies,
    photos and pages) and the rest, read for the page of a story or its card, packed in
    `text` (packed_values): its title, summary, slug, dateline, word count, reading time
    and whether its summary was written."""

    source: str
    """Path relative to the site root, with forward slashes (used in messages)."""
    section: str
    path: str
    """Site-relative URL path, without the base path: `/ekonomi/judul/`."""
    date: dt.datetime
    updated: dt.datetime | None
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    image: Image | None
    kind: str
    """news, opinion, analysis, background, press-release, advertorial or live."""
    body_ref: str
    """When set, `body_html` is empty and the body is stored on disk under this reference
    (bodies.py): the process that plans a build never holds the archive's text."""
    extras: Extras | None
    """The fields most stories leave empty; None when all are."""
    text: bytes
    """The title, summary, slug, location, word count, reading time and summary_written,
    packed (packed_values.article_text): read through their properties."""

    def __init__(self, source: str, section: str, slug: str, path: str, title: str,
                 date: dt.datetime, summary: str, word_count: int, reading_time: int,
                 updated: dt.datetime | None = None, authors: tuple[str, ...] = (),
                 tags: tuple[str, ...] = (), image: Image | None = None, location: str = "",
                 kind: str = "news", summary_written: bool = True, body_ref: str = "",
                 extras: Extras | None = None) -> None:
        put = object.__setattr__  # frozen
        put(self, "source", source)
        put(self, "section", section)
        put(self, "path", path)
        put(self, "date", date)
        put(self, "updated", updated)
        put(self, "authors", authors)
        put(self, "tags", tags)
        put(self, "image", image)
        put(self, "kind", kind)
        put(self, "body_ref", body_ref)
        put(self, "extras", extras)
        put(self, "text", packed_values.article_text(
            title, summary, slug, location, word_count, reading_time, summary_written))

    # Its text's values (packed_values.TEXT_NAMES), read as its own.
    title = packed_values.TextValue[str](0)
    summary = packed_values.TextValue[str](1)
    slug = packed_values.TextValue[str](2)
    """The front matter's `slug:` when it is not the one the file's name gives; '' for
    that one. Only `path` is read (it holds the slug either way)."""
    location = packed_values.TextValue[str](3)
    word_count = packed_values.TextValue[int](4)
    reading_time = packed_values.TextValue[int](5)
    summary_written = packed_values.TextValue[bool](6)
    """False when `summary` is the body's first paragraph (no `summary:` was given): the
    page then shows no dek, which would repeat that paragraph."""

    def __repr__(self) -> str:
        return f"Article({named(ARTICLE_FIELDS, [getattr(self, n) for n in ARTICLE_FIELDS])})"

    @property
    def is_page(self) -> bool:
        return not self.section

    @property
    def modified(self) -> dt.datetime:
        """The last substantive change: an update, a correction or a reply."""
        latest = self.updated or self.date
        if self.extras is None:  # no corrections, no reply: most stories, asked per list
            return latest
        notes = [n.date for n in (*self.corrections, *((self.reply,) if self.reply else ()))]
        return max([latest, *notes]) if latest and notes else latest

    @property
    def live_modified(self) -> dt.datetime:
        """A live blog changes with each entry; only its page and feeds show this."""
        return max([self.modified, *(e.date for e in self.live)]) if self.live else self.modified

    # The fields of its extras, read as its own.
    expires = _FromExtras[dt.datetime | None]()
    corrections = _FromExtras[tuple[Note, ...]]()
    reply = _FromExtras[Note | None]()
    coverage_start = _FromExtras[dt.datetime | None]()
    coverage_end = _FromExtras[dt.datetime | None]()
    live = _FromExtras[tuple[LiveEntry, ...]]()
    series = _FromExtras[str]()
    see_also = _FromExtras[tuple[str, ...]]()
    language = _FromExtras[str]()
    md_links = _FromExtras[tuple[str, ...]]()
    link_targets = _FromExtras[tuple[tuple[str, str], ...]]()
    translation_key = _FromExtras[str]()
    featured = _FromExtras[bool]()
    body_html = _FromExtras[str]()
    toc_html = _FromExtras[str]()
    draft = _FromExtras[bool]()
    aliases = _FromExtras[tuple[str, ...]]()
    pictures = _FromExtras[tuple[Image, ...]]()
    has_embeds = _FromExtras[bool]()
    edition = _FromExtras[str]()


def make_article(**values: Any) -> Article:
    """An Article from the values of its fields and of its extras' fields, by name."""
    found = Extras(**{name: values.pop(name) for name in EXTRA_FIELDS if name in values})
    return Article(**values, extras=None if found == NO_EXTRAS else found)


ARTICLE_FIELDS = tuple(name for name in inspect.signature(Article).parameters)
"""The names of an Article's own values (what `Article` takes), `extras` last."""
VALUE_FIELDS = ARTICLE_FIELDS[:-1] + EXTRA_FIELDS
"""The names of an Article's values: its own fields', then its extras'."""
_SLOTS = tuple(f.name for f in dataclasses.fields(Article))


def article_values(article: Article) -> dict[str, Any]:
    """Every field's value by name, its extras' among them (what `make_article` takes)."""
    return {name: getattr(article, name) for name in VALUE_FIELDS}


def replaced(article: Article, **changes: Any) -> Article:
    """`dataclasses.replace` for any field, its extras' too."""
    if not any(name in changes for name in EXTRA_FIELDS):
        return Article(**{**{name: getattr(article, name) for name in ARTICLE_FIELDS},
                          **changes})
    return make_article(**{**article_values(article), **changes})


def shared(article: Article, source: str | None = None) -> Article:
    """The article with its section, kind, language, series, authors' and tags' names as
    the one string each value is everywhere: an archive repeats a few hundred names over
    every article, and each article arriving from a worker or the cache brings copies.
    Its byline is one tuple for all the stories of the same authors."""
    extras = article.extras
    if extras is not None:
        extras = dataclasses.replace(extras, language=sys.intern(extras.language),
                                     series=sys.intern(extras.series),
                                     edition=sys.intern(extras.edition))
    # Its slots as they are but these (its text and photo are packed: nothing to share).
    made = object.__new__(Article)
    changes = {"source": article.source if source is None else source,
               "section": sys.intern(article.section), "kind": sys.intern(article.kind),
               "authors": _byline(article.authors),
               "tags": tuple(map(sys.intern, article.tags)), "extras": extras}
    for name in _SLOTS:
        object.__setattr__(made, name, changes[name] if name in changes
                           else getattr(article, name))
    return made


# Bylines met, each kept once: a newsroom has a few hundred writers, and most stories
# have one or two of them (a tuple an article would be 48 bytes of the planning
# process's). Tags are not kept so: most stories have a set of their own.
BYLINES_REMEMBERED = 65_536
_BYLINES: dict[tuple[str, ...], tuple[str, ...]] = {}


def _byline(authors: tuple[str, ...]) -> tuple[str, ...]:
    byline = tuple(map(sys.intern, authors))
    kept = _BYLINES.get(byline)
    if kept is None:
        if len(_BYLINES) >= BYLINES_REMEMBERED:  # a bound, not the whole archive's
            _BYLINES.clear()
        kept = _BYLINES[byline] = byline
    return kept


@dataclass(frozen=True, slots=True)
class Term:
    """A section, tag or author, with the indexes of its articles (newest first)."""

    slug: str
    name: str
    path: str
    articles: tuple[int, ...]
    description: str = ""


@dataclass(frozen=True, slots=True)
class ArchiveMonth:
    year: int
    month: int
    path: str
    articles: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ArchiveDay:
    date: dt.date
    path: str
    articles: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Site:
    """Everything published in one build, ordered deterministically."""

    articles: tuple[Article, ...]
    """Published articles, newest first."""
    pages: tuple[Article, ...]
    sections: tuple[Term, ...]
    tags: tuple[Term, ...]
    authors: tuple[Term, ...]
    archive: tuple[ArchiveMonth, ...]
    related: Sequence[tuple[int, ...]]
    """For each article, the indexes of its related articles (IndexLists)."""
    neighbours: Sequence[tuple[int | None, ...]]
    """For each article, (previous older, next newer) in its section (IndexLists)."""
    series: tuple[Term, ...] = ()
    """Series (liputan khusus), each with its parts oldest first."""
    days: tuple[ArchiveDay, ...] = ()
    """The daily index, newest day first."""
    see_also: tuple[tuple[int, ...], ...] = ()
    """For each article, the indexes of its "Baca juga" articles that are published."""


@dataclass(frozen=True, slots=True)
class Job:
    """One output file to render: planned by a page kind (sitegen/kinds/), rendered by
    render.render_job in a worker."""

    output: str
    """File to write, relative to the output folder."""
    templates: tuple[str, ...]
    """Candidates; the first that the theme has is used."""
    context: dict[str, Any]
    source: str
    """What is being rendered, for messages: a content file or a page's URL."""
    owner: str = ""
    """Who the file belongs to, as a clash message names it (claims.py)."""
