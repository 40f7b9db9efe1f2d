"""The pages' render keys and shown bodies kept as one value of the folder's facts
(cache._pack_pages) beside each page's own record: over random builds, full ones and body
edits (a few pages put, every other record left as it was), what a build loads from the
columns is what the records hold; facts written without them (serve's body edits) are
read from the records."""

from __future__ import annotations

import random
import sys
from array import array
from pathlib import Path
from types import SimpleNamespace

import pytest

from sitegen import cache
from sitegen.cache import BuildCache
from sitegen.state import BuildState

FOLDER = Path("/srv/site/output")


def _open(directory: Path) -> tuple[BuildState, BuildCache]:
    state = BuildState(kept=False)
    state.attach(directory, cache.salt())
    return state, BuildCache(state, "Asia/Jakarta", FOLDER)


def test_the_columns_hold_what_the_records_hold(tmp_path: Path) -> None:
    chance = random.Random(5)
    names = [f"s{i % 4}/p{i}/index.html" for i in range(40)]
    refs = [f"b{i}" for i in range(8)]
    loaded_from_columns = 0
    for turn in range(60):
        state, store = _open(tmp_path)
        known = store.previous
        if known.static is not None:  # what the columns gave is what the records hold
            loaded_from_columns += state.loaded["output"] == 0
            assert (known.renders, known.shows) == store._load_pages(), turn
        pages = {n: chance.getrandbits(60) for n in chance.sample(names, chance.randrange(5, 40))}
        if known.renders and chance.random() < 0.5:  # a body edit: the others as they were
            pages = {**known.renders, **{n: k for n, k in pages.items() if chance.random() < 0.2}}
            changed = set(chance.sample(sorted(pages), 4))
        else:
            changed = None
        shows: dict[str, str | tuple[str, ...]] = {
            n: chance.choice([(), chance.choice(refs), tuple(chance.sample(refs, 2))])
            for n in pages}
        store.finish({}, pages, {"style.css"}, f"site{turn}", [], "meta", shows, changed)
        state.commit()
        state.close()
    assert loaded_from_columns > 50


def test_facts_without_columns_are_read_from_the_records(tmp_path: Path) -> None:
    state, store = _open(tmp_path)
    store.finish({}, {"a/index.html": 7, "b/index.html": 8}, set(), "site", [], "meta",
                 {"a/index.html": "b1"})
    state.commit()
    # As serve's body edits write them (body_edits._record): the facts without the
    # columns, then a page's record.
    state.write_now("folder", str(FOLDER), "facts", ["", [], [], "meta"])
    state.write_now("output", str(FOLDER), "a/index.html", [-1, "b2"])
    state.flush()
    state.close()
    state, store = _open(tmp_path)
    assert store.previous.renders == {"a/index.html": -1, "b/index.html": 8}
    assert store.previous.shows == {"a/index.html": "b2", "b/index.html": ()}
    assert state.loaded["output"] == 2
    state.close()


OTHER_ORDER = "big" if sys.byteorder == "little" else "little"


class _OtherOrderArray(array):
    """`array` as a machine of the other byte order has it: its bytes are this one's
    swapped."""

    def tobytes(self) -> bytes:
        swapped = array(self.typecode, self)
        swapped.byteswap()
        return swapped.tobytes()

    def frombytes(self, data: bytes) -> None:  # type: ignore[override]
        read = array(self.typecode)
        read.frombytes(data)
        read.byteswap()
        self.extend(read)


def _other_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """What cache.py sees of the machine on one of the other byte order."""
    monkeypatch.setattr(cache, "array", _OtherOrderArray)
    other = SimpleNamespace(**{name: getattr(sys, name) for name in dir(sys)
                               if not name.startswith("__")})
    other.byteorder = OTHER_ORDER
    monkeypatch.setattr(cache, "sys", other)


def test_the_keys_read_the_same_on_a_machine_of_the_other_byte_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache brought between machines of either byte order (a CI cache restored on
    another runner): the columns written on one load the same keys on the other, from
    the columns, and hold them little-endian."""
    pages = {f"s/p{i}/index.html": key for i, key in enumerate(
        [0, 1, -1, 2**63 - 1, -2**63, 0x0102030405060708, -12345678901234])}
    for turn, (writer, reader) in enumerate([(True, False), (False, True)]):
        folder = tmp_path / str(turn)
        folder.mkdir()
        if writer:
            _other_machine(monkeypatch)
        state, store = _open(folder)
        store.finish({}, pages, set(), "site", [], "meta", {}, None)
        state.commit()
        state.close()
        monkeypatch.undo()
        state, store = _open(folder)
        _, keys, _ = state.get("folder", store.key, "facts")[-1]
        state.close()
        assert keys == b"".join(key.to_bytes(8, "little", signed=True)
                                for key in pages.values())
        if reader:
            _other_machine(monkeypatch)
        state, store = _open(folder)
        assert store.previous.renders == pages, (writer, reader)
        assert state.loaded["output"] == 0  # from the columns, not each page's record
        state.close()
        monkeypatch.undo()
