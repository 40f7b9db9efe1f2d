"""Layer 0. A book kept per source for the whole build (each source's read key, each
article's metadata digest), packed: the sources' names, one small hash table and the
values in one column (the read keys' characters in one string, the digests in an array
of 64-bit ints), a value made again when it is asked for.

The planning process holds these books from the read stage to the state's records at
the end, through the render stage's peak. As a dict, a source's read key cost about 100
bytes (a dict entry and a 71-byte string of 22 characters) and its metadata digest about
60 (an entry and a 32-byte int); packed, 8 bytes of the names' tuple (the names are the
Articles' own strings), 8 to 16 of the table and the value's own bytes (22 and 8). A
look-up is a few steps of Python (under a microsecond); a build asks for each source's
values a few times.
"""

from __future__ import annotations

from array import array
from collections.abc import ItemsView, Iterator, Mapping, Sequence, ValuesView
from typing import Any, Generic, TypeVar

V = TypeVar("V")

READ_KEY_LENGTH = 22
"""A read key's characters (sealed.short_name)."""


class Book(Mapping[str, V], Generic[V]):
    """Name -> value, read-only, in the order of the mapping it was made from (but for
    values the column cannot hold, which come last and are kept as they are)."""

    __slots__ = ("_column", "_names", "_odd", "_slots", "_width")

    def __init__(self, values: Mapping[str, V], width: int) -> None:
        self._width = width
        self._odd: dict[str, V] = {}
        names, column = tuple(values), _column(list(values.values()), width)
        if column is None:  # some value the column cannot hold: those kept as they are
            fits = {name: value for name, value in values.items()
                    if _column([value], width) is not None}
            self._odd = {name: value for name, value in values.items() if name not in fits}
            names, column = tuple(fits), _column(list(fits.values()), width)
            assert column is not None
        self._names: tuple[str, ...] = names
        self._column: str | array[int] = column
        self._slots = places(names)

    def _at(self, name: object) -> int:
        slots, names = self._slots, self._names
        mask = len(slots) - 1
        i = hash(name) & mask
        while at := slots[i]:
            if names[at - 1] == name:
                return at - 1
            i = (i + 1) & mask
        return -1

    def _value(self, at: int) -> V:
        width = self._width
        found: Any = self._column[at * width:(at + 1) * width] if width else self._column[at]
        return found

    def __getitem__(self, name: str) -> V:
        at = self._at(name)
        return self._odd[name] if at < 0 else self._value(at)

    def get(self, name: str, default: Any = None) -> Any:
        at = self._at(name)
        return self._odd.get(name, default) if at < 0 else self._value(at)

    def __contains__(self, name: object) -> bool:
        return self._at(name) >= 0 or name in self._odd

    def __iter__(self) -> Iterator[str]:
        yield from self._names
        yield from self._odd

    def __len__(self) -> int:
        return len(self._names) + len(self._odd)

    def items(self) -> ItemsView[str, V]:
        return _Items(self)

    def values(self) -> ValuesView[V]:
        return _Values(self)

    def pairs(self) -> Iterator[tuple[str, V]]:
        """(name, value) in order, without a look-up each."""
        yield from zip(self._names, map(self._value, range(len(self._names))), strict=True)
        yield from self._odd.items()

    def __reduce__(self) -> tuple[type[Book[V]], tuple[dict[str, V], int]]:
        # Sent as its values: the table is of this process's string hashes, which another
        # process (spawned, or a cluster's) does not share.
        return Book, (dict(self.pairs()), self._width)

    def __repr__(self) -> str:
        return f"Book({dict(self.pairs())!r})"


def places(names: Sequence[str]) -> array[int]:
    """A hash table of `names`' places: open addressing, at most half full, a slot holding
    a name's place + 1 (0 is empty); a name is looked for from slot `hash(name) & (size -
    1)` on. Of this process's string hashes: not for another process."""
    size = 1 << (2 * len(names)).bit_length()
    slots = array("I", bytes(4 * size))
    mask = size - 1
    for at, hashed in enumerate(map(hash, names)):
        i = hashed & mask
        while slots[i]:
            i = (i + 1) & mask
        slots[i] = at + 1
    return slots


def read_keys(keys: Mapping[str, str]) -> Book[str]:
    """Each source's read key (sealed.short_name: 22 characters of base64), packed."""
    return Book(keys, READ_KEY_LENGTH)


def digests(found: Mapping[str, int]) -> Book[int]:
    """Each source's 60-bit digest (sealed.short_key), packed."""
    return Book(found, 0)


def _column(values: list[Any], width: int) -> str | array[int] | None:
    """`values` in one string of `width` characters each (ASCII), or with `width` 0 in an
    array of unsigned 64-bit ints; None when one of them does not fit."""
    if width:
        if not all(type(value) is str for value in values) or \
                set(map(len, values)) - {width}:
            return None
        text = "".join(values)
        return text if text.isascii() else None
    if not all(type(value) is int for value in values):
        return None
    try:
        return array("Q", values)
    except OverflowError:  # below 0, or 2**64 and above
        return None


class _Items(ItemsView[str, V]):
    _mapping: Book[V]

    def __iter__(self) -> Iterator[tuple[str, V]]:
        return self._mapping.pairs()


class _Values(ValuesView[V]):
    _mapping: Book[V]

    def __iter__(self) -> Iterator[V]:
        return (value for _, value in self._mapping.pairs())
