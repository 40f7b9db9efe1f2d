"""Layer 3.95. Single values as templates see them: URLs, dates, images, terms and
where a page shows an article's body; plain data (views.py builds pages of them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from sitegen import dates, pictures, urls
from sitegen.config import Config
from sitegen.images import IMAGE_TYPES
from sitegen.model import Article, Image, Term

View = dict[str, Any]


class Linker:
    """Turns site paths into root-relative URLs (with the base path) and absolute permalinks."""

    def __init__(self, config: Config) -> None:
        self.base_path = config.base_path
        self.origin = config.origin
        # An edition on a domain of its own: its site paths' prefix is not in its URLs.
        self.drop = f"/{config.edition_path}" if config.own_domain else ""

    def url(self, path: str) -> str:
        if self.drop and path.startswith(self.drop + "/"):
            path = path[len(self.drop):]
        return urls.url_for(self.base_path, path)

    def absolute(self, path: str) -> str:
        return self.origin + self.url(path)


class AssetURLs(dict[str, str]):
    """`site.assets`: a static file's URL by its name. It holds those `themes.asset_names`
    lists (the themes' files, CSS and JS under their hashed names, HTML); any other name,
    a photo or document of the site's static folder, is its URL under the site's base
    path, asked or not. So the map is the same whichever photos the archive holds: every
    page's inputs include it, and a photo uploaded with a story changes no other page."""

    def __init__(self, named: Mapping[str, str], link: Linker) -> None:
        super().__init__((name, link.url("/" + out)) for name, out in named.items())
        self.link = link

    def __missing__(self, name: str) -> str:
        return self.link.url("/" + name)


def date_view(moment: dt.datetime | None, language: str, style: str = "") -> View | None:
    """A date as templates show it (`format_long` or `format_styled`, `format_short`,
    `format_time`), from what dates.py remembers by the day and the clock time."""
    if moment is None:
        return None
    day, short, zone = dates.day_texts(moment, language, style)
    time = dates.clock_text(moment, language)
    return {"iso": dates.iso(moment), "long": f"{day} {time} {zone}", "short": short,
            "time": time}


def image_view(image: Image | None, link: Linker,
               memo: pictures.Memo | None = None) -> View | None:
    """An image with its responsive versions (`sources`, `srcset`), the 1200 px version
    for sharing (`share`) and the crops for structured data (`crops`); without resized
    versions (an SVG, a GIF) those fall back to the original file."""
    if image is None:
        return None
    suffix = "." + image.src.rsplit(".", 1)[-1].lower()
    view = {"url": link.url(image.src), "permalink": link.absolute(image.src), "alt": image.alt,
            "caption": image.caption, "credit": image.credit, "copyright": image.copyright,
            "width": image.width, "height": image.height, "type": IMAGE_TYPES.get(suffix, ""),
            "src": link.url(image.src), "srcset": "", "sources": [], "crops": [],
            # image_focus as CSS percentages: where a cropped box keeps its centre.
            "focus": f"{image.focus[0] * 100:g}% {image.focus[1] * 100:g}%",
            # Taller than 4:3 (a phone's portrait photo): the page crops it (theme CSS).
            "tall": image.height * 4 > image.width * 3}
    original = {"url": view["url"], "permalink": view["permalink"], "width": image.width,
                "height": image.height, "type": view["type"], "file": image.src.lstrip("/")}
    view["share"] = original
    if memo is None or not image.digest:
        return view
    photo = memo.photo(image.src, image.digest, (image.width, image.height), image.focus)
    *modern, fallback = photo.formats.values()
    largest = fallback[-1]
    view.update(src=pictures.address(largest, link.base_path), width=largest.width,
                height=largest.height,
                srcset=pictures.srcset(fallback, link.base_path),
                sources=[{"type": v[0].type, "srcset": pictures.srcset(v, link.base_path)}
                         for v in modern])
    if photo.share:
        view["share"] = _variant_view(photo.share, link)
    view["crops"] = [_variant_view(v, link) for v in photo.crops]
    return view


class CardImage(Mapping[str, Any]):
    """A card's `image_view`, held as the image it is made from and made when asked for.

    The planning process keeps a card for every story an open list has shown ahead of
    its walk (cards.py): about two thousand, whatever the archive's size, and a photo's
    view (its srcsets, shared version and crops, each with its URLs) is about 4 KB of
    each. A card's view is not held: in a worker it is unpickled as the plain view
    itself (`__reduce__`), so templates see what they saw; the planning process makes
    it again on the rare reads it does itself (a feed's enclosure), one at a time. Its
    pickle names everything the view is made from, so a page's render key still
    changes with any of it."""

    __slots__ = ("image", "link", "memo")

    def __init__(self, image: Image, link: Linker, memo: pictures.Memo) -> None:
        self.image, self.link, self.memo = image, link, memo

    def view(self) -> View:
        global _LAST
        if _LAST[0] is not self:
            _LAST = (self, _made_view(self.image, self.link, self.memo.settings, self.memo))
        return _LAST[1]

    def __getitem__(self, key: str) -> Any:
        return self.view()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.view())

    def __len__(self) -> int:
        return len(self.view())

    def __reduce__(self) -> tuple[Any, ...]:
        return (_made_view, (self.image, self.link, self.memo.settings))


_LAST: tuple[CardImage | None, View] = (None, {})
"""The last card image's view made (a reader asks for several of its keys in a row)."""
_MEMOS: dict[Any, pictures.Memo] = {}
"""A worker's Memo for each `[images]` its pages' card images come with."""


def _made_view(image: Image, link: Linker, settings: pictures.Settings,
               memo: pictures.Memo | None = None) -> View:
    memo = memo if memo is not None else _MEMOS.get(settings)
    if memo is None:
        memo = _MEMOS[settings] = pictures.Memo(settings)
    view = image_view(image, link, memo)
    assert view is not None  # an image gives a view
    return view


def card_image(image: Image | None, link: Linker,
               memo: pictures.Memo | None) -> CardImage | View | None:
    """A card's image: a CardImage for a resized photo, else its (small) view."""
    if image is None or memo is None or not image.digest:
        return image_view(image, link, memo)
    return CardImage(image, link, memo)


def _variant_view(variant: pictures.Variant, link: Linker) -> View:
    if variant.url:  # an image service's: absolute, or a path on the site's own host
        absolute = variant.url if "://" in variant.url else link.origin + variant.url
        return {"url": variant.url, "permalink": absolute, "width": variant.width,
                "height": variant.height, "type": variant.type, "file": ""}
    return {"url": link.url("/" + variant.output), "permalink": link.absolute("/" + variant.output),
            "width": variant.width, "height": variant.height, "type": variant.type,
            "file": variant.output}


def term_view(term: Term, link: Linker) -> View:
    return {"slug": term.slug, "name": term.name, "url": link.url(term.path),
            "permalink": link.absolute(term.path), "description": term.description,
            "count": len(term.articles)}


def body_recipe(article: Article, origin: str, feed: View | None = None) -> View:
    """Where a page shows an article's body: what bodies.finish needs to make its HTML
    in the process that renders the page (the body itself stays on disk). A paid
    article's links that leave the site get rel="sponsored" there, not when reading,
    since which links leave the site depends on the site's address."""
    return {"ref": article.body_ref, "html": article.body_html,
            "links": dict(article.link_targets),
            "sponsored": origin if article.kind == "advertorial" else "", "feed": feed}
