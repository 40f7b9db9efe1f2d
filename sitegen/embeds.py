"""Layer 1. Embeds without trackers: `!embed[Title](URL)` on a line of its own.

A known provider's URL (YouTube, Vimeo, X/Twitter, Instagram, TikTok, Facebook
video, Google Maps) becomes a static placeholder of our own markup: a box of the
player's shape with the title and the provider's name, linking to the original.
Nothing is requested from the provider until the reader clicks it; then the
theme's small script (`js/embeds.js`) swaps in the player's iframe (YouTube's
from youtube-nocookie.com). Without JavaScript the link opens the original.
The markup is built as elements of the Markdown tree, never as raw HTML, so an
HTML policy for the body does not touch it. An unknown URL is a problem at its
line; feeds get a plain link instead (`as_links`).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from urllib.parse import SplitResult, parse_qs, quote, urlsplit

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

MARK = 'class="embed-play"'
"""In a body's HTML exactly when it holds an embed."""
LINE = re.compile(r"^!embed\[(?P<title>[^\]]*)\]\((?P<url>[^)\s]*)\)\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
LABELS = {
    "id": {"video": "Putar video", "portrait": "Putar video", "post": "Tampilkan unggahan",
           "map": "Tampilkan peta",
           "notice": "Konten dari {provider} baru dimuat setelah Anda mengekliknya."},
    "en": {"video": "Play video", "portrait": "Play video", "post": "Show post",
           "map": "Show map", "notice": "Content from {provider} loads only when you click."},
}

@dataclass(frozen=True)
class Embed:
    provider: str
    kind: str
    """`video`, `portrait` (a tall phone video), `post` or `map`: the placeholder's shape."""
    player: str
    """The iframe's URL, loaded only after the click."""


def _youtube(split: SplitResult) -> str | None:
    host = split.netloc.removeprefix("www.").removeprefix("m.")
    if host == "youtu.be":
        video = split.path.strip("/")
    elif host in ("youtube.com", "youtube-nocookie.com"):
        if split.path == "/watch":
            video = parse_qs(split.query).get("v", [""])[0]
        else:
            match = re.fullmatch(r"/(?:embed|shorts|live)/([\w-]+)/?", split.path)
            video = match.group(1) if match else ""
    else:
        return None
    if not re.fullmatch(r"[\w-]{6,20}", video):
        return None
    return f"https://www.youtube-nocookie.com/embed/{video}?autoplay=1"


def identify(url: str) -> Embed | None:
    """The provider and player of a URL, or None when it is not one we can embed."""
    split = urlsplit(url)
    if split.scheme not in ("http", "https"):
        return None
    host = split.netloc.lower().removeprefix("www.").removeprefix("m.")
    path = split.path
    if player := _youtube(split):
        return Embed("YouTube", "portrait" if "/shorts/" in path else "video", player)
    if host == "vimeo.com" and (m := re.fullmatch(r"/(\d+)/?", path)):
        return Embed("Vimeo", "video", f"https://player.vimeo.com/video/{m.group(1)}?dnt=1&autoplay=1")
    if host in ("x.com", "twitter.com") and (m := re.fullmatch(r"/\w+/status/(\d+)/?", path)):
        return Embed("X", "post", f"https://platform.twitter.com/embed/Tweet.html?id={m.group(1)}"
                     "&dnt=true")
    if host == "instagram.com" and (m := re.fullmatch(r"/(p|reel)/([\w-]+)/?", path)):
        return Embed("Instagram", "post",
                     f"https://www.instagram.com/{m.group(1)}/{m.group(2)}/embed/")
    if host == "tiktok.com" and (m := re.fullmatch(r"/@[\w.-]+/video/(\d+)/?", path)):
        return Embed("TikTok", "portrait", f"https://www.tiktok.com/embed/v2/{m.group(1)}")
    if host == "facebook.com" and (re.fullmatch(r"/[\w.-]+/videos/(?:[\w.-]+/)?\d+/?", path)
                                   or (path.rstrip("/") == "/watch" and "v=" in split.query)):
        return Embed("Facebook", "video", "https://www.facebook.com/plugins/video.php?href="
                     + quote(url, safe=""))
    if host in ("google.com", "maps.google.com") and (path.startswith("/maps") or
                                                      host.startswith("maps.")):
        return _map(split)
    return None


def _map(split: SplitResult) -> Embed | None:
    path, query = split.path, split.query
    if path.startswith("/maps/embed") and "pb=" in query:
        return Embed("Google Maps", "map", f"https://www.google.com/maps/embed?{query}")
    place = re.search(r"@(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?),(\d+(?:\.\d+)?)z", path)
    if place:
        lat, lng, zoom = place.groups()
        return Embed("Google Maps", "map", f"https://maps.google.com/maps?q={lat},{lng}"
                     f"&z={round(float(zoom))}&output=embed")
    q = parse_qs(query).get("q", [""])[0]
    if q:
        return Embed("Google Maps", "map",
                     f"https://maps.google.com/maps?q={quote(q)}&output=embed")
    return None


PROVIDERS = "YouTube, Vimeo, X (Twitter), Instagram, TikTok, Facebook videos and Google Maps"
PLAYER_ORIGINS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com",
                  "https://platform.twitter.com", "https://www.instagram.com",
                  "https://www.tiktok.com", "https://www.facebook.com", "https://www.google.com",
                  "https://maps.google.com")
"""Where the players `identify` names are served from (the sites' Content-Security-Policy
lets pages frame exactly these)."""


class _Check(Preprocessor):
    """Finds every `!embed` line with its line number (before any other step moves lines)
    and reports those that cannot be embedded; fenced code is left alone."""

    def run(self, lines: list[str]) -> list[str]:
        problems: list[tuple[int, str]] = []
        fenced = None
        for number, line in enumerate(lines, start=1):
            fence = _FENCE.match(line)
            if fence:
                fenced = None if fenced == fence.group(1) else fenced or fence.group(1)
            if fenced or not line.startswith("!embed"):
                continue
            match = LINE.match(line)
            if match is None:
                problems.append((number, "write an embed as !embed[Title](https://...) on a "
                                 "line of its own"))
            elif identify(match.group("url")) is None:
                problems.append((number, f"cannot embed {match.group('url')!r}: sitegen "
                                 f"embeds {PROVIDERS}; link to it instead"))
        self.md.embed_problems = problems  # type: ignore[attr-defined]
        return lines


class _Block(BlockProcessor):
    def __init__(self, parser: object, language: str) -> None:
        super().__init__(parser)  # type: ignore[arg-type]
        self.labels = LABELS.get(language, LABELS["en"])

    def test(self, parent: etree.Element, block: str) -> bool:
        match = LINE.match(block.strip())
        return bool(match and identify(match.group("url")))

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        match = LINE.match(blocks.pop(0).strip())
        assert match is not None
        url, embed = match.group("url"), identify(match.group("url"))
        assert embed is not None
        labels = self.labels
        title = match.group("title").strip() or embed.provider
        figure = etree.SubElement(parent, "figure", {
            "class": f"embed embed-{embed.kind}", "data-provider": embed.provider})
        play = etree.SubElement(figure, "a", {
            "class": "embed-play", "href": url, "data-embed": embed.player,
            "data-title": title,
            "aria-label": f"{labels[embed.kind]}: {title} ({embed.provider})"})
        provider = etree.SubElement(play, "span", {"class": "embed-provider"})
        provider.text = embed.provider
        name = etree.SubElement(play, "span", {"class": "embed-title"})
        name.text = title
        etree.SubElement(play, "span", {"class": "embed-icon", "aria-hidden": "true"})
        caption = etree.SubElement(figure, "figcaption")
        caption.text = labels["notice"].format(provider=embed.provider)


class EmbedExtension(Extension):
    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Before fenced_code (25) replaces code blocks, so line numbers are the file's.
        md.preprocessors.register(_Check(md), "embed_check", 28)
        # Before the paragraph processor takes the line as text.
        md.parser.blockprocessors.register(_Block(md.parser, self.language), "embed", 95)


_FIGURE = re.compile(r'<figure class="embed [^"]*" data-provider="([^"]*)">(.*?)</figure>', re.S)
_HREF = re.compile(r'<a [^>]*href="([^"]*)"')
_TITLE = re.compile(r'<span class="embed-title">(.*?)</span>', re.S)


def as_links(body: str) -> str:
    """Every embed placeholder as a plain link to the original (for feeds)."""
    def link(match: re.Match[str]) -> str:
        href = _HREF.search(match.group(2))
        title = _TITLE.search(match.group(2))
        if not href or not title:
            return match.group(0)
        return (f'<p><a href="{href.group(1)}">{title.group(1)}</a> '
                f"({html.escape(html.unescape(match.group(1)))})</p>")
    return _FIGURE.sub(link, body)
