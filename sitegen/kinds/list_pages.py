"""Layer 5.65. A list's pages: where a list is cut (kinds/lists.py says why from its
oldest end, newest first, and from its start in reading order), each page cut only
when asked for, and where a page stands among the others (its pager)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, overload

from sitegen.value_views import View

PAGER_NEIGHBOURS = 2


@dataclass(frozen=True)
class Cut:
    number: int | None
    """The page's number; None for a newest-first list's front page."""
    path: str
    indexes: tuple[int, ...]
    start: int
    """The 1-based position of the first story shown: in reading order, or counted from
    the oldest story (a numbered page newest first) or the newest (the front page)."""


def page_path(path: str, number: int) -> str:
    """`/ekonomi/` -> `/ekonomi/page/3/`."""
    return f"{path.rstrip('/')}/page/{number}/"


class Cuts(Sequence[Cut]):
    """A list's pages, each cut when asked for, so that a list the plan has open (while
    the walk through the archive interleaves it with the others, plan_sweep.py) holds
    none of its pages. Newest first: the front page, then numbered pages 1 (oldest)
    and up; in reading order: pages 1 (the list's URL) and up."""

    def __init__(self, path: str, indexes: tuple[int, ...], per_page: int,
                 ordered: bool) -> None:
        self.path, self.indexes, self.per_page, self.ordered = path, indexes, per_page, ordered
        count = len(indexes)
        if ordered:
            self.total = max(1, math.ceil(count / per_page))
        else:
            numbered = max(0, count // per_page - 1)
            self.total = numbered + 1
            self.front = count - numbered * per_page

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, at: int) -> Cut: ...

    @overload
    def __getitem__(self, at: slice) -> list[Cut]: ...

    def __getitem__(self, at: int | slice) -> Cut | list[Cut]:
        if isinstance(at, slice):
            return [self[i] for i in range(*at.indices(self.total))]
        if at < 0:
            at += self.total
        if not 0 <= at < self.total:
            raise IndexError(at)
        return Cut(*self.row(at))

    def row(self, at: int) -> tuple[int | None, str, tuple[int, ...], int]:
        """The fields of the page at `at` (0 <= at < len), without a Cut made: the sitemap
        asks for every page of every list (20,000 at 10,000 stories)."""
        path, indexes, per_page = self.path, self.indexes, self.per_page
        if self.ordered:
            return (at + 1, path if at == 0 else page_path(path, at + 1),
                    indexes[at * per_page:(at + 1) * per_page], at * per_page + 1)
        if at == 0:
            return None, path, indexes[:self.front], 1
        end = len(indexes) - (at - 1) * per_page
        # `start` counts from the oldest story too: from the newest, it would change
        # with every story published.
        return at, page_path(path, at), indexes[end - per_page:end], (at - 1) * per_page + 1

    def walk(self) -> list[int]:
        """The pages in the order the plan takes them: from the newest story to the
        oldest (the front page, then the numbered pages downwards), so that a list moves
        along with the walk through the archive (plan_sweep.py)."""
        if self.ordered:
            return list(range(self.total))
        return [0, *range(self.total - 1, 0, -1)]


def cuts_of(path: str, indexes: tuple[int, ...], per_page: int, ordered: bool) -> Cuts:
    return Cuts(path, indexes, per_page, ordered)


def retired(path: str, count: int, per_page: int) -> list[str]:
    """Pages the newest-first numbering had (`/page/2/` to the last) that the numbering
    from the oldest end has not reached yet: at most two per list."""
    numbered = max(0, count // per_page - 1)
    old_total = max(1, math.ceil(count / per_page))
    return [page_path(path, n) for n in range(max(2, numbered + 1), old_total + 1)]


def pagination(cuts: Sequence[Cut], at: int, url: Any) -> View:
    """Where a page stands, with links to the pages near it, to the first page and to
    the front page; never to the newest numbered page, nor a total, nor a gap between
    the front page and a numbered page's neighbours: those change with the list's
    length, and would change every page of it with each new story."""
    cut = cuts[at]
    count = len(cuts)
    newest = cuts[0].number is None

    def display(i: int) -> Cut:
        # Shown newest first: the front page, then the numbered pages from the newest
        # (the page at a place is worked out, not the list of them made for each page).
        return cuts[i] if not newest or i == 0 else cuts[count - i]

    position = at if not newest or at == 0 else count - at
    near = range(position - PAGER_NEIGHBOURS, position + PAGER_NEIGHBOURS + 1)
    window = sorted(i for i in {0, *near, count - 1} if 0 <= i < count)
    pages: list[View | None] = []
    for before, i in zip([None, *window], window, strict=False):
        if before is not None and i > before + 1 and not (newest and before == 0 and at):
            pages.append(None)
        shown = display(i)
        pages.append({"number": shown.number, "url": url(shown.path),
                      "current": i == position})
    return {"number": cut.number, "front": position == 0, "start": cut.start,
            "previous_url": url(display(position - 1).path) if position > 0 else None,
            "next_url": url(display(position + 1).path) if position + 1 < count else None,
            "pages": pages if count > 1 else []}
