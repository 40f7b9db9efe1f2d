"""A WordPress post's HTML -> Markdown.

WordPress's own habits are undone first: paragraphs written as blank lines,
`[caption]` (a figure with its caption), the block editor's figures, `[embed]`,
YouTube iframes, the blocks `wp_blocks` knows; links to the old site become site
paths; then markdownify (`importers.html`) writes the Markdown.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

from sitegen.importers import wp_blocks
from sitegen.importers.front import plain
from sitegen.importers.html import to_markdown
from sitegen.importers.report import Report

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


def _attrs(text: str) -> dict[str, str]:
    return {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
            for m in _ATTR.finditer(text)}


def old_site_path(url: str, hosts: set[str]) -> str:
    """The site path of a URL on the old site (`https://old/wp-content/x.jpg` -> `/wp-...`)."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.netloc and parts.netloc not in hosts:
        return ""
    return urllib.parse.unquote(parts.path) if parts.path.startswith("/") else ""


@dataclass(frozen=True)
class BodyContext:
    attachments: dict[str, dict[str, str]]
    footnotes: str
    """The post's `footnotes` meta: the block editor's footnote texts, as JSON."""


def convert(html: str, where: tuple[str, int, str], report: Report, hosts: set[str],
          context: BodyContext | None = None) -> str:
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
        src = old_site_path(attrs.get("src", ""), hosts) or attrs.get("src", "")
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
        src = old_site_path(attrs.get("src", ""), hosts) or attrs.get("src", "")
        converted("<figure> -> image with its caption")
        title = ' "' + text.replace('"', "&quot;") + '"' if text else ""
        return mark(f"![{(attrs.get('alt') or text).replace(']', '')}]({src}{title})")

    context = context or BodyContext({}, "")
    html = html.replace("\r\n", "\n")
    html, notes = wp_blocks.footnotes(html, context.footnotes)
    html = wp_blocks.embed_blocks(html, mark, converted)

    def local(url: str) -> str:
        return old_site_path(url, hosts)
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
