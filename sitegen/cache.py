"""Layer 6. The persistent build cache (`.sitegen-cache/`), keyed by hashes of full inputs.

Two tables, each in a file of its own:
- read: source path -> (key, Article). The key hashes the source bytes, the
  config values reading uses, the static files' sizes, sitegen's and the
  Markdown libraries' versions. A hit skips YAML and Markdown.
- render, one per output folder: output file -> key. The key hashes the
  theme's templates and the page's whole context, so a page is re-rendered
  exactly when something it can show changed, without tracking dependencies.
  It also lists the folder's other files (so that stale files are found
  without walking the whole output) and the site key of its last build (a
  build whose inputs all match it skips rendering altogether).
A third file keeps each source's stat when it was hashed, so an untouched
source is not read again. Keys are never trusted blindly: each record has a
checksum, a damaged record is dropped and made again, and a damaged file or one
from another version is ignored with a warning. The tables also
live on in memory between builds of one process, so `sitegen serve` keeps the
site model instead of reloading it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import importlib.metadata
import io
import itertools
import marshal
import os
import pickle
import sys
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import babel
import jinja2
import markdown
import pygments

from sitegen import __version__, messages, pictures
from sitegen.config import Config
from sitegen.errors import Problem
from sitegen.model import Article, Image
from sitegen.newsroom import LiveEntry, Note

CACHE_VERSION = 3
_READS = "reads.bin"
_MAGIC = b"sitegen build cache\n"
_END = ("", "end of table")


Stamp = tuple[int, int, int, int, str, str]
"""A source's (mtime, size, inode, when hashed, read context, read key)."""
_STAMPS = "stamps.bin"
# A file modified this close to when it was hashed may change again without its
# time changing (coarse file system clocks), so its stamp is not trusted ("racy git").
_RACY_NS = 2_000_000_000


@dataclass
class _Remembered:
    """What a process keeps between its builds (`sitegen serve` builds many times)."""

    salt: str
    reads: dict[str, Any]
    renders: dict[str, dict[str, Any]]
    stamps: dict[str, Stamp]


_MEMORY: dict[Path, _Remembered] = {}


def salt() -> str:
    """Everything global that changes what the cache holds."""
    return "|".join([str(CACHE_VERSION), __version__, markdown.__version__,
                     importlib.metadata.version("pymdown-extensions"), pygments.__version__,
                     jinja2.__version__, babel.__version__, importlib.metadata.version("nh3"),
                     f"{sys.version_info.major}.{sys.version_info.minor}"])


def read_context(config: Config, static_stamp: str) -> str:
    """What every read key shares: versions, the config values reading uses, static files."""
    # The language of the messages: a file's stored problems are shown as they were made.
    parts = (salt(), messages.language(), config.base_path, config.site.timezone,
             config.site.language,
             config.permalinks.article, config.permalinks.page, config.markdown.raw_html,
             static_stamp, repr(config.content.ignore_keys),
             # Body pictures are written with their variants' names and formats.
             repr(config.images), repr(pictures.encoders()))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def read_key(source: bytes, relative: str, context: str) -> str:
    digest = hashlib.sha256(f"{context}\0{relative}\0".encode())
    digest.update(source)
    return digest.hexdigest()


def static_stamp(static_dir: Path) -> str:
    """Names, sizes and times of the static files (images are sized from them while reading)."""
    digest = hashlib.sha256()
    if static_dir.is_dir():
        for path in sorted(static_dir.rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path.relative_to(static_dir)}:{stat.st_size}:"
                              f"{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def site_key(*parts: str) -> str:
    """One key for everything a build reads: when it matches the last build's, the
    output cannot differ and rendering is skipped altogether."""
    return hashlib.sha256("\0".join((salt(), *parts)).encode()).hexdigest()


def digest(value: Any) -> str:
    # pickle is only hashed here, never loaded: it is fast and deterministic for the
    # plain data in a context (equal data in equal order gives equal bytes) once its
    # memo is off. With it, an object met twice is written as a reference the second
    # time, so equal contexts whose parts were shared differently (articles read
    # anew or from the cache) gave different bytes, and pages rendered for nothing.
    stream = io.BytesIO()
    pickler = pickle.Pickler(stream, protocol=5)
    pickler.fast = True
    pickler.dump(value)
    return hashlib.sha256(stream.getbuffer()).hexdigest()


def render_key(theme_stamp: str, templates: tuple[str, ...], context: dict[str, Any],
               site_digest: str) -> str:
    """The key of one page; `site_digest` stands for the `site` view all pages share."""
    rest = {k: v for k, v in context.items() if k != "site"}
    shared = site_digest if "site" in context else ""
    parts = (theme_stamp, "\0".join(templates), shared, digest(rest))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def theme_stamp(theme_paths: list[Path]) -> str:
    """A hash of every template and translation file of a theme chain."""
    digest = hashlib.sha256(salt().encode())
    for root in theme_paths:
        for folder in ("templates", "i18n"):
            for path in sorted((root / folder).rglob("*")):
                if path.is_file():
                    digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                    digest.update(path.read_bytes())
    return digest.hexdigest()


def usable_dir(directory: Path) -> tuple[Path | None, list[Problem]]:
    """The cache folder if it can be written; else None and a warning (build without it)."""
    probe = directory / f".probe-{os.getpid()}"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if isinstance(exc, FileExistsError | NotADirectoryError):
            reason = "it is not a folder"
        return None, [Problem(str(directory), 0, f"the build cache cannot be used ({reason}); "
                              "building without it: fix or remove it, or set [build] cache_dir",
                              warning=True)]
    return directory, []


class BuildCache:
    """The tables, loaded at the start of a build and saved at its end.

    The read table is large (every article's HTML): it is one file, rewritten
    only when an article changed, and only by a process's first build (later
    builds of `serve` keep it in memory; entries it lacks on disk are only
    parsed again). Each output folder has a small render table of its own.
    """

    def __init__(self, directory: Path | None, timezone: str, folder: Path) -> None:
        self.directory = directory
        self.zone = ZoneInfo(timezone)
        self.folder = folder
        self.reads: dict[str, tuple[str, Article, list[Problem]]] = {}
        self.renders: dict[str, str] = {}
        self.static: set[str] | None = None
        """The other files (static, search index) of the last build into this folder."""
        self.stamps: dict[str, Stamp] = {}
        """Files whose stat is unchanged since they were hashed are not read again."""
        self.warnings: list[Problem] = []
        self.reads_changed = False
        self.in_memory = False
        self._stored: dict[str, memoryview] = {}
        """The read table's records as loaded, written back as they are when unchanged:
        converting 10,000 articles to plain data again took 1.6 s of a one-edit build."""
        self.site: str | None = None
        """The site key of the last build into this folder (see `site_key`)."""
        self.checked: list[Problem] | None = None
        """What the link check of the last build into this folder found."""
        if directory is None:
            return
        remembered = _MEMORY.get(directory)
        if remembered and remembered.salt == salt():
            self.in_memory = True
            self.reads, self.stamps = dict(remembered.reads), dict(remembered.stamps)
            table = remembered.renders.get(str(folder), {})
        else:
            self.reads = self._load(directory / _READS, self._reads_from_plain,
                                    self._stored) or {}
            self.stamps = self._load(directory / _STAMPS, _stamps_from_plain) or {}
            table = self._load(self._renders_path(), _renders_from_plain) or {}
        self.renders, self.static = dict(table.get("pages", {})), table.get("static")
        self.site = table.get("site")
        self.checked = table.get("checked")

    def _renders_path(self) -> Path:
        assert self.directory is not None
        name = hashlib.sha256(str(self.folder).encode()).hexdigest()[:16]
        return self.directory / f"renders-{name}.bin"

    def _load(self, path: Path, decode: Any, stored: dict[str, memoryview] | None = None) -> Any:
        if not path.is_file():
            return None
        try:
            raw = memoryview(path.read_bytes())
            header = _MAGIC + salt().encode() + b"\n"
            if raw[:len(header)] != header:
                raise ValueError("it was written by another version")
            table, at, damaged = {}, len(header), 0
            while (item := _record(raw, at)) != _END:
                start, at = at, at + 8 + int.from_bytes(raw[at:at + 4], "big")
                if item is _DAMAGED:
                    damaged += 1
                    continue
                name, value = item
                table[name] = value
                if stored is not None:
                    stored[name] = raw[start:at]  # length, checksum and record
            if damaged:
                self.reads_changed = True
                self.warnings.append(Problem(str(path), 0, f"{damaged} damaged entr"
                                             f"{'y was' if damaged == 1 else 'ies were'} dropped "
                                             "from the build cache (checksum mismatch); what "
                                             "they held is made again", warning=True))
            return decode(table)
        except Exception as exc:  # any damage means: do not trust it
            self.reads_changed = True
            self.warnings.append(Problem(str(path), 0, f"ignoring the build cache "
                                         f"({type(exc).__name__}: {exc}); it is rebuilt",
                                         warning=True))
            return None

    def _reads_from_plain(self, table: dict[str, Any]) -> dict[str, Any]:
        return {name: (key, _article_from_plain(value, self.zone), [Problem(*p) for p in problems])
                for name, (key, value, problems) in table.items()}

    def stamp_key(self, relative: str, stat: os.stat_result, context: str) -> str | None:
        """The read key of a file whose stat is as it was when it was hashed."""
        known = self.stamps.get(relative)
        if (known and known[:3] == (stat.st_mtime_ns, stat.st_size, stat.st_ino)
                and known[3] - stat.st_mtime_ns > _RACY_NS and known[4] == context):
            return known[5]
        return None

    def remember_stamp(self, relative: str, stat: os.stat_result, context: str,
                       key: str) -> None:
        self.stamps[relative] = (stat.st_mtime_ns, stat.st_size, stat.st_ino, time.time_ns(),
                                 context, key)

    def article(self, relative: str, key: str) -> tuple[Article, list[Problem]] | None:
        hit = self.reads.get(relative)
        return (hit[1], hit[2]) if hit and hit[0] == key else None

    def remember_article(self, relative: str, key: str, article: Article,
                         problems: list[Problem]) -> None:
        self.reads[relative] = (key, article, problems)
        self._stored.pop(relative, None)
        self.reads_changed = True

    def unchanged_render(self, output: str, key: str) -> bool:
        return self.renders.get(output) == key

    def forget_renders(self) -> None:
        """Called before the output changes: if the build dies while files move, a stale
        render table would claim pages are up to date that are not."""
        if self.directory is not None:
            self._renders_path().unlink(missing_ok=True)

    def unchanged_site(self, key: str) -> bool:
        """Whether the last build into this folder had exactly these inputs, and its
        files are all still there."""
        if self.site != key or self.static is None:
            return False
        return all(os.path.isfile(f"{self.folder}/{name}")
                   for name in itertools.chain(self.renders, self.static))

    def finish(self, sources: set[str], renders: dict[str, str], static: set[str],
               site: str, checked: list[Problem]) -> None:
        """Keep entries of this build only (deleted sources vanish) and save."""
        for name in set(self.reads) - sources:
            del self.reads[name]
            self.reads_changed = True
        for name in set(self.stamps) - sources:
            del self.stamps[name]
        if self.directory is None:
            return
        remembered = _MEMORY.get(self.directory)
        tables = remembered.renders if remembered and remembered.salt == salt() else {}
        tables[str(self.folder)] = {"pages": renders, "static": static, "site": site,
                                    "checked": checked}
        _MEMORY[self.directory] = _Remembered(salt(), dict(self.reads), tables,
                                              dict(self.stamps))
        try:
            self._save_tables(renders, static, site, checked)
        except OSError as exc:  # the build itself is done: a cache not saved only costs time
            self.warnings.append(Problem(str(exc.filename or self.directory), 0,
                                         f"the build cache was not saved ({exc.strerror or exc}); "
                                         "the next build makes it again", warning=True))

    def _save_tables(self, renders: dict[str, str], static: set[str], site: str,
                     checked: list[Problem]) -> None:
        assert self.directory is not None
        self.directory.mkdir(parents=True, exist_ok=True)
        missing = not (self.directory / _READS).is_file()
        if missing or (self.reads_changed and not self.in_memory):
            _save(self.directory / _READS, (
                self._stored.get(name) or (name, [key, _article_to_plain(a), [
                    list(dataclasses.astuple(p)) for p in problems]])
                for name, (key, a, problems) in sorted(self.reads.items())))
        table = {"pages": renders, "static": sorted(static), "site": site,
                 "checked": [list(dataclasses.astuple(p)) for p in checked]}
        _save(self._renders_path(), table.items())
        _save(self.directory / _STAMPS, self.stamps.items())


def _save(path: Path, items: Iterable[tuple[str, Any] | memoryview]) -> None:
    """Write a table: the magic line, the salt line, one marshal record per entry, an end.

    marshal (plain dicts, lists and strings only, nothing that runs code) loads
    the read table of 10,000 articles in about half the time JSON takes; the salt
    names the Python version, which marshal's format depends on. One
    length-prefixed record per entry keeps a large table from being held as one
    more buffer; the end record tells a complete file from a truncated one. Each
    record carries a CRC-32 of its bytes: a damaged one is dropped and made again,
    never loaded. zlib.crc32 runs at about 3 GB/s: it adds ~20 ms to loading a
    56 MB read table of 10,000 articles (blake2b would add ~190 ms).
    """
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as stream:
            stream.write(_MAGIC + salt().encode() + b"\n")
            for item in itertools.chain(items, [_END]):
                if isinstance(item, memoryview):  # a record as it was loaded, checksum and all
                    stream.write(item)
                    continue
                record = marshal.dumps(item)
                stream.write(len(record).to_bytes(4, "big")
                             + zlib.crc32(record).to_bytes(4, "big") + record)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)  # a full disk must not leave half a table behind
        raise


_DAMAGED = object()


def _record(raw: memoryview, at: int) -> Any:
    """The record at `at`, or _DAMAGED when its checksum does not match."""
    size = int.from_bytes(raw[at:at + 4], "big")
    if at + 8 + size > len(raw) or size == 0:
        raise ValueError("the file is cut short")
    record = raw[at + 8:at + 8 + size]
    if zlib.crc32(record) != int.from_bytes(raw[at + 4:at + 8], "big"):
        return _DAMAGED
    return marshal.loads(record)


def _stamps_from_plain(table: dict[str, Any]) -> dict[str, Stamp]:
    return {str(name): tuple(stamp) for name, stamp in table.items()}


def _renders_from_plain(table: dict[str, Any]) -> dict[str, Any]:
    return {"pages": {str(k): str(v) for k, v in table["pages"].items()},
            "static": {str(name) for name in table["static"]}, "site": str(table["site"]),
            "checked": [Problem(*p) for p in table["checked"]] if "checked" in table else None}


def _article_to_plain(article: Article) -> dict[str, Any]:
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


def _article_from_plain(data: dict[str, Any], zone: ZoneInfo) -> Article:
    values = dict(data)
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
    return Article(**values)


def _image_from_plain(data: dict[str, Any]) -> Image:
    return Image(**{**data, "focus": tuple(data["focus"])})
