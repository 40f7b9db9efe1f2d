"""The search index's pieces on their own (no build): the bundles the build cache keeps
(search_cache) and one Pagefind run's failures told as the config's problem (pagefind_runs)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sitegen import search, write
from sitegen.errors import SitegenError
from sitegen.pagefind_runs import index_shard
from sitegen.search_cache import CACHE_DIR, KEY_FILE, SearchCache


def bundle(folder: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text, encoding="utf-8")
    return folder


def test_a_kept_bundle_keeps_the_cached_copy_of_each_unchanged_file(tmp_path: Path) -> None:
    """A shard indexed again: a file with the same bytes stays the cached file (its time,
    so the output copy is seen as unchanged), a changed one is replaced, a gone one
    removed; the key is what says the bundle is whole."""
    cache = SearchCache(tmp_path / "cache", "ctx")
    first = cache.keep_bundle("s1", "k1", bundle(tmp_path / "fresh1", {
        "same.js": "same", "index/a.pf_index": "old", "gone.pf_meta": "gone"}))
    assert first == tmp_path / "cache" / CACHE_DIR / "s1"
    # The key, then the bundle's files in Path order: a build keeping it lists them so.
    assert (first / KEY_FILE).read_text(encoding="utf-8") == \
        "k1\ngone.pf_meta\nindex/a.pf_index\nsame.js"
    assert cache.bundle("s1", "k1") == first and cache.bundle("s1", "k2") is None
    os.utime(first / "same.js", ns=(1_000_000_000, 1_000_000_000))
    kept = cache.keep_bundle("s1", "k2", bundle(tmp_path / "fresh2", {
        "same.js": "same", "index/a.pf_index": "new"}))
    assert kept == first and cache.bundle("s1", "k2") == kept and cache.bundle("s1", "k1") is None
    assert (kept / "same.js").stat().st_mtime_ns == 1_000_000_000
    assert (kept / "index/a.pf_index").read_text(encoding="utf-8") == "new"
    assert not (kept / "gone.pf_meta").exists()
    assert (kept / KEY_FILE).read_text(encoding="utf-8") == "k2\nindex/a.pf_index\nsame.js"


def test_a_kept_bundle_is_listed_from_its_key_file_not_walked(tmp_path: Path) -> None:
    """A build that finds a bundle kept lists its files from its key file (a publish keeps
    63 of 64 bundles, 11,000 files, at 10,000 stories); a key file of an older sitegen
    names none, and that bundle is walked."""
    SearchCache(tmp_path / "cache", "ctx").keep_bundle("s1", "k1", bundle(
        tmp_path / "fresh", {"a.js": "a", "index/b.pf_index": "b"}))
    kept = tmp_path / "cache" / CACHE_DIR / "s1"
    (kept / "walked-only.js").write_text("w", encoding="utf-8")  # not in its list
    cache = SearchCache(tmp_path / "cache", "ctx")
    assert cache.bundle("s1", "k1") == kept
    listed = [("a.js", f"{kept}/a.js"), ("index/b.pf_index", f"{kept}/index/b.pf_index")]
    assert cache.files("s1", kept) == listed
    (kept / KEY_FILE).write_text("k1", encoding="utf-8")  # as an older sitegen wrote it
    older = SearchCache(tmp_path / "cache", "ctx")
    assert older.bundle("s1", "k1") == kept and older.bundle("s1", "k2") is None
    assert [relative for relative, _ in older.files("s1", kept)] == [
        KEY_FILE, "a.js", "index/b.pf_index", "walked-only.js"]
    # ...once: its key file lists them from then on.
    assert (kept / KEY_FILE).read_text(encoding="utf-8") == \
        "k1\na.js\nindex/b.pf_index\nwalked-only.js"


def test_a_file_gone_from_the_caches_bundle_is_told_with_the_way_out(tmp_path: Path) -> None:
    staging = write.Staging(tmp_path / "output")
    with pytest.raises(SitegenError) as failed:
        search._put(staging, "pagefind/a.js", str(tmp_path / "cache/search/s1/a.js"),
                    cached=True)
    problem, = failed.value.problems
    assert problem.path == str(tmp_path / "cache/search/s1/a.js")
    assert "remove the cache's search/ folder and build again" in problem.message
    staging.discard()


def test_page_digests_are_taken_by_render_key_and_an_older_sitegens_file_is_read_once(
        tmp_path: Path) -> None:
    """A page digested at the same render key is not read again; one without a key always
    is. The file of digests a sitegen before the build state's books wrote is read once,
    in its context only, and swept with the bundles no longer planned."""
    (tmp_path / "tree").mkdir()
    page = tmp_path / "tree" / "a.html"
    page.write_text("<main data-pagefind-body>pasar</main>", encoding="utf-8")
    read: list[str] = []

    def current(relative: str) -> Path:
        read.append(relative)
        return tmp_path / "tree" / relative

    cache = SearchCache(tmp_path / "cache", "ctx")
    found = cache.page_digest("a.html", 7, current, {})
    assert found[0] == 7 and read == ["a.html"]
    assert cache.page_digest("a.html", 7, current, {"a.html": found}) is found
    assert read == ["a.html"]
    assert cache.page_digest("a.html", -1, current, {"a.html": [-1, found[1]]}) == [None, found[1]]
    assert cache.page_digest("a.html", 8, current, {"a.html": found}) == [8, found[1]]
    assert read == ["a.html"] * 3
    folder = tmp_path / "cache" / CACHE_DIR
    cache.keep_bundle("s1", "k", bundle(tmp_path / "fresh", {"x.js": "x"}))
    cache.keep_bundle("old", "k", bundle(tmp_path / "fresh-old", {"x.js": "x"}))
    (folder / "state.json").write_text(json.dumps(
        {"context": "ctx", "shards": ["s1"], "pages": {"a.html": [7, found[1]]}}))
    assert SearchCache(tmp_path / "cache", "ctx").older_digests() == {"a.html": [7, found[1]]}
    assert SearchCache(tmp_path / "cache", "another pagefind").older_digests() == {}
    cache.sweep({"s1": ["a.html"]})
    assert sorted(p.name for p in folder.iterdir()) == ["s1"]


@pytest.mark.parametrize(("command", "said"), [
    (["false"], "pagefind exited with status 1"),
    (["true"], "pagefind wrote no index"),
    (["/nonexistent/pagefind"], "could not run /nonexistent/pagefind"),
])
def test_a_failed_pagefind_run_is_the_configs_problem_with_the_way_out(
        tmp_path: Path, command: list[str], said: str) -> None:
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "a.html").write_text("<p>a</p>", encoding="utf-8")
    with pytest.raises(SitegenError) as failed:
        index_shard(command, lambda relative: tmp_path / "tree" / relative, ["a.html"],
                    tmp_path / "work")
    problem, = failed.value.problems
    assert problem.path == "sitegen.toml" and said in problem.message
    assert "set `search = false` under [build]" in problem.message
