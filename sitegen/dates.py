"""Layer 1. Dates in the site's time zone, and dates formatted for readers.

Formatting uses Babel (CLDR data), never the operating system's locale, so an
Indonesian site says "Selasa, 10 Januari 2017 09.00 WIB" on any machine.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, get_date_format


def to_aware(value: object, tz: ZoneInfo) -> dt.datetime | None:
    """A front matter date as an aware datetime; naive values mean the site's zone.

    Returns None when the value is not a date at all.
    """
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip().replace(" ", "T", 1))
        except ValueError:
            return None
    else:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=tz)
    return moment.astimezone(tz)


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


def format_short(moment: dt.datetime, locale: str) -> str:
    """'10 Jan 2017' in the locale's own order and month names."""
    locale = babel_locale(locale)
    if _year_first(locale):
        return format_date(moment, "medium", locale=locale)
    return format_datetime(moment, "d MMM y", locale=locale)


def babel_locale(code: str) -> str:
    """`pt-BR` (how HTML and front matter write it) -> `pt_BR` (how Babel wants it)."""
    return code.replace("-", "_")


def _year_first(locale: str) -> bool:
    """Languages that write the year first (ja, zh, ko, hu, ...) get CLDR's own date
    patterns: the newspaper pattern "Selasa, 10 Januari 2017" reads wrongly there."""
    return get_date_format("full", locale=locale).pattern.lstrip("'").startswith("y")


def iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def format_month(year: int, month: int, locale: str) -> str:
    """'Januari 2017'."""
    locale = babel_locale(locale)
    return format_datetime(dt.datetime(year, month, 1), "LLLL y", locale=locale)
