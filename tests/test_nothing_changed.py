"""The early answer (sitegen/nothing_changed.py): a build that finds the sources, the
config, the themes, the options, the clock's window and the output's marker as the last
build into the folder left them tells that build's report again and writes nothing;
every other change goes the full way, and the output equals a clean build's."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from sitegen import collect, nothing_changed, sitemaps
from sitegen.build import BuildReport
from sitegen.config import parse_config
from sitegen.listing import held_back
from sitegen.model import make_article
from sitegen.site_views import clock_state
from tests.conftest import NOW, article, build_site, make_image, make_site, read_tree


def told(report: BuildReport) -> bool:
    return "early" in report.timings


def _facts(articles: list, config: object, now: dt.datetime) -> object:
    """Everything the readers of the clock decide at `now`, with their own code."""
    selection = collect.Selection(now)
    site, _ = collect.select_site(articles, config, selection)  # type: ignore[arg-type]
    return ([a.source for a in (*site.articles, *site.pages)],
            [a.source for a in sitemaps.news_window(site, now)], now.year,
            clock_state(site, config, now), held_back(articles, selection))  # type: ignore[arg-type]


def _micros(moment: dt.datetime) -> int:
    return nothing_changed._micros(moment)


def test_what_the_clock_decides_holds_until_the_window_ends() -> None:
    """Random stories scheduled, expiring, live and in the news window around the build
    time, and a banner: every reader of the clock answers at each moment of the window
    as at its start, with the readers' own code."""
    chance = random.Random(7)
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    for round_ in range(40):
        near = [NOW + dt.timedelta(minutes=chance.randrange(-4000, 4000)) for _ in range(12)]
        banner = chance.choice(near).isoformat()
        config = parse_config(f'[site]\ntitle = "T"\nbase_url = "https://e.org/"\n'
                              f'[breaking]\ntext = "Banjir"\nuntil = "{banner}"\n',
                              Path("/nowhere"))
        stories = []
        for i in range(8):
            extra: dict[str, object] = {}
            if chance.random() < 0.3:
                extra["expires"] = chance.choice(near)
            kind = chance.choice(["news", "live"])
            if kind == "live":
                extra["coverage_start"] = chance.choice(near)
                extra["coverage_end"] = chance.choice([None, *near])
            stories.append(make_article(
                source=f"content/ekonomi/b{i}.md", section="ekonomi", slug="",
                path=f"/ekonomi/b{i}/", title=f"B{i}", date=chance.choice(near), summary="",
                word_count=1, reading_time=1, kind=kind, **extra))
        now = NOW if round_ % 4 else chance.choice(near)  # sometimes on an edge itself
        until = nothing_changed.holds_until(stories, [config], now)
        assert until >= _micros(now)
        start = _facts(stories, config, now)
        if until == _micros(now):
            continue  # an edge at the build time itself: the answer holds no moment
        moments = [until - 1, *(chance.randrange(_micros(now), until) for _ in range(6))]
        for at in moments:
            later = epoch + dt.timedelta(microseconds=at)
            assert _facts(stories, config, later) == start, (round_, later)


def test_a_site_without_stories_holds_until_the_new_year() -> None:
    config = parse_config('[site]\ntitle = "T"\nbase_url = "https://e.org/"\n', Path("/x"))
    until = nothing_changed.holds_until([], [config], NOW)
    assert until == _micros(dt.datetime(2027, 1, 1, tzinfo=NOW.tzinfo))


def _every_moment(stories: list, now: dt.datetime) -> int:
    """holds_until as it was first written: every moment of every story converted."""
    moments = [dt.datetime(now.year + 1, 1, 1, tzinfo=now.tzinfo)]
    for story in stories:
        found = (story.date, story.expires, story.coverage_start, story.coverage_end)
        moments.extend(m for m in found if m is not None)
        moments.append(story.date + sitemaps.NEWS_WINDOW)
    at = _micros(now)
    return min((m for m in map(_micros, moments) if m >= at), default=2**62)


def test_the_moments_left_out_are_past_in_every_zone() -> None:
    """holds_until compares wall times to leave the past out before converting: random
    moments either side of `now`, in zones whose offset changes (New York's and Lord
    Howe's summer time, Samoa's lost day, Kiribati's), with `now` in another zone or in
    the same one, on a change's fold and gap: the answer is every moment's."""
    chance = random.Random(11)
    zones = [ZoneInfo(z) for z in ("America/New_York", "Australia/Lord_Howe", "Pacific/Apia",
                                   "Pacific/Kiritimati", "Asia/Jakarta", "UTC")]
    edges = [dt.datetime(2026, 11, 1, 1, 30), dt.datetime(2026, 3, 8, 2, 30),
             dt.datetime(2011, 12, 30, 0, 30), dt.datetime(2026, 4, 5, 1, 45),
             dt.datetime(1994, 12, 31, 12, 0), dt.datetime(2026, 11, 28, 12, 0)]
    config = parse_config('[site]\ntitle = "T"\nbase_url = "https://e.org/"\n', Path("/x"))
    for round_ in range(300):
        zone, edge = chance.choice(zones), chance.choice(edges)
        now = edge.replace(tzinfo=chance.choice([zone, *zones]), fold=chance.randrange(2))
        stories = []
        near = [(edge + dt.timedelta(minutes=chance.randrange(-9000, 9000))).replace(
            tzinfo=zone, fold=chance.randrange(2)) for _ in range(24)]
        for i in range(6):
            extra: dict[str, object] = {}
            if chance.random() < 0.4:
                extra["expires"] = chance.choice(near)
            if chance.random() < 0.3:
                extra.update(kind="live", coverage_start=chance.choice(near),
                             coverage_end=chance.choice([None, *near]))
            stories.append(make_article(
                source=f"content/a/b{i}.md", section="a", slug="", path=f"/a/b{i}/",
                title="B", date=chance.choice(near), summary="", word_count=1,
                reading_time=1, **extra))
        assert nothing_changed.holds_until(stories, [config], now) == \
            _every_moment(stories, now), round_


def test_an_archive_s_past_moments_are_never_converted(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """holds_until converts the moments near the build time only: an archive of stories
    long past costs a comparison each (a conversion each was a second at 100,000)."""
    config = parse_config('[site]\ntitle = "T"\nbase_url = "https://e.org/"\n', Path("/x"))
    stories = [make_article(source=f"content/a/b{i}.md", section="a", slug="",
                            path=f"/a/b{i}/", title="B", summary="", word_count=1,
                            reading_time=1, date=NOW - dt.timedelta(days=3 + i))
               for i in range(400)]
    converted = [0]
    original = nothing_changed._micros

    def counting(moment: dt.datetime) -> int:
        converted[0] += 1
        return original(moment)
    monkeypatch.setattr(nothing_changed, "_micros", counting)
    until = nothing_changed.holds_until(stories, [config], NOW)
    assert until == original(dt.datetime(2027, 1, 1, tzinfo=NOW.tzinfo))  # all long past
    assert converted[0] <= 10, converted


def _same_report(early: BuildReport, full: BuildReport) -> None:
    """What the early answer tells is what the full way finds when nothing changed."""
    assert told(early) and not told(full)
    for name in ("written", "unchanged", "removed", "warnings", "held", "skipped"):
        assert getattr(early, name) == getattr(full, name), name


CONFIG = """\
[site]
title = "Warta Diam"
base_url = "https://example.org/"

[build]
theme = "mine"
"""


def _replace(path: Path) -> None:
    """The same bytes in a new file (as a copy put back by hand)."""
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data)


def _edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text().replace(old, new))


@pytest.mark.slow
def test_every_change_defeats_the_early_answer(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # Files written a moment ago are trusted by their stat here: the test's file system
    # stamps each write to the nanosecond, and no edit races a walk.
    monkeypatch.setattr(nothing_changed, "RACY_NS", 0)
    root = make_site(tmp_path / "site", {
        "content/ekonomi/a.md": article("Harga Cabai", body="Naik lagi."),
        "content/ekonomi/b.md": article("Harga Beras", date="2026-11-21 09:00"),
        "content/nasional/c.md": article("Terjadwal", date="2026-11-28 18:00"),
        "content/pages/tentang.md": article("Tentang"),
        "themes/mine/theme.toml": 'extends = "default"\n',
        "themes/mine/static/css/extra.css": "body { color: black; }\n"}, CONFIG)
    make_image(root / "content/static/images/foto.jpg", (40, 20))
    output = root / "output"
    clean = tmp_path / "clean"

    def equals_clean(what: str = "", now: dt.datetime = NOW) -> None:
        build_site(root, use_cache=False, output=clean, now=now)
        assert read_tree(output) == read_tree(clean), what
        shutil.rmtree(clean)

    assert not told(build_site(root))
    again = build_site(root)
    assert told(again) and again.written == [] and len(again.unchanged) > 10
    _same_report(again, build_site(root, early=False))

    def site_file(name: str, text: str) -> Callable[[], None]:
        def write() -> None:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
        return write

    def same_size_and_time() -> None:
        path = root / "content/ekonomi/a.md"
        before = path.stat()
        path.write_text(path.read_text().replace("Naik lagi.", "Turun lagi"))
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert path.stat().st_size == before.st_size

    def moved_and_back() -> None:  # a cache restored on another machine: new inodes
        away = tmp_path / "away"
        root.rename(away)
        shutil.copytree(away, root, symlinks=True)
        shutil.rmtree(away)

    changes: list[tuple[str, Callable[[], None]]] = [
        ("a body edit", lambda: _edit(root / "content/ekonomi/a.md", "Naik", "Naik tajam")),
        ("size and time kept", same_size_and_time),
        ("a new story", site_file("content/nasional/d.md", article("Baru", body="Baru."))),
        ("a deletion", lambda: (root / "content/ekonomi/b.md").unlink()),
        ("a rename", lambda: (root / "content/nasional/d.md").rename(
            root / "content/nasional/e.md")),
        ("a config edit", lambda: _edit(root / "sitegen.toml", "Warta Diam", "Warta Tenang")),
        ("a theme file", lambda: _edit(root / "themes/mine/static/css/extra.css", "black",
                                       "navy")),
        ("a template", site_file("themes/mine/templates/404.html", "<p>Tidak ada.</p>")),
        ("a static file", lambda: make_image(root / "content/static/images/foto.jpg",
                                             (41, 20))),
        ("the output's top", lambda: (output / "index.html").unlink()),
        ("the output's marker", lambda: _replace(output / ".sitegen-build")),
        ("the marker touched", lambda: os.utime(output / ".sitegen-build")),
        ("the output gone", lambda: shutil.rmtree(output)),
        ("another machine", moved_and_back),
    ]
    for what, change in changes:
        change()
        assert not told(build_site(root)), what
        assert told(build_site(root)), what
        equals_clean(what=what)

    # Other options, another output, no cache: none takes the last answer.
    assert not told(build_site(root, drafts=True))
    assert not told(build_site(root))
    assert not told(build_site(root, output=tmp_path / "elsewhere"))
    assert told(build_site(root))
    assert not told(build_site(root, use_cache=False))
    assert not told(build_site(root))  # the output is another tree now
    _same_report(build_site(root), build_site(root, early=False))

    # The clock: the scheduled story goes live at 18:00, not a moment before; it leaves
    # the news sitemap's window two days later.
    live = NOW + dt.timedelta(hours=6)
    assert told(build_site(root, now=live - dt.timedelta(microseconds=1)))
    assert not told(build_site(root, now=live))
    assert "Terjadwal" in (output / "index.html").read_text()
    equals_clean(now=live)
    # A moment of change at the build time itself: that build's answer holds no later one.
    assert not told(build_site(root, now=live + dt.timedelta(minutes=1)))
    assert told(build_site(root, now=live + dt.timedelta(days=2, microseconds=-1)))
    assert not told(build_site(root, now=live + dt.timedelta(days=2)))
    assert not told(build_site(root))  # the clock went back

    # A build without the cache into the folder, with other options: neither the answer
    # nor the books of the tree before it may be taken for this tree (the books were,
    # before cache.forget_output, and pages it showed stayed).
    build_site(root, use_cache=False, drafts=True, now=NOW + dt.timedelta(days=3))
    assert not told(build_site(root))
    equals_clean(what="after a build without the cache")


class _NoChangeTime:
    """`os` as nothing_changed sees it on a file system that keeps no change time of its
    own (it reports the modification time for both, as some network and FAT mounts do):
    an edit that puts the modification time back, keeping the size, leaves the stat as
    it was, as an edit within a coarse clock's tick does."""

    def __getattr__(self, name: str) -> object:
        return getattr(os, name)

    @staticmethod
    def stat(path: str | Path) -> SimpleNamespace:
        s = os.stat(path)
        return SimpleNamespace(st_size=s.st_size, st_mtime_ns=s.st_mtime_ns,
                               st_ctime_ns=s.st_mtime_ns, st_ino=s.st_ino, st_dev=s.st_dev)


def hashes_counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the early answer's look hashes, in order."""
    hashed: list[str] = []
    contents = nothing_changed._contents

    def counted(name: str) -> str | None:
        hashed.append(Path(name).name)
        return contents(name)
    monkeypatch.setattr(nothing_changed, "_contents", counted)
    return hashed


def test_a_build_right_after_a_save_keeps_its_answer_and_sees_a_racy_edit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Git's racy entries: a build whose walk saw files changed within RACY_NS keeps its
    answer with their contents' hashes; the next build with nothing changed takes it
    (it went the full way before); an edit of the same size that leaves the stat as it
    was is seen by its contents; once the files have settled, the answer is kept again
    without them and no look reads them."""
    monkeypatch.setattr(nothing_changed, "os", _NoChangeTime())
    # A window longer than the test: every walk finds every file just saved.
    monkeypatch.setattr(nothing_changed, "RACY_NS", 3_600_000_000_000)
    hashed = hashes_counted(monkeypatch)
    root = make_site(tmp_path / "site", {
        "content/ekonomi/a.md": article("Harga Cabai", body="Naik lagi."),
        "content/ekonomi/b.md": article("Harga Beras")})
    output = root / "output"
    assert not told(build_site(root))  # the build right after the save
    hashed.clear()
    again = build_site(root)
    assert told(again) and again.written == []
    assert {"a.md", "b.md"} <= set(hashed)

    story = root / "content/ekonomi/a.md"
    before = story.stat()
    story.write_text(story.read_text().replace("Naik lagi.", "Turun lagi"))
    os.utime(story, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert story.stat().st_size == before.st_size
    assert nothing_changed.os.stat(story) == _NoChangeTime.stat(story)  # as it was
    assert not told(build_site(root))
    assert "Turun lagi" in (output / "ekonomi/a/index.html").read_text()
    build_site(root, use_cache=False, output=tmp_path / "clean")
    assert read_tree(output) == read_tree(tmp_path / "clean")
    assert told(build_site(root))

    monkeypatch.setattr(nothing_changed, "RACY_NS", 0)  # the files have settled
    assert told(build_site(root))
    hashed.clear()
    assert told(build_site(root)) and hashed == []


def test_a_walk_with_more_racy_files_than_the_bound_keeps_no_answer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A checkout or an archive written just before its build makes every file racy:
    beyond RACY_MOST the walk reads no more of them (every photo's bytes, a name and a
    hash each held through the build) and keeps no answer; the build after it goes the
    full way once, its files settled, and keeps its answer."""
    monkeypatch.setattr(nothing_changed, "RACY_NS", 3_600_000_000_000)
    monkeypatch.setattr(nothing_changed, "RACY_MOST", 2)
    hashed = hashes_counted(monkeypatch)
    root = make_site(tmp_path / "site", {
        f"content/ekonomi/{n}.md": article(f"Harga {n}") for n in "abcd"})
    assert not told(build_site(root))
    assert len(hashed) <= 2
    assert not told(build_site(root))  # no answer was kept: the full way
    monkeypatch.setattr(nothing_changed, "RACY_NS", 0)  # the files have settled
    assert not told(build_site(root))
    hashed.clear()
    assert told(build_site(root)) and hashed == []
