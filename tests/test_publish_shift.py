"""A publish as a shift (sitegen/kinds/shift.py): when the archive is the last build's with
new stories in front, or without its newest stories, the pages no new or removed story
reaches keep their files without their inputs being worked out, and the output is what a
build without a cache makes."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from sitegen.config import load_config
from sitegen.kinds import shift
from sitegen.readers import read_source
from tests.conftest import NOW, PAGED_CONFIG, article, build_site, make_site, read_tree

COUNT = 24
SECTIONS = ("ekonomi", "nasional", "olahraga")


def _when(hours: int) -> str:
    return (NOW - dt.timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M")


def _archive(root: Path) -> Path:
    """COUNT stories a day apart, in three sections, each with two of five tags."""
    return make_site(root, {
        f"content/{SECTIONS[i % 3]}/cerita-{i}.md": article(
            f"Cerita {i}", date=_when(24 * (i + 1)), tags=[f"topik-{i % 5}", f"topik-{i % 3}"],
            author=f"Penulis {i % 4}", body=f"Isi cerita {i}.")
        for i in range(COUNT)}, config=PAGED_CONFIG)


def _same_as_without_cache(site: Path, tmp_path: Path, name: str) -> None:
    clean = tmp_path / f"clean-{name}"
    build_site(site, use_cache=False, output=clean)
    assert read_tree(site / "output") == read_tree(clean)


@pytest.mark.slow
def test_a_publish_works_out_the_inputs_of_the_pages_the_new_story_reaches(
        tmp_path: Path) -> None:
    site = _archive(tmp_path / "site")
    build_site(site)
    build_site(site)  # the same archive: its digest is recorded
    (site / "content/ekonomi/baru.md").write_text(article(
        "Baru", date=_when(1), tags=["topik-1"], author="Penulis 1", body="Isi baru."))
    report = build_site(site)
    # Five article pages (its own, its section neighbour's, the related boxes it joins),
    # the front pages of the lists it is in (home, section, tag, author, month, day), the
    # numbered pages a page boundary changed, and the feeds (always planned): 46. Working
    # out the whole digest of each list it is in was 50; every article page and list, 102.
    assert 0 < report.inputs_worked <= 46, report.inputs_worked
    assert "ekonomi/baru/index.html" in report.rendered
    _same_as_without_cache(site, tmp_path, "publish")


@pytest.mark.slow
def test_a_removal_of_the_newest_stories_works_out_the_inputs_of_the_pages_they_were_on(
        tmp_path: Path) -> None:
    site = _archive(tmp_path / "site")
    build_site(site)
    new = site / "content/ekonomi/baru.md"
    new.write_text(article("Baru", date=_when(1), tags=["topik-1"], author="Penulis 1",
                           body="Isi baru."))
    published = build_site(site)
    new.unlink()
    report = build_site(site)
    # The mirror of its publish: the pages that showed it (its section neighbour's, the
    # related boxes it was in), the front pages of its lists, the numbered pages a page
    # boundary changed, the feeds; as many as its publish, or fewer. Every article page
    # and list: 102.
    assert 0 < report.inputs_worked <= published.inputs_worked, (
        report.inputs_worked, published.inputs_worked)
    assert not (site / "output/ekonomi/baru").exists()
    _same_as_without_cache(site, tmp_path, "removed")
    # The archive's three newest removed at once (tags, authors and a day only they had).
    for i in range(3):
        (site / f"content/{SECTIONS[i % 3]}/cerita-{i}.md").unlink()
    report = build_site(site)
    # 66 (the front pages they shared counted once); every article page and list: 113.
    assert 0 < report.inputs_worked <= 2 * published.inputs_worked, report.inputs_worked
    _same_as_without_cache(site, tmp_path, "three removed")


@pytest.mark.slow
def test_publishes_and_removals_of_the_newest_in_any_order_build_what_a_clean_build_makes(
        tmp_path: Path) -> None:
    """Stories published and the newest removed, 1 to 3 at a time, in a random order: paid
    content, "Baca juga" links to the newest, parts of a series, now and then a tag new to
    the site (no shift then: the term views differ); each cached build equals a clean one,
    and each removal of stories that brought no new term keeps some pages."""
    rng = random.Random(5)
    site = _archive(tmp_path / "site")
    for i in (4, 5):
        (site / f"content/{SECTIONS[i % 3]}/cerita-{i}.md").write_text(article(
            f"Cerita {i}", date=_when(24 * (i + 1)), tags=["topik-4"], body=f"Isi {i}.",
            series="Liputan Khusus",
            see_also=["ekonomi/baru-0.md", "ekonomi/baru-1.md", "/olahraga/cerita-0/"]))
    everything = build_site(site).inputs_worked
    newest = [(f"{SECTIONS[i % 3]}/cerita-{i}.md", False) for i in range(COUNT)]
    hours = 20
    for step in range(12):
        if step % 3 == 0 or rng.random() < 0.3 or len(newest) < COUNT - 6:
            for _ in range(rng.randint(1, 3)):
                name = f"{rng.choice(SECTIONS[:2])}/baru-{len(newest) - COUNT}.md"
                tags = rng.sample(["topik-0", "topik-1", "topik-2", "topik-3"], 2)
                fresh = rng.random() < 0.1
                extra: dict[str, object] = {
                    "tags": [*tags, "baru"] if fresh else tags,
                    "author": f"Penulis {rng.randrange(4)}"}
                if rng.random() < 0.3:
                    extra["kind"] = "advertorial"
                if rng.random() < 0.3:
                    extra["series"] = "Liputan Khusus"
                (site / "content" / name).write_text(
                    article(f"Baru {hours}", date=_when(hours), body="Isi.", **extra))
                newest.insert(0, (name, fresh))
                hours -= 1
            build_site(site)
        else:
            gone = [newest.pop(0) for _ in range(rng.randint(1, 3))]
            for name, _ in gone:
                (site / "content" / name).unlink()
            report = build_site(site)
            if not any(fresh for _, fresh in gone):
                assert 0 < report.inputs_worked < everything / 2, (step, report.inputs_worked)
        _same_as_without_cache(site, tmp_path, f"step-{step}")


@pytest.mark.slow
def test_an_edit_of_an_old_story_works_out_every_page_again(tmp_path: Path) -> None:
    site = _archive(tmp_path / "site")
    build_site(site)
    old = site / "content/nasional/cerita-7.md"
    old.write_text(old.read_text().replace("Cerita 7", "Cerita tujuh"))
    (site / "content/ekonomi/baru.md").write_text(article("Baru", date=_when(1)))
    report = build_site(site)
    assert report.inputs_worked > COUNT  # no shift: every article page and list
    _same_as_without_cache(site, tmp_path, "edit")


@pytest.mark.slow
def test_a_body_edit_records_no_digest_a_revert_could_match(tmp_path: Path) -> None:
    """A body edit plans only the pages showing the body and keeps the others' inputs; a
    digest of the archive before it, carried along, would match once the edit is undone
    (with a story published, so that the next build plans the whole site) and keep the
    page that shows the edited body."""
    site = _archive(tmp_path / "site")
    source = site / "content/olahraga/cerita-20.md"  # a summary: not taken from the body
    before = article("Cerita 20", date=_when(24 * 21), tags=["topik-0", "topik-2"],
                     author="Penulis 0", summary="Ringkasan.", body="Isi cerita 20.")
    source.write_text(before)
    build_site(site)
    build_site(site)
    source.write_text(before.replace("Isi cerita 20.", "Isi cerita dua puluh, diubah."))
    edited = build_site(site)
    # A body edit alone: its page and the full-content feeds, no list.
    assert "olahraga/cerita-20/index.html" in edited.rendered
    assert "index.html" not in edited.rendered
    source.write_text(before)  # undone, and a story published: not a body edit alone
    (site / "content/ekonomi/baru.md").write_text(article("Baru", date=_when(1)))
    build_site(site)
    page = (site / "output/olahraga/cerita-20/index.html").read_text()
    assert "Isi cerita 20." in page and "diubah" not in page
    _same_as_without_cache(site, tmp_path, "revert")


def test_the_digests_say_how_many_stories_are_new(tmp_path: Path) -> None:
    site = _archive(tmp_path / "site")
    config = load_config(site)
    articles = sorted((a for p in sorted((site / "content").rglob("*.md"))
                       if (a := read_source(p, config=config)[0]) is not None),
                      key=lambda a: a.date, reverse=True)
    keys = {a.source: f"key of {a.source}" for a in articles}
    found: dict[str, int] = {}
    assert shift.find(found, {}, "/", "site", "terms", articles[3:], keys, True) is None
    last = dict(found)
    assert shift.find(found, last, "/", "site", "terms", articles, keys, True) == shift.Shift(3)
    assert shift.find({}, last, "/", "site", "terms", articles, keys, False) is None
    # Another key (an edited story), site key or term views: not the last archive.
    assert shift.find({}, last, "/", "site", "terms", articles,
                      {**keys, articles[9].source: "edited"}, True) is None
    assert shift.find({}, last, "/", "site*", "terms", articles, keys, True) is None
    assert shift.find({}, last, "/", "site", "terms*", articles, keys, True) is None
    # The archive without its three newest: a removal of three.
    assert shift.find({}, last, "/", "site", "terms", articles[6:], keys, True) == \
        shift.Shift(0, 3)
    assert shift.find({}, last, "/", "site", "terms", articles[6:], keys, False) is None
    # Without one older than its newest: no shift.
    assert shift.find({}, last, "/", "site", "terms", [*articles[3:5], *articles[6:]],
                      keys, True) is None
    # A story added behind the newest (backdated) is no shift either.
    assert shift.find({}, last, "/", "site", "terms", [*articles[3:5], articles[0],
                                                        *articles[5:]], keys, True) is None
