"""Layer 4. Which search shard each indexed page belongs to, and when a shard is unchanged.

Pagefind holds a whole index in memory while it writes it (about 270 KB per
700-word page), and it cannot update an index: so the index is split into
shards that Pagefind builds one at a time and the search page merges in the
browser (Pagefind's `mergeIndex`). A shard is a period of publication time:
a year; a year with more than `limit` pages is split into runs of whole
months, a month with too many into runs of whole days, a day into runs of
`limit` pages. The periods only depend on the pages' dates, so an edit
changes one shard, a new article changes the newest one, and a shard never
holds more than `limit` pages. A site of at most `limit` pages is one shard.

A shard is re-indexed only when what Pagefind reads of its pages changed:
each page's digest covers its indexed part (the `data-pagefind-body`
elements, every tag with a `data-pagefind-*` attribute, the first heading
and image, the language), not the boxes around it that change when other
articles are published.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable
from itertools import groupby

ALL = "all"
"""The one shard of a site with at most `limit` pages."""

Page = tuple[str, dt.datetime]
"""An indexed page: its output file and its publication date."""


def plan(pages: Iterable[Page], limit: int) -> dict[str, list[str]]:
    """Shard name -> its output files (sorted), newest shard first."""
    ordered = sorted(pages, key=lambda page: (page[1], page[0]))
    if len(ordered) <= limit:
        return {ALL: sorted(name for name, _ in ordered)} if ordered else {}
    shards: dict[str, list[str]] = {}
    for year, members in groupby(ordered, key=lambda page: page[1].year):
        _split(list(members), limit, f"{year:04d}", _month, shards)
    return {name: sorted(shards[name]) for name in sorted(shards, reverse=True)}


def _month(page: Page) -> str:
    return f"{page[1].year:04d}-{page[1].month:02d}"


def _day(page: Page) -> str:
    return f"{_month(page)}-{page[1].day:02d}"


_FINER: dict[Callable[[Page], str], Callable[[Page], str] | None] = {_month: _day, _day: None}


def _split(pages: list[Page], limit: int, name: str, finer: Callable[[Page], str] | None,
           shards: dict[str, list[str]]) -> None:
    """One shard for a period that fits; else runs of whole sub-periods that fit, each
    named after the sub-period it starts with (a run of one period that is still too
    large is split finer)."""
    if len(pages) <= limit:
        shards[name] = [output for output, _ in pages]
        return
    if finer is None:  # more than `limit` pages on one day: runs in publication order
        for start in range(0, len(pages), limit):
            shards[f"{name}-{start // limit + 1}"] = [o for o, _ in pages[start:start + limit]]
        return
    run: list[Page] = []
    start = ""
    for key, group in groupby(pages, key=finer):
        members = list(group)
        if run and len(run) + len(members) > limit:
            _split(run, limit, start, _FINER[finer], shards)
            run = []
        if not run:
            start = key
        run.extend(members)
    _split(run, limit, start, _FINER[finer], shards)


# --- what Pagefind reads of a page --------------------------------------------------

_BODY = re.compile(rb"<([a-zA-Z][\w-]*)\b[^>]*\bdata-pagefind-body\b[^>]*>")
_ATTRIBUTE_TAG = re.compile(rb"<[a-zA-Z][^>]*\bdata-pagefind-[^>]*>")
_HTML_TAG = re.compile(rb"<html\b[^>]*>", re.IGNORECASE)
_FIRST_H1 = re.compile(rb"<h1\b.*?</h1>", re.IGNORECASE | re.DOTALL)
_FIRST_IMG = re.compile(rb"<img\b[^>]*>", re.IGNORECASE)


def indexed_digest(html: bytes) -> str:
    """A digest of everything on the page that Pagefind can put into the index.

    Conservative: an element marked `data-pagefind-body` counts whole, markup and
    all, up to its matching end tag (or the end of the page, if that is not
    found); a page without one counts whole, since Pagefind then reads its body.
    """
    digest = hashlib.sha256()
    bodies = list(_BODY.finditer(html))
    if not bodies:
        digest.update(html)
        return digest.hexdigest()
    for pattern in (_HTML_TAG, _FIRST_H1, _FIRST_IMG):
        if found := pattern.search(html):
            digest.update(found.group(0) + b"\0")
    for tag in _ATTRIBUTE_TAG.finditer(html):
        digest.update(tag.group(0) + b"\0")
    for body in bodies:
        digest.update(html[body.start():_element_end(html, body.group(1), body.end())] + b"\0")
    return digest.hexdigest()


def _element_end(html: bytes, name: bytes, start: int) -> int:
    """Where the element opened just before `start` ends (same-name tags nest)."""
    tags = re.compile(rb"<(/?)" + re.escape(name) + rb"\b", re.IGNORECASE)
    depth = 1
    for tag in tags.finditer(html, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return html.index(b">", tag.end()) + 1 if b">" in html[tag.end():] else len(html)
    return len(html)


def shard_digest(context: str, pages: dict[str, str]) -> str:
    """A shard's input: what all shards share (Pagefind's version, the language) and
    each of its pages' output file and indexed digest."""
    digest = hashlib.sha256(context.encode() + b"\0")
    for output in sorted(pages):
        digest.update(f"{output}\0{pages[output]}\0".encode())
    return digest.hexdigest()
