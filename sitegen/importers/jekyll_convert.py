"""The items read from a Jekyll site, converted: Liquid run with `_config.yml`,
`_data/`, `_includes/` and the posts (`liquid.Converter`), then kramdown or HTML to
the Markdown sitegen reads, links to the old URLs rewritten to the new ones,
`redirect_to` pages made aliases, and the files the bodies use collected.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sitegen import urls
from sitegen.config import Config
from sitegen.importers import (
    anchors,
    dialect,
    files,
    html,
    jekyll_languages,
    jekyll_urls,
    leftovers,
    limits,
    liquid,
)
from sitegen.importers.confine import Confined
from sitegen.importers.report import Report
from sitegen.importers.write import (
    MARKDOWN,
    Imported,
    Result,
    old_path,
    referenced,
    rewrite_links,
    unique_slugs,
)

HTML = (".html", ".htm")


def convert(source: Path, config: Config, report: Report,
             found: list[tuple[Imported, dict[str, Any], str]], settings: dict[str, Any],
             data: dict[str, Any], base: str, relativized: bool = False) -> Result:
    """The items `found` (with their front matter and shown path) converted into the
    import's result; `relativized`: a plugin published `/x/` in a Spanish page as `/es/x/`."""
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
