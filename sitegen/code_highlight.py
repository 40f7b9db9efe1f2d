"""Layer 2. Pygments output kept per code block, so the same block is highlighted once.

Highlighting is a pure function of the block's text, its language and the
highlighter's options, and Pygments' lexers are slow Python (a 40-line block
costs about as much as converting a short article). A newsroom repeats its
blocks (the same snippet in every part of a series, an embed code in each
how-to), so each worker keeps the HTML of the blocks it highlighted in a
bounded cache that outlives the converter's reset between articles.

Two hooks, both ones the extensions offer rather than patches of them:
- fenced blocks (pymdownx.superfences) take their highlighter from the first
  registered extension that offers `get_pymdownx_highlighter`:
  `FencedHighlighting` is a disabled pymdownx.highlight (the settings superfences uses today) whose
  highlighter looks in the cache first;
- indented blocks are highlighted by codehilite's tree processor, replaced
  under its own name and priority by one that looks in the cache first.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections import OrderedDict
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.extensions.codehilite import CodeHilite, HiliteTreeprocessor
from pymdownx.highlight import Highlight, HighlightExtension

MAX_BLOCKS = 512
"""Blocks kept per worker: a few MB at most, since a block is at most MAX_TEXT long."""
MAX_TEXT = 20_000
"""Longer blocks are highlighted every time: they are rare, and would crowd the cache."""


class BoundedCache:
    """The least recently used entries are dropped past `size`; hits and misses are
    counted so that a test (and a profile) can see the cache work."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[tuple[Any, ...], str] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[Any, ...]) -> str | None:
        found = self.entries.get(key)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self.entries.move_to_end(key)
        return found

    def put(self, key: tuple[Any, ...], value: str) -> None:
        self.entries[key] = value
        if len(self.entries) > self.size:
            self.entries.popitem(last=False)

    def clear(self) -> None:
        self.entries.clear()
        self.hits = self.misses = 0


CACHE = BoundedCache(MAX_BLOCKS)


class _CachedHighlight(Highlight):
    """pymdownx's highlighter, one instance per fenced block, with its output cached."""

    def __init__(self, md: markdown.Markdown, **settings: Any) -> None:
        super().__init__(md, **settings)
        self._settings = repr(sorted(settings.items()))
        # An HTML title goes into the converter's stash: its placeholder is per article.
        self._cacheable = settings.get("title_mode", "text") != "html" and not (
            settings.get("line_spans") or settings.get("line_anchors"))

    def highlight(self, src: str, language: str, css_class: str = "highlight",
                  **options: Any) -> Any:
        block_options = {k: v for k, v in options.items() if k != "code_block_count"}
        key = ("fence", src, language, css_class, repr(sorted(block_options.items())),
               self._settings)
        cacheable = self._cacheable and len(src) <= MAX_TEXT
        if cacheable and (found := CACHE.get(key)) is not None:
            return found
        html = super().highlight(src, language, css_class, **options)
        if cacheable and isinstance(html, str):  # an inline highlight is an element
            CACHE.put(key, html)
        return html


class FencedHighlighting(HighlightExtension):
    """pymdownx.highlight disabled, as superfences registers it, with the cached highlighter.
    List it before pymdownx.superfences: superfences takes the first highlighter registered
    (and registers its own only when none is)."""

    def __init__(self) -> None:
        super().__init__(_enabled=False)

    def get_pymdownx_highlighter(self) -> type[Highlight]:
        return _CachedHighlight


class _CachedHilite(HiliteTreeprocessor):
    """codehilite's tree processor for indented blocks, looking in the cache first."""

    def run(self, root: etree.Element) -> None:
        settings = repr(sorted(self.config.items()))
        for block in root.iter("pre"):
            if len(block) != 1 or block[0].tag != "code" or block[0].text is None:
                continue
            text = self.code_unescape(block[0].text)
            key = ("indented", text, self.md.tab_length, settings)
            html = CACHE.get(key) if len(text) <= MAX_TEXT else None
            if html is None:
                local = self.config.copy()
                html = CodeHilite(text, tab_length=self.md.tab_length,
                                  style=local.pop("pygments_style", "default"), **local).hilite()
                if len(text) <= MAX_TEXT:
                    CACHE.put(key, html)
            placeholder = self.md.htmlStash.store(html)
            block.clear()
            block.tag = "p"  # removed when the stash is put back, as codehilite does
            block.text = placeholder


class IndentedHighlighting(Extension):
    """codehilite's tree processor replaced by the cached one: list it after codehilite."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        hilite = md.treeprocessors["hilite"]
        cached = _CachedHilite(md)
        cached.config = hilite.config  # type: ignore[attr-defined]
        md.treeprocessors.register(cached, "hilite", 30)  # codehilite's name and priority
