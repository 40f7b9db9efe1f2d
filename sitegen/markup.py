"""Layer 2. Markdown to HTML: the only module that imports Python-Markdown.

The extension set is fixed and documented in the README. Two tree processors
of our own: root-relative links and images get the site's base path (so a
site under /berita/ works), and an image with a title on its own line becomes
a <figure> with a <figcaption> and its intrinsic width and height.
"""

from __future__ import annotations

import html
import math
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from functools import lru_cache

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

from sitegen.brackets import BoundedBrackets
from sitegen.images import image_size

WORDS_PER_MINUTE = 200
BACKLINK_TITLES = {"id": "Kembali ke catatan kaki %d", "en": "Back to footnote %d"}
MD_LINK = "sitegen-md:"
"""Marks a link to another Markdown file: the target's URL is known only once every
source is read, so `links.resolve_md_links` replaces the mark after the read stage."""
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//)")


def is_md_link(href: str) -> bool:
    """A link to a Markdown file of the site, such as `../ekonomi/harga-cabai.md#x`."""
    path = href.split("#", 1)[0].split("?", 1)[0]
    return path.lower().endswith(".md") and not _SCHEME.match(href)


@dataclass(frozen=True)
class Rendered:
    html: str
    toc_html: str
    first_paragraph: str
    word_count: int
    reading_time: int


class _SiteTree(Treeprocessor):
    def __init__(self, md: markdown.Markdown, base_path: str, static_dir: str) -> None:
        super().__init__(md)
        self.base_path = base_path
        self.static_dir = static_dir

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "a" and is_md_link(element.get("href", "")):
                element.set("href", MD_LINK + element.get("href", ""))
            for attr in ("href", "src"):
                value = element.get(attr, "")
                if value.startswith("/") and not value.startswith("//"):
                    element.set(attr, self.base_path + value[1:])
            if element.tag == "img":
                self._size_image(element)
        for paragraph in list(root.iter("p")):
            children = list(paragraph)
            alone = len(children) == 1 and not (paragraph.text or "").strip()
            if alone and children[0].tag == "img" and children[0].get("title") and not (
                    children[0].tail or "").strip():
                self._make_figure(paragraph, children[0])

    def _size_image(self, img: etree.Element) -> None:
        src = img.get("src", "")
        site_src = "/" + src[len(self.base_path):] if src.startswith(self.base_path) else src
        size = image_size(self.static_dir, site_src)
        if size:
            img.set("width", str(size[0]))
            img.set("height", str(size[1]))
        img.set("loading", "lazy")
        img.set("decoding", "async")

    @staticmethod
    def _make_figure(paragraph: etree.Element, img: etree.Element) -> None:
        caption = img.attrib.pop("title")
        paragraph.tag = "figure"
        figcaption = etree.SubElement(paragraph, "figcaption")
        figcaption.text = caption
        img.tail = None


class _SiteExtension(Extension):
    def __init__(self, base_path: str, static_dir: str) -> None:
        super().__init__()
        self.base_path = base_path
        self.static_dir = static_dir

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After "inline" (links and images exist) and before "prettify".
        md.treeprocessors.register(_SiteTree(md, self.base_path, self.static_dir), "sitegen", 5)


@lru_cache(maxsize=4)
def _converter(base_path: str, static_dir: str, language: str,
               escape_html: bool = False) -> markdown.Markdown:
    md = markdown.Markdown(
        extensions=[
            # superfences rather than fenced_code: a fence indented inside a list item
            # stays a code block instead of collapsing into one line of inline code.
            "tables", "pymdownx.superfences", "codehilite", "footnotes", "attr_list", "abbr",
            "toc", _SiteExtension(base_path, static_dir), BoundedBrackets(),
        ],
        extension_configs={
            "codehilite": {"css_class": "highlight", "guess_lang": False},
            "toc": {"slugify": slugify_unicode, "toc_depth": "2-3"},
            "footnotes": {"BACKLINK_TITLE": BACKLINK_TITLES.get(language, BACKLINK_TITLES["en"])},
        },
        output_format="html",
    )
    if escape_html:  # [markdown] raw_html = "escape": tags in the text are shown as text
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
    return md


def reset_markdown() -> None:
    """Forget the converters: after a conversion was interrupted, their state is not to be
    trusted."""
    _converter.cache_clear()


_TAG = re.compile(r"<[^>]+>")
_FIRST_P = re.compile(r"<p>(.*?)</p>", re.S)


def plain_text(fragment: str, separator: str = " ") -> str:
    return " ".join(html.unescape(_TAG.sub(separator, fragment)).split())


def render_markdown(text: str, base_path: str, static_dir: str, language: str,
                    escape_html: bool = False) -> Rendered:
    """Convert one article body; `static_dir` is where site-relative images are sized from."""
    md = _converter(base_path, static_dir, language.split("_")[0], escape_html)
    md.reset()
    try:
        body = md.convert(text)
    except RecursionError:  # nested too deep: the converter's state is not to be trusted
        reset_markdown()
        raise
    toc = getattr(md, "toc", "")
    words = len(plain_text(body).split())
    first = _FIRST_P.search(body)
    return Rendered(
        html=body,
        toc_html=toc if "<li>" in toc else "",
        first_paragraph=plain_text(first.group(1), "") if first else "",
        word_count=words,
        reading_time=max(1, math.ceil(words / WORDS_PER_MINUTE)),
    )
