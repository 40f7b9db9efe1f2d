"""Layer 4.8. A sitemap's entries: each page's `loc` and `lastmod` (and its versions in
other editions), kept as two lists while planned and made into views when read (in the
worker that renders the file), grouped by the month of their `lastmod` for a sitemap of
a part a month (sitemaps.py)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import overload
from urllib.parse import quote

from sitegen import dates
from sitegen.value_views import View
from sitegen.views import Views

FILE_MARKUP = 1_000
"""Bytes the template adds around the whole file (sitemaps.split's estimate)."""
UNDATED = "undated"
"""The part of the pages without a `lastmod` (after the months: "u" sorts after digits)."""
_NO_MONTH = 1_000_000
"""`by_month`'s key of UNDATED, after every month's."""


def entry(views: Views, path: str, moment: dt.datetime | None) -> View:
    """One page's `loc` and `lastmod` (its newest change, when it has one), and its
    versions in the other editions (`xhtml:link` alternates) when it has any."""
    return _entry(views.link.absolute("/"), path, moment, _alternates(views, path))


def _alternates(views: Views, path: str) -> list[View]:
    return [{"language": a["language"], "href": uri(a["permalink"])}
            for a in views.alternates(path)]


def _entry(root: str, path: str, moment: dt.datetime | None,
           alternates: list[View] | None) -> View:
    found: View = {"loc": uri(root + path.lstrip("/")),
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

    def by_month(self) -> dict[str, Entries]:
        """The entries of each month (`YYYY-MM` of each moment in its own zone, as its
        `lastmod` shows it; UNDATED), in their order, months ascending."""
        # By year * 100 + month (undated last), named once a month, not once an entry.
        months: dict[int, list[int]] = {}
        for at, moment in enumerate(self.moments):
            month = _NO_MONTH if moment is None else moment.year * 100 + moment.month
            months.setdefault(month, []).append(at)
        paths, moments = self.paths, self.moments
        return {UNDATED if month == _NO_MONTH else f"{month // 100:04d}-{month % 100:02d}":
                Entries(self.root, ((paths[at], moments[at]) for at in months[month]),
                        {paths[at]: self.alternates[paths[at]] for at in months[month]
                         if paths[at] in self.alternates})
                for month in sorted(months)}

    def newest(self) -> str | None:
        """The `lastmod` of the newest entry (an index's for this part), without making
        every entry's view."""
        dated = [moment for moment in self.moments if moment is not None]
        return dates.iso(max(dated)) if dated else None


_URI_SAFE = ":/?#[]@!$&'()*+,;=%~"
# What `quote` leaves as it is (its own safe letters, digits and "_.-~", and ours): a
# sitemap of every URL meets mostly such, and matching is many times cheaper.
_AS_IS = re.compile(r"[A-Za-z0-9_.\-~" + re.escape(_URI_SAFE) + r"]*")


def uri(iri: str) -> str:
    """Sitemaps want URIs: letters of other scripts in a slug are percent-encoded."""
    if _AS_IS.fullmatch(iri):
        return iri
    return quote(iri, safe=_URI_SAFE)
