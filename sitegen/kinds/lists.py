"""Layer 5.7. Lists of articles that do not shift when a story is published.

A list newest first (the home page, a section, a tag, an author, a month, a
day) is cut from its OLDEST end: page 1 (`/ekonomi/page/1/`) holds the oldest
`items_per_page` stories, page 2 the next ones, and so on; only full pages are
numbered. The list's own URL (`/ekonomi/`), its front page, shows the stories
newer than the newest numbered page: between one and two pages' worth.

Publishing a story changes the front page only. Every `items_per_page`
stories, the front page hands its oldest page's worth to a new numbered page,
and the two numbered pages before it change their pager. No page shows a
total (a number of pages, or of stories) except the front page. A numbered
page changes again only when one of its own stories is edited, unpublished,
or when a story is backdated into the past before it.

Today's numbering counted from the newest end; its URLs `/page/2/`... keep
existing (now counted from the oldest end). Those past the last numbered page,
which the old numbering had, redirect to the front page until the list grows
into them (`retired`).

A list in reading order (a series, first part first) is cut from its start,
as before: page 1 is the list's URL; new parts only ever add to the end.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sitegen import urls
from sitegen.kinds.base import Claim, Entry, Planner, claim
from sitegen.kinds.list_pages import Cut, cuts_of, page_path, pagination, retired
from sitegen.kinds.shift import keep, note_newest
from sitegen.model import Job
from sitegen.plan_sweep import At
from sitegen.sealed import short_key
from sitegen.value_views import View


def plan_list(planner: Planner, kind: str, term: View | None, title: str, path: str,
              indexes: tuple[int, ...], owner: str, description: str = "",
              ordered: bool = False, **front: Any) -> Iterator[Job | At]:
    """The pages of one list, from its newest story to its oldest, each at the newest
    story it shows (plan_sweep.py). `front` keys (a home page's blocks, a term's feeds)
    are given to its front page only, so the numbered pages do not change with them; the
    term's count likewise."""
    cuts = cuts_of(path, indexes, planner.per_page, ordered)
    views, link, inputs = planner.views, planner.link, planner.inputs
    templates = (f"{kind}.html", "list.html")
    articles = planner.site.articles
    what = (kind, templates, term, title, path, description, ordered, front, planner.per_page)
    shown_all = None
    if inputs.site and planner.everything:
        _note_newest(planner, path, indexes, ordered)
        # What the list is apart from its stories (the digest of its whole makes it again).
        plain = f"{inputs.site}\0{what!r}"
        if _kept_moved(planner, plain, path, indexes, cuts, owner):
            return
        # A list a new story of a publish is in, or a removed one was, changed: not worth
        # its whole digest.
        if planner.shift is None or planner.shift.same_stories(path, indexes):
            inputs.worked += 1
            shown_all = inputs.articles(indexes, articles)
            if _kept_whole(planner, plain, shown_all, cuts, owner):
                return
    numbered_kept = bool(inputs.site) and planner.everything and not ordered and \
        _numbered_kept(planner, what, indexes, shown_all, cuts, owner)
    shown_all = None  # not held while the list waits for the walk (plan_sweep.py)
    for at in cuts.walk():
        cut = cuts[at]
        if not planner.wants(cut.path) or (at and numbered_kept):
            continue
        first = at == 0
        shown = term if first or term is None else {**term, "count": None}
        pager = pagination(cuts, at, link.url)
        extra = {k: (v if first else None) for k, v in front.items()}
        # Its inputs (page_inputs.py): the slice's articles, the pager, what it is.
        output = urls.output_file(cut.path)  # one string for every book it is in
        if inputs.unchanged(output, owner, (
                "list", templates, shown, pager, title, cut.path, description, extra,
                inputs.articles(cut.indexes, articles))):
            continue
        if cut.indexes:  # its cards are built when the walk comes to its newest story
            yield At(min(cut.indexes))
        yield Job(output, templates, {
            "site": planner.site_view, "term": shown, "articles": views.cards(cut.indexes),
            "pagination": pager, "page": planner.page(kind, title, cut.path, description),
            **extra,
        }, cut.path, owner)
    if not ordered:
        for old in retired(path, len(indexes), planner.per_page):
            if planner.wants(old) and not inputs.unchanged(
                    urls.output_file(old), owner, ("retired", title, old, path)):
                yield Job(urls.output_file(old), ("redirect.html",), {
                    "site": planner.site_view,
                    "target": {"url": link.url(path), "permalink": link.absolute(path)},
                    "page": planner.page("redirect", title, old),
                }, old, owner)


LIST_KEY = "\0list "
"""With a list's path: the key its digest is kept under among the pages' inputs."""
WHAT_KEY = "\0what "
"""With a list's path: the key of the digest of what the list is apart from its stories."""


def _kept_whole(planner: Planner, plain: str, shown: list[Any], cuts: Sequence[Cut],
                owner: str) -> bool:
    """Whether a whole list is made of what it was made of last time, so that each of its
    pages is (their inputs are a function of what the list is, `plain` with the site key,
    and the metadata digests of its stories, in order): then all keep their files, none
    planned, and no page's own inputs are worked out. A publish leaves most lists of a
    large archive so (a tag's, an author's, a day's), and they are most of its pages."""
    inputs, path = planner.inputs, cuts[0].path
    inputs.found[WHAT_KEY + path] = short_key(hashlib.sha256(plain.encode()))
    digest = short_key(hashlib.sha256(f"{plain}\0{shown!r}".encode()))
    inputs.found[LIST_KEY + path] = digest
    if not inputs.keep or inputs.previous.get(LIST_KEY + path) != digest:
        return False
    return _keep_list(planner, path, len(shown), cuts, owner)


def _kept_moved(planner: Planner, plain: str, path: str, indexes: tuple[int, ...],
                cuts: Sequence[Cut], owner: str) -> bool:
    """Whether a list of none but old stories of a publish (kinds/shift.py) is what it was
    last time, told without its stories' digests: what it is apart from them has last
    time's digest, and its stories are the same, in the same order, with the same cards,
    so its whole digest is last time's too."""
    inputs, moved = planner.inputs, planner.shift
    if moved is None or not moved.same_stories(path, indexes):
        return False
    what = short_key(hashlib.sha256(plain.encode()))
    whole = inputs.previous.get(LIST_KEY + path)
    if whole is None or inputs.previous.get(WHAT_KEY + path) != what:
        return False
    inputs.found[WHAT_KEY + path], inputs.found[LIST_KEY + path] = what, whole
    return _keep_list(planner, path, len(indexes), cuts, owner)


def kept_as_moved(planner: Planner, path: str, indexes: tuple[int, ...], owner: str) -> bool:
    """`_kept_moved` for a kind that knows its list is what it was last time apart from its
    stories without working that out (a day of a publish's old stories whose neighbours
    are old days, kinds/newsroom.py): its pages keep their files, their digests carried."""
    inputs, moved = planner.inputs, planner.shift
    if not inputs.site or not planner.everything or moved is None:
        return False
    _note_newest(planner, path, indexes, False)
    if not moved.same_stories(path, indexes):
        return False
    what, whole = inputs.previous.get(WHAT_KEY + path), inputs.previous.get(LIST_KEY + path)
    if what is None or whole is None:
        return False
    inputs.found[WHAT_KEY + path], inputs.found[LIST_KEY + path] = what, whole
    return _keep_list(planner, path, len(indexes),
                      cuts_of(path, indexes, planner.per_page, False), owner)


def _note_newest(planner: Planner, path: str, indexes: tuple[int, ...], ordered: bool) -> None:
    """Record the list's newest story when it is one of the archive's newest (shift.py: a
    removal of it plans the list; gone26)."""
    if indexes:
        note_newest(planner.inputs.found, path, min(indexes) if ordered else indexes[0])


def _keep_list(planner: Planner, path: str, count: int, cuts: Sequence[Cut], owner: str) -> bool:
    """Keep every page of a list made of what it was made of last time."""
    inputs = planner.inputs
    outputs = [urls.output_file(cut.path) for cut in cuts]
    if cuts[0].number is None:  # newest first: the redirects of the old numbering too
        outputs += [urls.output_file(old) for old in retired(path, count, planner.per_page)]
    if not keep(inputs, outputs, owner):
        return False
    for key in (NUMBERED_KEY, NUMBERED_WHAT_KEY):  # the same list: the same pages
        if (numbered := inputs.previous.get(key + path)) is not None:
            inputs.found[key + path] = numbered
    return True


NUMBERED_KEY = "\0numbered "
"""With a list's path: the key the digest of its numbered pages is kept under."""
NUMBERED_WHAT_KEY = "\0numbered what "
"""With a list's path: the key of the digest of what its numbered pages are apart from
their stories."""


def _numbered_kept(planner: Planner, what: tuple[Any, ...], indexes: tuple[int, ...],
                   shown: list[Any] | None, cuts: Sequence[Cut], owner: str) -> bool:
    """Whether a newest-first list's numbered pages are made of what they were made of
    last time, so that each keeps its file and only the front page is planned: a story
    published into the list changes its front page alone (the home page's 1,000 pages at
    10,000 stories). A numbered page's inputs are a function of what the list is, less
    what only its front page shows (the front extras' values, the term's count), of how
    many pages it has (the pager), and of its own stories with their metadata digests.
    In a publish (shift.py) whose new stories are all on the front page, the numbered
    pages' stories are last time's when the rest is: their digests are not worked out."""
    inputs, path = planner.inputs, what[4]
    kind, templates, term, title, _, description, _, front, per_page = what
    numbered = (kind, templates, term if term is None else {**term, "count": None}, title,
                path, description, sorted(front), per_page, len(cuts))
    plain = f"{inputs.site}\0{numbered!r}"
    rest = short_key(hashlib.sha256(plain.encode()))
    inputs.found[NUMBERED_WHAT_KEY + path] = rest
    start, moved = len(cuts[0].indexes), planner.shift
    digest = inputs.previous.get(NUMBERED_KEY + path)
    if digest is None or moved is None or moved.shows_new(indexes[start:]) or \
            inputs.previous.get(NUMBERED_WHAT_KEY + path) != rest:
        if shown is None:
            inputs.worked += 1
        older = shown[start:] if shown is not None else inputs.articles(
            indexes[start:], planner.site.articles)
        digest = short_key(hashlib.sha256(f"{plain}\0{older!r}".encode()))
    inputs.found[NUMBERED_KEY + path] = digest
    if len(cuts) < 2 or not inputs.keep or inputs.previous.get(NUMBERED_KEY + path) != digest:
        return False
    return keep(inputs, [urls.output_file(cut.path) for cut in cuts[1:]], owner)


def list_entries(planner: Planner, path: str, indexes: tuple[int, ...],
                 ordered: bool = False) -> Iterator[Entry]:
    """Sitemap entries: a page's last change is the newest change among what it shows;
    the front page changes too when a story is published."""
    newest = planner.site.articles[indexes[0]].date if indexes and not ordered else None
    modified = planner.modified().__getitem__
    cuts = cuts_of(path, indexes, planner.per_page, ordered)
    for at in range(len(cuts)):
        number, cut_path, cut_indexes, _ = cuts.row(at)
        # The first of equal moments, as `max` of the page's stories then `newest` gives.
        shown = max(map(modified, cut_indexes), default=None)
        if number is None and newest:
            shown = newest if shown is None else max(shown, newest)
        yield cut_path, shown


def list_claims(path: str, count: int, per_page: int, owner: str,
                ordered: bool = False) -> Iterable[Claim]:
    if ordered:
        total = max(1, math.ceil(count / per_page))
        paths = [path, *(page_path(path, n) for n in range(2, total + 1))]
    else:
        numbered = max(0, count // per_page - 1)
        paths = [path, *(page_path(path, n) for n in range(1, numbered + 1)),
                 *retired(path, count, per_page)]
    return [claim(p, owner) for p in paths]
