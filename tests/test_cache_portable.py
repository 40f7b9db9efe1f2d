"""A build cache restored elsewhere (another CI machine: a fresh clone, new file times,
another folder) serves as well as the local one: keys hash content, never times."""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from sitegen import state as state_module
from sitegen import static_stamps
from sitegen.state import BuildState
from sitegen.static_stamps import static_digests
from tests.conftest import NOW, article, build_site, make_site, read_tree

CONFIG = '[site]\ntitle = "Warta"\nbase_url = "https://example.org/"\n'


def _png(width: int, height: int) -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(stream, "PNG")
    return stream.getvalue()


def pictured_site(root: Path) -> Path:
    files: dict[str, str | bytes] = {
        "content/static/images/foto.png": _png(320, 200),
        "content/static/files/laporan.txt": "Laporan tahunan.\n",
    }
    for i in range(3):
        files[f"content/berita/a{i}.md"] = article(
            f"Judul{i}", date=f"2026-11-{10 + i:02d} 09:00",
            body=f"Isi {i}.\n\n![Foto {i}](/images/foto.png)\n")
    return make_site(root, files, config=CONFIG)


def test_a_cache_restored_elsewhere_with_new_file_times_reads_nothing_again(
        tmp_path: Path) -> None:
    site = pictured_site(tmp_path / "here")
    first = build_site(site)
    assert sorted(first.parsed) == [f"content/berita/a{i}.md" for i in range(3)]
    assert 'width="320"' in (site / "output/berita/a0/index.html").read_text()
    elsewhere = tmp_path / "there" / "site"
    shutil.copytree(site, elsewhere, symlinks=True)
    later = NOW.timestamp() - 7 * 86400  # another clone: every file has another time
    for path in elsewhere.rglob("*"):
        os.utime(path, (later, later), follow_symlinks=False)
    again = build_site(elsewhere)
    assert again.parsed == []
    # Its resized pictures are trusted again (hashed once, their records made anew).
    assert again.processed_images == [] and again.warnings == []
    assert read_tree(elsewhere / "output") == read_tree(site / "output")
    # Its stored bodies are found where they were: the cache does not grow a second copy.
    assert len(os.listdir(elsewhere / ".sitegen-cache/bodies")) == 1


def test_a_static_image_changed_with_its_time_kept_is_read_again(tmp_path: Path) -> None:
    site = pictured_site(tmp_path)
    build_site(site)
    picture = site / "content/static/images/foto.png"
    stat = picture.stat()
    picture.write_bytes(_png(640, 400))
    # Its time set back: only its bytes (and its size) say it changed.
    os.utime(picture, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    report = build_site(site)
    assert sorted(report.parsed) == [f"content/berita/a{i}.md" for i in range(3)]
    assert 'width="640"' in (site / "output/berita/a0/index.html").read_text()


def test_a_read_depends_on_the_static_files_it_asks_about_not_on_the_whole_folder(
        tmp_path: Path) -> None:
    """A newsroom publishes each story with a photo of its own: the new photo leaves every
    other story's read as it was; a story that named a photo not yet uploaded is read
    again once it is, and a photo replaced is read again by the stories showing it."""
    site = pictured_site(tmp_path)
    (site / "content/berita/tunggu.md").write_text(article(
        "Menunggu foto", date="2026-11-20 09:00", body="Isi.\n\n![Banjir](/images/banjir.png)\n"))
    build_site(site)
    (site / "content/static/images/baru.png").write_bytes(_png(300, 200))
    (site / "content/berita/baru.md").write_text(article(
        "Berita baru", date="2026-11-21 09:00", image="/images/baru.png"))
    assert build_site(site).parsed == ["content/berita/baru.md"]
    (site / "content/static/images/banjir.png").write_bytes(_png(480, 270))
    assert build_site(site).parsed == ["content/berita/tunggu.md"]
    assert 'width="480"' in (site / "output/berita/tunggu/index.html").read_text()
    (site / "content/static/images/baru.png").write_bytes(_png(200, 300))
    assert build_site(site).parsed == ["content/berita/baru.md"]
    build_site(site, use_cache=False, output=tmp_path / "clean")
    assert read_tree(site / "output") == read_tree(tmp_path / "clean")


def test_unchanged_static_files_are_not_hashed_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = pictured_site(tmp_path)
    static = site / "content/static"
    hour_ago = NOW.timestamp() - 3600
    for path in static.rglob("*"):
        os.utime(path, (hour_ago, hour_ago))
    hashed: list[str] = []
    original = static_stamps._file_digest
    monkeypatch.setattr(static_stamps, "_file_digest",
                        lambda path: hashed.append(os.path.basename(path)) or original(path))
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    state = BuildState(cache_dir, "salt")
    stamp = static_digests(state, static)
    state.commit()
    state.close()
    assert sorted(hashed) == ["foto.png", "laporan.txt"]
    hashed.clear()
    kept = BuildState(cache_dir, "salt")  # a later build: the stats come from the file
    assert static_digests(kept, static) == stamp and hashed == []
    (static / "files/laporan.txt").write_text("Laporan yang diperbarui.\n")
    again = static_digests(kept, static)
    assert again["files/laporan.txt"] != stamp["files/laporan.txt"] and hashed == ["laporan.txt"]
    assert again["images/foto.png"] == stamp["images/foto.png"]
    kept.close()
    assert state_module.FILE in os.listdir(cache_dir)


def test_a_story_published_with_its_own_photo_plans_what_a_story_without_one_plans(
        tmp_path: Path) -> None:
    """A newsroom's every story has a photo of its own: uploading the new story's photo
    changes no other page's inputs, so the pages planned are those a story without a
    photo plans (its own page, its lists' front pages, its neighbours, feeds), not the
    archive; and the output equals a clean build's."""
    files: dict[str, str | bytes] = {}
    for i in range(16):
        files[f"content/static/images/foto-{i}.png"] = _png(40 + i, 30)
        files[f"content/{('berita', 'ekonomi')[i % 2]}/a{i}.md"] = article(
            f"Judul {i}", date=f"2026-10-{1 + i:02d} 09:00", image=f"/images/foto-{i}.png",
            tags=[f"topik-{i % 5}"], author=f"Penulis {i % 3}")
    planned, everything = {}, 0
    for name, photo in (("text", False), ("photo", True)):
        site = make_site(tmp_path / name, files, config=CONFIG)
        everything = len(build_site(site).planned)
        if photo:
            (site / "content/static/images/baru.png").write_bytes(_png(64, 48))
        (site / "content/berita/baru.md").write_text(article(
            "Berita baru", date="2026-11-21 09:00", tags=["topik-1"], author="Penulis 1",
            **({"image": "/images/baru.png"} if photo else {})))
        report = build_site(site)
        assert report.parsed == ["content/berita/baru.md"]
        planned[name] = set(report.planned)
    build_site(site, use_cache=False, output=tmp_path / "clean")
    assert read_tree(site / "output") == read_tree(tmp_path / "clean")
    assert planned["photo"] == planned["text"]
    assert len(planned["photo"]) < everything / 2, (len(planned["photo"]), everything)


def test_a_photo_replaced_with_one_of_its_size_gives_its_feed_entry_the_new_length(
        tmp_path: Path) -> None:
    """No page's inputs hold the resized pictures' byte sizes: the feed entry's enclosure
    is named by its photo's bytes, whose digest is in its story's metadata."""
    site = make_site(tmp_path / "site", {
        "content/static/images/foto.png": _png(320, 180),
        "content/berita/a.md": article("Judul", image="/images/foto.png"),
    }, config=CONFIG)
    build_site(site)
    noisy = Image.effect_noise((320, 180), 60).convert("RGB")
    stream = io.BytesIO()
    noisy.save(stream, "PNG")
    (site / "content/static/images/foto.png").write_bytes(stream.getvalue())
    build_site(site)
    feed = (site / "output/feed.xml").read_text()
    url, length = re.search(r'<enclosure url="https://example.org/([^"]+)" length="(\d+)"',
                            feed).groups()
    assert int(length) == (site / "output" / url).stat().st_size > 5_000
    build_site(site, use_cache=False, output=tmp_path / "clean")
    assert read_tree(site / "output") == read_tree(tmp_path / "clean")
