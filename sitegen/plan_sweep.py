"""Layer 4.6. The plan's one walk through the archive, newest story first.

Every list (the home page's, each section's, tag's, author's, month's, day's) and
every article page shows cards of stories, and a story's card is shown by about
ten of them (feeds make their entries from the stories themselves). Planned kind
after kind, each kind sweeping the whole archive, a card would be built again by
each (no bounded memory can keep it from one sweep to the next). Planned together,
each at the position of the newest story it shows, every page showing a story is
planned while the sweep passes it, and its card is built once (cards.py).

A page kind's plan is a stream of what it plans: a `Job`; `At(position)`, to
wait until the sweep reaches that story before planning on (before it builds
the cards of a page whose newest story is there); or another stream, planned
beside it (one list among many: a tag's pages interleave with every other
tag's). A stream that never says `At` is planned at once, in the order of the
table of kinds. The pages' bytes do not depend on the order they are planned in.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sitegen.model import Job


@dataclass(frozen=True, slots=True)
class At:
    """Wait for the sweep to reach the story at `position` (its index in the site's
    articles, newest first)."""

    position: int


Planned = Job | At | Iterator["Planned"]
"""What a page kind's plan yields (see the module's docstring)."""


class Sweep:
    """Plans streams, each at the positions it waits for, in one walk."""

    def __init__(self, behind: Callable[[int], None],
                 wanted: Callable[[str], bool]) -> None:
        self._behind = behind
        """Told how far the sweep has come (Views.behind lets go of the cards passed)."""
        self._wanted = wanted
        self._waiting: list[tuple[int, int, Iterator[Planned]]] = []
        self._order = itertools.count()
        self.position = 0

    def run(self, stream: Iterator[Planned]) -> Iterator[Job]:
        """The jobs of a stream (and of the streams it starts) up to the first position
        ahead of the sweep, where it waits (`finish` plans on)."""
        for item in stream:
            if isinstance(item, Job):
                if self._wanted(item.output):
                    yield item
            elif isinstance(item, At):
                if item.position > self.position:
                    heapq.heappush(self._waiting, (item.position, next(self._order), stream))
                    return
            else:
                yield from self.run(item)

    def finish(self) -> Iterator[Job]:
        """Walk on: each waiting stream in the order of the positions they wait for."""
        while self._waiting:
            position, _, stream = heapq.heappop(self._waiting)
            if position > self.position:
                self.position = position
                self._behind(position)
            yield from self.run(stream)
