"""URL clashes follow the change (claim_book.py): a body edit checks no claim, a publish
the few it adds, whatever the archive's size; a clash an edit or a new story brings is
still found by a cached build, with the message a clean build gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sitegen.config import load_config
from sitegen.errors import SitegenError
from tests.conftest import NOW, article, build_site, make_image, make_site, read_tree

SECTIONS = ("ekonomi", "nasional", "olahraga")


def _when(hours: int) -> str:
    return (NOW - dt.timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M")


def _story(i: int, **extra: object) -> str:
    return article(f"Cerita {i}", date=_when(24 * (i + 1)), tags=[f"topik-{i % 5}"],
                   author=f"Penulis {i % 4}", body=f"Isi cerita {i}.", **extra)


def _archive(root: Path, count: int) -> Path:
    return make_site(root, {f"content/{SECTIONS[i % 3]}/cerita-{i}.md": _story(i)
                            for i in range(count)})


def _clean_message(site: Path, tmp_path: Path) -> str:
    """What a build without a cache says of the site as it is now."""
    with pytest.raises(SitegenError) as raised:
        build_site(site, use_cache=False, output=tmp_path / "clean")
    return str(raised.value)


def _cached_message(site: Path) -> str:
    """What a cached build says; it said so before making any picture (the clash was
    found at selection, not when the pages were planned)."""
    with pytest.raises(SitegenError) as raised:
        build_site(site)
    pictures = load_config(site).cache_dir / "pictures"
    assert not any(p.is_file() for p in pictures.rglob("*"))  # the archive has no photo
    return str(raised.value)


def _photo(site: Path) -> str:
    """A photo no build has made variants of yet, and a body that shows it."""
    make_image(site / "content/static/images/baru.jpg", (640, 360))
    return "![Foto baru](/images/baru.jpg)"


@pytest.mark.slow
@pytest.mark.parametrize("count", [12, 48])
def test_a_body_edit_checks_no_claim_and_a_publish_a_bounded_few(tmp_path: Path,
                                                                   count: int) -> None:
    site = _archive(tmp_path / "site", count)
    first = build_site(site)
    assert first.claims_checked > count  # no book yet: every claim
    (site / "content/ekonomi/cerita-3.md").write_text(
        _story(3).replace("Isi cerita 3.", "Isi cerita 3, diperbarui."), encoding="utf-8")
    assert build_site(site).claims_checked == 0
    (site / "content/ekonomi/baru.md").write_text(article(
        "Baru", date=_when(1), tags=["topik-1"], author="Penulis 1"), encoding="utf-8")
    report = build_site(site)
    # Its page, and a numbered list page where a list it joins grew past a page boundary
    # (home, section, tag, author, month, day): the same bound at 12 stories and 48.
    assert 1 <= report.claims_checked <= 8, report.claims_checked
    assert "ekonomi/baru/index.html" in report.written
    clean = tmp_path / "clean"
    build_site(site, use_cache=False, output=clean)
    assert read_tree(site / "output") == read_tree(clean)


def test_an_edit_that_takes_another_storys_url_is_reported(tmp_path: Path) -> None:
    site = _archive(tmp_path / "site", 9)
    build_site(site)
    (site / "content/ekonomi/cerita-3.md").write_text(
        _story(3, slug="cerita-0").replace("Isi cerita 3.", _photo(site)), encoding="utf-8")
    message = _cached_message(site)
    assert "content/ekonomi/cerita-0.md" in message and "content/ekonomi/cerita-3.md" in message
    assert message == _clean_message(site, tmp_path)


def test_a_new_story_at_an_old_storys_url_and_two_new_stories_alike_are_reported(
        tmp_path: Path) -> None:
    site = _archive(tmp_path / "site", 9)
    build_site(site)
    (site / "content/nasional/lain.md").write_text(article(
        "Lain", date=_when(2), slug="cerita-1", body=_photo(site)), encoding="utf-8")
    message = _cached_message(site)
    assert "content/nasional/cerita-1.md" in message and "content/nasional/lain.md" in message
    assert message == _clean_message(site, tmp_path)
    (site / "content/nasional/lain.md").unlink()
    for name in ("satu", "dua"):
        (site / f"content/olahraga/{name}.md").write_text(article(
            name.title(), date=_when(3), slug="kembar", body=_photo(site)), encoding="utf-8")
    message = _cached_message(site)
    assert "content/olahraga/dua.md" in message and "content/olahraga/satu.md" in message
    assert message == _clean_message(site, tmp_path)


def test_an_alias_inside_a_feed_file_and_a_page_at_a_section_front_are_reported(
        tmp_path: Path) -> None:
    site = _archive(tmp_path / "site", 9)
    build_site(site)
    (site / "content/ekonomi/cerita-0.md").write_text(
        _story(0, aliases=["/ekonomi/feed.xml/lama/"]), encoding="utf-8")
    message = _cached_message(site)
    assert "inside ekonomi/feed.xml" in message
    assert message == _clean_message(site, tmp_path)
    (site / "content/ekonomi/cerita-0.md").write_text(_story(0), encoding="utf-8")
    (site / "content/pages").mkdir()
    (site / "content/pages/nasional.md").write_text(
        "---\ntitle: Nasional\nslug: nasional\n---\n\nHalaman.\n", encoding="utf-8")
    message = _cached_message(site)
    assert "content/pages/nasional.md" in message
    assert message == _clean_message(site, tmp_path)


def test_the_book_stays_true_through_failed_builds_renames_and_removals(
        tmp_path: Path) -> None:
    site = _archive(tmp_path / "site", 9)
    build_site(site)
    story = site / "content/ekonomi/cerita-3.md"
    story.write_text(_story(3, slug="cerita-0"), encoding="utf-8")
    _cached_message(site)  # a clash: the book stays the last clean one
    story.write_text(_story(3), encoding="utf-8")
    build_site(site)
    # A story removed and its URL taken by another: no clash.
    (site / "content/ekonomi/cerita-6.md").unlink()
    (site / "content/nasional/pengganti.md").write_text(article(
        "Pengganti", date=_when(5), slug="cerita-6"), encoding="utf-8")
    build_site(site)
    (site / "content/nasional/pengganti.md").unlink()
    build_site(site)
    # A story renamed, keeping its URL; then a new story taking that URL is a clash.
    story.rename(site / "content/ekonomi/cerita-tiga.md")
    (site / "content/ekonomi/cerita-tiga.md").write_text(_story(3, slug="cerita-3"),
                                                         encoding="utf-8")
    build_site(site)
    (site / "content/olahraga/tiruan.md").write_text(article(
        "Tiruan", date=_when(4), aliases=["/ekonomi/cerita-3/"]), encoding="utf-8")
    message = _cached_message(site)
    assert "content/olahraga/tiruan.md" in message
    assert message == _clean_message(site, tmp_path)
    (site / "content/olahraga/tiruan.md").unlink()
    build_site(site)
    clean = tmp_path / "clean-last"
    build_site(site, use_cache=False, output=clean)
    assert read_tree(site / "output") == read_tree(clean)
