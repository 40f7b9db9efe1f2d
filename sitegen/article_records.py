"""Layer 2.4. An Article as the plain record the build state keeps, and back.

The state (state.py) stores plain data only (lists, dicts, strings, numbers),
so every field that is not one is written out here: moments as ISO 8601 with
their offset, read back in the site's zone (the zone, not just the offset, is
what gives "WIB" back); images, pictures and the newsroom's dated records
(corrections, live blog entries, a reply) as dicts.

A record is the fields' values in the Article's order, after a tag of that
order (`LAYOUT`), not a dict: a dict's record spells out 37 names, which
doubled the bytes the state keeps and a publish reads and decodes of every
article of the archive (10,000 at 10,000). A record of another order (an
Article with other fields) is no article: its source is read again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import zlib
from typing import Any
from zoneinfo import ZoneInfo

from sitegen.model import (
    EXTRA_FIELDS,
    IMAGE_FIELDS,
    NO_EXTRAS,
    VALUE_FIELDS,
    Article,
    Extras,
    Image,
    article_values,
    image_values,
)
from sitegen.model import _byline as byline  # model.shared's: one tuple a byline
from sitegen.newsroom import LiveEntry, Note

# An Article's own fields, then its extras' (held apart only when one is set).
_NAMES = VALUE_FIELDS
_AT = {name: at for at, name in enumerate(_NAMES)}  # in a record, after its layout tag
LAYOUT = zlib.crc32("\0".join(_NAMES).encode())
"""What a record's first value must be: the Article's fields, named in their order."""


def to_plain(article: Article) -> list[Any]:
    data = _as_dict(article)
    return [LAYOUT, *(data[name] for name in _NAMES)]


def _as_dict(article: Article) -> dict[str, Any]:
    data = article_values(article)
    for key in ("date", "updated", "expires"):
        if data[key] is not None:
            data[key] = data[key].isoformat()
    if article.image is not None:
        data["image"] = image_values(article.image)
    for key in _MOMENTS:
        if data[key] is not None:
            data[key] = data[key].isoformat()
    for key, _ in _RECORDS:
        data[key] = [_dated_to_plain(r) for r in data[key]]
    if article.reply is not None:
        data["reply"] = _dated_to_plain(article.reply)
    data["pictures"] = [image_values(p) for p in article.pictures]
    return data


# The newsroom's fields (sitegen/newsroom.py): moments, and records that carry a date.
_MOMENTS = ("coverage_start", "coverage_end")
_RECORDS = (("corrections", Note), ("live", LiveEntry))


def _dated_to_plain(record: Any) -> dict[str, Any]:
    return {**dataclasses.asdict(record), "date": record.date.isoformat()}


def _dated_from_plain(cls: type, data: dict[str, Any], zone: ZoneInfo) -> Any:
    return cls(**{**data, "date": dt.datetime.fromisoformat(data["date"]).astimezone(zone)})


_MOMENT_AT = tuple(_AT[key] for key in ("date", "updated", "expires", *_MOMENTS))
_TUPLE_AT = tuple(_AT[key] for key in ("aliases", "see_also"))
# Names an archive repeats over its stories (a dateline's is packed with its text).
_NAME_AT = tuple(_AT[key] for key in ("section", "kind", "language", "series", "edition"))
_AUTHORS, _TAGS = _AT["authors"], _AT["tags"]
_IMAGE, _PICTURES, _REPLY, _SOURCE = _AT["image"], _AT["pictures"], _AT["reply"], _AT["source"]
_RECORD_AT = tuple((_AT[key], cls) for key, cls in _RECORDS)
_EXTRAS_AT = _AT[EXTRA_FIELDS[0]]
_NO_EXTRAS = [getattr(NO_EXTRAS, name) for name in EXTRA_FIELDS]


def from_plain(record: list[Any], zone: ZoneInfo, source: str) -> Article:
    """The Article of a record (ValueError: a record of another layout, or none)."""
    if not isinstance(record, list) or len(record) != len(_NAMES) + 1 or record[0] != LAYOUT:
        raise ValueError("not an article record of this layout")
    values = record[1:]  # a fresh list of the fields, marshal's own: changed in place
    values[_SOURCE] = source  # the build's own string for the name (one a source)
    for at in _MOMENT_AT:
        if values[at] is not None:
            # The zone (not just the offset) is what gives "WIB" back.
            values[at] = dt.datetime.fromisoformat(values[at]).astimezone(zone)
    for at in _TUPLE_AT:
        values[at] = tuple(values[at])
    if values[_IMAGE] is not None:
        values[_IMAGE] = _image_from_plain(values[_IMAGE])
    # Most articles have no pictures in their body, corrections, live entries or reply.
    values[_PICTURES] = tuple(map(_image_from_plain, values[_PICTURES])) \
        if values[_PICTURES] else ()
    for at, cls in _RECORD_AT:
        values[at] = tuple(_dated_from_plain(cls, r, zone) for r in values[at]) \
            if values[at] else ()
    if values[_REPLY] is not None:
        values[_REPLY] = _dated_from_plain(Note, values[_REPLY], zone)
    # model.shared's one string per name, made here: a second Article per source (its
    # `dataclasses.replace`) cost a 10,000-article publish a tenth of a second.
    for at in _NAME_AT:
        values[at] = sys.intern(values[at])
    # A byline is one tuple for all the stories of the same authors (model.shared's).
    values[_AUTHORS] = byline(values[_AUTHORS])
    values[_TAGS] = tuple(map(sys.intern, values[_TAGS]))
    extras = values[_EXTRAS_AT:]  # the fields an Article holds apart, when one is set
    values[_EXTRAS_AT:] = [None if extras == _NO_EXTRAS else Extras(*extras)]
    return Article(*values)


def _image_from_plain(data: dict[str, Any]) -> Image:
    if list(data) != _IMAGE_FIELDS:  # not as `_as_dict` writes it: by name, as it is
        return Image(**data)
    return Image(*data.values())  # (its packing makes the focus a tuple again)


_IMAGE_FIELDS = list(IMAGE_FIELDS)
