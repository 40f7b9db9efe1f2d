"""Layer 1.9. Short lists of article indexes, one for each article, stored flat: the
planning process holds one for the related stories of every article of the archive
and one for its neighbours (model.Site), and a tuple each would be most of their size.
"""

from __future__ import annotations

import operator
from array import array
from collections.abc import Iterable, Mapping, Sequence
from itertools import repeat
from typing import Any, overload


class IndexLists(Sequence[tuple[Any, ...]]):
    """A short tuple of article indexes (or None) for each article, stored flat: a
    tuple each would cost 56 bytes and more an article of the archive, these cost 4
    bytes an index and 4 an article. Read as the tuples they were made of."""

    __slots__ = ("_starts", "_values")

    def __init__(self, lists: Iterable[Sequence[int | None]] = ()) -> None:
        self._values, self._starts = array("i"), array("i", [0])
        for indexes in lists:
            self._values.extend(-1 if i is None else i for i in indexes)
            self._starts.append(len(self._values))

    def __len__(self) -> int:
        return len(self._starts) - 1

    @overload
    def __getitem__(self, index: int) -> tuple[Any, ...]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[Any, ...]]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        index %= len(self)
        return tuple(None if i < 0 else i
                     for i in self._values[self._starts[index]:self._starts[index + 1]])

    def meets(self, index: int, values: frozenset[int]) -> bool:
        """Whether the list at `index` (0 <= index < len) holds one of `values`, without
        its tuple made (a publish asks it of every article's related stories and
        neighbours: kinds/shift.py)."""
        return not values.isdisjoint(self._values[self._starts[index]:self._starts[index + 1]])

    def within(self, count: int) -> bool:
        """Whether every index is one of 0..count-1 (None counts as out): asked of a
        stored answer over the whole archive, in C (min and max of the flat array),
        not a generator over every index."""
        return not self._values or (min(self._values) >= 0 and max(self._values) < count)

    def moved_down(self, by: int, redone: Mapping[int, Sequence[int]]) -> IndexLists:
        """The lists from the `by`-th on, each index less `by` (the archive without its
        `by` newest stories: related.py), but those at the new indexes `redone` replaced:
        made of slices of the flat arrays, not a tuple a list. Every index is one of
        by..len-1 in the lists kept (None has no place in them)."""
        values, starts = self._values, self._starts
        found = IndexLists()
        moved, moved_starts = found._values, found._starts
        at = by  # the next list to move along
        for index in [*sorted(redone), len(self) - by]:
            if index + by > at:  # the lists at..index+by-1, moved along
                first, end = starts[at], starts[index + by]
                moved_starts.extend(map(operator.add, starts[at + 1:index + by + 1],
                                        repeat(len(moved) - first)))
                moved.extend(map(operator.sub, values[first:end], repeat(by)))
            if index < len(self) - by:
                moved.extend(redone[index])
                moved_starts.append(len(moved))
            at = index + by + 1
        return found

    @classmethod
    def pairs(cls, count: int, older: Sequence[int], newer: Sequence[int],
              at: Sequence[int]) -> IndexLists:
        """`count` lists of two (older, newer), (None, None) but at the indexes `at`,
        whose pairs `older` and `newer` give (-1: None), made in slices of the flat
        array rather than a generator a list (the neighbours of every story)."""
        found = cls()
        values = array("i", [-1]) * (2 * count)
        for index, old, new in zip(at, older, newer, strict=True):
            values[2 * index] = old
            values[2 * index + 1] = new
        found._values = values
        found._starts = array("i", range(0, 2 * count + 1, 2))
        return found

    def __eq__(self, other: object) -> bool:
        if isinstance(other, IndexLists):
            return (self._values, self._starts) == (other._values, other._starts)
        return isinstance(other, Sequence) and list(self) == list(other)

    def __hash__(self) -> int:
        return hash((self._values.tobytes(), self._starts.tobytes()))

    def __repr__(self) -> str:
        return f"IndexLists({list(self)!r})"

    @staticmethod
    def plain(lists: Sequence[tuple[Any, ...]]) -> tuple[bytes, bytes]:
        """What the build state keeps of it (marshal takes bytes, not arrays)."""
        found = lists if isinstance(lists, IndexLists) else IndexLists(lists)
        return found._values.tobytes(), found._starts.tobytes()

    @classmethod
    def from_plain(cls, plain: Any) -> IndexLists:
        """The lists `plain` (what `plain` made, or the tuples themselves) holds;
        ValueError or TypeError when it is neither."""
        if isinstance(plain, IndexLists):
            return plain
        if not (isinstance(plain, tuple | list) and len(plain) == 2
                and all(isinstance(part, bytes) for part in plain)):
            return cls(plain)
        values, starts = plain
        found = cls()
        found._values.frombytes(values)
        found._starts = array("i")
        found._starts.frombytes(starts)
        if not found._starts or found._starts[0] != 0 or found._starts[-1] != len(found._values):
            raise ValueError("not an IndexLists")
        return found

    def __getstate__(self) -> tuple[array[int], array[int]]:
        return self._values, self._starts

    def __setstate__(self, state: tuple[array[int], array[int]]) -> None:
        self._values, self._starts = state
