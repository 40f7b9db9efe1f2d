"""The search index in shards: how pages are split, that only a changed shard is indexed
again, that the result equals a clean build, and that the search page in a real browser
searches all shards as one index, with the ranking of one index."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitegen import search_cache, write
from sitegen.errors import SitegenError
from sitegen.search_cache import bundle_files
from sitegen.search_shards import ALL, indexed_digest, plan
from tests.conftest import BASIC_CONFIG, article, build_site, make_site, read_tree
from tests.test_search import indexed_urls
from tests.test_theme_browser import serve

SHARDED = BASIC_CONFIG + "\n[build]\nsearch_shard_pages = 4\n"
VOCABULARY = ("pasar saham bank rupiah ekspor impor pajak desa petani nelayan banjir hujan "
              "jalan tol kereta bandara sekolah guru siswa rumah sakit dokter vaksin harga "
              "beras cabai minyak listrik air laut gunung hutan kota provinsi")
WORDS = VOCABULARY.split()


def when(year: int, month: int = 6, day: int = 15) -> dt.datetime:
    return dt.datetime(year, month, day, 9, tzinfo=dt.UTC)


# --- which shard a page is in ------------------------------------------------------

def test_a_small_site_is_one_shard() -> None:
    assert plan(["b.html", "a.html"], 2) == {ALL: ["a.html", "b.html"]}
    assert plan([], 2) == {}


def test_a_large_site_is_split_into_a_power_of_two_shards_within_the_limit() -> None:
    pages = [f"berita-{i}/index.html" for i in range(1000)]
    shards = plan(pages, 100)
    assert len(shards) in (16, 32) and max(map(len, shards.values())) <= 100
    assert sorted(p for members in shards.values() for p in members) == sorted(pages)
    # Random samples of the archive: no shard is much smaller than an even share.
    assert min(map(len, shards.values())) > 1000 / len(shards) / 2


def test_a_new_article_changes_one_shard_until_the_archive_doubles() -> None:
    pages = [f"a{i}.html" for i in range(300)]
    before = plan(pages, 20)
    after = plan([*pages, "new.html"], 20)
    if before.keys() == after.keys():
        assert [name for name in after if before[name] != after[name]] == [
            next(name for name, members in after.items() if "new.html" in members)]
    doubled = plan([*pages, *(f"b{i}.html" for i in range(300))], 20)
    assert len(doubled) == 2 * len(before)


def test_the_digest_covers_the_indexed_part_only() -> None:
    page = (b'<html lang="id"><head><meta data-pagefind-meta="date[content]" content="1 Mei">'
            b'</head><body><nav>Menu</nav><article data-pagefind-body><h1>Judul</h1>'
            b'<article class="card">kutipan</article><p>Isi</p></article>'
            b'<aside>Berita terkait</aside></body></html>')
    same = indexed_digest(page)
    assert indexed_digest(page.replace(b"Berita terkait", b"Lain")) == same
    assert indexed_digest(page.replace(b"Menu", b"Menu baru")) == same
    for inside in (b"Isi", b"Judul", b"kutipan", b"1 Mei", b'lang="id"'):
        assert indexed_digest(page.replace(inside, b"X")) != same, inside


def test_the_shard_size_must_be_positive(tmp_path: Path) -> None:
    site = make_site(tmp_path, {}, BASIC_CONFIG + "\n[build]\nsearch_shard_pages = 0\n")
    with pytest.raises(SitegenError) as failure:
        build_site(site)
    assert [p.message for p in failure.value.problems] == [
        "build.search_shard_pages must be at least 1"]


# --- a sharded build ------------------------------------------------------------------

# Articles that say the word many times (the best results), spread over old and new shards.
STRONG = {"gempa": (2, 81, 157), "tsunami": (5, 130)}


def unique(i: int) -> str:
    """A word only article i says (consonants only: no stemmer takes anything off)."""
    return "zq" + "".join("bcdfgprstv"[int(d)] for d in f"{i:03d}")


def archive(count: int = 12, seed: int = 3) -> dict[str, str]:
    """Articles over three years, bodies drawn from a small vocabulary; the oldest and the
    newest carry a word of their own; STRONG articles say a query word six times, one in
    eight others once."""
    rng = random.Random(seed)
    files = {}
    for i in range(count):
        year, month = 2024 + i * 3 // count, 1 + (i * 5) % 12
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 80)))
        if i == 0:
            words += " purbakala"
        if i == count - 1:
            words += " terkini"
        words += f" {unique(i)}"
        for word, strong in STRONG.items():
            if i in strong:
                words = f"{word} " * 6 + words[:200]
            elif i % 8 == len(word) % 8:
                words += f" {word}"
        files[f"content/ekonomi/berita-{i:02d}.md"] = article(
            f"Berita nomor {i}", date=f"{year}-{month:02d}-10 09:00", body=words)
    return files


def manifest(output: Path) -> list[str]:
    return json.loads((output / "pagefind/shards.json").read_text())["shards"]


def test_a_large_site_is_indexed_in_shards_that_the_manifest_lists(tmp_path: Path) -> None:
    site = make_site(tmp_path, archive(), SHARDED)
    report = build_site(site)
    output = site / "output"
    shards = manifest(output)
    assert len(shards) + 1 >= 3 and len(report.search_indexed) == len(shards) + 1
    counts = [json.loads((output / "pagefind" / s / "pagefind-entry.json").read_text())
              ["languages"]["id"]["page_count"] for s in ["", *shards]]
    assert sum(counts) == 12 and max(counts) <= 4
    # A merged shard carries only its index; the script and language module are the first's.
    assert not (output / "pagefind" / shards[0] / "pagefind.js").exists()
    assert (output / "pagefind/pagefind.js").is_file()


def test_a_body_edit_indexes_only_its_shard_and_equals_a_clean_build(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", archive(), SHARDED)
    build_site(site)
    assert build_site(site).search_indexed == []
    source = site / "content/ekonomi/berita-05.md"
    source.write_text(source.read_text() + "\nKalimat tambahan tentang gempa.\n")
    report = build_site(site)
    assert len(report.search_indexed) == 1
    clean = build_site(site, use_cache=False, output=tmp_path / "clean")
    assert read_tree(site / "output") == read_tree(tmp_path / "clean")
    assert len(clean.search_indexed) == len(manifest(tmp_path / "clean")) + 1


def _shard_folder(relative: str) -> str:
    """The folder of the search shard an output file of the index belongs to."""
    parts = relative.split("/")
    return "/".join(parts[:3]) if parts[1] == "shards" else "pagefind"


def test_a_new_article_reindexes_only_its_shard(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """...and the output keeps the other shards' files as the last build put them there,
    comparing none (the build state records which bundle each shard folder holds); one
    gone from the output is put back."""
    site = make_site(tmp_path / "site", archive(14), SHARDED)
    build_site(site)
    first = plan([f"ekonomi/berita-{i:02d}/index.html" for i in range(14)], 4)
    pages = [f"ekonomi/berita-{i:02d}/index.html" for i in range(14)] + ["ekonomi/baru/index.html"]
    [joined] = [name for name, members in plan(pages, 4).items()
                if "ekonomi/baru/index.html" in members]
    [other] = [name for name in first if name not in (joined, next(iter(first)))][:1]
    gone = site / "output/pagefind/shards" / other / "pagefind-entry.json"
    gone.unlink()
    copied: list[str] = []
    original = write.Staging.copy
    monkeypatch.setattr(write.Staging, "copy", lambda self, relative, source: copied.append(
        relative) or original(self, relative, source))
    walked: list[str] = []  # the kept bundles are listed from their key files instead
    monkeypatch.setattr(search_cache, "bundle_files", lambda bundle: walked.append(
        bundle.name) or bundle_files(bundle))
    (site / "content/ekonomi/baru.md").write_text(article(
        "Berita terbaru", date="2026-11-27 09:00", body="Isi baru."), encoding="utf-8")
    report = build_site(site)
    # An older article's page changed (its "next" link), but not what is indexed of it.
    assert any(p.startswith("ekonomi/berita-") for p in report.written)
    assert report.search_indexed == [joined] and walked == [joined]
    joined_folder = "pagefind" if joined == next(iter(first)) else f"pagefind/shards/{joined}"
    assert {_shard_folder(c) for c in copied if c.startswith("pagefind/")} == {
        joined_folder, f"pagefind/shards/{other}"}
    assert gone.is_file()
    build_site(site, use_cache=False, output=tmp_path / "clean")
    assert read_tree(site / "output") == read_tree(tmp_path / "clean")


# --- in the browser ------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The same archive built as shards and as one index, each served on its own."""
    urls, servers, shards = {}, [], {}
    # Shards of realistic size relative to the archive (each scores with its own statistics).
    for name, config in (("sharded", SHARDED.replace("= 4", f"= {SHARD_PAGES}")),
                         ("single", BASIC_CONFIG)):
        site = make_site(tmp_path_factory.mktemp(name), archive(160, seed=11), config)
        build_site(site)
        shards[name] = manifest(site / "output")
        urls[name], server = serve(site / "output")
        servers.append(server)
    assert len(shards["sharded"]) >= 1 and shards["single"] == []
    yield urls
    for server in servers:
        server.shutdown()
        server.server_close()


SHARD_PAGES = 100


@pytest.fixture(scope="module")
def shard_of() -> dict[str, str]:
    """The shard of each article of the served archive."""
    pages = [f"ekonomi/berita-{i:02d}/index.html" for i in range(160)]
    return {page: name for name, members in plan(pages, SHARD_PAGES).items()
            for page in members}


def results(browser: Any, origin: str, query: str) -> tuple[int, list[str]]:
    """How many pages a search found, and the links it shows (the first 30), in order."""
    page = browser.new_page()
    page.goto(f"{origin}/cari/?q={query}")
    page.wait_for_function("/: \\d+$/.test(document.getElementById('search-status')"
                           ".textContent) || document.querySelector('#search-results a') "
                           "=== null && /Tidak/.test(document.getElementById("
                           "'search-status').textContent)", timeout=15_000)
    links = page.eval_on_selector_all("#search-results .card-title a",
                                      "links => links.map(a => a.getAttribute('href'))")
    status = page.text_content("#search-status") or ""
    page.close()
    return int(found.group(1)) if (found := re.search(r": (\d+)$", status)) else 0, links


@pytest.mark.browser
def test_the_search_page_finds_an_article_of_every_shard(
        browser: Any, served: dict[str, str], shard_of: dict[str, str]) -> None:
    assert results(browser, served["sharded"], "purbakala") == (1, ["/ekonomi/berita-00/"])
    assert results(browser, served["sharded"], "terkini") == (1, ["/ekonomi/berita-159/"])
    firsts = {}
    for page, shard in sorted(shard_of.items()):
        firsts.setdefault(shard, int(page.split("-")[1].split("/")[0]))
    assert len(firsts) >= 2
    for shard, i in firsts.items():
        assert results(browser, served["sharded"], unique(i)) == (
            1, [f"/ekonomi/berita-{i:02d}/"]), shard


@pytest.mark.browser
@pytest.mark.parametrize("query", ["gempa", "tsunami", "petani", "harga beras"])
def test_shards_find_and_rank_the_top_results_as_one_index_does(
        browser: Any, served: dict[str, str], query: str) -> None:
    """The same results; the clearly best first; the top ten nearly one index's. (Each
    shard scores with its own statistics, BM25's idf and average page length: results of
    nearly equal weight can swap places. Shards by date, tried first, kept 3 of one
    index's top ten here; docs/scaling.md.)"""
    (found, sharded), (expected, single) = (results(browser, served[name], query)
                                            for name in ("sharded", "single"))
    assert found == expected > 8
    if found <= 30:  # all shown
        assert set(sharded) == set(single)
    if query in STRONG:  # the word six times over, in a short article
        assert set(sharded[:len(STRONG[query])]) == set(single[:len(STRONG[query])]) == {
            f"/ekonomi/berita-{i:02d}/" for i in STRONG[query]}
    assert len(set(sharded[:10]) & set(single[:10])) >= 7, f"{sharded}\n{single}"


def test_list_pages_are_never_indexed_even_when_a_theme_marks_them(tmp_path: Path) -> None:
    """The build hands Pagefind the articles and standalone pages only: a theme that marks
    its home page and lists as searchable (as a copied article template might) adds nothing."""
    site = make_site(tmp_path, archive(6), BASIC_CONFIG + '\n[build]\ntheme = "lokal"\n')
    for name in ("home.html", "list.html"):
        template = site / "themes/lokal/templates" / name
        template.parent.mkdir(parents=True, exist_ok=True)
        template.write_text(f'{{% extends "default/{name}" %}}{{% block main %}}'
                            '<div data-pagefind-body>{{ super() }}</div>{% endblock %}')
    (site / "themes/lokal/theme.toml").write_text('extends = "default"\n')
    build_site(site)
    output = site / "output"
    assert "data-pagefind-body" in (output / "index.html").read_text()
    assert "data-pagefind-body" in (output / "ekonomi/index.html").read_text()
    assert sorted(indexed_urls(output / "pagefind")) == [
        f"/ekonomi/berita-{i:02d}/" for i in range(6)]
