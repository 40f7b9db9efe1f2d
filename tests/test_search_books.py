"""The search index's books in the build state (search_books.py): the shard plan derived
from the last one, a shard told unchanged by its pages' render keys, and a body edit that
works out one page's digest and lists one bundle's files, however large the archive."""

from __future__ import annotations

import json
import marshal
import random
import shutil
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from sitegen import search_cache, search_shards
from sitegen.config import load_config
from sitegen.errors import SitegenError
from sitegen.pagefind_runs import pagefind_version
from sitegen.search_books import DIGESTS, SHARD, SearchBooks
from sitegen.search_shards import derive, plan
from sitegen.state import BuildState
from tests.conftest import BASIC_CONFIG, build_site, make_site, read_tree
from tests.test_search_shards import archive

SHARDED = BASIC_CONFIG + "\n[build]\nsearch_shard_pages = 4\n"


# --- the plan, derived -----------------------------------------------------------------

def test_the_derived_plan_is_the_plan_through_publishing_removing_doubling_and_halving(
) -> None:
    rng = random.Random(5)
    pages = {f"berita/{i}/index.html" for i in range(120)}
    previous = plan(pages, 16)
    serial = 1000
    for turn in range(300):
        if turn % 50 == 49:  # the archive doubles, or halves: planned anew
            if len(pages) < 300:
                pages |= {f"lagi/{serial + i}/index.html" for i in range(len(pages))}
            else:
                pages = set(sorted(pages)[::2])
            serial += 1000
        else:
            for _ in range(rng.randint(0, 3)):
                serial += 1
                pages.add(f"baru/{serial}/index.html")
            for gone in rng.sample(sorted(pages), rng.randint(0, 2)):
                pages.discard(gone)
        derived = derive(previous, list(pages), 16)
        assert derived == plan(pages, 16), turn
        assert list(derived) == sorted(derived)
        previous = derived
    assert derive({}, ["a.html"], 16) == {"all": ["a.html"]}
    assert derive({"all": ["a.html"]}, ["b.html", "a.html"], 16) == {"all": ["a.html", "b.html"]}


def test_a_derived_plan_hashes_only_the_pages_that_came_or_went(
        monkeypatch: pytest.MonkeyPatch) -> None:
    pages = [f"berita/{i}/index.html" for i in range(5000)]
    previous = plan(pages, 64)
    hashed: list[str] = []
    prefix = search_shards._prefix
    monkeypatch.setattr(search_shards, "_prefix", lambda page, bits: hashed.append(page)
                        or prefix(page, bits))
    monkeypatch.setattr(search_shards, "plan", lambda *args: pytest.fail("planned whole"))
    assert derive(previous, list(reversed(pages)), 64) is previous and hashed == []
    published = derive(previous, [*pages[1:], "baru/index.html"], 64)
    assert sorted(hashed) == ["baru/index.html", pages[0]]
    assert sum(map(len, published.values())) == 5000
    assert [name for name in published if published[name] != previous.get(name)] == sorted(
        {name for name, members in published.items() if "baru/index.html" in members} |
        {name for name, members in previous.items() if pages[0] in members})


# --- the books --------------------------------------------------------------------------

def test_the_books_tell_a_shard_unchanged_by_render_keys_and_forget_what_they_cannot_tell(
        tmp_path: Path) -> None:
    state = BuildState(tmp_path, "salt")
    books = SearchBooks(state, "search", "ctx", 4)
    renders = {"a.html": 1, "b.html": 2, "c.html": -1}
    books.remember("3-0", "k0", ["a.html", "b.html"], renders,
                   {"a.html": [1, "da"], "b.html": [2, "db"]}, ["x.js", "index/a.pf_index"])
    books.remember("3-1", "k1", ["c.html"], renders, {"c.html": [None, "dc"]}, ["y.js"])
    state.commit()
    again = SearchBooks(BuildState(tmp_path, "salt"), "search", "ctx", 4)
    assert again.previous() == {"3-0": ["a.html", "b.html"], "3-1": ["c.html"]}
    assert again.unchanged("3-0", ["a.html", "b.html"], renders) == "k0"
    assert again.unchanged("3-0", ["a.html", "b.html"], {**renders, "b.html": 3}) is None
    assert again.unchanged("3-0", ["a.html"], renders) is None
    assert again.unchanged("3-1", ["c.html"], renders) is None  # made without a key
    assert again.unchanged("3-1", ["c.html"], {}) is None
    assert again.holds("3-0", "k0") and not again.holds("3-0", "k1")
    assert again.shipped("3-0", True) == ["x.js", "index/a.pf_index"]
    assert again.shipped("3-0", False) == ["index/a.pf_index"]
    assert again.digests("3-0") == {"a.html": [1, "da"], "b.html": [2, "db"]}
    assert again.pool() == {"a.html": [1, "da"], "b.html": [2, "db"], "c.html": [None, "dc"]}
    # Another Pagefind, another page limit, a bundle folder gone: nothing is the last build's.
    assert SearchBooks(BuildState(tmp_path, "salt"), "search", "ctx2", 4).previous() == {}
    assert SearchBooks(BuildState(tmp_path, "salt"), "search", "ctx2", 4).digests("3-0") == {}
    assert SearchBooks(BuildState(tmp_path, "salt"), "search", "ctx", 5).previous() == {}
    assert SearchBooks(BuildState(tmp_path, "salt"), "search", "ctx", 4,
                       present=False).previous() == {}
    # Forgotten at once, before the bundle folder changes; the shards no longer planned, too.
    again.forget("3-0")
    assert SearchBooks(BuildState(tmp_path, "salt"), "search", "ctx", 4).previous() == {
        "3-1": ["c.html"]}
    again.finish({"4-0"})
    state = BuildState(tmp_path, "salt")
    assert SearchBooks(state, "search", "ctx", 4).previous() == {}
    assert dict(state.items(DIGESTS, "search")) == {"3-0": ["ctx", {
        "a.html": [1, "da"], "b.html": [2, "db"]}]}  # a record a shard still planned...


def test_shards_of_two_plans_in_the_books_are_no_plan(tmp_path: Path) -> None:
    """A build killed while it indexed a doubled archive anew leaves records of both plans."""
    state = BuildState(tmp_path, "salt")
    books = SearchBooks(state, "search", "ctx", 4)
    books.remember("3-0", "k", ["a.html"], {"a.html": 1}, None, [])
    books.remember("4-0", "k", ["b.html"], {"b.html": 1}, None, [])
    state.commit()
    assert SearchBooks(BuildState(tmp_path, "salt"), "search", "ctx", 4).previous() == {}


# --- a build --------------------------------------------------------------------------

class Counted:
    """What the search stage of a build did per shard and per page."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: Counter[str] = Counter()
        self.digested: list[str] = []
        digest = search_shards.indexed_digest
        monkeypatch.setattr(search_shards, "indexed_digest", lambda html: self.count(
            "digest") or digest(html))
        walk = search_cache.bundle_files
        monkeypatch.setattr(search_cache, "bundle_files", lambda bundle: self.count(
            "walked") or walk(bundle))
        for method in ("bundle", "files", "older_digests"):
            self.wrap(monkeypatch, search_cache.SearchCache, method)
        for method in ("digests", "pool"):
            self.wrap(monkeypatch, SearchBooks, method)

    def count(self, what: str) -> None:
        self.calls[what] += 1

    def wrap(self, monkeypatch: pytest.MonkeyPatch, owner: type, method: str) -> None:
        original = getattr(owner, method)

        def counted(*args: Any) -> Any:
            self.count(method)
            return original(*args)
        monkeypatch.setattr(owner, method, counted)


def _edit(site: Path, number: int, words: str) -> None:
    source = site / f"content/ekonomi/berita-{number:02d}.md"
    source.write_text(source.read_text(encoding="utf-8") + f"\n{words}\n", encoding="utf-8")


@pytest.mark.slow
def test_a_body_edit_digests_one_page_and_lists_one_bundle_however_large_the_archive(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 16 and at 48 articles (4, 16 shards): one page read and digested, one shard's
    digests loaded, one bundle walked (the one indexed again), no other bundle's key file
    read nor its files listed; the output is a clean build's."""
    seen = []
    for count in (16, 48):
        site = make_site(tmp_path / str(count), archive(count), SHARDED)
        build_site(site)
        build_site(site)  # the state's books after a build that kept every shard
        counted = Counted(monkeypatch)
        _edit(site, 5, "Kalimat tambahan tentang gempa.")
        report = build_site(site)
        monkeypatch.undo()
        assert len(report.search_indexed) == 1
        seen.append(counted.calls)
        clean = tmp_path / f"clean-{count}"
        build_site(site, use_cache=False, output=clean)
        assert read_tree(site / "output") == read_tree(clean)
    small, large = seen
    assert small == large == Counter(digest=1, digests=1, bundle=1, walked=1, files=1)


def test_the_first_build_after_an_older_sitegen_digests_nothing_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache whose digests are in the older file of them all (no books yet): its bundles
    are found by their key files and its pages' digests taken from the file, which goes;
    the books are written then, and the next edit is told by them."""
    site = make_site(tmp_path / "site", archive(16), SHARDED)
    build_site(site)
    cache = site / ".sitegen-cache"
    digests: dict[str, Any] = {}
    db = sqlite3.connect(cache / "state.sqlite")
    with db:
        for (data,) in db.execute("SELECT data FROM records WHERE kind=?", (DIGESTS,)):
            digests.update(marshal.loads(data)[1])
        db.execute("DELETE FROM records WHERE kind IN (?, ?)", (SHARD, DIGESTS))
    db.close()
    context = f"{pagefind_version()}\0{load_config(site).site.language}"
    (cache / "search/state.json").write_text(json.dumps({"context": context, "pages": digests}))
    counted = Counted(monkeypatch)
    _edit(site, 5, "Kalimat tambahan tentang gempa.")
    report = build_site(site)
    monkeypatch.undo()
    assert len(report.search_indexed) == 1 and counted.calls["digest"] == 1
    assert counted.calls["older_digests"] >= 1 and not (cache / "search/state.json").exists()
    counted = Counted(monkeypatch)
    _edit(site, 5, "Satu kalimat lagi.")
    assert len(build_site(site).search_indexed) == 1
    assert counted.calls == Counter(digest=1, digests=1, bundle=1, walked=1, files=1)


def test_a_bundle_gone_from_the_cache_behind_the_books(tmp_path: Path) -> None:
    """The output holds it: nothing is missed. The output lacks a file of it too: the way
    out told (the cache's search folder removed), and the books claim nothing then."""
    site = make_site(tmp_path / "site", archive(16), SHARDED)
    first = build_site(site)
    clean = tmp_path / "clean"
    build_site(site, use_cache=False, output=clean)
    search = site / ".sitegen-cache/search"
    name = first.search_indexed[1]
    shutil.rmtree(search / name)
    assert build_site(site, early=False).search_indexed == []
    assert read_tree(site / "output") == read_tree(clean)
    (site / f"output/pagefind/shards/{name}/pagefind-entry.json").unlink()
    with pytest.raises(SitegenError) as failed:
        build_site(site, early=False)
    assert "remove the cache's search/ folder" in failed.value.problems[0].message
    shutil.rmtree(search)
    assert sorted(build_site(site, early=False).search_indexed) == sorted(first.search_indexed)
    assert read_tree(site / "output") == read_tree(clean)
