"""Layer 1. The picture variants of a new output tree (write.Staging), held without
their names.

A newsroom's archive has a photo a story and about six to eleven variants a photo
(pictures.py), each a name of about 35 characters: held as strings in the new tree's
books (a dict), its lists of written files and the state's records of the tree, they
were about 2.4 KB a story of the planning process at its peak (docs/benchmarks.md,
"main-process memory with a photo a story"). Here each is 64 bits in a table, asked
with `in`, and its name is written to a file, read again when the tree's files are
listed (a few times a build, each as a stream). A 64-bit hash of the name stands for
it: two names of one tree share one with a chance of about 2**-64 a pair (for the
million variants of a 100,000-photo archive, one tree in thirty million million).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zlib
from array import array
from collections.abc import Iterable, Iterator

WRITTEN, KEPT = "w", "k"
"""How a variant came into the tree: copied anew, or the previous output's file kept."""
_READ = 1 << 16


def _key(name: str) -> int:
    # Not Python's hash: it is salted per process, and the table's answer must not be.
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big") or 1


class PictureNames:
    """A set of output names (`in`, `len`) whose names are read back from a file
    (`names`), each once, in the order they were added."""

    def __init__(self) -> None:
        self._slots = array("Q", bytes(8 * 64))  # open addressing; 0 is an empty slot
        self._count = 0
        self._spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed by `close`)
        self._size = 0  # bytes written to the spool

    def __len__(self) -> int:
        return self._count

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str) or not self._count:
            return False
        return self._slots[self._slot(_key(name))] != 0

    def _slot(self, key: int) -> int:
        """The slot holding `key`, or the empty one where it would go."""
        mask = len(self._slots) - 1
        index = key & mask
        while True:
            found = self._slots[index]
            if found == 0 or found == key:
                return index
            index = (index + 1) & mask

    def add(self, name: str, how: str) -> None:
        """Add `name` (WRITTEN or KEPT); a name added again is one name."""
        key = _key(name)
        index = self._slot(key)
        if self._slots[index] == key:
            return
        self._slots[index] = key
        self._count += 1
        line = f"{how}{name}\n".encode()
        self._spool.write(line)
        self._size += len(line)
        if 2 * self._count > len(self._slots):  # at most half full: probes stay short
            old = self._slots
            self._slots = array("Q", bytes(16 * len(old)))
            for found in old:
                if found:
                    self._slots[self._slot(found)] = found

    def names(self, how: str | None = None) -> Iterator[str]:
        """Every name (or those added as `how`), in the order they were added: read from
        the file, a chunk at a time, so that no list of them is held."""
        self._spool.flush()
        fd, offset, size, rest = self._spool.fileno(), 0, self._size, b""
        while offset < size:
            chunk = os.pread(fd, min(_READ, size - offset), offset)
            offset += len(chunk)
            lines = (rest + chunk).split(b"\n")
            rest = lines.pop()
            for line in lines:
                text = line.decode()
                if how is None or text[0] == how:
                    yield text[1:]

    def __iter__(self) -> Iterator[str]:
        return self.names()

    def close(self) -> None:
        self._spool.close()


def pack(names: Iterable[str]) -> bytes:
    """`names` one a line, compressed as they come: a record of the tree's files that
    holds no list of them (about 20 bytes a variant's name where the name is 80)."""
    packer = zlib.compressobj(1)
    # Only the pieces zlib gives out (one every few hundred names): `bytes.join` sets up
    # an 80-byte buffer for each part it is given, and a part a name (most of them empty)
    # made it 90 bytes a name, 2.8 MB at 4,000 stories with a photo each, at the link
    # check's peak (link_index.save).
    parts = []
    for name in names:
        if piece := packer.compress(f"{name}\n".encode()):
            parts.append(piece)
    parts.append(packer.flush())
    return b"".join(parts)


def unpack(packed: bytes) -> list[str]:
    return zlib.decompress(packed).decode().split("\n")[:-1]
