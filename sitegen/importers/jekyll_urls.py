"""Where Jekyll published a page: its permalink styles and placeholders."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from sitegen import urls

STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}


def collections(settings: dict[str, Any]) -> dict[str, str]:
    """`collections:` of _config.yml that are published (`output: true`)."""
    found = settings.get("collections")
    if not isinstance(found, dict):
        return {}
    styles = {"pretty": "/:collection/:path/", "date": "/:collection/:path:output_ext"}
    return {str(name): styles.get(str(value.get("permalink")),
                                  str(value.get("permalink") or "/:collection/:path:output_ext"))
            for name, value in found.items()
            if isinstance(value, dict) and value.get("output") is True and name != "posts"}


def post_url(pattern: str, categories: list[str], stem: str, slug: str, date: dt.datetime,
              meta: dict[str, Any]) -> str:
    return expand(pattern, categories, stem, str(meta.get("slug") or slug), date)


def expand(pattern: str, categories: list[str], stem: str, slug: str,
            date: dt.datetime, more: dict[str, str] | None = None) -> str:
    title = urls.slugify(stem) if stem else slug
    values = {
        "year": f"{date.year:04d}", "month": f"{date.month:02d}", "day": f"{date.day:02d}",
        "i_month": str(date.month), "i_day": str(date.day), "short_year": f"{date.year % 100:02d}",
        "y_day": f"{date.timetuple().tm_yday:03d}", "hour": f"{date.hour:02d}",
        "minute": f"{date.minute:02d}", "second": f"{date.second:02d}", "title": title,
        "slug": slug, "name": stem, "output_ext": ".html",
        "categories": "/".join(urls.slugify(c) for c in categories),
        "week": f"{date.isocalendar()[1]:02d}", "short_day": date.strftime("%a"),
        **(more or {}),
    }
    path = re.sub(r":(\w+)", lambda m: values.get(m.group(1), m.group(0)), pattern)
    return re.sub(r"/{2,}", "/", "/" + path)


def page_url(relative: Path, style: str) -> str:
    stem = relative.with_suffix("").as_posix()
    return f"/{stem}/" if style == "pretty" else f"/{stem}.html"
