"""Where the old generator published a page, exactly: Jekyll's and Hugo's URL rules.

An old URL is only kept if it is spelled the way the old generator spelled it:
Jekyll's `:title` keeps case and punctuation (`/2014/09/15/Rust-1.0.html`),
its `:categories` are only lowercased (`zh_cn` stays `zh_cn`), a file name may
carry a one-digit day (`2019-12-3-x.md`); Hugo lowercases paths, falls back
to the title for `:slug`, and takes `url` literally. These rules follow the
generators' own code (Jekyll's `Utils.slugify` and `Drops::UrlDrop`, Hugo's
`urlize` and permalink expander), not sitegen's slugs.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

# Jekyll's slugify modes: what a run of characters is replaced by a hyphen.
_JEKYLL_MODES = {
    "raw": re.compile(r"\s+"),
    "default": re.compile(r"(?:[^\w]|_)+"),
    "pretty": re.compile(r"[^\w._~!$&'()+,;=@]+"),
    "ascii": re.compile(r"[^A-Za-z0-9]+"),
}
# Jekyll's DATE_FILENAME_MATCHER: a day or month may have one digit.
_DATED = re.compile(r"^(\d{2,4})-(\d{1,2})-(\d{1,2})-(.*)$")

JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}


def jekyll_slugify(text: str, mode: str = "default", cased: bool = False) -> str:
    """Jekyll's `Utils.slugify`: `pretty` keeps `._~!$&'()+,;=@`, `cased` keeps case."""
    if mode not in (*_JEKYLL_MODES, "latin"):
        return text if cased else text.lower()
    if mode == "latin":
        text = "".join(c for c in unicodedata.normalize("NFKD", text)
                       if not unicodedata.combining(c))
        mode = "default"
    slug = _JEKYLL_MODES[mode].sub("-", text)
    slug = re.sub(r"^-|-$", "", slug)
    return slug if cased else slug.lower()


def jekyll_dated(stem: str, zone: ZoneInfo) -> tuple[dt.datetime | None, str]:
    """`2019-12-3-x` -> (midnight of 3 December 2019 in `zone`, `x`); trailing dots of the
    slug go, as Jekyll drops them. A prefix that is no real day leaves the name whole."""
    match = _DATED.match(stem)
    if not match:
        return None, stem
    try:
        year, month, day_of_month = (int(part) for part in match.group(1, 2, 3))
        day = dt.datetime(year, month, day_of_month, tzinfo=zone)
    except ValueError:
        return None, stem
    return day, match.group(4).rstrip(".")


def jekyll_categories(meta: dict[str, Any], folders: list[str]) -> list[str]:
    """A post's categories as Jekyll orders them: front matter `categories`, the folders
    above `_posts/`, then `category`; each once."""
    def listed(value: Any) -> list[str]:
        if isinstance(value, str):
            return value.split()
        if isinstance(value, (list, tuple)):
            return [str(v) for v in value if str(v).strip()]
        return [] if value is None else [str(value)]
    found = [*listed(meta.get("categories")), *folders, *listed(meta.get("category"))]
    return list(dict.fromkeys(found))


def jekyll_style(style: str) -> str:
    return JEKYLL_STYLES.get(style, style)


def jekyll_url(pattern: str, *, categories: list[str], slug: str, name: str,
               date: dt.datetime, more: dict[str, str] | None = None) -> str:
    """Jekyll's URL of a document: `slug` is the front matter's `slug`, else the name
    after the date; `name` is the file name without its extension."""
    values = {
        "year": f"{date.year:04d}", "month": f"{date.month:02d}", "day": f"{date.day:02d}",
        "i_month": str(date.month), "i_day": str(date.day),
        "short_year": f"{date.year % 100:02d}", "y_day": f"{date.timetuple().tm_yday:03d}",
        "hour": f"{date.hour:02d}", "minute": f"{date.minute:02d}",
        "second": f"{date.second:02d}", "week": f"{date.isocalendar()[1]:02d}",
        "w_year": str(date.isocalendar()[0]), "short_day": date.strftime("%a"),
        "long_day": date.strftime("%A"), "short_month": date.strftime("%b"),
        "long_month": date.strftime("%B"),
        "title": jekyll_slugify(slug, "pretty", cased=True),
        "slug": jekyll_slugify(slug), "name": jekyll_slugify(name), "output_ext": ".html",
        "categories": "/".join(dict.fromkeys(c.lower() for c in categories)),
        **(more or {}),
    }
    path = re.sub(r":([a-z_]+)", lambda m: _placeholder(m.group(1), values), pattern)
    return finish_jekyll(path)


def _placeholder(name: str, values: dict[str, str]) -> str:
    if name in values:
        return values[name]
    for known in sorted(values, key=len, reverse=True):  # `:titlefoo` is `:title` + foo
        if name.startswith(known):
            return values[known] + name[len(known):]
    return ":" + name


def finish_jekyll(path: str) -> str:
    """Jekyll's sanitize_url: one slash at a time, no `./`; a URL without extension or
    slash is written as `X.html` (the host serves it at `/X`)."""
    path = re.sub(r"/{2,}", "/", "/" + path)
    path = re.sub(r"\.+/", "/", path)
    last = path.rsplit("/", 1)[-1]
    if last and "." not in last:
        path += ".html"
    return path


def jekyll_page_url(relative: PurePosixPath, pattern: str) -> str:
    """A page's URL: `/:path/` under a pretty style, else `/:path.html`; `index` is its
    folder's URL. Folder names are kept as they are (`zh_cn/`)."""
    parent = relative.parent.as_posix()
    folder = "" if parent == "." else parent + "/"
    if relative.stem == "index":
        return "/" + folder
    if pattern.endswith("/"):
        return f"/{folder}{relative.stem}/"
    return f"/{folder}{relative.stem}.html"


# Hugo

def hugo_urlize(text: str, lower: bool = True) -> str:
    """Hugo's `urlize` (MakePath): letters, digits, marks and `._-/#+~@%` stay, spaces
    become one hyphen, the rest goes; lowercased unless `disablePathToLower`."""
    out: list[str] = []
    for char in text.strip():
        if char.isspace():
            if out and out[-1] != "-":
                out.append("-")
        elif (char.isalnum() or unicodedata.category(char).startswith("M")
              or char in "._-/#+~@%"):
            out.append(char)
    path = "".join(out)
    return path.lower() if lower else path


def hugo_expand(pattern: str, values: dict[str, str]) -> str:
    """A `[permalinks]` pattern with its `:placeholders` filled."""
    path = re.sub(r":([a-z_]+)", lambda m: _placeholder(m.group(1), values), pattern)
    return re.sub(r"/{2,}", "/", "/" + path.lstrip("/"))


def hugo_values(*, title: str, slug: str, filename: str, sections: list[str],
                date: dt.datetime, lower: bool = True) -> dict[str, str]:
    """Hugo's placeholders; `:slug` falls back to the title, `:slugorfilename` to the name."""
    urlized_title = hugo_urlize(title, lower)
    return {
        "year": f"{date.year:04d}", "month": f"{date.month:02d}", "day": f"{date.day:02d}",
        "monthname": date.strftime("%B").lower(), "weekday": str(date.isoweekday() % 7),
        "weekdayname": date.strftime("%A").lower(), "yearday": str(date.timetuple().tm_yday),
        "section": hugo_urlize(sections[0], lower) if sections else "",
        "sections": "/".join(hugo_urlize(s, lower) for s in sections),
        "title": urlized_title,
        "slug": hugo_urlize(slug, lower) if slug else urlized_title,
        "slug_or_title": hugo_urlize(slug, lower) if slug else urlized_title,
        "slugorfilename": hugo_urlize(slug, lower) if slug else hugo_urlize(filename, lower),
        "slug_or_filename": hugo_urlize(slug, lower) if slug else hugo_urlize(filename, lower),
        "filename": hugo_urlize(filename, lower),
        "contentbasename": hugo_urlize(filename, lower),
    }


def hugo_default_url(sections: list[str], name: str, slug: str, ugly: bool,
                     lower: bool = True) -> str:
    """Hugo's URL without a permalink pattern: the folders, then the slug or file name."""
    last = hugo_urlize(slug, lower) if slug else hugo_urlize(name, lower)
    path = "/".join([*(hugo_urlize(s, lower) for s in sections), last])
    return f"/{path}.html" if ugly else f"/{path}/"
