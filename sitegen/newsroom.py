"""Layer 1. What only a newsroom writes in front matter: the article's kind, its
corrections, a right of reply, a live blog's coverage and entries, its series and
its "Baca juga" links; and the breaking-news banner's visibility.

Pure functions of their arguments. Every problem is reported through the reader's
`problem(key, message)` callback, so it lands on the front matter line of its key, and
dates are read with the reader's own `to_date`, so every date in a file follows the
same notation rules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

KINDS = ("news", "opinion", "analysis", "background", "press-release", "advertorial", "live")
# schema.org types (schema.org has no press release type: it is an Article).
SCHEMA_TYPES = {"news": "NewsArticle", "opinion": "OpinionNewsArticle",
                "analysis": "AnalysisNewsArticle", "background": "BackgroundNewsArticle",
                "press-release": "Article", "advertorial": "AdvertiserContentArticle",
                "live": "LiveBlogPosting"}
# Kinds that are not journalism of the newsroom's own stay out of the Google News sitemap.
NOT_NEWS = frozenset({"advertorial", "press-release"})
KEYS = ("kind", "corrections", "right_of_reply", "coverage_start", "coverage_end",
        "series", "see_also")

Problem = Callable[..., None]
ToDate = Callable[[object], "dt.datetime | None"]


@dataclass(frozen=True, slots=True)
class Note:
    """A correction, or the right of reply (`by` names who replies)."""

    date: dt.datetime
    text: str
    by: str = ""


@dataclass(frozen=True, slots=True)
class LiveEntry:
    date: dt.datetime
    headline: str
    body_html: str
    anchor: str


@dataclass(frozen=True, slots=True)
class NewsFields:
    kind: str = "news"
    corrections: tuple[Note, ...] = ()
    reply: Note | None = None
    coverage_start: dt.datetime | None = None
    coverage_end: dt.datetime | None = None
    series: str = ""
    see_also: tuple[str, ...] = ()


_DATE_HINT = "write it as 2017-01-10 09:00 (site time zone) or 2017-01-10T09:00:00+07:00"


def parse_fields(data: dict[str, Any], to_date: ToDate, problem: Problem) -> NewsFields:
    """The newsroom keys of one front matter, validated."""
    kind = data.get("kind", "news")
    if kind not in KINDS:
        problem("kind", f"kind '{kind}' is not one of {', '.join(KINDS)}")
        kind = "news"
    corrections = data.get("corrections", [])
    if not isinstance(corrections, list):
        problem("corrections", "corrections must be a list of entries, each with date and text")
        corrections = []
    notes = [n for n in (_note(c, "corrections", to_date, problem) for c in corrections) if n]
    reply = _note(data["right_of_reply"], "right_of_reply", to_date, problem) \
        if "right_of_reply" in data else None
    coverage = {}
    for key in ("coverage_start", "coverage_end"):
        if key in data:
            coverage[key] = to_date(data[key])
            if coverage[key] is None:
                problem(key, f"{key} '{data[key]}' is not a date: {_DATE_HINT}")
    if kind == "live" and not coverage.get("coverage_start"):
        problem("coverage_start", "a live blog needs coverage_start: when the coverage began")
    start, end = coverage.get("coverage_start"), coverage.get("coverage_end")
    if start and end and end < start:
        problem("coverage_end", "coverage_end is before coverage_start")
    if kind != "live" and coverage:
        problem(next(iter(coverage)), "coverage_start and coverage_end are for kind: live",
                warning=True)
    series = data.get("series", "")
    if not isinstance(series, str):
        problem("series", "series must be text: the name of the series")
        series = ""
    see_also = data.get("see_also", [])
    see_also = [see_also] if isinstance(see_also, str) else see_also
    if not isinstance(see_also, list) or not all(isinstance(s, str) for s in see_also):
        problem("see_also", "see_also must be a list of article URLs such as /ekonomi/judul/")
        see_also = []
    return NewsFields(kind=kind, corrections=tuple(sorted(notes, key=lambda n: n.date)),
                      reply=reply, coverage_start=start, coverage_end=end,
                      series=series.strip(), see_also=tuple(s.strip() for s in see_also))


def _note(value: Any, key: str, to_date: ToDate, problem: Problem) -> Note | None:
    example = f"{key}: [{{date: 2017-01-10 09:00, text: \"...\"}}]" if key == "corrections" \
        else f"{key}: {{date: 2017-01-10 09:00, text: \"...\", by: \"...\"}}"
    if not isinstance(value, dict) or not isinstance(value.get("text"), str) \
            or not value["text"].strip():
        problem(key, f"each of {key} needs a date and a text, such as {example}")
        return None
    unknown = set(value) - {"date", "text", "by"}
    if unknown:
        problem(key, f"unknown key '{sorted(unknown)[0]}' in {key} (use date, text and by)")
    date = to_date(value.get("date"))
    if date is None:
        problem(key, f"{key} date '{value.get('date')}' is not a date: {_DATE_HINT}")
        return None
    by = value.get("by", "")
    return Note(date=date, text=value["text"].strip(), by=str(by).strip())


# A subheading that starts with a digit and has a '|' is an entry (a bad time is an error,
# never a silent subheading).
_ENTRY = re.compile(r"^##\s+(\d[^|]*?)\s*\|\s*(.*?)\s*#*\s*$")


def split_live(body: str) -> tuple[str, list[tuple[int, str, str, str]]]:
    """A live blog's body -> (its introduction, [(line, time, headline, Markdown)]).

    An entry starts with a line `## 2026-11-28 10:15 | Headline` and runs to the
    next such line. `line` counts within the body, from 1.
    """
    intro: list[str] = []
    entries: list[tuple[int, str, str, list[str]]] = []
    fence = False
    for number, line in enumerate(body.split("\n"), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        match = None if fence else _ENTRY.match(line)
        if match:
            entries.append((number, match.group(1), match.group(2), []))
        elif entries:
            entries[-1][3].append(line)
        else:
            intro.append(line)
    return "\n".join(intro), [(n, t, h, "\n".join(text)) for n, t, h, text in entries]


def entry_time(text: str, to_date: ToDate) -> dt.datetime | None:
    """`2026-11-28 10:15` or `2026-11-28 10.15` (the Indonesian notation)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{1,2}[:.]\d{2}", text):
        return None
    day, time = text[:10], text[11:].replace(".", ":")
    return to_date(f"{day} {time:0>5}")


def is_open(start: dt.datetime | None, end: dt.datetime | None, now: dt.datetime) -> bool:
    """A live blog is live from its start until its end (no end: until one is written)."""
    return bool(start and start <= now and (end is None or now < end))


_LINK = re.compile(r"<a\s[^>]*>", re.IGNORECASE)
_HREF = re.compile(r"""\shref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_REL = re.compile(r"""\srel\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def mark_sponsored(body_html: str, origin: str) -> str:
    """`rel="sponsored"` on every link of a paid article that leaves the site: paid links
    must not pass ranking credit (Google's link attributes; the press council's rule that
    paid content is marked)."""
    def tag(match: re.Match[str]) -> str:
        text = match.group(0)
        href = _HREF.search(text)
        url = next((g for g in href.groups() if g is not None), "") if href else ""
        if not re.match(r"^(https?:)?//", url, re.IGNORECASE) or (
                origin and url.lower().startswith(origin.lower() + "/")):
            return text
        rel = _REL.search(text)
        if rel is None:
            return text[:-1] + ' rel="sponsored">'
        words = next(g for g in rel.groups() if g is not None).split()
        if "sponsored" in words:
            return text
        return text[:rel.start()] + f' rel="{" ".join([*words, "sponsored"])}"' + text[rel.end():]
    return _LINK.sub(tag, body_html)
