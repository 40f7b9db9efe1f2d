"""A WordPress export (WXR, Tools -> Export) -> imported items.

Posts and pages become articles and standalone pages: the first category is
the section (its other categories and its tags are tags), the author's
display name the byline, the excerpt the summary, the featured image the
hero (with its alt text and caption), the old permalink an alias. Drafts and
pending posts stay drafts; scheduled posts keep their future date, so they
go online when it comes. The HTML is turned into Markdown with markdownify,
after WordPress's own habits are undone: paragraphs written as blank lines,
`[caption]` (a figure with its caption), `[embed]`, YouTube iframes. Files
under `wp-content/uploads/` come from the `--uploads` folder and keep
their paths, so old image URLs keep working too.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from pyexpat import ExpatError, ParserCreate
from typing import Any
from zoneinfo import ZoneInfo

from sitegen import urls
from sitegen.config import Config
from sitegen.importers import authors, limits, wp_blocks
from sitegen.importers.confine import Confined
from sitegen.importers.front import plain
from sitegen.importers.html import to_markdown
from sitegen.importers.report import Report
from sitegen.importers.write import (
    Imported,
    Result,
    date_text,
    old_path,
    other_language,
    parse_date,
    rewrite_links,
    unique_slugs,
)

CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
UPLOADS = "/wp-content/uploads/"
_BLOCK = re.compile(r"^\s*<(?:p|h[1-6]|ul|ol|li|blockquote|pre|table|figure|div|hr|iframe|"
                    r"!--|dl|section|address|form|script|style|video|audio)\b", re.I)
_CAPTION = re.compile(r"\[(?:caption|wp_caption)([^\]]*)\](.*?)\[/(?:caption|wp_caption)\]",
                      re.S | re.I)
_IMG = re.compile(r"<img\b[^>]*>", re.I)
# The block editor's image: <figure class="wp-block-image"><img><figcaption>.
_FIGURE = re.compile(r"<figure\b[^>]*>\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)\s*"
                     r"<figcaption\b[^>]*>(.*?)</figcaption>\s*</figure>", re.S | re.I)
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_EMBED = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]|\[(?:youtube|vimeo)[= ]([^\]\s]+)[^\]]*\]",
                    re.S | re.I)
_IFRAME = re.compile(r"<iframe\b[^>]*\bsrc=[\"']([^\"']+)[\"'][^>]*>\s*</iframe>", re.I)
_SHORTCODE = re.compile(r"\[(/?)([a-z][\w-]*)((?:\s+[^\]]*)?)\]")
_SIZED = re.compile(r"-\d+x\d+(\.\w+)$")


def _wp(root: ET.Element) -> str:
    """The export's own `wp:` namespace (WXR 1.0, 1.1 and 1.2 differ)."""
    for element in root.iter():
        if element.tag.startswith(("{http://wordpress.org/export/",
                                   "{https://wordpress.org/export/")):
            return element.tag.split("}")[0] + "}"
    return "{http://wordpress.org/export/1.2/}"


def _child(item: ET.Element, name: str, namespace_part: str) -> str:
    """The text of `content:encoded` & co. whatever the namespace's spelling (http or
    https, with or without a trailing slash)."""
    for child in item:
        space, _, local = child.tag[1:].partition("}")
        if local == name and namespace_part in space:
            return child.text or ""
    return ""


def _attrs(text: str) -> dict[str, str]:
    return {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
            for m in _ATTR.finditer(text)}


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
    wp = _wp(root)
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
            meta = _postmeta(item, wp)
            attachments[item.findtext(f"{wp}post_id") or ""] = {
                "url": item.findtext(f"{wp}attachment_url") or "",
                "alt": meta.get("_wp_attachment_image_alt", ""),
                "caption": plain(_excerpt(item)),
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
        date = _date(item, wp, zone)
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
        login = item.findtext(DC_CREATOR) or _child(item, "creator", "purl.org/dc") or ""
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
        summary = plain(_excerpt(item) or "")
        if summary:
            front["summary"] = summary
        slug = urls.slugify(urllib.parse.unquote(item.findtext(f"{wp}post_name") or "")
                            ) or urls.slugify(title) or f"post-{number}"
        item_section = ""
        if kind == "post":
            item_section = urls.slugify(categories[0][0]) if categories else section
            if categories:
                result.sections.setdefault(item_section, categories[0][1])
        thumbnail = attachments.get(_postmeta(item, wp).get("_thumbnail_id", ""))
        if thumbnail and _local(thumbnail["url"], hosts):
            front["image"] = _local(thumbnail["url"], hosts)
            front["image_alt"] = thumbnail["alt"] or thumbnail["title"]
            front["image_caption"] = thumbnail["caption"]
        context = _Context(attachments, _postmeta(item, wp).get("footnotes", ""))
        body = _body(_child(item, "encoded", "purl.org/rss/1.0/modules/content"),
                     (shown, at, title), report, hosts, context)
        imported = Imported(where, item_section, slug, front, body, date=date, body_line=at)
        link = item.findtext("link") or ""
        # The export writes the link percent-encoded; the server's file has the real name.
        imported.old_urls = [urllib.parse.unquote(link)] if _local(link, hosts) else []
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


def _postmeta(item: ET.Element, wp: str) -> dict[str, str]:
    return {m.findtext(f"{wp}meta_key") or "": m.findtext(f"{wp}meta_value") or ""
            for m in item.iter(f"{wp}postmeta")}


def _excerpt(item: ET.Element) -> str:
    for child in item:
        if child.tag.endswith("}encoded") and "excerpt" in child.tag:
            return child.text or ""
    return ""


def _date(item: ET.Element, wp: str, zone: ZoneInfo) -> dt.datetime:
    gmt = item.findtext(f"{wp}post_date_gmt") or ""
    if gmt and not gmt.startswith("0000") and (moment := parse_date(gmt + " Z", zone)):
        return moment.astimezone(zone)
    local = parse_date(item.findtext(f"{wp}post_date") or "", zone)
    return local or dt.datetime(1970, 1, 1, tzinfo=zone)


def _local(url: str, hosts: set[str]) -> str:
    """The site path of a URL on the old site (`https://old/wp-content/x.jpg` -> `/wp-...`)."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.netloc and parts.netloc not in hosts:
        return ""
    return urllib.parse.unquote(parts.path) if parts.path.startswith("/") else ""


@dataclass(frozen=True)
class _Context:
    attachments: dict[str, dict[str, str]]
    footnotes: str
    """The post's `footnotes` meta: the block editor's footnote texts, as JSON."""


def _body(html: str, where: tuple[str, int, str], report: Report, hosts: set[str],
          context: _Context | None = None) -> str:
    """`where`: the export, the line its item opens on, the title (for the report)."""
    marks: list[str] = []
    shown, at, title = where

    def converted(message: str) -> None:
        report.converted(shown, at, f"{title[:40]}: {message}")

    def needs_person(message: str) -> None:
        report.needs_person(shown, at, f"{title[:40]}: {message}")

    def mark(markdown: str) -> str:
        marks.append(markdown)
        return f"\n\n<p>SITEGENMARK{len(marks) - 1}END</p>\n\n"

    def caption(match: re.Match[str]) -> str:
        inner = match.group(2)
        img = _IMG.search(inner)
        if img is None:
            return inner
        attrs, text = _attrs(img.group(0)), plain(_IMG.sub("", re.sub(r"</?a\b[^>]*>", "",
                                                                      inner)))
        text = text or _attrs(match.group(1)).get("caption", "")
        src = _local(attrs.get("src", ""), hosts) or attrs.get("src", "")
        alt = attrs.get("alt") or text
        converted("[caption] -> image with its caption")
        title = ' "' + text.replace('"', "&quot;") + '"' if text else ""
        return mark(f"![{alt.replace(']', '')}]({src}{title})")

    def embed(match: re.Match[str]) -> str:
        return link_line((match.group(1) or match.group(2) or "").strip())

    def link_line(url: str) -> str:
        line = wp_blocks.embed_line(url)
        if line.startswith("!embed"):
            converted(f"embed of {url} -> !embed")
        else:
            needs_person(f"embed of {url}: sitegen does not embed this provider; it became a "
                         "link on its own line")
        return mark(line)

    def iframe(match: re.Match[str]) -> str:
        url = match.group(1)
        video = re.search(r"youtube(?:-nocookie)?\.com/embed/([\w-]+)", url)
        if video:
            url = f"https://www.youtube.com/watch?v={video.group(1)}"
        return link_line(url)

    def figure(match: re.Match[str]) -> str:
        img = _IMG.search(match.group(1))
        if img is None:
            return match.group(0)
        attrs, text = _attrs(img.group(0)), plain(match.group(2))
        src = _local(attrs.get("src", ""), hosts) or attrs.get("src", "")
        converted("<figure> -> image with its caption")
        title = ' "' + text.replace('"', "&quot;") + '"' if text else ""
        return mark(f"![{(attrs.get('alt') or text).replace(']', '')}]({src}{title})")

    context = context or _Context({}, "")
    html = html.replace("\r\n", "\n")
    html, notes = wp_blocks.footnotes(html, context.footnotes)
    html = wp_blocks.embed_blocks(html, mark, converted)

    def local(url: str) -> str:
        return _local(url, hosts)
    html = wp_blocks.galleries(html, context.attachments, local, mark, converted)
    html = wp_blocks.audio(html, local, mark, converted)
    html = wp_blocks.table_breaks(html)
    html = _CAPTION.sub(caption, html)
    html = _FIGURE.sub(figure, html)
    html = _EMBED.sub(embed, html)
    html = _IFRAME.sub(iframe, html)
    for match in _SHORTCODE.finditer(re.sub(r"<[^>]+>", "", html)):
        if not match.group(1):
            needs_person(f"shortcode [{match.group(2)}] left as it is: no Markdown equivalent")
    html = _autop(html)
    for host in hosts:
        html = re.sub(r"(\b(?:href|src)=[\"'])https?://" + re.escape(host), r"\1", html)
    text = wp_blocks.restore_breaks(to_markdown(html))
    text = re.sub(r"SITEGENMARK(\d+)END", lambda m: marks[int(m.group(1))], text)
    if notes:
        converted(f"{len(notes)} block footnotes -> Markdown footnotes")
        text = text.rstrip() + "\n\n" + "\n".join(
            f"[^{n}]: {' '.join(to_markdown(note).split())}" for n, note in notes) + "\n"
    return text


def _autop(html: str) -> str:
    """WordPress stores paragraphs as blank lines (its `wpautop` adds the <p>s on display)."""
    chunks = re.split(r"\n\s*\n", html.strip())
    return "\n\n".join(c if _BLOCK.match(c) else "<p>" + c.strip().replace("\n", "<br>\n")
                       + "</p>" for c in chunks if c.strip())


def parse(export: Path) -> tuple[ET.Element, list[int]]:
    """The export's tree, and the line each <item> opens on (in document order), in one
    pass: ElementTree keeps no line numbers, and counting them afterwards for every item
    made reading an export quadratic (8,000 items: 332 s)."""
    lines: list[int] = []
    builder = ET.TreeBuilder()
    parser = ParserCreate(namespace_separator="}")
    parser.buffer_text = True

    def name(raw: str) -> str:  # expat's `uri}local` -> ElementTree's `{uri}local`
        return "{" + raw if "}" in raw else raw

    def start(tag: str, attributes: dict[str, str]) -> None:
        if tag == "item":
            lines.append(parser.CurrentLineNumber)
        builder.start(name(tag), {name(k): v for k, v in attributes.items()})

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: builder.end(name(tag))
    parser.CharacterDataHandler = builder.data
    with export.open("rb") as data:
        parser.ParseFile(data)
    return builder.close(), lines


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
