"""A body edit plans again only the pages that show the body; a metadata edit or a new
article the pages whose recorded inputs it changes (page_inputs.py); config, all."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sitegen import bodies
from sitegen.state import BuildState
from tests.conftest import article, build_site, make_site, read_tree

CONFIG = ('[site]\ntitle = "Warta"\nbase_url = "https://example.org/"\n'
          '[build]\nitems_per_page = 2\nsearch_shard_pages = 3\n')
# The feeds that carry full bodies: the site's and the article's section's.
BODY_FEEDS = {"feed.xml", "atom.xml", "feed.json",
              "ekonomi/feed.xml", "ekonomi/atom.xml", "ekonomi/feed.json"}


def site(root: Path) -> Path:
    files = {f"content/{('ekonomi', 'nasional')[i % 2]}/a{i}.md": article(
        f"Judul {i}", date=f"202{4 + i % 3}-11-{10 + i:02d} 09:00", tags=["umum"],
        body=f"Pembuka {i}.\n\nIsi kedua {i}.\n") for i in range(8)}
    return make_site(root, files, config=CONFIG)


def edit_body(site: Path, name: str = "content/ekonomi/a2.md") -> None:
    path = site / name
    path.write_text(path.read_text() + "\nParagraf tambahan yang panjang sekali.\n")



def assert_equals_clean_build(root: Path, tmp_path: Path) -> None:
    """The cached build's output equals a clean --no-cache build of the same sources."""
    build_site(root, use_cache=False, output=tmp_path / "clean")
    assert read_tree(root / "output") == read_tree(tmp_path / "clean")


def test_a_body_edit_plans_only_the_pages_showing_the_body(tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    first = build_site(root)
    edit_body(root)
    report = build_site(root)  # a new `sitegen build`: what the state on disk says
    assert set(report.planned) == {"ekonomi/a2/index.html", *BODY_FEEDS}
    assert len(first.planned) > 40
    assert set(report.rendered) <= set(report.planned)
    assert b"tambahan yang panjang" in (root / "output/ekonomi/a2/index.html").read_bytes()
    assert len(report.search_indexed) == 1
    assert_equals_clean_build(root, tmp_path)


def test_a_cli_build_with_the_cache_plans_only_the_pages_showing_an_edited_body(
        tmp_path: Path) -> None:
    root = site(tmp_path / "site")

    def cli_build() -> str:
        done = subprocess.run([sys.executable, "-m", "sitegen", "build", "--verbose",
                               "--source", str(root)], capture_output=True, text=True,
                              check=True)
        return done.stdout

    assert "0 pages planned" not in cli_build()
    edit_body(root)
    assert f"  {1 + len(BODY_FEEDS)} pages planned, " in cli_build()


def test_in_serve_too_a_body_edit_plans_only_its_pages(tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    served, kept = tmp_path / "served", BuildState()
    build_site(root, output=served, state=kept)
    for _ in range(2):  # repeated edits of one process, as `sitegen serve` makes them
        edit_body(root)
        report = build_site(root, output=served, state=kept)
        assert set(report.planned) == {"ekonomi/a2/index.html", *BODY_FEEDS}
    build_site(root, use_cache=False, output=tmp_path / "clean")
    assert read_tree(served) == read_tree(tmp_path / "clean")


def test_a_title_edit_or_a_new_article_plans_only_the_pages_showing_it(
        tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    everything = set(build_site(root).planned)
    path = root / "content/ekonomi/a2.md"
    path.write_text(path.read_text().replace("Judul 2", "Judul baru"))
    planned = set(build_site(root).planned)
    # Its page, the pages showing its card (lists, neighbours, boxes), not the others.
    assert "ekonomi/a2/index.html" in planned and "index.html" in planned
    assert planned < everything and "nasional/a1/index.html" not in planned
    assert_equals_clean_build(root, tmp_path)
    (root / "content/ekonomi/baru.md").write_text(article("Baru", date="2026-11-27 09:00"))
    planned = set(build_site(root).planned)
    assert "ekonomi/baru/index.html" in planned and "ekonomi/index.html" in planned
    assert len(planned) < len(everything) - 10, (len(planned), len(everything))
    assert_equals_clean_build(root, tmp_path)


def test_a_body_edit_keeps_the_other_pages_inputs_for_the_next_build(tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    everything = set(build_site(root).planned)
    edit_body(root)
    build_site(root)  # plans only a2's pages, and keeps what the others were planned from
    (root / "content/nasional/baru.md").write_text(article("Baru", date="2026-11-27 09:00"))
    planned = set(build_site(root).planned)
    assert "nasional/baru/index.html" in planned
    assert len(planned) < len(everything) - 10, (len(planned), len(everything))
    assert_equals_clean_build(root, tmp_path)


def test_a_new_article_with_a_new_tag_plans_few_pages(tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    everything = set(build_site(root).planned)
    (root / "content/nasional/baru.md").write_text(
        article("Baru", date="2026-11-27 09:00", tags=["umum", "tag-baru"]))
    planned = set(build_site(root).planned)
    assert "tag/tag-baru/index.html" in planned
    assert len(planned) < len(everything) - 10, (len(planned), len(everything))
    assert_equals_clean_build(root, tmp_path)


def test_a_config_edit_plans_every_page(tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    everything = set(build_site(root).planned)
    config = root / "sitegen.toml"
    config.write_text(config.read_text().replace('title = "Warta"', 'title = "Warta Baru"'))
    assert set(build_site(root).planned) == everything


def test_an_edit_of_the_first_paragraph_changes_the_summary_and_plans_its_cards(
        tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    everything = set(build_site(root).planned)
    path = root / "content/ekonomi/a2.md"
    path.write_text(path.read_text().replace("Pembuka 2.", "Pembuka baru."))
    planned = set(build_site(root).planned)
    assert {"ekonomi/a2/index.html", "index.html", "ekonomi/index.html"} <= planned < everything
    assert_equals_clean_build(root, tmp_path)


def test_a_new_article_renders_only_the_pages_it_changes(tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    everything = build_site(root).rendered
    (root / "content/nasional/baru.md").write_text(article("Baru", date="2026-11-27 09:00"))
    report = build_site(root)
    # Its page, the lists it joins and the pages whose boxes show it, not every page (the
    # site-wide view carries no per-section counts, which would change on every page).
    assert "nasional/baru/index.html" in report.rendered
    assert len(report.rendered) < len(everything) - 4, (len(report.rendered), len(everything))
    assert_equals_clean_build(root, tmp_path)


def test_serve_checks_each_stored_body_once_until_its_file_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = site(tmp_path / "site")
    served, kept = tmp_path / "served", BuildState()
    build_site(root, output=served, state=kept)
    build_site(root, output=served, state=kept)  # checks each stored body once
    checked: list[str] = []
    original = bodies.intact
    monkeypatch.setattr(bodies, "intact", lambda folder, ref: checked.append(ref)
                        or original(folder, ref))
    edit_body(root)
    report = build_site(root, output=served, state=kept)
    # Only the edited article's new body, as it is stored: the others are not read again.
    assert report.parsed == ["content/ekonomi/a2.md"] and len(checked) == 1
    stored = next(p for p in (root / ".sitegen-cache" / bodies.FOLDER).rglob("*.html")
                  if b"Pembuka 5." in p.read_bytes())
    stored.write_text("<p>Pembuka 5.</p><script>alert(1)</script>", "utf-8")
    checked.clear()
    report = build_site(root, output=served, state=kept)
    assert stored.stem in checked and "content/nasional/a5.md" in report.parsed
    assert b"alert(1)" not in b"".join(read_tree(served).values())
