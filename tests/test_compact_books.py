"""The planning process's books kept compact (issue 18's memory goal): what they hold reads
back exactly as the plain values they stand for."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import io
import marshal
import os
import pickle
import tracemalloc
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sitegen import (
    article_records,
    cache,
    readers,
    shard_manifest,
    sources,
    static_safety,
    themes,
    workers,
)
from sitegen.config import load_config
from sitegen.index_lists import IndexLists
from sitegen.model import replaced, shared
from sitegen.sitefiles import StaticFiles
from tests.conftest import article, make_site

LISTS = [(3, 1, 2), (), (None, 7), (0,), (None, None)]


def test_index_lists_read_back_as_the_tuples_they_were_made_of() -> None:
    kept = IndexLists(LISTS)
    assert len(kept) == len(LISTS)
    assert list(kept) == LISTS and kept[2] == (None, 7) and kept[-1] == (None, None)
    assert kept[1:3] == LISTS[1:3]
    assert kept == LISTS and kept == IndexLists(LISTS) and kept != IndexLists(LISTS[:-1])
    assert hash(kept) == hash(IndexLists(LISTS))
    with pytest.raises(IndexError):
        kept[len(LISTS)]
    assert pickle.loads(pickle.dumps(kept)) == kept  # as it goes to a worker


def test_index_lists_are_kept_in_the_build_state_and_read_back() -> None:
    plain = marshal.loads(marshal.dumps(IndexLists.plain(LISTS)))
    assert IndexLists.from_plain(plain) == LISTS
    assert IndexLists.from_plain(LISTS) == LISTS  # an answer as tuples
    for damaged in ((b"\x01", b"\x00"), "rusak", (b"", b"\x05\x00\x00\x00")):
        with pytest.raises((ValueError, TypeError)):
            IndexLists.from_plain(damaged)


def _length(item: str) -> int:
    return len(item)


def test_chunks_sent_to_workers_end_at_a_size_not_only_a_count(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A chunk of large contexts (a month's index) stays as small as one of small pages."""
    monkeypatch.setattr(workers, "CHUNK_BYTES", 10_000)
    items = [f"{i}" + "x" * 3_000 for i in range(7)] + [f"y{i}" for i in range(50)]
    chunks = list(workers._pickled_chunks(_length, iter(items), 32))
    sizes = [count for _, count in chunks]
    assert sizes == [4, 32, 21]  # four 3 KB items pass 10 KB; then 32 items at most
    assert all(len(data) < 10_000 + 3_200 for data, _ in chunks)
    answers = [answer for data, count in chunks for answer in workers._run_pickled(data, count)]
    assert answers == [len(item) for item in items]


def _collects(_: object) -> bool:
    return gc.isenabled()


def test_a_map_over_worker_processes_answers_in_order(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "CHUNK_BYTES", 4_000)
    monkeypatch.setattr(workers, "BYTES_AHEAD", 8_000)
    items = [f"{i}" + "z" * (i * 37 % 2_000) for i in range(300)]
    collecting = gc.isenabled()
    gc.disable()  # as a CLI build's process: the workers' setup must not turn it on here
    try:
        with workers.Workers(2, None, (), tmp_path, None, tmp_path) as pool:
            assert not gc.isenabled()  # 500 collections, 0.3 s of a 10,000-story publish
            assert list(pool.map("test", _length, items)) == [len(i) for i in items]
            assert pool.pool is not None  # it did run in worker processes
            assert set(pool.map("test", _collects, items[:40])) == {True}  # they collect
        assert not gc.isenabled()
    finally:
        if collecting:
            gc.enable()


def _process(_: object) -> int:
    return os.getpid()


def test_fewer_items_than_starting_the_workers_is_worth_run_in_this_process(
        tmp_path: Path) -> None:
    """A publish renders and checks about 40 pages: starting the worker processes for them
    cost more CPU (and wall time) than rendering them here. Once started, the workers take
    a smaller batch too."""
    few = list(range(workers.START_MIN - 1))
    with workers.Workers(2, None, (), tmp_path, None, tmp_path) as pool:
        assert set(pool.map("test", _process, few)) == {os.getpid()}
        assert set(pool.map("test", _process, iter(few))) == {os.getpid()}  # a stream
        assert pool.pool is None
        assert os.getpid() not in set(pool.map("test", _process, iter(range(300))))
        assert os.getpid() not in set(pool.map("test", _process, few[:workers.PARALLEL_MIN]))
        assert set(pool.map("test", _process, few[:workers.PARALLEL_MIN - 1])) == {os.getpid()}


def test_an_article_holds_its_rare_fields_only_when_one_is_set(tmp_path: Path) -> None:
    """Most stories set no series, correction, live entry, translation key, table of
    contents or alias, and the planning process holds no body: they hold no record of
    those fields (8 bytes a field an article of the archive), and read them as empty; a
    story that sets one reads it back wherever it goes (a worker's answer, the build
    state, a shard's manifest). Nor is a slug kept that the file's name gives."""
    site = make_site(tmp_path, {
        "content/ekonomi/biasa.md": article("Biasa"),
        "content/ekonomi/seri.md": article(
            "Seri", series="Pemilu 2029", featured=True, lang="en", slug="seri-pemilu",
            corrections=[{"date": "2026-11-21 10:00", "text": "Nama menteri diperbaiki."}]),
    })
    config = load_config(site)
    read = {path.stem: sources._read_off_main(str(path), config, tmp_path / "bodies")[0]
            for path in readers.discover(config)}  # as a worker answers: the body on disk
    plain, rich = read["biasa"], read["seri"]
    assert plain is not None and rich is not None
    assert plain.extras is None and plain.body_ref and plain.body_html == ""
    assert (plain.slug, plain.path) == ("", "/ekonomi/biasa/")
    assert (rich.slug, rich.path) == ("seri-pemilu", "/ekonomi/seri-pemilu/")
    assert replaced(plain, toc_html="<ul></ul>").extras is not None
    assert (plain.series, plain.corrections, plain.featured, plain.live) == ("", (), False, ())
    assert rich.extras is not None and rich.series == "Pemilu 2029" and rich.featured
    assert rich.language == "en" and rich.corrections[0].text == "Nama menteri diperbaiki."
    zone = ZoneInfo("Asia/Jakarta")
    for story in (plain, rich):
        arrived = shared(pickle.loads(pickle.dumps(story)))  # a worker's answer
        assert arrived == story and (arrived.extras is None) == (story.extras is None)
        kept = article_records.from_plain(
            marshal.loads(marshal.dumps(article_records.to_plain(story))), zone, story.source)
        assert kept == story
        assert shard_manifest.decode(shard_manifest.encode(story)) == story
    # Changing a rare field makes the record; emptying them all drops it.
    assert replaced(plain, series="Banjir").extras is not None
    assert replaced(plain, series="Banjir").series == "Banjir"
    emptied = replaced(rich, series="", featured=False, language="", corrections=())
    assert emptied.extras is None and emptied.title == "Seri"


def test_sources_are_walked_as_names_the_paths_read_elsewhere(tmp_path: Path) -> None:
    """The planning process walks the sources as strings (a Path would intern each file's
    name for the rest of the process); they are the same files as the Paths of `discover`."""
    site = make_site(tmp_path, {"content/ekonomi/a.md": article("A"),
                                "content/nasional/b.md": article("B"),
                                "content/c.md": article("C")})
    config = load_config(site)
    names = readers.discover_names(config)
    assert all(type(name) is str for name in names) and len(names) == 3
    assert names == [str(path) for path in readers.discover(config)]


def test_static_files_are_held_as_names_and_read_as_paths(tmp_path: Path) -> None:
    """A newsroom's static files are a photo a story: the planning process holds each as
    a string (a Path would be about 500 bytes more, with its name interned), and a Path is
    made when one is asked for."""
    site = make_site(tmp_path, {"content/static/images/2026/a.jpg": b"\xff\xd8foto",
                                "content/static/robots-extra.txt": "halo"})
    static = themes.static_files((), site / "content/static")
    assert sorted(static) == ["images/2026/a.jpg", "robots-extra.txt"]
    assert type(static.file("images/2026/a.jpg")) is str
    assert static["images/2026/a.jpg"] == site / "content/static/images/2026/a.jpg"
    assert static == {"images/2026/a.jpg": site / "content/static/images/2026/a.jpg",
                      "robots-extra.txt": site / "content/static/robots-extra.txt"}
    assert list(static.under(site / "content/static/images")) == ["images/2026/a.jpg"]
    screened = static_safety.screen(static, load_config(site), [])
    assert isinstance(screened, StaticFiles) and dict(screened) == dict(static)


def test_a_context_is_hashed_as_it_is_pickled_not_held_as_bytes() -> None:
    """The sitemap's context names every page of the site: its digest (the render key's)
    is the hash of the very bytes pickling gives, made without holding them."""
    moment = dt.datetime(2026, 1, 2, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    context = {"entries": [(f"/ekonomi/berita-{i:05d}/", moment) for i in range(1_000)],
               "blob": b"x" * 900_000}
    stream = io.BytesIO()
    pickler = pickle.Pickler(stream, protocol=5)
    pickler.fast = True
    pickler.dump(context)
    assert cache.digest(context) == hashlib.sha256(stream.getbuffer()).hexdigest()
    size = stream.tell()
    del stream, pickler
    tracemalloc.start()
    try:
        cache.digest(context)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert size > 900_000 and peak < size / 4, (peak, size)
