"""Watching: which paths count as changes, and how a burst becomes one batch."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.watch import ChangeBatcher, Watcher, classify, is_temporary
from tests.conftest import article, build_site, make_site

ROOT = Path("/site")
IGNORED = (ROOT / "output", ROOT / ".sitegen-cache")
WAIT = 30.0  # generous: the suite runs on a loaded 2-core machine


@pytest.mark.parametrize("relative,kind", [
    ("sitegen.toml", "config"),
    ("content/ekonomi/berita.md", "content"),
    ("content/static/images/foto.jpg", "content"),
    ("content/ekonomi", "content"),
    ("themes/mine/templates/base.html", "theme"),
    ("themes/mine/static/css/style.css", "theme"),
    ("themes", "theme"),
])
def test_site_files_are_changes(relative: str, kind: str) -> None:
    assert classify(ROOT / relative, ROOT, IGNORED) == kind


@pytest.mark.parametrize("relative", [
    "output/index.html", "output", ".sitegen-cache/pages/x", ".sitegen/serve/index.html",
    ".git/index", "content/.git/HEAD", "README.md", "sitegen.toml.bak~", "notes/todo.md",
    "content/ekonomi/.berita.md.swp", "content/ekonomi/berita.md~", "content/ekonomi/4913",
    "content/ekonomi/.#berita.md", "content/ekonomi/#berita.md#", "content/ekonomi/berita.md.tmp",
    "content/ekonomi/berita.md___jb_tmp___", "themes/mine/templates/.goutputstream-X1Y2",
    "content/__pycache__/x.pyc", "content/.DS_Store",
])
def test_other_paths_are_ignored(relative: str) -> None:
    assert classify(ROOT / relative, ROOT, IGNORED) is None


def test_a_path_outside_the_site_is_ignored() -> None:
    assert classify(Path("/elsewhere/content/a.md"), ROOT, IGNORED) is None


def test_an_output_folder_inside_themes_is_still_ignored() -> None:
    assert classify(ROOT / "themes/out/index.html", ROOT, (ROOT / "themes/out",)) is None
    assert classify(ROOT / "themes/out/index.html", ROOT, ()) == "theme"


def test_temporary_names_do_not_swallow_real_content() -> None:
    assert not any(map(is_temporary, ["berita.md", "4913.md", "tmp.md", "style.css", "swp.md"]))


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_is_one_batch_after_it_goes_quiet() -> None:
    clock = FakeClock()
    batcher = ChangeBatcher(quiet=0.1, clock=clock)
    batcher.add([Path("/site/content/a.md")])
    clock.now += 0.09
    assert batcher.take_if_quiet() is None
    batcher.add([Path("/site/content/b.md"), Path("/site/content/a.md")])
    clock.now += 0.09  # 0.18 s after the first event but only 0.09 after the last
    assert batcher.take_if_quiet() is None
    clock.now += 0.02
    assert batcher.take_if_quiet() == {Path("/site/content/a.md"), Path("/site/content/b.md")}
    assert batcher.take_if_quiet() is None
    assert not batcher.pending


def test_a_burst_of_files_written_and_closed_ends_after_the_short_settle() -> None:
    clock = FakeClock()
    batcher = ChangeBatcher(quiet=0.1, clock=clock, settle=0.02)
    saved = Path("/site/content/a.md")
    batcher.add([saved])  # modified: its write may be half done
    clock.now += 0.03
    assert batcher.take_if_quiet() is None
    batcher.written(saved)  # written and closed: whole
    clock.now += 0.01
    assert batcher.take_if_quiet() is None  # what else the save touches may follow
    clock.now += 0.011
    assert batcher.take_if_quiet() == {saved}
    # A rename or a delete is never closed: the burst waits the whole quiet time.
    batcher.written(saved)
    batcher.add([Path("/site/content/b.md")])
    clock.now += 0.05
    assert batcher.take_if_quiet() is None
    clock.now += 0.06
    assert batcher.take_if_quiet() == {saved, Path("/site/content/b.md")}


def test_events_after_a_batch_start_a_new_one() -> None:
    clock = FakeClock()
    batcher = ChangeBatcher(quiet=0.1, clock=clock)
    batcher.add([Path("a")])
    clock.now += 1
    assert batcher.take_if_quiet() == {Path("a")}
    batcher.add([Path("b")])
    assert batcher.pending
    assert batcher.take_if_quiet() is None
    clock.now += 0.11
    assert batcher.take_if_quiet() == {Path("b")}


def test_adding_nothing_is_not_a_change() -> None:
    clock = FakeClock()
    batcher = ChangeBatcher(clock=clock)
    batcher.add([])
    clock.now += 10
    assert batcher.take_if_quiet() is None


def test_wait_returns_the_batch_from_another_thread() -> None:
    batcher = ChangeBatcher(quiet=0.05)
    threading.Thread(target=batcher.add, args=([Path("a"), Path("b")],)).start()
    assert batcher.wait(timeout=WAIT) == {Path("a"), Path("b")}


def test_wait_ends_when_closed_and_after_its_timeout() -> None:
    batcher = ChangeBatcher()
    assert batcher.wait(timeout=0.01) is None
    threading.Timer(0.05, batcher.close).start()
    assert batcher.wait() is None


@pytest.fixture(params=[False, True], ids=["inotify", "poll"])
def watched(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, ChangeBatcher]]:
    site = make_site(tmp_path / "site", {"content/ekonomi/a.md": article("A")}).resolve()
    (site / "output").mkdir()
    batcher = ChangeBatcher()
    watcher = Watcher(site, batcher, ignored=[site / "output"], poll=request.param)
    watcher.start()
    yield site, batcher
    watcher.stop()


def test_a_save_is_seen_and_temporary_files_are_not(watched: tuple[Path, ChangeBatcher]) -> None:
    site, batcher = watched
    # An editor's atomic save: scratch file, rename over the original, plus noise elsewhere.
    (site / "content/ekonomi/.a.md.swp").write_text("x")
    (site / "output/index.html").write_text("built")
    scratch = site / "content/ekonomi/a.md.tmp"
    scratch.write_text(article("A baru"))
    os.replace(scratch, site / "content/ekonomi/a.md")
    batch = batcher.wait(timeout=WAIT)
    assert batch is not None and site / "content/ekonomi/a.md" in batch
    assert all(classify(p, site, [site / "output"]) for p in batch)
    assert site / "output/index.html" not in batch


def test_a_save_written_in_place_is_taken_once_it_is_closed(
        watched: tuple[Path, ChangeBatcher], request: pytest.FixtureRequest) -> None:
    if "poll" in request.node.callspec.id:
        pytest.skip("polling sees no file being closed: its bursts wait the whole quiet time")
    site, batcher = watched
    batcher.quiet = 3600.0  # only the close of the file can end the burst in time
    source = site / "content/ekonomi/a.md"
    source.write_text(article("A", body="Isi baru."))
    assert _wait_for(batcher, source) == {source}


def test_building_is_not_a_change(watched: tuple[Path, ChangeBatcher]) -> None:
    site, batcher = watched
    source = site / "content/ekonomi/a.md"
    build_site(site, output=site / "output")  # opens and reads every source
    os.chmod(source, 0o600)
    os.link(source, site / "output/a-linked.md")  # metadata only: the link count
    real = site / "content/ekonomi/b.md"
    real.write_text(article("B"))
    assert _wait_for(batcher, real) == {real}


def test_a_replaced_config_and_a_new_theme_folder_are_seen(
        watched: tuple[Path, ChangeBatcher]) -> None:
    site, batcher = watched
    (site / "sitegen.toml.new").write_text((site / "sitegen.toml").read_text())
    os.replace(site / "sitegen.toml.new", site / "sitegen.toml")
    assert site / "sitegen.toml" in _wait_for(batcher, site / "sitegen.toml")
    # themes/ did not exist when watching started: files inside it must still be seen.
    (site / "themes").mkdir()
    _wait_for(batcher, site / "themes")
    template = site / "themes/mine/templates/base.html"
    template.parent.mkdir(parents=True)
    template.write_text("<html></html>")
    _wait_for(batcher, template)
    template.write_text("<html><body></body></html>")
    assert template in _wait_for(batcher, template)


def _wait_for(batcher: ChangeBatcher, path: Path) -> set[Path]:
    """Batches until one holds `path` (a slow machine may split a burst in two)."""
    seen: set[Path] = set()
    while path not in seen:
        batch = batcher.wait(timeout=WAIT)
        assert batch is not None, f"no change reported for {path}; saw {sorted(seen)}"
        seen |= batch
    return seen
