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
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

from sitegen import code_highlight, embeds, pictures
from sitegen.brackets import BoundedBrackets
from sitegen.images import image_size, static_file

WORDS_PER_MINUTE = 200
BACKLINK_TITLES = {"id": "Kembali ke catatan kaki %d", "en": "Back to footnote %d"}
# Words the body's own markup needs (the theme's strings are not known while reading).
PHOTO_LABELS = {"id": "Foto", "en": "Photo", "ms": "Foto", "jv": "Foto"}
GALLERY_LABELS = {"id": "Galeri foto", "en": "Photo gallery", "ms": "Galeri foto",
                  "jv": "Galeri foto"}
# The gallery's buttons (themes/default/static/js/gallery.js reads them from the strip).
GALLERY_STEPS = {"id": ("Foto sebelumnya", "Foto berikutnya"),
                 "ms": ("Foto sebelumnya", "Foto seterusnya"),
                 "en": ("Previous photo", "Next photo")}
# A table wider than a phone scrolls in a box of its own, which the keyboard must reach.
TABLE_LABELS = {"id": "Tabel", "ms": "Jadual", "jv": "Tabel", "en": "Table"}
# How wide a body picture is shown: the text column (31em of 19 px) on wider screens.
BODY_SIZES = "(min-width: 40rem) 37rem, calc(100vw - 2rem)"
GALLERY_SIZES = "(min-width: 40rem) 30rem, 85vw"
MD_LINK = "sitegen-md:"
"""Marks a link to another Markdown file: the target's URL is known only once every
source is read, so `links.resolve_md_links` finds it and bodies.finish replaces the mark."""
MARKED_LINK = re.compile(r'href="' + re.escape(MD_LINK) + r'([^"]*)"')
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
    pictures: tuple[dict[str, Any], ...] = ()
    """Each local body picture's src, alt, caption, credit, copyright, width, height, digest."""
    problems: tuple[tuple[int, str], ...] = ()
    """(line in the body, message): embeds that cannot be made."""


class _SiteTree(Treeprocessor):
    def __init__(self, md: markdown.Markdown, base_path: str, static_dir: str, language: str,
                 settings: pictures.Settings) -> None:
        super().__init__(md)
        self.base_path = base_path
        self.static_dir = static_dir
        self.language = language
        self.settings = settings
        self.found: list[dict[str, Any]] = []

    def run(self, root: etree.Element) -> None:
        self.found = []
        for element in root.iter():
            if element.tag == "a" and is_md_link(element.get("href", "")):
                element.set("href", MD_LINK + element.get("href", ""))
            for attr in ("href", "src"):
                value = element.get(attr, "")
                if value.startswith("/") and not value.startswith("//"):
                    element.set(attr, self.base_path + value[1:])
        for paragraph in list(root.iter("p")):
            children = list(paragraph)
            images = [c for c in children if c.tag == "img"]
            only_images = images and len(images) == len(children) and not (
                paragraph.text or "").strip() and not any((c.tail or "").strip() for c in children)
            if only_images and len(images) > 1:
                self._make_gallery(paragraph, images)
            elif only_images and (images[0].get("title") or images[0].get("credit")):
                self._make_figure(paragraph, images[0])
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "table":
                    self._scroll_box(parent, index, child)
                if child.tag == "img":
                    in_gallery = parent.get("class") == "gallery-item"
                    self._picture(parent, index, child, GALLERY_SIZES if in_gallery else BODY_SIZES)

    def _picture(self, parent: etree.Element, index: int, img: etree.Element,
                 sizes: str) -> None:
        """An image of this site becomes a <picture> with every width in every format."""
        img.set("loading", "lazy")
        img.set("decoding", "async")
        about = {key: img.attrib.pop(f"data-{key}", "") for key in ("caption", "credit",
                                                                      "copyright")}
        # A credit on an image inside running text has no caption to go in.
        img.attrib.pop("credit", None)
        img.attrib.pop("copyright", None)
        src = img.get("src", "")
        if not src.startswith(self.base_path):
            return
        site_src = "/" + src[len(self.base_path):]
        size = image_size(self.static_dir, site_src)
        if not size:
            return
        path = static_file(self.static_dir, site_src)
        digest = pictures.source_digest(path) if path and pictures.resizable(site_src) else 0
        self.found.append({"src": site_src, "alt": img.get("alt", ""), **about,
                           "width": size[0], "height": size[1], "digest": digest})
        img.set("width", str(size[0]))
        img.set("height", str(size[1]))
        formats = pictures.responsive(site_src, digest, size, self.settings)
        if not formats:
            return
        *modern, fallback = formats.values()
        picture = etree.Element("picture")
        for variants in modern:
            etree.SubElement(picture, "source", {
                "type": variants[0].type, "srcset": pictures.srcset(variants, self.base_path),
                "sizes": sizes})
        largest = fallback[-1]
        img.set("src", pictures.address(largest, self.base_path))
        img.set("srcset", pictures.srcset(fallback, self.base_path))
        img.set("sizes", sizes)
        img.set("width", str(largest.width))
        img.set("height", str(largest.height))
        picture.append(img)
        picture.tail, img.tail = img.tail, None
        parent.remove(img)
        parent.insert(index, picture)

    def _caption(self, figure: etree.Element, img: etree.Element) -> None:
        caption = img.attrib.pop("title", "")
        credit = img.attrib.pop("credit", "")
        # Kept on the element until _picture has recorded them, then removed.
        img.set("data-caption", caption)
        img.set("data-credit", credit)
        if "copyright" in img.attrib:
            img.set("data-copyright", img.attrib.pop("copyright"))
        if caption or credit:
            figcaption = etree.SubElement(figure, "figcaption")
            figcaption.text = caption
            if credit:
                label = PHOTO_LABELS.get(self.language, PHOTO_LABELS["en"])
                span = etree.SubElement(figcaption, "span", {"class": "credit"})
                span.text = f"{label}: {credit}"
                if caption:
                    figcaption.text = caption + " "
        img.tail = None

    def _scroll_box(self, parent: etree.Element, index: int, table: etree.Element) -> None:
        """The table inside a box that scrolls sideways and takes the keyboard focus, named
        for screen readers (WCAG: a scrolling region must be reachable by keyboard)."""
        label = TABLE_LABELS.get(self.language, TABLE_LABELS["en"])
        box = etree.Element("div", {"class": "table-scroll", "role": "region", "tabindex": "0",
                                    "aria-label": label})
        box.tail, table.tail = table.tail, None
        parent.remove(table)
        box.append(table)
        parent.insert(index, box)

    def _make_figure(self, paragraph: etree.Element, img: etree.Element) -> None:
        paragraph.tag = "figure"
        self._caption(paragraph, img)

    def _make_gallery(self, paragraph: etree.Element, images: list[etree.Element]) -> None:
        """A paragraph of pictures only, one a line: a strip of figures that scrolls
        sideways (with the keyboard too: the strip takes the focus), no script needed."""
        paragraph.tag = "div"
        label = GALLERY_LABELS.get(self.language, GALLERY_LABELS["en"])
        previous, following = GALLERY_STEPS.get(self.language, GALLERY_STEPS["en"])
        paragraph.attrib = {"class": "gallery", "role": "region", "tabindex": "0",
                            "aria-label": f"{label} ({len(images)})",
                            "data-previous": previous, "data-next": following}
        paragraph.text = None
        for img in images:
            paragraph.remove(img)
            figure = etree.SubElement(paragraph, "figure", {"class": "gallery-item"})
            figure.append(img)
            self._caption(figure, img)


class _SiteExtension(Extension):
    def __init__(self, base_path: str, static_dir: str, language: str,
                 settings: pictures.Settings) -> None:
        super().__init__()
        self.tree = (base_path, static_dir, language, settings)

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After "inline" (links and images exist) and before "prettify".
        md.treeprocessors.register(_SiteTree(md, *self.tree), "sitegen", 5)


@lru_cache(maxsize=4)
def _converter(base_path: str, static_dir: str, language: str,
               settings: pictures.Settings, escape_html: bool = False) -> markdown.Markdown:
    md = markdown.Markdown(
        extensions=[
            # superfences rather than fenced_code: a fence indented inside a list item
            # stays a code block instead of collapsing into one line of inline code.
            # Pygments output cached per block (code_highlight): the fences' highlighter
            # comes before superfences, the indented blocks' after codehilite.
            "tables", code_highlight.FencedHighlighting(), "pymdownx.superfences", "codehilite",
            code_highlight.IndentedHighlighting(), "footnotes", "attr_list", "abbr",
            # Definition lists and `markdown="1"` blocks: what kramdown and PHP Markdown
            # Extra archives use (the importer writes both).
            "def_list", "md_in_html", "toc",
            _SiteExtension(base_path, static_dir, language, settings),
            embeds.EmbedExtension(language), BoundedBrackets(),
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
                    settings: pictures.Settings, escape_html: bool = False) -> Rendered:
    """Convert one article body; `static_dir` is where site-relative images are sized from."""
    md = _converter(base_path, static_dir, language.split("_")[0], settings, escape_html)
    md.reset()
    try:
        body = md.convert(text)
    except RecursionError:  # nested too deep: the converter's state is not to be trusted
        reset_markdown()
        raise
    tree = md.treeprocessors["sitegen"]
    assert isinstance(tree, _SiteTree)
    toc = getattr(md, "toc", "")
    words = len(plain_text(body).split())
    first = _FIRST_P.search(body)
    return Rendered(
        html=body,
        toc_html=toc if "<li>" in toc else "",
        first_paragraph=plain_text(first.group(1), "") if first else "",
        word_count=words,
        reading_time=max(1, math.ceil(words / WORDS_PER_MINUTE)),
        pictures=tuple(tree.found),
        problems=tuple(getattr(md, "embed_problems", ())),
    )


def md_links(html: str) -> tuple[str, ...]:
    """The `.md` links a converted body holds, as marked (links.py resolves them)."""
    return tuple(dict.fromkeys(MARKED_LINK.findall(html)))
