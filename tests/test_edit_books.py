"""A body edit reads and writes the books in proportion to what it changed: the pages'
recorded inputs are not loaded (page_inputs.PageInputs.partial), only the planned pages'
records are put, and the last build's other pages are known to be at hand from the spare
tree's manifest, not from a stat of each (write.Staging.holds_all, keep_all), and the
swap tells which files are gone by a set difference, not a question a file; the pages'
render keys are read as one value (cache._pack_pages), not a record a page."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from sitegen.state import BuildState
from sitegen.write import Staging
from tests.conftest import article, build_site, make_site, read_tree

CONFIG = ('[site]\ntitle = "Warta"\nbase_url = "https://example.org/"\n'
          '[build]\nitems_per_page = 2\nsearch_shard_pages = 3\n')
BODY_FEEDS = {"feed.xml", "atom.xml", "feed.json",
              "ekonomi/feed.xml", "ekonomi/atom.xml", "ekonomi/feed.json"}


def site(root: Path, count: int) -> Path:
    files = {f"content/{('ekonomi', 'nasional')[i % 2]}/a{i}.md": article(
        f"Judul {i}", date=f"202{4 + i % 3}-11-{10 + i % 18:02d} 09:{i % 60:02d}",
        tags=["umum", f"t{i % 5}"], body=f"Pembuka {i}.\n\nIsi kedua {i}.\n")
        for i in range(count)}
    return make_site(root, files, config=CONFIG)


def edit_body(root: Path, marker: str) -> None:
    path = root / "content/ekonomi/a2.md"
    path.write_text(path.read_text() + f"\nParagraf tambahan {marker}.\n")


def body_edit(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Counter[str],
                                                                      Counter[str], int]:
    """A body edit built as `sitegen build` builds it (a state of its own): its report,
    the records read and put by kind (`put["has"]`: the new tree asked whether it has a
    file, write.Staging.has), and the stats of output pages."""
    put: Counter[str] = Counter()
    original_put, original_isfile = BuildState.put, os.path.isfile
    original_has = Staging.has
    output = f"{root / 'output'}/"
    stats = [0]

    def counting_put(self: BuildState, kind: str, folder: str, name: str, value: Any) -> None:
        put[kind] += 1
        original_put(self, kind, folder, name, value)

    def counting_isfile(path: Any) -> bool:
        stats[0] += str(path).startswith(output)
        return original_isfile(path)
    def counting_has(self: Staging, relative: str) -> bool:
        put["has"] += 1
        return original_has(self, relative)
    monkeypatch.setattr(BuildState, "put", counting_put)
    monkeypatch.setattr(Staging, "has", counting_has)
    monkeypatch.setattr(os.path, "isfile", counting_isfile)
    state = BuildState(kept=False)
    try:
        report = build_site(root, state=state)
    finally:
        state.close()
        monkeypatch.undo()
    return report, state.loaded, put, stats[0]


@pytest.mark.slow
@pytest.mark.parametrize("count", [8, 24])
def test_a_body_edit_reads_and_writes_the_books_of_what_it_planned(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    root = site(tmp_path / "site", count)
    everything = build_site(root).planned
    for marker in ("satu", "dua"):  # the second: a spare tree listed by the first swap
        edit_body(root, marker)
        report, loaded, put, stats = body_edit(root, monkeypatch)
        planned = {"ekonomi/a2/index.html", *BODY_FEEDS}
        assert set(report.planned) == planned
        assert len(everything) > 3 * len(planned)
        # No page's recorded inputs loaded; only the planned pages' put again (the same
        # numbers at 8 and at 24 stories: the archive's size is nowhere in them).
        assert loaded["inputs"] == 0
        # Nor any page's own record: every page's render key is one value of the facts.
        assert loaded["output"] == 0, loaded
        assert put["inputs"] <= len(planned) + 1, put
        assert put["output"] <= len(planned), put
        # The swap tells the files gone by sets, not by asking the new tree of each (the
        # link check asks of the planned pages' links: 25 and 27 here, 219 and 485 when
        # the swap asked of every file three times).
        assert put["has"] <= 6 * len(planned), put
        if marker == "dua":  # the pages kept are known from the manifest, not a stat each
            assert stats <= 2 * len(planned), stats
    build_site(root, use_cache=False, output=tmp_path / "clean")
    assert read_tree(root / "output") == read_tree(tmp_path / "clean")
    # The inputs of the pages it kept are still there: a new story plans few pages.
    (root / "content/nasional/baru.md").write_text(article("Baru", date="2026-11-27 09:00"))
    new = set(build_site(root).planned)
    assert "nasional/baru/index.html" in new and len(new) < len(everything) // 2
    build_site(root, use_cache=False, output=tmp_path / "clean2")
    assert read_tree(root / "output") == read_tree(tmp_path / "clean2")


def test_pages_deleted_by_hand_come_back_in_a_body_edit_build(tmp_path: Path) -> None:
    root = site(tmp_path / "site", 8)
    build_site(root)
    for marker in ("satu", "dua"):  # two swaps: the spare tree is listed by the last
        path = root / "content/nasional/a1.md"
        path.write_text(path.read_text() + f"\nTambahan {marker}.\n")
        build_site(root)
    before = read_tree(root / "output")
    # a1's page was written by the last build, so the spare's copy is not the output's:
    # a stat tells it is gone, and every page is planned.
    (root / "output/nasional/a1/index.html").unlink()
    edit_body(root, "satu")
    report = build_site(root)
    assert "nasional/a1/index.html" in report.rendered
    assert read_tree(root / "output")["nasional/a1/index.html"] == \
        before["nasional/a1/index.html"]
    # a0's is the spare tree's too: kept from there as it is, only a2's pages planned.
    (root / "output/ekonomi/a0/index.html").unlink()
    edit_body(root, "dua")
    report = build_site(root)
    assert set(report.planned) == {"ekonomi/a2/index.html", *BODY_FEEDS}
    assert read_tree(root / "output")["ekonomi/a0/index.html"] == \
        before["ekonomi/a0/index.html"]
    build_site(root, use_cache=False, output=tmp_path / "clean")
    assert read_tree(root / "output") == read_tree(tmp_path / "clean")
