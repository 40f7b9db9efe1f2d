"""`sitegen build --shard K/N` and `--merge DIR...`: shards merged give the local build's
bytes, stay incremental, and bad input is a clear message that leaves the output alone."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen import collect, kinds, model, shard_manifest, shards
from sitegen.config import load_config
from tests.conftest import NOW, build_site, read_tree
from tests.sample_build import ALIAS, EXTRAS, SEED

NOW_OPTION = NOW.isoformat()


def sample_copy(tmp_path: Path) -> Path:
    """The sample site (sections, tags, authors, a series, pictures, search, full-content
    feeds) with a scheduled, an expired and a moved article (an alias)."""
    site = tmp_path / "site"
    shutil.copytree(Path(__file__).resolve().parent.parent / "content", site / "content")
    config = (Path(__file__).resolve().parent.parent / "sitegen.toml").read_text("utf-8")
    # Search shards of at most 4 pages: each lies in one build shard, which indexes it.
    assert "search_shard_pages = 2000" in config
    (site / "sitegen.toml").write_text(config.replace("search_shard_pages = 2000",
                                                      "search_shard_pages = 4"), "utf-8")
    for relative, text in EXTRAS.items():
        (site / relative).write_text(text, encoding="utf-8")
    return site


def build_sharded(site: Path, count: int, merged: Path) -> list[Path]:
    parts = [site / f"part{k}" for k in range(1, count + 1)]
    indexed = []
    for number, part in enumerate(parts, start=1):
        indexed += build_site(site, output=part, shard=shards.Shard(number, count)
                              ).search_indexed
    report = build_site(site, output=merged, merge=tuple(parts))
    # The shards indexed every search shard; the merge only listed them (but the English
    # edition's one search shard, whose four pages are in both build shards).
    assert len(indexed) > 2
    assert [n for n in report.search_indexed if not n.startswith("en/")] == []
    return parts


def local_build(site: Path, output: Path) -> dict[str, bytes]:
    build_site(site, output=output, use_cache=False)
    return read_tree(output)


@pytest.mark.slow
def test_two_shards_merged_are_the_local_build_byte_for_byte_also_after_an_edit(
        tmp_path: Path) -> None:
    site = sample_copy(tmp_path)
    parts = build_sharded(site, 2, site / "merged")
    expected = local_build(site, tmp_path / "local")
    assert read_tree(site / "merged") == expected
    # Each shard built only its own articles' pages; the merge made the lists and search.
    owned = [set(json.loads((p / shard_manifest.NAME).read_text().splitlines()[-1])["files"])
             for p in parts]
    assert owned[0] and owned[1] and not owned[0] & owned[1]
    assert f"{SEED}index.html" in owned[0] | owned[1] and ALIAS in owned[0] | owned[1]
    assert not any((p / "index.html").exists() or (p / "pagefind/shards.json").exists()
                   for p in parts)
    assert (site / "merged" / "pagefind" / "pagefind-entry.json").is_file()
    assert len((site / "merged/pagefind/shards.json").read_text().split("shards/")) > 3

    # A body edit: each shard rebuilds from its cache, the merge again; a clean build of
    # the edited site gives the same bytes.
    source = site / "content" / (SEED.rstrip("/") + ".md")
    source.write_text(source.read_text(encoding="utf-8").replace(
        "Jack Ma", "Jack Ma (pendiri Alibaba)", 1) + "\nParagraf baru tentang pasar.\n",
        encoding="utf-8")
    first = build_site(site, output=parts[0], shard=shards.Shard(1, 2))
    second = build_site(site, output=parts[1], shard=shards.Shard(2, 2))
    assert f"content/{SEED.rstrip('/')}.md" in first.parsed
    # Only the shard that owns the edited article renders its page.
    assert [f"{SEED}index.html" in r.rendered for r in (first, second)].count(True) == 1
    build_site(site, output=site / "merged", merge=tuple(parts))
    assert read_tree(site / "merged") == local_build(site, tmp_path / "local-edited")
    assert read_tree(site / "merged") != expected


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sitegen", "build", "-q", "--now", NOW_OPTION,
                           "-j", "1", *args], cwd=cwd, capture_output=True, text=True,
                          check=False)


def small_site(tmp_path: Path) -> Path:
    site = tmp_path / "small"
    (site / "content" / "berita").mkdir(parents=True)
    (site / "sitegen.toml").write_text(
        '[site]\ntitle = "Uji"\nbase_url = "https://example.org/"\n'
        '[build]\nsearch = false\n', encoding="utf-8")
    for number in range(6):
        (site / "content" / "berita" / f"kabar-{number}.md").write_text(
            f"---\ntitle: Kabar {number}\ndate: 2026-11-{10 + number} 09:00\n"
            f"tags: [Uji]\n---\n\nIsi kabar {number}.\n", encoding="utf-8")
    return site


def failed(result: subprocess.CompletedProcess[str], *words: str) -> str:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    message = result.stderr
    for word in words:
        assert word in message, message
    return message


@pytest.mark.slow
def test_bad_shards_and_merges_are_clear_errors_that_leave_the_output_alone(
        tmp_path: Path) -> None:
    site = small_site(tmp_path)
    failed(run_cli("--shard", "3/2", cwd=site), "--shard", "from 1 to the number of shards")
    failed(run_cli("--shard", "two", cwd=site), "--shard", "such as 1/4")
    failed(run_cli("--shard", "1/2", "--merge", "x", cwd=site), "use one per run")
    for number in (1, 2):
        assert run_cli("--shard", f"{number}/2", cwd=site).returncode == 0
    assert (site / "output-shard-1-of-2" / shard_manifest.NAME).is_file()
    assert run_cli("--shard", "1/3", "-o", "third", cwd=site).returncode == 0
    assert run_cli("--merge", "output-shard-1-of-2", "output-shard-2-of-2",
                   cwd=site).returncode == 0
    before = read_tree(site / "output")
    assert "index.html" in before and "berita/kabar-0/index.html" in before

    failed(run_cli("--merge", "output-shard-1-of-2", cwd=site), "shard 2 of 2 is missing")
    failed(run_cli("--merge", "output-shard-1-of-2", "output-shard-1-of-2", cwd=site),
           "given twice")
    failed(run_cli("--merge", "output-shard-1-of-2", "third", cwd=site), "shards of 2")
    failed(run_cli("--merge", "output-shard-1-of-2", "content", cwd=site),
           "not the output of `sitegen build --shard K/N`")
    failed(run_cli("--merge", "output-shard-1-of-2", "output-shard-2-of-2", "--drafts",
                   cwd=site), "another configuration or other options")
    failed(run_cli("--merge", "output-shard-1-of-2", "output-shard-2-of-2", "--base-url",
                   "https://example.net/", cwd=site), "another configuration")
    manifest = site / "output-shard-2-of-2" / shard_manifest.NAME
    lines = manifest.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    header["header"]["sitegen"] = "3|0.0.1"
    manifest.write_text("\n".join([json.dumps(header), *lines[1:]]) + "\n", encoding="utf-8")
    failed(run_cli("--merge", "output-shard-1-of-2", "output-shard-2-of-2", cwd=site),
           "another version of sitegen")
    # A manifest cut short (an upload that did not finish).
    manifest.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    failed(run_cli("--merge", "output-shard-1-of-2", "output-shard-2-of-2", cwd=site),
           "ends before its list of files")
    assert read_tree(site / "output") == before


def test_a_shard_is_owned_by_the_hash_of_its_output_path() -> None:
    paths = [f"berita/kabar-{n}/index.html" for n in range(2000)]
    counts = [sum(shards.owner(p, 4) == k for p in paths) for k in range(1, 5)]
    assert sum(counts) == 2000 and min(counts) > 400  # even within a few per cent
    # With 2^b shards the owner is the hash's first b bits, as the search shards' are.
    assert all((shards.owner(p, 2) - 1) == (shards.owner(p, 4) - 1) >> 1 for p in paths)


@pytest.mark.slow
def test_the_manifest_gives_back_the_articles_it_was_written_from(tmp_path: Path) -> None:
    site = sample_copy(tmp_path)
    config = load_config(site)
    report = build_site(site, output=tmp_path / "part", shard=shards.Shard(1, 1))
    assert report.pages
    contents = shard_manifest.Contents(tmp_path / "part" / shard_manifest.NAME)
    articles = [a for a, _ in contents.records()]
    assert contents.files and len(articles) >= 20
    again = [shard_manifest.decode(json.loads(json.dumps(shard_manifest.encode(a))))
             for a in articles]
    assert again == articles
    site_model, _ = collect.select_site(articles, config, collect.Selection(NOW),
                                        kinds.url_clashes)
    assert site_model.series and site_model.tags and any(a.image for a in articles)
    assert {getattr(a.date.tzinfo, "key", None) for a in articles if a.date} == {"Asia/Jakarta"}


def test_a_shard_reads_other_shards_articles_without_converting_their_bodies(
        tmp_path: Path) -> None:
    from sitegen import readers
    from tests.conftest import article, make_site

    site = make_site(tmp_path / "site", {
        "content/berita/dengan-ringkasan.md": article("Dengan Ringkasan", summary="Ringkas.",
                                                      body="Isi **panjang** di sini."),
        "content/berita/tanpa-ringkasan.md": article("Tanpa Ringkasan", body="Paragraf awal."),
    })
    config = load_config(site)
    written = site / "content/berita/dengan-ringkasan.md"
    full, _ = readers.read_source(written, config)
    other, _ = readers.read_source(written, config, skip_body=lambda output: True)
    mine, _ = readers.read_source(written, config, skip_body=lambda output: False)
    assert full is not None and other is not None and mine == full
    assert "<strong>panjang</strong>" in full.body_html and full.word_count
    assert other.body_html == "" and other.word_count == 0
    assert shards.Others(shards.Shard(1, 2))("berita/dengan-ringkasan/index.html") == (
        shards.owner("berita/dengan-ringkasan/index.html", 2) == 2)
    # Cards show the summary: without a written one, the body gives it, so it is converted.
    derived = site / "content/berita/tanpa-ringkasan.md"
    assert readers.read_source(derived, config, skip_body=lambda output: True)[0] == \
        readers.read_source(derived, config)[0]
    body = ("body_html", "word_count", "reading_time", "toc_html", "md_links")
    assert other.summary == "Ringkas." and all(
        getattr(other, name) == getattr(full, name)
        for name in model.VALUE_FIELDS if name not in body)
