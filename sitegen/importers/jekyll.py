"""A Jekyll site (its folder) -> imported items.

Posts come from every `_posts/` folder (dates and slugs from `YYYY-MM-DD-`
names, categories from the folders above `_posts/` and from front matter),
drafts from `_drafts/` (kept as drafts), pages from Markdown files outside
the `_` folders. Old URLs follow the site's `permalink` setting (or the
file's own `permalink:`), plus `redirect_from`, and become `aliases`.
Bodies go through `liquid.Converter` with `_config.yml`, `_data/` and
`_includes/`; the files they reference are copied under `content/static/`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from sitegen import urls
from sitegen.config import Config
from sitegen.importers import (
    anchors,
    authors,
    dialect,
    editions,
    files,
    html,
    jekyll_data,
    jekyll_languages,
    jekyll_urls,
    leftovers,
    limits,
    liquid,
    permalinks,
)
from sitegen.importers.confine import Confined
from sitegen.importers.front import credit_lines, map_front
from sitegen.importers.report import Report
from sitegen.importers.write import (
    MARKDOWN,
    Imported,
    Result,
    old_path,
    other_language,
    referenced,
    rewrite_links,
    unique_slugs,
    zone_of,
)

HTML = (".html", ".htm")
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
    result = _convert(source, config, report, found, settings, data, base,
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


def _convert(source: Path, config: Config, report: Report,
             found: list[tuple[Imported, dict[str, Any], str]], settings: dict[str, Any],
             data: dict[str, Any], base: str, relativized: bool = False) -> Result:
    """...; `relativized`: a plugin published `/x/` in a Spanish page as `/es/x/`."""
    redirecting = [(item, meta, shown) for item, meta, shown in found
                   if isinstance(meta.get("redirect_to"), (str, list)) and meta["redirect_to"]]
    found = [entry for entry in found if entry not in redirecting]
    unique_slugs([item for item, _, _ in found], config, report)
    by_source = {shown: item for item, _, shown in found}
    by_name = {Path(shown).stem: item for item, _, shown in found if "_posts/" in shown}
    # A post of each language may share its file name: `post_url` on a Spanish page is
    # the Spanish post's (polyglot relativized it), else the one post of that name.
    in_edition = {(i.edition, Path(shown).stem): i for i, _, shown in found
                  if "_posts/" in shown}
    on: list[str] = [""]  # the edition of the page being converted

    def post_url(name: str) -> str | None:
        stem = name.split("/")[-1]
        post = in_edition.get((on[0], stem)) or by_name.get(stem)
        return post.path(config) if post else None
    moved: dict[str, str] = {}
    for item in (i for i, _, _ in found):
        for old in item.old_urls:
            path = old_path(old)
            if path:
                moved[path] = item.path(config)
                if base:
                    moved[base + path] = item.path(config)
    jekyll_urls.redirect_to(redirecting, found, moved, settings, config, report)
    posts = [{"title": i.front.get("title", ""), "url": i.path(config), "date": i.date,
              "categories": [i.section], "tags": i.front.get("tags", [])}
             for i, _, s in found if i.section]
    variables = {**settings, "url": "", "baseurl": "", "data": data,
                 "posts": sorted(posts, key=lambda p: p["date"], reverse=True)}
    confined = Confined(source, report)
    site = liquid.Site(
        variables, confined.folder(settings.get("includes_dir"), "_includes",
                                   "_config.yml: includes_dir"),
        link_url=lambda p: by_source[p].path(config) if p in by_source else None,
        post_url=post_url, root=confined.root)
    converter = liquid.Converter(site, report)
    result = Result([])
    views = {"": moved}
    for item, meta, shown in found:
        page = {**meta, "url": item.path(config), "title": item.front.get("title", "")}
        on[0] = item.edition
        try:
            with limits.per_file():
                body = converter.convert(item.body, shown, item.body_line, page,
                                         (source / shown).parent)
        except limits.TooSlow as exc:
            report.needs_person(shown, item.body_line, f"Liquid left as it is: {exc}")
            body = item.body
        body = leftovers.remove(body, "liquid", shown, item.body_line, report,
                                original=item.body)
        try:
            with limits.per_file():  # hostile HTML (nested 20,000 deep) is one file's problem
                if Path(shown).suffix.lower() in HTML:
                    body = html.to_markdown(body)
                else:  # kramdown (GFM input) -> what Python-Markdown reads alike
                    body = _dialect(body, settings,
                                    functools.partial(report.converted, shown, item.body_line))
        except (RecursionError, limits.TooSlow) as exc:
            reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            report.needs_person(shown, item.body_line, f"left as written, not converted to "
                                f"Markdown: {reason}")
        body = files.own_links(body, str(settings.get("url") or ""))
        if base:
            body = re.sub(r"(\]\(\s*|\b(?:href|src)=[\"'])" + re.escape(base) + "/",
                          r"\1/", body)
        if item.old_urls:  # the browser resolved relative paths against the old URL
            body = files.absolute_references(body, old_path(item.old_urls[0]) or "/")
        if relativized and item.prefix not in views:  # once per edition
            views[item.prefix] = jekyll_languages.relative(moved, item.prefix)
        item.body = rewrite_links(body, views.get(item.prefix, moved))
        new = item.path(config)
        item.front["aliases"] = sorted({p for u in item.old_urls
                                        if (p := old_path(u)) and p != new})
        for path in referenced(item.body) | ({item.front["image"]} if "image" in item.front
                                             else set()):
            asset = _asset(confined, path)
            if asset is not None:
                result.assets[path] = asset
        files.report_missing(item.body, referenced(item.body),
                             lambda p: _asset(confined, p), shown, item.body_line, report)
        if item.section:
            for category in (*[p for p in Path(shown).parts[:-2] if not p.startswith("_")],
                             *(meta.get("categories") or [])):
                if isinstance(category, str) and urls.slugify(category) == item.section:
                    result.sections.setdefault(item.section, category)
        result.items.append(item)
    return result


def _asset(confined: Confined, site_path: str) -> Path | None:
    relative = site_path.lstrip("/")
    if not relative or relative.startswith("_") or Path(relative).suffix.lower() in (
            *MARKDOWN, ".html", "") or urls.clean_site_path(site_path) is None:
        return None
    return confined.file(confined.root / relative)


def _hidden(parts: tuple[str, ...]) -> bool:
    return any(p.startswith(".") or p in {"node_modules", "vendor", "_site"} for p in parts)


def _author(name: str, profiles: dict[str, authors.Profile]) -> str:
    """An author key -> the display name of its profile."""
    profile = profiles.get(name)
    return profile.name if profile else name


def _dialect(body: str, settings: dict[str, Any], note: Callable[[str], None]) -> str:
    """kramdown's reading of the body, kept: GFM input unless `kramdown: input: kramdown`;
    heading ids unless `auto_ids: false`; emoji with the jemoji plugin."""
    kramdown = settings.get("kramdown") if isinstance(settings.get("kramdown"), dict) else {}
    body = dialect.convert(body, note)
    if (kramdown or {}).get("auto_ids", True) is not False:
        scheme = "kramdown" if str((kramdown or {}).get("input", "GFM")).lower() == "kramdown" \
            else "gfm"
        body = anchors.heading_ids(body, scheme, note)
    plugins = [*(settings.get("plugins") or []), *(settings.get("gems") or [])]
    if "jemoji" in [str(p) for p in plugins]:
        body = anchors.emoji(body, note)
    return body
