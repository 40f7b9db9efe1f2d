"""Layer 1. Dates in the site's time zone, and dates formatted for readers.

Formatting uses Babel (CLDR data), never the operating system's locale, so an
Indonesian site says "Selasa, 10 Januari 2017 09.00 WIB" on any machine.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, get_date_format, get_month_names

from sitegen.messages import tr


class DateError(ValueError):
    """A date that cannot be read; the message says why, for the user."""


# One notation each, so nothing is a guess: a date, then optionally a time written
# 21:30[:05[.123]] (ISO, one-digit hours as Jekyll writes them) or 21.30[.05] (the
# Indonesian notation), then optionally an offset (Z, UTC, +07:00, +0700, +07, or
# Indonesia's WIB, WITA and WIT).
_DATE = re.compile(r"""
    (?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})
    (?:(?:T|[ ]+)(?P<time>
        (?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,9}))?)?
      | (?P<dhour>\d{1,2})\.(?P<dminute>\d{2})(?:\.(?P<dsecond>\d{2}))?)
      (?:[ ]*(?P<zone>Z|UTC|GMT|WIB|WITA|WIT|[+-]\d{2}(?::?\d{2})?))?
    )?
    """, re.VERBOSE)
# As Indonesian newsrooms write times: "21.30 WIB".
_INDONESIAN_ZONES = {"WIB": 7, "WITA": 8, "WIT": 9}
# As newsrooms write a date in words: "4 Desember 2026 21.30 WIB", "Sabtu, 4 Des 2026",
# "4 December 2026, 21:30". The weekday is read past, never checked: a wrong one is a
# slip of the writer, the day and month say which day is meant.
_WORDS = re.compile(r"""
    (?:[^\W\d_]+,?[ ]+)?
    (?P<day>\d{1,2})[ ]+(?P<month>[^\W\d_]+)\.?[ ]+(?P<year>\d{4})
    (?:,?[ ]+(?:pukul[ ]+|jam[ ]+|at[ ]+)?(?P<time>\d{1,2}[.:]\d{2}(?:[.:]\d{2})?))?
    (?:[ ]*(?P<zone>Z|UTC|GMT|WIB|WITA|WIT|[+-]\d{2}(?::?\d{2})?))?
    """, re.VERBOSE | re.IGNORECASE)


def _hint() -> str:
    return tr("write it as 2017-01-10 09:00 (site time zone), 2017-01-10T09:00:00+07:00 "
              "or 10 Januari 2017 09.00 WIB")


@lru_cache(maxsize=1)
def _month_names() -> dict[str, int]:
    """Month names and abbreviations, Indonesian and English, lower case -> number."""
    names: dict[str, int] = {}
    for locale in ("id", "en"):
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=locale).items():
                names[name.lower().rstrip(".")] = number
    # Abbreviations newsrooms use beside CLDR's.
    names.update({"agt": 8, "ags": 8, "agst": 8, "sept": 9, "nop": 11, "nopember": 11,
                  "pebruari": 2, "peb": 2})
    return names


def _from_words(text: str) -> str | None:
    """'4 Desember 2026 21.30 WIB' -> '2026-12-04 21.30 WIB' (read by _DATE); None when
    the text is not a date in words, or names no month."""
    match = _WORDS.fullmatch(text)
    if match is None:
        return None
    month = _month_names().get(match["month"].lower())
    if month is None:
        raise DateError(tr("'{text}': '{month}' is not a month name, such as Januari or "
                           "Jan: {hint}").format(text=text, month=match["month"], hint=_hint()))
    moment = f"{match['year']}-{month:02d}-{int(match['day']):02d}"
    if match["time"]:
        moment += " " + match["time"]
    if match["zone"]:
        moment += " " + match["zone"].upper()
    return moment


def parse_date(value: object, tz: ZoneInfo) -> dt.datetime:
    """A front matter date as an aware datetime; naive values mean the site's zone.

    Raises DateError saying what is wrong: not a date, an impossible one
    (2017-02-30), or one outside what can be represented in UTC and in the site's zone.
    """
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        moment = _from_text(value.strip())
    else:
        raise DateError(tr("'{value}' is not a date: {hint}").format(value=value,
                                                                        hint=_hint()))
    try:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=tz)
        moment.astimezone(dt.UTC)
        return moment.astimezone(tz)
    except (OverflowError, ValueError):
        raise DateError(tr("'{value}' is out of range: in UTC or in the site's time zone "
                           "it would fall outside the years 1 to 9999").format(value=value)
                        ) from None


def _from_text(text: str) -> dt.datetime:
    match = _DATE.fullmatch(text)
    if match is None and (words := _from_words(text)) is not None:
        match = _DATE.fullmatch(words)
    if match is None:
        if re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}.*", text):
            raise DateError(tr("'{text}' is ambiguous (day and month could be either way "
                               "round): {hint}").format(text=text, hint=_hint()))
        raise DateError(tr("'{value}' is not a date: {hint}").format(value=text, hint=_hint()))
    part = match.groupdict()
    if part["time"] is None:
        hour, minute, second, fraction = "0", "0", "0", ""
    elif part["hour"] is not None:
        hour, minute = part["hour"], part["minute"]
        second, fraction = part["second"] or "0", part["fraction"] or ""
    else:
        hour, minute, second, fraction = part["dhour"], part["dminute"], part["dsecond"] or "0", ""
    zone = None
    if part["zone"] in ("Z", "UTC", "GMT"):
        zone = dt.UTC
    elif part["zone"] in _INDONESIAN_ZONES:
        zone = dt.timezone(dt.timedelta(hours=_INDONESIAN_ZONES[part["zone"]]))
    elif part["zone"]:
        digits = part["zone"][1:].replace(":", "")
        offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
        if offset >= dt.timedelta(hours=24) or int(digits[2:] or 0) >= 60:
            raise DateError(tr("'{text}' has an impossible offset {zone}: {hint}").format(
                text=text, zone=part["zone"], hint=_hint()))
        zone = dt.timezone(-offset if part["zone"][0] == "-" else offset)
    try:
        return dt.datetime(int(part["year"]), int(part["month"]), int(part["day"]), int(hour),
                           int(minute), int(second), int(fraction[:6].ljust(6, "0") or 0),
                           tzinfo=zone)
    except ValueError as exc:
        raise DateError(tr("'{text}' is not a real date or time ({reason}): {hint}").format(
            text=text, reason=exc, hint=_hint())) from None


def to_aware(value: object, tz: ZoneInfo) -> dt.datetime | None:
    """`parse_date`, or None when the value is not a usable date."""
    try:
        return parse_date(value, tz)
    except DateError:
        return None


def zone_abbreviation(moment: dt.datetime, locale: str) -> str:
    """CLDR's short zone name (WIB/WITA/WIT in Indonesian), else 'UTC+7'."""
    locale = babel_locale(locale)
    name = format_datetime(moment, "z", locale=locale)
    if name[:1] in "+-":
        offset = moment.utcoffset() or dt.timedelta()
        hours, rest = divmod(int(offset.total_seconds()) // 60, 60)
        name = f"UTC{hours:+d}" + (f":{rest:02d}" if rest else "")
    return name


def format_long(moment: dt.datetime, locale: str) -> str:
    """'Selasa, 10 Januari 2017 09.00 WIB' (or the locale's own pattern)."""
    locale = babel_locale(locale)
    day = (format_date(moment, "full", locale=locale) if _year_first(locale)
           else format_datetime(moment, "EEEE, d MMMM y", locale=locale))
    time = format_datetime(moment, "HH:mm", locale=locale)
    if locale.split("_")[0] == "id":
        time = time.replace(":", ".")
    return f"{day} {time} {zone_abbreviation(moment, locale)}"


def format_styled(moment: dt.datetime, locale: str, style: str) -> str:
    """An edition's `date_style` (CLDR's short, medium, long or full date), with the time
    and zone as `format_long` writes them."""
    locale = babel_locale(locale)
    time = format_time(moment, locale)
    return f"{format_date(moment, style, locale=locale)} {time} {zone_abbreviation(moment, locale)}"


def format_short(moment: dt.datetime, locale: str) -> str:
    """'10 Jan 2017' in the locale's own order and month names."""
    locale = babel_locale(locale)
    if _year_first(locale):
        return format_date(moment, "medium", locale=locale)
    return format_datetime(moment, "d MMM y", locale=locale)


def format_time(moment: dt.datetime, locale: str) -> str:
    """'09.00' in Indonesian, '09:00' elsewhere (the clock time only)."""
    locale = babel_locale(locale)
    time = format_datetime(moment, "HH:mm", locale=locale)
    return time.replace(":", ".") if locale.split("_")[0] == "id" else time


def babel_locale(code: str) -> str:
    """`pt-BR` (how HTML and front matter write it) -> `pt_BR` (how Babel wants it)."""
    return code.replace("-", "_")


def _year_first(locale: str) -> bool:
    """Languages that write the year first (ja, zh, ko, hu, ...) get CLDR's own date
    patterns: the newspaper pattern "Selasa, 10 Januari 2017" reads wrongly there."""
    return get_date_format("full", locale=locale).pattern.lstrip("'").startswith("y")


def iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


# Formatting with CLDR data costs more than everything else about a date, and each story's
# date is shown on many pages. What it costs is remembered by the day and by the clock
# time, not by the moment: a newsroom publishes hundreds of stories a day, and an entry a
# story would hold every date of the archive in the process that plans the build.
DAYS_REMEMBERED = 8_192
_DAYS: dict[tuple[Any, ...], tuple[str, str, str]] = {}
_CLOCKS: dict[tuple[int, int, str], str] = {}


def day_texts(moment: dt.datetime, locale: str, style: str = "") -> tuple[str, str, str]:
    """The day as `format_long` (or with `style`, `format_styled`) writes it before the
    time, as `format_short` writes it, and the zone's abbreviation; the same for every
    moment of one day in one zone."""
    key = (moment.date(), moment.tzinfo, moment.utcoffset(), locale, style)
    found = _DAYS.get(key)
    if found is None:
        if len(_DAYS) >= DAYS_REMEMBERED:
            _DAYS.clear()
        babel = babel_locale(locale)
        if style:
            day = format_date(moment, style, locale=babel)
        elif _year_first(babel):
            day = format_date(moment, "full", locale=babel)
        else:
            day = format_datetime(moment, "EEEE, d MMMM y", locale=babel)
        found = _DAYS[key] = (day, format_short(moment, locale),
                              zone_abbreviation(moment, locale))
    return found


def clock_text(moment: dt.datetime, locale: str) -> str:
    """`format_time`, remembered by the hour and minute."""
    key = (moment.hour, moment.minute, locale)
    found = _CLOCKS.get(key)
    if found is None:
        found = _CLOCKS[key] = format_time(moment, locale)
    return found


@lru_cache(maxsize=100_000)  # the daily index names every day on every build
def format_day(day: dt.date, locale: str) -> str:
    """'Sabtu, 28 November 2026'."""
    return format_datetime(dt.datetime(day.year, day.month, day.day), "EEEE, d MMMM y",
                           locale=babel_locale(locale))


@lru_cache(maxsize=10_000)
def format_month(year: int, month: int, locale: str) -> str:
    """'Januari 2017'."""
    locale = babel_locale(locale)
    return format_datetime(dt.datetime(year, month, 1), "LLLL y", locale=locale)
