"""The pages' render keys and shown bodies kept as one value of the folder's facts
(cache._pack_pages) beside each page's own record: over random builds, full ones and body
edits (a few pages put, every other record left as it was), what a build loads from the
columns is what the records hold; facts written without them (serve's body edits) are
read from the records."""

from __future__ import annotations

import random
from pathlib import Path

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
