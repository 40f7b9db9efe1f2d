"""The read lap of an incremental build (sources.read_all): what it asks of the disk and
of the build state follows the change, not the archive, where it can. Each unchanged
source is stat'ed once a build (the early answer's stat, nothing_changed.Look.stats,
is the read's), the stamps and what each source asked about come in one pass over their
records, and the articles' records are asked for in read-key order (their order in the
state's file)."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from sitegen import sources
from sitegen.state import BuildState
from tests.conftest import NOW, article, build_site, make_site, read_tree

SOURCES = 12


def _site(root: Path) -> Path:
    files = {f"content/{('ekonomi', 'nasional')[i % 2]}/b{i}.md": article(
        f"Judul {i}", date=f"2026-11-{10 + i % 9:02d} 09:00", tags=[f"t{i % 3}"],
        body=f"Pembuka {i}.\n\nIsi kedua {i}.\n") for i in range(SOURCES)}
    site = make_site(root, files, config='[site]\ntitle = "Warta"\n'
                     'base_url = "https://example.org/"\n')
    hour_ago = NOW.timestamp() - 3600  # older than the racy window: stamps are trusted
    for path in (site / "content").rglob("*.md"):
        os.utime(path, (hour_ago, hour_ago))
    return site


def _edit(site: Path, marker: str) -> None:
    path = site / "content/ekonomi/b4.md"
    path.write_text(path.read_text().replace("Pembuka 4.", f"Pembuka 4 {marker}."))


def test_a_body_edit_stats_each_unchanged_source_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The early answer stats every source to see whether anything changed; when
    something did, the read takes those stats instead of a stat of each source again."""
    site = _site(tmp_path)
    build_site(site)
    content = str(site / "content")
    counted: Counter[str] = Counter()
    stat = os.stat

    def counting(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        name = os.fsdecode(path)
        if name.startswith(content) and name.endswith(".md"):
            counted[name] += 1
        return stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", counting)
    _edit(site, "satu")
    report = build_site(site)
    assert report.parsed == ["content/ekonomi/b4.md"]
    assert len(counted) == SOURCES and set(counted.values()) == {1}, counted
    monkeypatch.undo()
    clean = build_site(site, use_cache=False, output=tmp_path / "clean")
    assert read_tree(site / "output") == read_tree(tmp_path / "clean")
    assert clean.pages == report.pages


def test_the_stamps_are_one_pass_and_the_articles_records_are_asked_for_in_key_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A one-off build asks for every source's stamp and the static files it asked about:
    one pass over each kind's records in name order, not a query a batch of sources. A
    read key is a hash: asked for in path order, a batch's records lie on pages all over
    the state's file (at 100,000 sources a page read a record); in key order, on
    neighbouring pages."""
    monkeypatch.setattr(sources, "READ_AHEAD", 3)  # 12 sources: four batches
    site = _site(tmp_path)
    build_site(site)
    asked: list[str] = []
    read: list[str] = []
    get_many, ordered = BuildState.get_many, BuildState.ordered

    def many(self: BuildState, kind: str, folder: str, names: list[str]) -> Any:
        asked.append(kind)
        if kind == "read":
            read.extend(names)
        return get_many(self, kind, folder, names)

    def passes(self: BuildState, kind: str, folder: str) -> Any:
        asked.append(f"{kind} in order")
        return ordered(self, kind, folder)

    monkeypatch.setattr(BuildState, "get_many", many)
    monkeypatch.setattr(BuildState, "ordered", passes)
    monkeypatch.setattr(BuildState, "get_kinds", lambda *_: pytest.fail("a query a batch"))
    _edit(site, "dua")
    report = build_site(site)
    assert report.parsed == ["content/ekonomi/b4.md"]
    assert len(read) == SOURCES - 1 and read == sorted(read)  # the edited one's is new
    assert [kind for kind in asked if kind in ("source", "asked", "read")
            or kind.endswith(" in order")] == ["source in order", "asked in order",
                                               *["read"] * 4], asked
