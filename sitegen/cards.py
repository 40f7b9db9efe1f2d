"""Layer 3.97. Cards kept while the plan can still show them, so each is built once.

A card (what a list shows of an article) is shown by many pages: the home page's
list, its section's, each tag's and author's, its month's and day's, its
neighbours' pages (a feed makes its entries from the story: feeds.py). Keeping
every card through the plan would cost the main process a kilobyte an article;
building one anew for each page costs about 35 µs, ten times an article.

The plan (kinds/__init__.py, plan_sweep.py) walks the archive once, newest first,
planning every list's pages and every article's page at the position of the
newest story they show. It says how far it has come (`behind`): no page planned
later shows a story newer than that, so the cards of those stories are let go.
What is kept is the cards ahead of the sweep that an open list has shown
already: about (lists) × `items_per_page`, whatever the archive's size, and never
more than `CARDS_REMEMBERED`.
"""

from __future__ import annotations

import heapq
from typing import Any

View = dict[str, Any]

CARDS_REMEMBERED = 4096
"""The most cards kept at once (a card kept is about 850 bytes with its values). The sweep
keeps far fewer (about 900 at 4,000 articles and 150 tags and authors, most of them the
lists' front pages at its start); without one (a plan of a few pages),
the cards are let go when this many are kept."""


class Cards:
    """The cards kept, by the article's index (its place in the site, newest first).

    A card is kept as the tuple of its values after its keys (the keys tuple shared by
    every card of its shape), not as the dict: a dict of a card's fifteen keys is 464
    bytes, the tuple 176, and the cards kept at the sweep's start (every open list's
    front page) number a thousand or two. `get` makes the dict again (half a
    microsecond); the values themselves (its URLs, date and term views) are the ones
    built, shared by every dict made of them."""

    def __init__(self) -> None:
        self._kept: dict[int, tuple[Any, ...]] = {}
        self._shapes: dict[tuple[str, ...], tuple[str, ...]] = {}
        """Each shape of card met (its keys in order): one tuple of keys for all."""
        self._order: list[int] = []
        """The kept cards' indexes, a heap: the newest story's first."""
        self.built = 0
        """How many cards were built (a card built again after it was let go counts again)."""
        self.most = 0
        """The most cards kept at once."""

    def get(self, index: int) -> View | None:
        kept = self._kept.get(index)
        if kept is None:
            return None
        values = iter(kept)
        return dict(zip(next(values), values, strict=True))

    def put(self, index: int, card: View) -> View:
        """Keep a card just built; it is returned as it is."""
        self.built += 1
        if len(self._kept) >= CARDS_REMEMBERED:
            self._let_go_ahead()
        keys = tuple(card)
        self._kept[index] = (self._shapes.setdefault(keys, keys), *card.values())
        heapq.heappush(self._order, index)
        self.most = max(self.most, len(self._kept))
        return card

    def behind(self, position: int) -> None:
        """The plan has come to the story at `position`: no page planned from now on shows
        a newer one (a smaller index), so their cards are let go."""
        order, kept = self._order, self._kept
        while order and order[0] < position:
            kept.pop(heapq.heappop(order), None)

    def _let_go_ahead(self) -> None:
        """Full: let go of the half furthest ahead of the sweep (the ones a page will show
        last), rather than all of them."""
        ahead = sorted(self._kept)
        for index in ahead[len(ahead) // 2:]:
            del self._kept[index]
        self._order = ahead[:len(ahead) // 2]  # sorted: a heap already

    def clear(self) -> None:
        self._kept.clear()
        self._order.clear()
        self._shapes.clear()
