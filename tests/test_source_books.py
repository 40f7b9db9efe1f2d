"""What the planning process holds per source to the end of a build (the render stage's
peak included), apart from the Articles: packed books, shared index objects."""

from __future__ import annotations

import gc
import os
import pickle
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from sitegen import page_stage, related, site_stage, source_books
from sitegen.kinds import home
from sitegen.sitefiles import StaticFiles
from tests.conftest import article, build_site, make_site

STORIES = 300


def _site(root: Path) -> Path:
    return make_site(root, {
        f"content/{('ekonomi', 'dunia')[i % 2]}/b-{i:04d}.md":
            article(f"Berita {i}", date=f"2025-{1 + i % 12:02d}-{1 + i % 27:02d} 09:00",
                    tags=[f"topik-{i % 7}"])
        for i in range(STORIES)})


def _own_bytes(book: object, shared: set[int]) -> int:
    """The bytes a book holds of its own: itself and what it refers to (a dict's keys and
    values, a packed book's parts), but for the objects in `shared` (the names)."""
    return sys.getsizeof(book) + sum(
        sys.getsizeof(part) for part in gc.get_referents(book)
        if id(part) not in shared and not isinstance(part, type))


def test_a_sources_read_key_and_metadata_digest_are_held_packed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _site(tmp_path / "site")
    held: dict[str, Any] = {}
    read, decide, plan_list = site_stage.read, page_stage.decide, home.plan_list

    def reading(*args: Any, **kwargs: Any) -> Any:
        held["sources"] = found = read(*args, **kwargs)
        return found

    def deciding(*args: Any, **kwargs: Any) -> Any:
        held["decision"] = found = decide(*args, **kwargs)
        return found

    def planning(*args: Any, **kwargs: Any) -> Any:
        held["everything"] = args[5]
        return plan_list(*args, **kwargs)

    monkeypatch.setattr(site_stage, "read", reading)
    monkeypatch.setattr(page_stage, "decide", deciding)
    monkeypatch.setattr(home, "plan_list", planning)
    build_site(site, jobs=1)
    keys = held.pop("sources")[0].keys
    metas = held.pop("decision")[1].state.metas
    assert len(keys) == len(metas) == STORIES
    assert all(len(key) == 22 and isinstance(key, str) for key in keys.values())
    assert all(isinstance(digest, int) for digest in metas.values())
    # The home page's list holds the index objects every grouping shares: a tuple of
    # range()'s ints would be 32 bytes more an article.
    everything = held.pop("everything")
    assert len(everything) == STORIES
    assert all(a is b for a, b in zip(everything, related.numbers(STORIES), strict=True))

    names = {id(name) for book in (keys, metas) for name in book}  # the Articles' own
    # As dicts: about 100 bytes a source (an entry and a 22-character string) and
    # about 60 (an entry and an int).
    per_key, per_meta = (_own_bytes(book, names) / STORIES for book in (keys, metas))
    assert per_key < 50, per_key
    assert per_meta < 40, per_meta


def test_a_book_reads_as_the_mapping_it_was_made_from() -> None:
    plain = {f"content/b-{i}.md": f"{i:022d}" for i in range(1000)}
    plain["content/odd.md"] = "not a read key"  # kept as it is
    plain["content/short.md"] = ""
    plain["content/wide.md"] = "ä" * 22
    book = source_books.read_keys(plain)
    assert dict(book) == plain and dict(book.items()) == plain
    assert list(book)[:1000] == list(plain)[:1000]
    assert sorted(book.values()) == sorted(plain.values())
    assert book == plain and len(book) == len(plain)
    assert "content/b-7.md" in book and "content/none.md" not in book and 7 not in book
    assert book.get("content/none.md") is None and book.get("content/odd.md") == "not a read key"
    with pytest.raises(KeyError):
        book["content/none.md"]
    numbers = {"a": 0, "b": (1 << 60) - 1, "c": -1, "d": 1 << 70, "e": (1 << 64) - 1}
    assert dict(source_books.digests(numbers)) == numbers
    assert source_books.digests(numbers)["b"] == (1 << 60) - 1
    assert dict(source_books.digests({})) == {} and "a" not in source_books.digests({})


def test_the_static_files_names_are_held_packed() -> None:
    """A newsroom's static files are a photo a story, each named for the whole build: a
    name as a string of its own in a dict was about 100 bytes of the planning process."""
    count = 2_000
    tracemalloc.start()
    try:
        files = {f"images/{i:05d}/foto-{i}.jpg":
                 f"/situs/content/static/images/{i:05d}/foto-{i}.jpg" for i in range(count)}
        static = StaticFiles(files)
        del files
        gc.collect()
        per_name = tracemalloc.get_traced_memory()[0] / count
    finally:
        tracemalloc.stop()
    assert per_name < 60, per_name
    assert len(static) == count and "images/00007/foto-7.jpg" in static
    assert static.file("images/01999/foto-1999.jpg") == \
        "/situs/content/static/images/01999/foto-1999.jpg"


def test_static_files_read_as_the_mapping_they_were_made_from() -> None:
    files = {"images/ä/foto.jpg": "/s/static/images/ä/foto.jpg", "a": "/s/static/a",
             "b.css": "/elsewhere/theme/b.css", "images/x.jpg": "/s/static/images/x.jpg"}
    static = StaticFiles(files)
    assert list(static) == list(files) and dict(static.files()) == files
    assert all(static.file(name) == path for name, path in files.items())
    assert "images/x.jp" not in static and "images/x.jpgg" not in static and 3 not in static
    assert "" not in static and "a" in static
    with pytest.raises(KeyError):
        static.file("images")
    assert list(StaticFiles()) == [] and "a" not in StaticFiles()
    assert dict(static.under(Path("/s/static/images")).files()) == {
        "images/ä/foto.jpg": "/s/static/images/ä/foto.jpg",
        "images/x.jpg": "/s/static/images/x.jpg"}


def test_packed_books_are_found_in_another_process_after_pickling(tmp_path: Path) -> None:
    """Their tables are of this process's string hashes: a process with other hashes (a
    spawned worker, a cluster's) gets the values and makes its own."""
    plain = {f"content/b-{i}.md": f"{i:022d}" for i in range(50)}
    static = {f"images/{i}/foto.jpg": f"/s/static/images/{i}/foto.jpg" for i in range(50)}
    sent = tmp_path / "sent.pickle"
    sent.write_bytes(pickle.dumps((source_books.read_keys(plain), StaticFiles(static))))
    probe = ("import pickle, sys\n"
             f"book, static = pickle.loads(open({str(sent)!r}, 'rb').read())\n"
             "print(book['content/b-7.md'], static.file('images/7/foto.jpg'),\n"
             "      'content/b-49.md' in book, 'images/49/foto.jpg' in static)\n")
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, check=True)
        assert done.stdout.split() == [f"{7:022d}", "/s/static/images/7/foto.jpg",
                                       "True", "True"]
