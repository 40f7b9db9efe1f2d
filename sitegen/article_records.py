"""Layer 2.4. An Article as the plain record the build state keeps, and back.

The state (state.py) stores plain data only (lists, dicts, strings, numbers),
so every field that is not one is written out here: moments as ISO 8601 with
their offset, read back in the site's zone (the zone, not just the offset, is
what gives "WIB" back); images, pictures and the newsroom's dated records
(corrections, live blog entries, a reply) as dicts. A record written before a
field existed reads as an article without it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from typing import Any
from zoneinfo import ZoneInfo

from sitegen.model import Article, Image
from sitegen.newsroom import LiveEntry, Note


def to_plain(article: Article) -> dict[str, Any]:
    data = {f.name: getattr(article, f.name) for f in dataclasses.fields(article)}
    for key in ("date", "updated", "expires"):
        if data[key] is not None:
            data[key] = data[key].isoformat()
    if article.image is not None:
        data["image"] = dataclasses.asdict(article.image)
    for key in _MOMENTS:
        if data[key] is not None:
            data[key] = data[key].isoformat()
    for key, _ in _RECORDS:
        data[key] = [_dated_to_plain(r) for r in data[key]]
    if article.reply is not None:
        data["reply"] = _dated_to_plain(article.reply)
    data["pictures"] = [dataclasses.asdict(p) for p in article.pictures]
    return data


# The newsroom's fields (sitegen/newsroom.py): moments, and records that carry a date.
_MOMENTS = ("coverage_start", "coverage_end")
_RECORDS = (("corrections", Note), ("live", LiveEntry))


def _dated_to_plain(record: Any) -> dict[str, Any]:
    return {**dataclasses.asdict(record), "date": record.date.isoformat()}


def _dated_from_plain(cls: type, data: dict[str, Any], zone: ZoneInfo) -> Any:
    return cls(**{**data, "date": dt.datetime.fromisoformat(data["date"]).astimezone(zone)})


def from_plain(data: dict[str, Any], zone: ZoneInfo, source: str) -> Article:
    values = dict(data)
    values["source"] = source  # the build's own string for the name (one a source)
    for key in ("date", "updated", "expires"):
        if values[key] is not None:
            # The zone (not just the offset) is what gives "WIB" back.
            values[key] = dt.datetime.fromisoformat(values[key]).astimezone(zone)
    for key in ("authors", "tags", "aliases"):
        values[key] = tuple(values[key])
    if values["image"] is not None:
        values["image"] = _image_from_plain(values["image"])
    values["pictures"] = tuple(_image_from_plain(p) for p in values.get("pictures", ()))
    # .get: a cache written before these fields existed reads as articles without them.
    for key in _MOMENTS:
        if values.get(key) is not None:
            values[key] = dt.datetime.fromisoformat(values[key]).astimezone(zone)
    for key, cls in _RECORDS:
        values[key] = tuple(_dated_from_plain(cls, r, zone) for r in values.get(key, ()))
    values["see_also"] = tuple(values.get("see_also", ()))
    if values.get("reply") is not None:
        values["reply"] = _dated_from_plain(Note, values["reply"], zone)
    # model.shared's one string per name, made here: a second Article per source (its
    # `dataclasses.replace`) cost a 10,000-article publish a tenth of a second.
    for key in ("section", "kind", "language", "series", "edition"):
        values[key] = sys.intern(values[key])
    for key in ("authors", "tags"):
        values[key] = tuple(map(sys.intern, values[key]))
    return Article(**values)


def _image_from_plain(data: dict[str, Any]) -> Image:
    return Image(**{**data, "focus": tuple(data["focus"])})
