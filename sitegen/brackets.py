"""Layer 1. Link brackets found in linear time, so no body can stall the build.

Python-Markdown's link and image patterns (`LinkInlineProcessor.getText`)
look for the `]` that closes each `[` by walking the text from it: for a
paragraph of 20,000 `[` that is 200 million steps, about a minute of one
core (3.11). This extension gives those patterns a table of every bracket's
partner, computed once per text with a stack, and answers each lookup from
it: the same result, in linear time. The `(url "title")` part is looked for
within `LINK_MAX` characters, for the same reason.
"""

from __future__ import annotations

import re

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import LinkInlineProcessor

_BRACKET = re.compile(r"[\[\]]")


def partners(text: str) -> dict[int, int]:
    """Position of each `[` -> position of the `]` closing it (unclosed ones are absent)."""
    found: dict[int, int] = {}
    opened: list[int] = []
    for match in _BRACKET.finditer(text):
        if match.group() == "[":
            opened.append(match.start())
        elif opened:
            found[opened.pop()] = match.start()
    return found


# The `(url "title")` after a link's text is looked for within this many characters: a
# longer one is not a link (getLink walks the text too, and "[a](" repeated would be
# quadratic as well).
LINK_MAX = 2048


class _Bounded:
    """Mixed into a link pattern's class: getText from the partner table, getLink bounded."""

    _text: str | None = None
    _partners: dict[int, int]

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        if data.find(")", index, index + LINK_MAX) == -1:
            return "", None, index, False  # no link can close: nothing to walk
        return super().getLink(data[:index + LINK_MAX], index)  # type: ignore[misc]

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        if index == 0 or data[index - 1] != "[":
            return super().getText(data, index)  # type: ignore[misc]
        if data is not self._text:  # the same string object: the table still holds
            self._text, self._partners = data, partners(data)
        close = self._partners.get(index - 1)
        if close is None:
            return data[index:], len(data), False
        return data[index:close], close + 1, True


_CLASSES: dict[type, type] = {}


def _bounded(cls: type) -> type:
    if cls not in _CLASSES:
        _CLASSES[cls] = type(f"Bounded{cls.__name__}", (_Bounded, cls), {})
    return _CLASSES[cls]


class BoundedBrackets(Extension):
    """Give every link-like inline pattern (links, images, references) the bounded getText."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        for pattern in md.inlinePatterns:
            if isinstance(pattern, LinkInlineProcessor) and not isinstance(pattern, _Bounded):
                pattern.__class__ = _bounded(type(pattern))
