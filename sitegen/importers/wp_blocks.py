"""WordPress's block editor and media shortcodes -> what sitegen's Markdown has.

Runs on a post's HTML before it becomes Markdown (`wp_body.convert`). Each
construct becomes a mark that survives markdownify, replaced afterwards by
its Markdown: embeds (`wp:embed` blocks, `[embed]`, `[youtube]`, iframes)
become `!embed[Title](URL)` when sitegen knows the provider (else a link on
its own line), galleries a paragraph of pictures (sitegen's gallery),
audio a link to the file, block footnotes Markdown footnotes (their texts
are kept in the post's `footnotes` meta as JSON), and a line break inside a
table cell stays a `<br>` instead of breaking the row.
"""

from __future__ import annotations

import html as html_text
import json
import re
from collections.abc import Callable

from sitegen import embeds

_EMBED_BLOCK = re.compile(r"<!--\s*wp:(?:core-)?embed\b(.*?)-->(.*?)<!--\s*/wp:(?:core-)?embed"
                          r"\s*-->", re.S)
_FIGCAPTION = re.compile(r"<figcaption\b[^>]*>(.*?)</figcaption>", re.S | re.I)
_CELL = re.compile(r"(<t[dh]\b[^>]*>)(.*?)(</t[dh]>)", re.S | re.I)
_BR = re.compile(r"<br\s*/?>", re.I)
_TABLE = re.compile(r"<table\b.*?</table>", re.S | re.I)
_FOOTNOTE_REF = re.compile(r"<sup\b[^>]*\bdata-fn=[\"']([^\"']+)[\"'][^>]*>.*?</sup>", re.S | re.I)
_FOOTNOTES_BLOCK = re.compile(r"<!--\s*wp:footnotes\s*/?-->(?:.*?<!--\s*/wp:footnotes\s*-->)?",
                              re.S)
_GALLERY_SHORTCODE = re.compile(r"\[gallery\b([^\]]*)\]", re.I)
_GALLERY_BLOCK = re.compile(r"<figure\b[^>]*\bwp-block-gallery\b[^>]*>(.*?)</figure>\s*"
                            r"(?=<!--\s*/wp:gallery|$)", re.S | re.I)
_AUDIO_SHORTCODE = re.compile(r"\[audio\b([^\]]*)\](?:\s*\[/audio\])?", re.I)
_AUDIO_TAG = re.compile(r"<audio\b[^>]*\bsrc=[\"']([^\"']+)[\"'][^>]*>.*?</audio>", re.S | re.I)
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")

Mark = Callable[[str], str]
"""Sets Markdown aside; returns the placeholder that markdownify leaves alone."""


def attrs(text: str) -> dict[str, str]:
    return {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
            for m in _ATTR.finditer(text)}


def plain(text: str) -> str:
    return " ".join(html_text.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def embed_line(url: str, title: str = "") -> str:
    """sitegen's embed for a provider it knows, else a link on its own line."""
    url = html_text.unescape(url.strip())
    found = embeds.identify(url)
    if found is None:
        return f"<{url}>"
    label = (title or found.provider).replace("]", "").replace("\n", " ")
    return f"!embed[{label}]({url})"


def embed_blocks(html: str, mark: Mark, converted: Callable[[str], None]) -> str:
    """`<!-- wp:embed {"url": ...} -->` blocks, whatever their inner markup."""
    def one(match: re.Match[str]) -> str:
        try:
            settings = json.loads(match.group(1).strip() or "{}")
        except ValueError:
            settings = {}
        url = str(settings.get("url") or "") or plain(re.sub(r"<figcaption.*?</figcaption>",
                                                             "", match.group(2), flags=re.S))
        caption = _FIGCAPTION.search(match.group(2))
        if not url:
            return match.group(0)
        converted(f"embed block of {url} -> !embed")
        return mark(embed_line(url, plain(caption.group(1)) if caption else ""))
    return _EMBED_BLOCK.sub(one, html)


def table_breaks(html: str) -> str:
    """A `<br>` in a table cell would end the Markdown row: it stays as an HTML break.
    Line breaks between a table's tags would end rows too: they go."""
    html = _TABLE.sub(lambda m: re.sub(r">\s+<", "><", m.group(0)), html)
    return _CELL.sub(lambda m: m.group(1) + _BR.sub(" SITEGENBR ", m.group(2)) + m.group(3),
                     html)


def restore_breaks(markdown: str) -> str:
    markdown = re.sub(r"SITEGENFN(\d+)END", r"[^\1]", markdown)
    return re.sub(r"\s*SITEGENBR\s*", "<br>", markdown)


def footnotes(html: str, meta: str) -> tuple[str, list[tuple[str, str]]]:
    """Block footnotes -> `SITEGENFNnEND` marks (`restore_footnotes` makes them `[^n]`)
    and (n, text HTML) to define after the body."""
    try:
        notes = {str(n.get("id")): str(n.get("content") or "") for n in json.loads(meta or "[]")
                 if isinstance(n, dict)}
    except (ValueError, AttributeError):
        notes = {}
    order: list[tuple[str, str]] = []

    def one(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in notes:
            return match.group(0)
        number = next((i for i, (k, _) in enumerate(order, 1) if k == key), 0)
        if not number:
            order.append((key, notes[key]))
            number = len(order)
        return f"SITEGENFN{number}END"
    html = _FOOTNOTE_REF.sub(one, html)
    if order:
        html = _FOOTNOTES_BLOCK.sub("", html)
    return html, [(str(i), text) for i, (_, text) in enumerate(order, 1)]


def galleries(html: str, attachments: dict[str, dict[str, str]], local: Callable[[str], str],
              mark: Mark, converted: Callable[[str], None]) -> str:
    """`[gallery ids="1,2"]` and gallery blocks -> one picture a line (sitegen's gallery)."""
    def picture(src: str, alt: str, caption: str) -> str:
        title = ' "' + caption.replace('"', "&quot;") + '"' if caption else ""
        return f"![{(alt or caption or 'Foto').replace(']', '')}]({local(src) or src}{title})"

    def shortcode(match: re.Match[str]) -> str:
        ids = [i.strip() for i in attrs(match.group(1)).get("ids", "").split(",") if i.strip()]
        found = [attachments[i] for i in ids if i in attachments]
        if not found:
            return match.group(0)
        converted("[gallery] -> a gallery of its pictures")
        return mark("\n".join(picture(a["url"], a["alt"] or a["title"], a["caption"])
                              for a in found))

    def block(match: re.Match[str]) -> str:
        inner = match.group(1)
        pictures = []
        for figure in re.finditer(r"<img\b[^>]*>(?:.*?<figcaption\b[^>]*>(.*?)</figcaption>)?",
                                  inner, re.S | re.I):
            image = attrs(_IMG.match(figure.group(0)).group(0))  # type: ignore[union-attr]
            pictures.append(picture(image.get("src", ""), image.get("alt", ""),
                                    plain(figure.group(1) or "")))
        if not pictures:
            return match.group(0)
        converted("gallery block -> a gallery of its pictures")
        return mark("\n".join(pictures))
    return _GALLERY_BLOCK.sub(block, _GALLERY_SHORTCODE.sub(shortcode, html))


def audio(html: str, local: Callable[[str], str], mark: Mark,
          converted: Callable[[str], None]) -> str:
    """`[audio mp3=...]` and `<audio src>` -> a link to the file."""
    def link(url: str) -> str:
        converted("audio -> a link to its file")
        path = local(url) or url
        name = path.rsplit("/", 1)[-1] or path
        return mark(f"[🔊 {name}]({path})")

    def shortcode(match: re.Match[str]) -> str:
        found = attrs(match.group(1))
        url = next((found[k] for k in ("src", "mp3", "m4a", "ogg", "wav") if found.get(k)), "")
        return link(url) if url else match.group(0)
    html = _AUDIO_SHORTCODE.sub(shortcode, html)
    return _AUDIO_TAG.sub(lambda m: link(m.group(1)), html)
