"""A Jekyll site (its folder) -> imported items.

Posts come from every `_posts/` folder (dates and slugs from `YYYY-MM-DD-`
names, categories from the folders above `_posts/` and from front matter),
drafts from `_drafts/` (kept as drafts), pages from Markdown files outside
the `_` folders. Old URLs follow the site's `permalink` setting (or the
file's own `permalink:`), plus `redirect_from`, and become `aliases`.
Bodies go through `liquid.Converter` with `_config.yml`, `_data/` and
`_includes/`; the files they reference are copied under `content/static/`
(`jekyll_convert`; this module reads the files into items).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from sitegen import urls
from sitegen.config import Config
from sitegen.importers import (
    authors,
    editions,
    jekyll_data,
    jekyll_languages,
    jekyll_urls,
    permalinks,
)
from sitegen.importers.confine import Confined
from sitegen.importers.front import credit_lines, map_front
from sitegen.importers.jekyll_convert import HTML, convert
from sitegen.importers.report import Report
from sitegen.importers.write import (
    MARKDOWN,
    Imported,
    Result,
    other_language,
    zone_of,
)

_NOT_PAGES = {"index", "readme", "404", "license", "changelog", "contributing"}
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*\r?$\n?", re.S | re.M)


def split(text: str) -> tuple[str | None, str, int]:
    """(front matter YAML or None, body, line the body starts on)."""
    match = _FRONT.match(text)
    if not match:
        return None, text, 1
    return match.group(1), text[match.end():], match.group(0).count("\n") + 1


def import_site(source: Path, config: Config, report: Report, section: str) -> Result:
    settings: dict[str, Any] = {}
    confined = Confined(source, report)
    if (config_file := confined.file(source / "_config.yml")) is not None:
        settings = jekyll_data.load_yaml(config_file, report, "_config.yml") or {}
    if not isinstance(settings, dict):
        report.needs_person("_config.yml", 1, "not a mapping of settings; ignored")
        settings = {}
    # Jekyll without `timezone` uses the build machine's zone: UTC on the usual hosts.
    zone = zone_of(settings.get("timezone"), "UTC")
    data = jekyll_data.data_folder(confined.folder(None, "_data", "_data"), report, confined)
    profiles = authors.jekyll_profiles(source, data)
    style = str(settings.get("permalink") or "date")
    posts = (settings.get("collections") or {}).get("posts") if isinstance(
        settings.get("collections"), dict) else None
    if isinstance(posts, dict) and isinstance(posts.get("permalink"), str):
        style = posts["permalink"]  # the posts collection's own permalink wins
    pattern = permalinks.jekyll_style(style)
    base = str(settings.get("baseurl") or "").rstrip("/")
    found: list[tuple[Imported, dict[str, Any], str]] = []
    languages = jekyll_languages.detect(source, settings, config, report)
    context = _Context(settings, zone, data, pattern, style, base, section, report,
                       other_language(settings.get("lang") or settings.get("locale"), config),
                       {name: pattern for name, pattern in jekyll_urls.collections(settings)
                        .items() if name not in authors.COLLECTIONS}, profiles, languages)
    for path in confined.files(source, skip=lambda name: _hidden((name,))):
        try:
            read = _read_file(path, source, context)
        except (OSError, ValueError, TypeError, AttributeError) as exc:  # one bad file
            report.needs_person(path.relative_to(source).as_posix(), 0,
                                f"could not be imported: {type(exc).__name__}: {exc}")
            continue
        if read is not None:
            found.append(read)
    if languages is not None:
        groups = editions.group((i, k) for i, k, _ in context.translations)
        editions.link_translations(groups)
        languages.fallbacks(context.translations, groups, report)
    result = convert(source, config, report, found, settings, data, base,
                      bool(languages and languages.prefixed))
    result.profiles = dict(profiles)
    result.plan = languages.plan if languages else None
    return result


@dataclass(frozen=True)
class _Context:
    settings: dict[str, Any]
    zone: ZoneInfo
    data: dict[str, Any]
    pattern: str
    style: str
    base: str
    section: str
    report: Report
    language: str
    """The old site's own language, when it is not the new site's."""
    collections: dict[str, str]
    """Collections that publish their documents -> their permalink pattern."""
    profiles: dict[str, authors.Profile]
    """Author key -> profile (`_data/authors.yml`, an authors collection)."""
    languages: jekyll_languages.Languages | None = None
    """A multilingual site's languages and editions."""
    translations: list[tuple[Imported, str, str]] = field(default_factory=list)
    """Each item of a multilingual site with its translation key."""


def _read_file(path: Path, source: Path,
               context: _Context) -> tuple[Imported, dict[str, Any], str] | None:
    """One file of the old site as an item, or None when it is no post or page."""
    settings, zone, report = context.settings, context.zone, context.report
    base, section = context.base, context.section
    relative = path.relative_to(source)
    parts = relative.parts
    if not path.is_file() or path.is_symlink() or _hidden(parts):
        return None
    shown = relative.as_posix()
    # A collection with `output: true` (`_articles/`) publishes its documents like posts.
    collection = parts[0][1:] if len(parts) > 1 and parts[0][1:] in context.collections \
        and parts[0].startswith("_") else None
    in_posts = "_posts" in parts[:-1] or collection is not None
    in_drafts = "_drafts" in parts[:-1]
    if not (in_posts or in_drafts) and any(p.startswith("_") for p in parts):
        return None
    if path.suffix.lower() in HTML and not (in_posts or in_drafts):
        if path.read_bytes().startswith(b"---"):
            report.skipped(shown, 0, "a page of the old theme (HTML with Liquid): "
                           "sitegen makes its own home and list pages; anything else "
                           "here needs to be written again as Markdown")
        return None
    if path.suffix.lower() not in (*MARKDOWN, *HTML):
        return None
    # A folder's index (a language's home, `zh_cn/index.md`) is a page of its own.
    folder_index = path.stem.lower() == "index" and len(parts) > 1
    if not (in_posts or in_drafts) and path.stem.lower() in _NOT_PAGES and not folder_index:
        report.skipped(shown, 0, "a home or special page: sitegen makes its own")
        return None
    langs = context.languages
    if langs and folder_index and len(parts) == 2 and parts[0] in langs.folders:
        report.skipped(shown, 0, "the home page of a language: sitegen makes its edition's")
        return None
    text = path.read_text(encoding="utf-8-sig", errors="replace").replace("\r\n", "\n")
    head, body, first = split(text)
    if head is None and not (in_posts or in_drafts):
        return None  # Jekyll copies files without front matter as they are
    try:
        meta = yaml.safe_load(head or "") or {}
    except yaml.YAMLError as exc:
        line, reason = jekyll_data.yaml_problem(exc)
        report.needs_person(shown, line + 1, f"invalid YAML in front matter ({reason}); "
                            "not imported")
        return None
    if not isinstance(meta, dict):
        report.needs_person(shown, 1, "front matter is not a mapping; not imported")
        return None
    meta = {**jekyll_data.defaults(settings, shown, in_posts or in_drafts), **meta}
    lines = (head or "").split("\n")

    def line_of(key: str, lines: list[str] = lines) -> int:
        return next((i + 2 for i, t in enumerate(lines)
                     if t.lower().startswith(key.lower() + ":")), 1)

    mapped = map_front(meta, shown, zone, report, line_of, split_spaces=True,
                       author_names=lambda n: _author(n, context.profiles))
    name_date, stem = permalinks.jekyll_dated(path.stem, zone)
    if folder_index:
        stem = "-".join(parts[:-1])
    date = mapped.date or name_date
    if date is None:
        date = dt.datetime.fromtimestamp(path.stat().st_mtime, zone).replace(microsecond=0)
        if not in_drafts and (in_posts or "date" in meta):
            report.needs_person(shown, 1, "no date in the file or its name; dated by the "
                                "file's modification time")
    front = mapped.front
    if context.language:
        front.setdefault("lang", context.language)
    if "title" not in front:
        front["title"] = stem.replace("-", " ").strip().capitalize() or shown
        report.needs_person(shown, 1, "no title; one was made from the file name")
    if in_posts or in_drafts:  # a standalone page needs no date
        front.setdefault("date", date.isoformat(timespec="seconds"))
    if in_drafts:
        front["draft"] = True
    if collection is not None:
        folder_categories = [collection]
    elif in_posts or in_drafts:
        folder_categories = list(parts[:parts.index("_posts" if in_posts else "_drafts")])
    else:
        folder_categories = []
    url_folders = folder_categories
    if langs is not None:  # a language folder is no category; `_i18n/LANG/` no URL part
        folder_categories = langs.categories(folder_categories)
        if parts[0] == "_i18n":
            url_folders = folder_categories
    categories = [*folder_categories, *mapped.categories]
    slug = urls.slugify(str(front.pop("slug", "") or stem)) or "artikel"
    is_post = in_posts or in_drafts
    item = Imported(shown, "", slug, front, body, date=date, body_line=first)
    if is_post:
        item.section = urls.slugify(categories[0]) if categories else section
        front["tags"] = list(dict.fromkeys([*categories[1:], *front.get("tags", [])]))
    old = jekyll_urls.url_of(meta, relative, collection and context.collections[collection],
                             context.pattern, url_folders, stem, date.astimezone(zone))
    if langs is not None:
        code = langs.of(parts, meta)
        key = langs.translation_key(parts, meta, old)
        context.translations.append((item, key, old))
        old = langs.old_url(old, code)
        langs.plan.place(item, code)
    extra = [u for u in mapped.old_urls if u != meta.get("permalink")]
    item.old_urls = list(dict.fromkeys([old, *extra]))
    if mapped.image:
        front["image"] = mapped.image.removeprefix(base) if base else mapped.image
    if mapped.credits:
        item.body = item.body.rstrip() + "\n\n" + credit_lines(mapped.credits) + "\n"
    return item, meta, shown


def _hidden(parts: tuple[str, ...]) -> bool:
    return any(p.startswith(".") or p in {"node_modules", "vendor", "_site"} for p in parts)


def _author(name: str, profiles: dict[str, authors.Profile]) -> str:
    """An author key -> the display name of its profile."""
    profile = profiles.get(name)
    return profile.name if profile else name
