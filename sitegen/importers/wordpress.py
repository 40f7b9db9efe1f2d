"""A WordPress export (WXR, Tools -> Export) -> imported items.

Posts and pages become articles and standalone pages: the first category is
the section (its other categories and its tags are tags), the author's
display name the byline, the excerpt the summary, the featured image the
hero (with its alt text and caption), the old permalink an alias. Drafts and
pending posts stay drafts; scheduled posts keep their future date, so they
go online when it comes. The HTML is turned into Markdown with markdownify,
after WordPress's own habits are undone: paragraphs written as blank lines,
`[caption]` (a figure with its caption), `[embed]`, YouTube iframes
(`wp_body`; reading the export itself is `wxr`). Files
under `wp-content/uploads/` come from the `--uploads` folder and keep
their paths, so old image URLs keep working too.
"""

from __future__ import annotations

import re
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path
from pyexpat import ExpatError
from typing import Any
from zoneinfo import ZoneInfo

from sitegen import urls
from sitegen.config import Config
from sitegen.importers import authors, limits
from sitegen.importers.confine import Confined
from sitegen.importers.front import plain
from sitegen.importers.report import Report
from sitegen.importers.wp_body import BodyContext, convert, old_site_path
from sitegen.importers.write import (
    Imported,
    Result,
    date_text,
    old_path,
    other_language,
    rewrite_links,
    unique_slugs,
)
from sitegen.importers.wxr import DC_CREATOR, child, excerpt, item_date, namespace, parse, postmeta

UPLOADS = "/wp-content/uploads/"
_SIZED = re.compile(r"-\d+x\d+(\.\w+)$")


def import_site(export: Path, config: Config, report: Report, section: str,
                uploads: Path | None) -> Result:
    shown = export.name
    try:
        root, starts = parse(export)
    except ExpatError as exc:
        report.needs_person(shown, exc.lineno, f"not a readable WXR file: {exc}")
        return Result([])
    except OSError as exc:
        report.needs_person(shown, 0, f"not a readable WXR file: {exc}")
        return Result([])
    wp = namespace(root)
    channel = root.find("channel")
    if channel is None:
        report.needs_person(shown, 0, "no <channel>: not a WordPress export")
        return Result([])
    zone = ZoneInfo(config.site.timezone)
    # The blog's language, when it is not the new site's, goes on every article.
    blog_language = other_language(channel.findtext("language"), config)
    home = (channel.findtext(f"{wp}base_blog_url") or channel.findtext("link") or "").rstrip("/")
    hosts = {urllib.parse.urlsplit(u).netloc for u in (home, channel.findtext(
        f"{wp}base_site_url") or "") if u}
    names = {a.findtext(f"{wp}author_login") or "": a.findtext(f"{wp}author_display_name")
             or a.findtext(f"{wp}author_login") or "" for a in channel.iter(f"{wp}author")}
    items = list(channel.iter("item"))
    profiles = {login: authors.Profile(name) for login, name in names.items() if name}
    attachments: dict[str, dict[str, str]] = {}
    for item in items:
        if item.findtext(f"{wp}post_type") == "attachment":
            meta = postmeta(item, wp)
            attachments[item.findtext(f"{wp}post_id") or ""] = {
                "url": item.findtext(f"{wp}attachment_url") or "",
                "alt": meta.get("_wp_attachment_image_alt", ""),
                "caption": plain(excerpt(item)),
                "title": item.findtext("title") or ""}
    result = Result([], profiles=profiles)
    confined = Confined(uploads, report, "uploads/") if uploads else None
    found: list[tuple[Imported, str]] = []
    def one(number: int, item: ET.Element) -> None:
        """Read one <item> of the export into `found`."""
        kind = item.findtext(f"{wp}post_type") or ""
        title = plain(item.findtext("title") or "")
        at = starts[number - 1] if number <= len(starts) else 0
        where = f"{shown}:{at} ({title[:40] or 'untitled'})"
        if kind not in {"post", "page"}:
            if kind not in {"attachment", "nav_menu_item", "revision", "wp_global_styles",
                            "wp_navigation", "custom_css", "customize_changeset", "oembed_cache"}:
                report.skipped(shown, at, f"post type '{kind}' is not imported")
            return
        status = item.findtext(f"{wp}status") or "publish"
        if status in {"trash", "auto-draft", "inherit"}:
            report.skipped(shown, at, f"status '{status}': not imported")
            return
        date = item_date(item, wp, zone)
        front: dict[str, Any] = {"title": title or "(untitled)", "date": date_text(date)}
        if not title:
            report.needs_person(shown, at, "no title")
        if status in {"draft", "pending", "private"}:
            front["draft"] = True
            if status == "private":
                report.needs_person(shown, at, f"{title[:40]}: a private post: imported as a "
                                    "draft, not published")
        if (item.findtext(f"{wp}post_password") or "").strip():
            front["draft"] = True  # never published in clear
            report.needs_person(shown, at, f"{title[:40]}: password-protected: imported as a "
                                "draft, not published")
        login = item.findtext(DC_CREATOR) or child(item, "creator", "purl.org/dc") or ""
        if names.get(login, login):
            front["author"] = names.get(login, login)
        categories = [(c.get("nicename") or urls.slugify(c.text or ""), c.text or "")
                      for c in item.iter("category") if c.get("domain") == "category"]
        categories = [c for c in categories if c[0] not in {"uncategorized", "tak-berkategori"}]
        tags = [c.text or "" for c in item.iter("category") if c.get("domain") == "post_tag"]
        front["tags"] = list(dict.fromkeys(t for t in [*(n for _, n in categories[1:]), *tags]
                                           if t.strip()))
        # Polylang and WPML keep each post's language as a taxonomy.
        language = next((c.get("nicename") or c.text or "" for c in item.iter("category")
                         if c.get("domain") in {"language", "translation_priority_language"}),
                        "") or blog_language
        if other_language(language, config):
            front["lang"] = other_language(language, config)
        summary = plain(excerpt(item) or "")
        if summary:
            front["summary"] = summary
        slug = urls.slugify(urllib.parse.unquote(item.findtext(f"{wp}post_name") or "")
                            ) or urls.slugify(title) or f"post-{number}"
        item_section = ""
        if kind == "post":
            item_section = urls.slugify(categories[0][0]) if categories else section
            if categories:
                result.sections.setdefault(item_section, categories[0][1])
        thumbnail = attachments.get(postmeta(item, wp).get("_thumbnail_id", ""))
        if thumbnail and old_site_path(thumbnail["url"], hosts):
            front["image"] = old_site_path(thumbnail["url"], hosts)
            front["image_alt"] = thumbnail["alt"] or thumbnail["title"]
            front["image_caption"] = thumbnail["caption"]
        context = BodyContext(attachments, postmeta(item, wp).get("footnotes", ""))
        body = convert(child(item, "encoded", "purl.org/rss/1.0/modules/content"),
                     (shown, at, title), report, hosts, context)
        imported = Imported(where, item_section, slug, front, body, date=date, body_line=at)
        link = item.findtext("link") or ""
        # The export writes the link percent-encoded; the server's file has the real name.
        imported.old_urls = [urllib.parse.unquote(link)] if old_site_path(link, hosts) else []
        # Stable across exports of the same blog, so a rerun recognises the post.
        imported.origin = f"{home} post {item.findtext(f'{wp}post_id') or link}"
        found.append((imported, link))

    for number, item in enumerate(items, start=1):
        try:
            with limits.per_file():  # hostile HTML (nested 20,000 deep) is one item's problem
                one(number, item)
        except (ValueError, TypeError, AttributeError, RecursionError,
                limits.TooSlow) as exc:  # one bad item
            reason = ("its HTML is nested too deeply to convert"
                      if isinstance(exc, RecursionError) else str(exc)
                      if isinstance(exc, limits.TooSlow) else f"{type(exc).__name__}: {exc}")
            report.needs_person(shown, starts[number - 1] if number <= len(starts) else 0,
                                f"could not be imported: {reason}")
    unique_slugs([i for i, _ in found], config, report)
    moved = {p: i.path(config) for i, _ in found for u in i.old_urls if (p := old_path(u))}
    for imported, _ in found:
        imported.body = rewrite_links(imported.body, moved)
        new = imported.path(config)
        imported.front["aliases"] = sorted({p for u in imported.old_urls
                                            if (p := old_path(u)) and p != new})
        _uploads(imported, confined, result, report)
        result.items.append(imported)
    return result


def _uploads(item: Imported, uploads: Confined | None, result: Result,
             report: Report) -> None:
    """Every `/wp-content/uploads/...` file the item uses, from the --uploads folder."""
    used = set(re.findall(r"\]\((" + re.escape(UPLOADS) + r"[^)\s\"]+)", item.body))
    if item.front.get("image", "").startswith(UPLOADS):
        used.add(item.front["image"])
    for site_path in sorted(used):
        file = _upload(uploads, site_path)
        if file is None and _SIZED.search(site_path):
            original = _SIZED.sub(r"\1", site_path)
            if (file := _upload(uploads, original)) is not None:
                item.body = item.body.replace(site_path, original)
                if item.front.get("image") == site_path:
                    item.front["image"] = original
                site_path = original
        if file is None:
            shown, _, title = item.source.partition(" (")
            report.needs_person(shown.rsplit(":", 1)[0], item.body_line,
                                f"{title.rstrip(')')}: " + (
                                    f"{site_path} was not found in the uploads folder"
                                    if uploads else f"{site_path}: give --uploads"))
            continue
        result.assets[site_path] = file


def _upload(uploads: Confined | None, site_path: str) -> Path | None:
    """The file of the uploads folder (never a link leading out of it), or None."""
    if uploads is None or urls.clean_site_path(site_path) is None:
        return None
    return uploads.file(uploads.root / site_path[len(UPLOADS):])
