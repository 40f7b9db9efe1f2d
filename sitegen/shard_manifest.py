"""Layer 2.5. A shard's manifest: what the merge needs of the articles one shard built.

`sitegen build --shard K/N` writes, beside its partial output, one line of JSON
per published article or page it owns (its metadata, as the lists, feeds and
sitemaps show it; its body only where a full-content feed shows it), after a
header line that says which shard of which build this is. `--merge` reads the
manifests back, one line at a time, into the same model.Article values the
local build holds, so the pages that span shards are planned from exactly what
a local build plans them from, without reading or converting a source.

JSON, not pickle: the merge reads files that were carried between machines as
CI artifacts, and loading JSON runs no code. Each record leaves out the fields
that have their default value, which makes a typical article ~1 KB.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitegen.errors import Problem, SitegenError
from sitegen.model import Article, Extras, Image
from sitegen.newsroom import LiveEntry, Note

NAME = "sitegen-shard.jsonl"
"""The manifest's file name in a partial output (the merge never publishes it)."""
FORMAT = 2
_INTERNED = 40
_TYPES: dict[str, type] = {"A": Article, "E": Extras, "I": Image, "N": Note, "L": LiveEntry}
_TAGS = {cls: tag for tag, cls in _TYPES.items()}
# Each type's values by what it is made from (an Article's and an Image's are packed in
# part: their fields are not their values), with the defaults of those that have one.
_FIELDS = {cls: tuple(inspect.signature(cls).parameters) for cls in _TYPES.values()}
_DEFAULTS = {cls: {name: p.default for name, p in inspect.signature(cls).parameters.items()
                   if p.default is not inspect.Parameter.empty} for cls in _TYPES.values()}


def encode(value: Any) -> Any:
    """A model value as plain JSON data: dataclasses tagged with their type (fields left at
    their default left out), dates with their zone's name, tuples as lists."""
    if isinstance(value, dt.datetime):
        zone = value.tzinfo
        return {"@t": value.isoformat(), "z": zone.key if isinstance(zone, ZoneInfo) else None}
    cls = type(value)
    if cls in _TAGS:
        defaults = _DEFAULTS[cls]
        record = {"@": _TAGS[cls]}
        for name in _FIELDS[cls]:
            item = getattr(value, name)
            if name not in defaults or item != defaults[name]:
                record[name] = encode(item)
        return record
    if isinstance(value, tuple | list):
        return [encode(item) for item in value]
    return value


def decode(data: Any) -> Any:
    """The inverse of `encode`: lists become tuples (the model holds only tuples). Short
    strings (sections, tags, authors, kinds, languages) are interned: a million records
    share one copy of each instead of holding their own."""
    if isinstance(data, str):
        return sys.intern(data) if len(data) <= _INTERNED else data
    if isinstance(data, list):
        return tuple(decode(item) for item in data)
    if isinstance(data, dict):
        if "@t" in data:
            moment = dt.datetime.fromisoformat(data["@t"])
            # The zone object, not just the offset: dates print the zone's name and move
            # across its daylight-saving changes as the local build's do.
            return moment.astimezone(ZoneInfo(data["z"])) if data.get("z") else moment
        cls = _TYPES[data["@"]]
        return cls(**{sys.intern(k): decode(v) for k, v in data.items() if k != "@"})
    return data


@dataclasses.dataclass(frozen=True)
class Header:
    """What must agree between the shards of one build and its merge."""

    shard: int
    count: int
    sitegen: str
    """sitegen's version and every library that changes the output (cache.salt)."""
    config: str
    """A digest of the configuration and the build's options."""
    format: int = FORMAT


def write(path: Path, header: Header, records: Iterable[tuple[Article, str]],
          files: Iterable[str]) -> None:
    """The manifest: the header, one line per (article, its source's read key), then the
    files the shard rendered."""
    with open(path, "w", encoding="utf-8") as stream:
        _line(stream, {"header": dataclasses.asdict(header)})
        for article, key in records:
            _line(stream, {"a": encode(article), "k": key})
        _line(stream, {"files": sorted(files)})


def _line(stream: IO[str], data: Any) -> None:
    stream.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    stream.write("\n")


def read_header(path: Path) -> Header:
    """The first line of a manifest; a clear error for a folder that is not a shard's."""
    try:
        with open(path, encoding="utf-8") as stream:
            first = stream.readline()
        return Header(**json.loads(first)["header"])
    except FileNotFoundError:
        raise _bad(path, "is missing: this folder is not the output of `sitegen build "
                   "--shard K/N`") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise _bad(path, f"cannot be read ({exc}); build the shard again") from None


class Contents:
    """The records and the list of files of one manifest, read as a stream."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.files: list[str] = []

    def records(self) -> Iterator[tuple[Article, str]]:
        """(article, its source's read key), one at a time; `files` is filled at the end."""
        number = 1
        try:
            with open(self.path, encoding="utf-8") as stream:
                next(stream)  # the header, read and checked before
                for line in stream:
                    number += 1
                    data = json.loads(line)
                    if "files" in data:
                        self.files = [str(f) for f in data["files"]]
                        return
                    article = decode(data["a"])
                    if not isinstance(article, Article):
                        raise TypeError("not an article")
                    yield article, str(data["k"])
        except (OSError, ValueError, KeyError, TypeError, ZoneInfoNotFoundError,
                StopIteration) as exc:
            raise _bad(self.path, f"cannot be read ({exc}); build the shard again",
                       number) from None
        raise _bad(self.path, "ends before its list of files: the shard's build or its "
                   "upload did not finish; build the shard again")


def _bad(path: Path, message: str, line: int = 0) -> SitegenError:
    return SitegenError([Problem(str(path), line, f"this shard manifest {message}")])
