"""`sitegen serve` after a body edit: the pages showing the body are written first, from
the last build kept in memory (body_edits.py), before the full build, which then brings
the search index and the state's books to what a clean build makes."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sitegen import body_edits, kinds, markup
from sitegen.build import BuildOptions, BuildReport, build
from sitegen.config import Config, load_config
from sitegen.kinds.base import Kind, Planner
from sitegen.model import Job
from sitegen.serve import Preview, ServeOptions
from sitegen.state import BuildState
from tests import editions_site
from tests.conftest import NOW, article, build_site, make_site, read_tree

CONFIG = ('[site]\ntitle = "Warta"\nbase_url = "https://example.org/"\n'
          '[build]\nitems_per_page = 2\nsearch_shard_pages = 3\n')
PAGE = "ekonomi/a2/index.html"
# The feeds that carry full bodies: the site's and the article's section's.
BODY_FEEDS = {"feed.xml", "atom.xml", "feed.json",
              "ekonomi/feed.xml", "ekonomi/atom.xml", "ekonomi/feed.json"}
ADDED = "Paragraf tambahan yang panjang sekali."


def make(root: Path) -> Path:
    files = {f"content/{('ekonomi', 'nasional')[i % 2]}/a{i}.md": article(
        f"Judul {i}", date=f"202{4 + i % 3}-11-{10 + i:02d} 09:00", tags=["umum"],
        body=f"Pembuka {i}.\n\nIsi kedua {i}.\n") for i in range(8)}
    return make_site(root, files, config=CONFIG)


def edit_body(site: Path, text: str = ADDED) -> Path:
    path = site / "content/ekonomi/a2.md"
    path.write_text(path.read_text() + f"\n{text}\n")
    return path


class Recorder:
    """The preview's builder: the build, and the edited page's bytes when it began."""

    def __init__(self, page: Path) -> None:
        self.page = page
        self.calls: list[tuple[Config, BuildOptions, bytes]] = []
        self.reports: list[BuildReport] = []

    def __call__(self, config: Config, options: BuildOptions) -> BuildReport:
        seen = self.page.read_bytes() if self.page.is_file() else b""
        self.calls.append((config, options, seen))
        self.reports.append(build(config, options))
        return self.reports[-1]


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[Preview, Recorder, list[str]]]:
    """The preview's rebuilds, called here one by one (no watcher, no HTTP)."""
    root = make(tmp_path / "site")
    lines: list[str] = []
    recorder = Recorder(root / ".sitegen/serve" / PAGE)
    running = Preview(root, ServeOptions(port=0, now=NOW, jobs=1, search=True),
                      echo=lambda message, problem: lines.append(message), builder=recorder)
    running.rebuild(set())
    yield running, recorder, lines
    running.server.server_close()
    running.build_state.close()


def clean_build(recorder: Recorder, output: Path) -> dict[str, bytes]:
    """A clean --no-cache build of the preview's last build's sources and settings."""
    config, options, _ = recorder.calls[-1]
    build(config, dataclasses.replace(options, output=output, use_cache=False, state=None))
    return read_tree(output)


def test_the_edited_page_is_served_before_the_build_and_the_site_equals_a_clean_one(
        preview: tuple[Preview, Recorder, list[str]], tmp_path: Path) -> None:
    running, recorder, lines = preview
    running.rebuild({edit_body(running.root)})
    # When the full build began (its selection, grouping, search index, link check),
    # the page already held the edit, and the open tabs were told to reload.
    assert ADDED.encode() in recorder.calls[-1][2]
    assert "sitegen: 7 page(s) showing the edited text written in " in "\n".join(lines)
    report = recorder.reports[-1]
    assert PAGE not in report.written  # the build found it done
    assert len(report.search_indexed) == 1  # the search index follows, in the same rebuild
    assert read_tree(running.folder) == clean_build(recorder, tmp_path / "clean")


def test_twice_in_a_row_and_with_drafts_the_preview_equals_a_clean_build(
        preview: tuple[Preview, Recorder, list[str]], tmp_path: Path) -> None:
    running, recorder, _ = preview
    draft = running.root / "content/nasional/rancangan.md"
    draft.write_text(article("Rancangan", body="Pembuka.\n\nIsi rancangan.", draft=True))
    running.rebuild({draft})
    for number in range(2):  # a draft's page too (the preview shows drafts)
        draft.write_text(article("Rancangan", body=f"Pembuka.\n\nIsi rancangan {number}.",
                                 draft=True))
        running.rebuild({draft, edit_body(running.root, f"Tambahan {number}.")})
        assert f"Tambahan {number}.".encode() in recorder.calls[-1][2]
    assert b"Isi rancangan 1." in (running.folder / "nasional/rancangan/index.html").read_bytes()
    assert read_tree(running.folder) == clean_build(recorder, tmp_path / "clean")


def kept_build(root: Path, served: Path, state: BuildState) -> BuildReport:
    return build_site(root, output=served, state=state)


def test_a_body_edit_reads_one_source_and_renders_only_the_pages_showing_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, served, kept = make(tmp_path / "site"), tmp_path / "served", BuildState()
    first = kept_build(root, served, kept)
    assert len(first.planned) > 40
    edited = edit_body(root)

    def whole_site_stage(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a stage over the whole site ran")
    for module, name in (("sitegen.readers", "discover"), ("sitegen.sources", "read_all"),
                         ("sitegen.editions", "select"), ("sitegen.collect", "select_site"),
                         ("sitegen.static_stage", "make_pictures"),
                         ("sitegen.search", "build_index"), ("sitegen.link_stage", "check_site")):
        monkeypatch.setattr(f"{module}.{name}", whole_site_stage)
    done = body_edits.render_body_edits(kept, load_config(root), {edited}, NOW)
    monkeypatch.undo()
    assert done is not None
    assert done.sources == ["content/ekonomi/a2.md"]
    assert set(done.planned) == {PAGE, *BODY_FEEDS}
    assert PAGE in done.written and set(done.written) <= set(done.planned)
    assert ADDED.encode() in (served / PAGE).read_bytes()
    # The build after it finds those pages as the state says they are: it plans none,
    # and indexes the search shard of the page again.
    report = kept_build(root, served, kept)
    assert report.planned == [] and PAGE not in report.written
    assert len(report.search_indexed) == 1
    build_site(root, use_cache=False, output=tmp_path / "clean")
    assert read_tree(served) == read_tree(tmp_path / "clean")


@pytest.mark.parametrize("change", ["title", "summary", "new file", "md link", "config"])
def test_any_other_change_takes_the_full_build(tmp_path: Path, change: str) -> None:
    root, served, kept = make(tmp_path / "site"), tmp_path / "served", BuildState()
    kept_build(root, served, kept)
    source = root / "content/ekonomi/a2.md"
    text = source.read_text()
    if change == "title":
        source.write_text(text.replace("Judul 2", "Judul baru"))
    elif change == "summary":  # the first paragraph is the summary cards show
        source.write_text(text.replace("Pembuka 2.", "Pembuka yang lain."))
    elif change == "new file":
        source = root / "content/ekonomi/baru.md"
        source.write_text(article("Baru", body="Isi baru."))
    elif change == "md link":
        source.write_text(text + "\nLihat [a4](a4.md).\n")
    else:
        source.write_text(text + "\nTambahan.\n")
        (root / "sitegen.toml").write_text(CONFIG.replace("Warta", "Warta Baru"))
    assert body_edits.render_body_edits(kept, load_config(root), {source}, NOW) is None
    kept_build(root, served, kept)
    build_site(root, use_cache=False, output=tmp_path / "clean")
    assert read_tree(served) == read_tree(tmp_path / "clean")


@pytest.mark.parametrize(("restarted", "published"), [(False, False), (True, False),
                                                      (True, True)])
def test_an_edit_undone_before_the_build_leaves_no_stale_page(tmp_path: Path, restarted: bool,
                                                              published: bool) -> None:
    """The early pages are written outside a build: were the build after them never to
    finish (a failure, the process killed) and the edit undone, the next build must still
    not take the folder, or that page, for as the last build made it. Also when it
    publishes a story: the archive of old stories is then the last full build's again
    (kinds/shift.py), but the page written early is not what that build made."""
    root, served, kept = make(tmp_path / "site"), tmp_path / "served", BuildState()
    kept_build(root, served, kept)
    source = root / "content/ekonomi/a2.md"
    original = source.read_text()
    edit_body(root)
    assert body_edits.render_body_edits(kept, load_config(root), {source}, NOW) is not None
    source.write_text(original)
    if published:
        (root / "content/nasional/baru.md").write_text(article(
            "Berita baru", date="2026-11-30 09:00", tags=["umum"], body="Baru terbit.\n"))
    if restarted:
        kept.close()
        kept = BuildState()
    kept_build(root, served, kept)
    assert ADDED.encode() not in (served / PAGE).read_bytes()
    build_site(root, use_cache=False, output=tmp_path / "clean")
    assert read_tree(served) == read_tree(tmp_path / "clean")


def test_in_a_site_of_two_editions_too(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", editions_site.files(), editions_site.CONFIG)
    served, kept = tmp_path / "served", BuildState()
    kept_build(root, served, kept)
    source = root / "content/en/economy/chili-prices.md"
    source.write_text(source.read_text() + "\nTraders expect prices to fall.\n")
    done = body_edits.render_body_edits(kept, load_config(root), {source}, NOW)
    assert done is not None and "en/economy/chili-prices/index.html" in done.written
    assert b"Traders expect" in (served / "en/economy/chili-prices/index.html").read_bytes()
    kept_build(root, served, kept)
    build_site(root, use_cache=False, output=tmp_path / "clean")
    assert read_tree(served) == read_tree(tmp_path / "clean")


class Lead(Kind):
    """A page kind of a site's own that shows the newest story whole (body included)."""

    name = "lead"

    def plan(self, planner: Planner) -> Iterator[Job]:
        if planner.wants("/utama/") and planner.site.articles:
            view = planner.views.article(0)
            yield Job("utama/index.html", ("article.html",), {
                "site": planner.site_view, "article": view,
                "page": planner.page("article", view["title"], "/utama/")}, "utama", "lead")


def test_a_page_of_another_kind_showing_the_body_is_rendered_too(tmp_path: Path) -> None:
    remove = kinds.register(Lead())
    try:
        root, served, kept = make(tmp_path / "site"), tmp_path / "served", BuildState()
        kept_build(root, served, kept)
        source = root / "content/nasional/a5.md"  # the newest story
        source.write_text(source.read_text() + f"\n{ADDED}\n")
        done = body_edits.render_body_edits(kept, load_config(root), {source}, NOW)
        assert done is not None
        assert {"nasional/a5/index.html", "utama/index.html"} <= set(done.written)
        assert ADDED.encode() in (served / "utama/index.html").read_bytes()
        kept_build(root, served, kept)
        build_site(root, use_cache=False, output=tmp_path / "clean")
    finally:
        remove()
    assert read_tree(served) == read_tree(tmp_path / "clean")


def test_the_build_after_checks_the_links_of_the_pages_written_before_it(
        tmp_path: Path) -> None:
    root, served, kept = make(tmp_path / "site"), tmp_path / "served", BuildState()
    kept_build(root, served, kept)
    source = edit_body(root, "Lihat [laporan](/tidak-ada/).")
    assert body_edits.render_body_edits(kept, load_config(root), {source}, NOW) is not None
    report = kept_build(root, served, kept)
    clean = build_site(root, use_cache=False, output=tmp_path / "clean")
    warned = [p.message for p in report.warnings if "tidak-ada" in p.message]
    assert warned and warned == [p.message for p in clean.warnings if "tidak-ada" in p.message]


def wait_until(condition: Callable[[], object], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.02)


def watching(root: Path, follow: float) -> tuple[Preview, Recorder]:
    """A running preview (its watcher and rebuild thread) with the given wait before the
    build that body edits owe."""
    recorder = Recorder(root / ".sitegen/serve" / PAGE)
    running = Preview(root, ServeOptions(port=0, now=NOW, jobs=1, search=True,
                                         follow=follow), builder=recorder,
                      echo=lambda message, problem: None)
    running.start()
    return running, recorder


@pytest.mark.slow
def test_saves_in_a_row_are_each_shown_at_once_and_the_build_follows_once_they_stop(
        tmp_path: Path) -> None:
    root = make(tmp_path / "site")
    running, recorder = watching(root, follow=3600.0)  # the build waits for the stop
    try:
        for number in range(2):
            edit_body(root, f"Simpanan {number}.")
            wait_until(lambda n=number: f"Simpanan {n}.".encode()
                       in (running.folder / PAGE).read_bytes(), "the save is shown")
        assert len(recorder.calls) == 1 and not running.idle()  # only the first build
    finally:
        running.stop()  # with the build still owed: the next start makes it
    running, recorder = watching(root, follow=0.05)
    try:
        edit_body(root, "Simpanan 2.")
        wait_until(lambda: len(recorder.calls) == 2 and running.idle(), "the owed build")
        assert recorder.reports[-1].planned == []
        assert b"Simpanan 2." in (running.folder / PAGE).read_bytes()
        assert read_tree(running.folder) == clean_build(recorder, tmp_path / "clean")
    finally:
        running.stop()


def test_the_markdown_converter_is_made_before_the_first_save(tmp_path: Path) -> None:
    root, served, kept = make(tmp_path / "site"), tmp_path / "served", BuildState()
    kept_build(root, served, kept)
    markup.reset_markdown()  # as in `serve`, whose builds convert in worker processes
    body_edits.prepare(kept)
    assert markup._converter.cache_info().currsize == 1


def test_two_bodies_edited_before_a_build_are_both_on_the_feeds_showing_both(
        tmp_path: Path) -> None:
    root, served, kept = make(tmp_path / "site"), tmp_path / "served", BuildState()
    kept_build(root, served, kept)
    config = load_config(root)
    assert body_edits.render_body_edits(kept, config, {edit_body(root)}, NOW) is not None
    other = root / "content/ekonomi/a4.md"
    other.write_text(other.read_text() + "\nTambahan a4.\n")
    done = body_edits.render_body_edits(kept, config, {other}, NOW)
    assert done is not None and "ekonomi/feed.xml" in done.written
    feed = (served / "ekonomi/feed.xml").read_bytes()
    assert ADDED.encode() in feed and b"Tambahan a4." in feed
    kept_build(root, served, kept)
    build_site(root, use_cache=False, output=tmp_path / "clean")
    assert read_tree(served) == read_tree(tmp_path / "clean")


def test_a_build_owed_that_cannot_start_is_not_owed_any_more(
        preview: tuple[Preview, Recorder, list[str]]) -> None:
    """Body edits shown, their build owed; then sitegen.toml is broken: that build fails
    and nothing is owed, or the preview would try it again every `follow` seconds."""
    running, recorder, _ = preview
    running.rebuild({edit_body(running.root)}, defer=True)
    assert not running.idle() and len(recorder.calls) == 1  # shown, the build owed
    config = running.root / "sitegen.toml"
    config.write_text("[site\n")
    running.rebuild({config}, defer=True)
    assert running.state.problems and running.idle()


def test_a_bug_in_showing_the_edit_early_leaves_the_build_to_do_it(
        preview: tuple[Preview, Recorder, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    running, _, lines = preview

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("rusak")
    monkeypatch.setattr(body_edits, "render_body_edits", broken)
    running.rebuild({edit_body(running.root)})
    assert any("internal error in showing the edit early: RuntimeError: rusak" in line
               for line in lines)
    assert ADDED.encode() in (running.folder / PAGE).read_bytes()
    assert not running.state.problems

