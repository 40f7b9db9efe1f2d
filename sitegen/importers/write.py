"""Imported items -> sitegen files, without ever replacing a file.

An item's place and URL follow the site's own permalink patterns, so the
importers can rewrite links to other items before anything is written.
Every target path is built from slugs and checked to stay inside the site;
a file that already exists is left alone and reported.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from sitegen import readers, urls
from sitegen.config import Config
from sitegen.importers import names
from sitegen.importers.confine import read_regular
from sitegen.importers.report import Report

MARKDOWN = (".md", ".markdown", ".mkd", ".mkdn")

# sitegen's own keys, in the order a person reads them.
ORDER = ("title", "date", "updated", "expires", "author", "authors", "tags", "summary", "lang",
         "image", "image_alt", "image_caption", "image_credit", "location", "slug", "draft",
         "featured", "translation_key", "aliases")


@dataclass
class Imported:
    source: str
    """The file of the old site, relative to its folder (for the report)."""
    section: str
    """The section folder; "" for a standalone page."""
    slug: str
    front: dict[str, Any]
    body: str
    old_urls: list[str] = field(default_factory=list)
    date: dt.datetime | None = None
    body_line: int = 1
    """Line of the old file on which the body starts."""
    origin: str = ""
    """What identifies it in the old site across exports (default: `source`)."""
    existing: str = ""
    """The file an earlier import wrote for it (`names.fit`): not written again."""
    edition: str = ""
    """The edition it belongs to (its folder under content/); "" for the site's own."""
    prefix: str = ""
    """The edition's URL prefix (`/en`); "" at the root."""

    def path(self, config: Config) -> str:
        """The new URL path, as sitegen will publish it."""
        if not self.section:
            return self.prefix + config.permalinks.page.format(slug=self.slug)
        # The URL's day is the day in the new site's zone, as sitegen will compute it.
        zone = ZoneInfo(config.site.timezone)
        date = (self.date or dt.datetime(1970, 1, 1, tzinfo=zone)).astimezone(zone)
        return self.prefix + urls.article_path(config.permalinks.article, self.section,
                                               self.slug, date)


_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?"
                   r"(?:[.,]\d+)?)?\s*(Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?\s*$", re.I)


def parse_date(value: object, zone: ZoneInfo) -> dt.datetime | None:
    """The dates other generators write (`2013-11-22 5:00:00 +0000`, `2013-11-22T05:00Z`,
    YAML/TOML datetimes), as an aware datetime; naive ones are in `zone`."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str) and (match := _DATE.match(value)):
        year, month, day, hour, minute, second, offset = match.groups()
        try:
            moment = dt.datetime(int(year), int(month), int(day), int(hour or 0),
                                 int(minute or 0), int(second or 0))
        except ValueError:
            return None
        if offset:
            moment = moment.replace(tzinfo=_offset(offset))
    else:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _offset(text: str) -> dt.timezone:
    if text.upper() in {"Z", "UTC", "GMT"}:
        return dt.UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = (digits[:-2], digits[-2:]) if len(digits) > 2 else (digits, "0")
    return dt.timezone(sign * dt.timedelta(hours=int(hours), minutes=int(minutes)))


def zone_of(name: object, fallback: str) -> ZoneInfo:
    """The old site's time zone setting, else the new site's."""
    try:
        return ZoneInfo(str(name)) if name else ZoneInfo(fallback)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(fallback)


def other_language(code: object, config: Config) -> str:
    """The old site's language when it is a real one and not the new site's, else ""."""
    text = str(code or "").strip().replace("_", "-")
    if not text or not readers.is_language(text):
        return ""
    same = text.split("-")[0].lower() == config.site.language.replace("_", "-").split("-")[0]
    return "" if same else text


def date_text(moment: dt.datetime) -> str:
    """ISO 8601 with the offset: what every sitegen version reads."""
    return moment.isoformat(timespec="seconds")


def front_matter(front: dict[str, Any]) -> str:
    ordered = {key: front[key] for key in ORDER if front.get(key) not in (None, "", [], ())}
    text = yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{text}---\n"


def old_path(url: str) -> str | None:
    """An old URL (absolute or not) as a site path for `aliases`, or None."""
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]+", "", url.strip(), flags=re.I)
    path = path.split("#")[0].split("?")[0]
    if not path.startswith("/"):
        path = "/" + path
    # `/2019/%e3%81%82/` is served from the folder `2019/あ/`: the redirect goes there.
    return urls.clean_site_path(urllib.parse.unquote(path))


def article_file(config: Config, item: Imported) -> Path:
    folder = readers.PAGES_DIR if not item.section else item.section
    edition = readers.content_dir(config) / item.edition if item.edition else \
        readers.content_dir(config)
    return edition / folder / f"{item.slug}.md"


def unique_slugs(items: list[Imported], config: Config, report: Report) -> None:
    """Give each item a file (and so a URL) that no other item and no existing file has;
    run before links are rewritten, since the URL follows the slug."""
    names.fit(items, config, report)  # type: ignore[arg-type]
    claimed = {article_file(config, item) for item in items if item.existing}
    for item in items:
        if item.existing:
            continue
        base, number = item.slug, 1
        while article_file(config, item) in claimed or article_file(config, item).exists():
            number += 1
            item.slug = f"{base}-{number}"
        if number > 1:
            report.needs_person(item.source, 1, f"slug '{base}' was taken (by another "
                                f"imported file or an existing one); imported as '{item.slug}'")
        claimed.add(article_file(config, item))


class Writer:
    """Writes into the site (or, dry, only says what it would write)."""

    def __init__(self, config: Config, report: Report, dry_run: bool,
                 echo: Any = print) -> None:
        self.root = config.root.resolve()
        self.config, self.report, self.dry_run, self.echo = config, report, dry_run, echo

    def write_item(self, item: Imported) -> None:
        if item.existing:  # imported by an earlier run: left as the newsroom has it now
            self.report.already.append((item.existing, item.source))
            return
        head = names.marked(self.report.kind, item, front_matter(item.front))
        text = head + "\n" + item.body.strip("\n") + "\n"
        self.write_text(article_file(self.config, item), text, item.source)

    def write_text(self, target: Path, text: str, source: str) -> None:
        if self._refused(target, source):
            return
        try:
            if not self.dry_run:
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("x", encoding="utf-8") as out:
                    out.write(text)
        except OSError as exc:  # one file that cannot be written is that file's problem
            self.report.skipped(source, 0, f"{target.name} could not be written: "
                                f"{exc.strerror or exc}")
            return
        self._done(target, source)

    def copy(self, target: Path, source_file: Path, source: str) -> None:
        if target.is_file() and not target.is_symlink() and _same(target, source_file):
            self.report.already.append((self._shown(target), source))
            return
        if self._refused(target, source):
            return
        try:
            if not self.dry_run:
                target.parent.mkdir(parents=True, exist_ok=True)
                data = read_regular(source_file)  # never a FIFO or device swapped in
                with target.open("xb") as out:
                    out.write(data)
        except OSError as exc:
            self.report.skipped(source, 0, f"{target.name} could not be copied: "
                                f"{exc.strerror or exc}")
            return
        self._done(target, source)

    def _refused(self, target: Path, source: str) -> bool:
        resolved = target.resolve()
        if not resolved.is_relative_to(self.root):
            self.report.skipped(source, 0, f"{target} would be outside the site")
            return True
        if target.exists() or target.is_symlink():
            self.report.skipped(source, 0, f"{self._shown(target)} exists already; "
                                "it was left as it is")
            return True
        return False

    def _done(self, target: Path, source: str) -> None:
        shown = self._shown(target)
        self.report.written.append((shown, source))
        if self.dry_run:
            self.echo(f"would write {shown} (from {source})")

    def _shown(self, target: Path) -> str:
        return target.resolve().relative_to(self.root).as_posix()


def _same(target: Path, source_file: Path) -> bool:
    """An asset an earlier import copied (same size, same bytes)."""
    try:
        return (target.stat().st_size == source_file.stat().st_size
                and target.read_bytes() == read_regular(source_file))
    except OSError:
        return False


_LINK_TARGET = re.compile(r"(\]\(\s*<?|\b(?:href|src)=[\"']|^\[[^\]]+\]:\s*)(/[^)\"'\s#?>]*)",
                          re.M)


def rewrite_links(body: str, moved: dict[str, str]) -> str:
    """Links to an old URL of an imported item -> its new URL (the alias would redirect,
    but a reader should not take the detour)."""
    def replace(match: re.Match[str]) -> str:
        path = urllib.parse.unquote(match.group(2))
        new = moved.get(path) or moved.get(path.rstrip("/") + "/") or moved.get(
            path.removesuffix("index.html"))
        return match.group(1) + new if new else match.group(0)
    return _LINK_TARGET.sub(replace, body)


def referenced(body: str) -> set[str]:
    """Site paths that a body links or shows (`/assets/x.png`), for copying the files."""
    return {m.group(2) for m in _LINK_TARGET.finditer(body)}


@dataclass
class Result:
    """What one importer found, ready to be written."""

    items: list[Imported]
    assets: dict[str, Path] = field(default_factory=dict)
    """Site path (`/assets/x.png`) -> the file to copy under content/static/."""
    sections: dict[str, str] = field(default_factory=dict)
    """Section slug -> its old display name."""
    profiles: dict[str, Any] = field(default_factory=dict)
    """Author key or login -> `authors.Profile`, for sitegen.toml's [authors]."""
    plan: Any = None
    """`editions.Plan` of a multilingual old site: the editions to add to sitegen.toml."""
