"""Layer 5. What a build holds back: drafts, scheduled and expired articles.

`sitegen list drafts|scheduled|expired` reads only front matter (no Markdown),
so it answers at once on a large archive; the build's summary counts the same
from the articles it read. Both use `collect.Selection`'s rule, in its order:
a draft is a draft, whatever its date; then a future date is scheduled; then
a past `expires` is expired.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sitegen import front_matter, readers
from sitegen.collect import Selection
from sitegen.config import Config
from sitegen.dates import to_aware
from sitegen.errors import Problem
from sitegen.model import Article

KINDS = ("drafts", "scheduled", "expired")


@dataclass(frozen=True)
class Entry:
    source: str
    title: str
    date: dt.datetime | None
    expires: dt.datetime | None
    draft: bool


@dataclass(frozen=True)
class HeldBack:
    """What one build left out, and when the next scheduled article goes live."""

    drafts: int = 0
    scheduled: int = 0
    expired: int = 0
    next_live: dt.datetime | None = None

    @property
    def any(self) -> bool:
        return bool(self.drafts or self.scheduled or self.expired)


def kind_of(entry: Entry, selection: Selection) -> str | None:
    """Why `selection` leaves this out ('drafts', 'scheduled', 'expired'), or None."""
    if entry.draft and not selection.drafts:
        return "drafts"
    if entry.date and entry.date > selection.now and not selection.future:
        return "scheduled"
    if entry.expires and entry.expires <= selection.now and not selection.expired:
        return "expired"
    return None


def held_back(articles: Iterable[Article], selection: Selection) -> HeldBack:
    counts = dict.fromkeys(KINDS, 0)
    upcoming = []
    for article in articles:
        # No draft, no expiry, not dated ahead: published, like most stories of an
        # archive (asked of each, every build: no entry made of it).
        extras = article.extras
        if (extras is None or not (extras.draft or extras.expires)) and \
                not (article.date and article.date > selection.now):
            continue
        kind = kind_of(Entry(article.source, article.title, article.date, article.expires,
                             article.draft), selection)
        if kind:
            counts[kind] += 1
            if kind == "scheduled":
                upcoming.append(article.date)
    return HeldBack(counts["drafts"], counts["scheduled"], counts["expired"],
                    min(upcoming) if upcoming else None)


def read_entries(config: Config) -> tuple[list[Entry], list[Problem]]:
    """Every source's title, dates and draft flag, from its front matter only."""
    zone = ZoneInfo(config.site.timezone)
    entries, problems = [], []
    for path in readers.discover(config):
        where = path.relative_to(config.root).as_posix()
        try:
            raw = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(where, 0, f"cannot be read: {exc.strerror}"))
            continue
        front, found = front_matter.split_front_matter(raw, where)
        problems.extend(found)
        if front is None:
            continue
        data = front.data
        moments = {}
        for key in ("date", "expires"):
            moments[key] = to_aware(data[key], zone) if data.get(key) is not None else None
            if data.get(key) is not None and moments[key] is None:
                line = next((i + 2 for i, text in enumerate(front.lines)
                             if text.startswith(f"{key}:")), 2)
                problems.append(Problem(where, line, f"{key} '{data[key]}' is not a date"))
        entries.append(Entry(where, str(data.get("title", "")).strip(), moments["date"],
                             moments["expires"], data.get("draft") is True))
    return entries, problems


def entries_of(kind: str, entries: list[Entry], now: dt.datetime) -> list[Entry]:
    """The entries a build at `now` holds back for this reason, soonest first."""
    selection = Selection(now)
    chosen = [e for e in entries if kind_of(e, selection) == kind]
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    if kind == "expired":
        return sorted(chosen, key=lambda e: (e.expires or far, e.source))
    return sorted(chosen, key=lambda e: (e.date or far, e.source))


def local_time(moment: dt.datetime | None, timezone: str) -> str:
    """`2026-12-01 09:00 WIB`: the site's zone and its abbreviation."""
    if moment is None:
        return "-"
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M %Z")
