"""Selection's passes over the archive (issue 18: at 100,000 stories a body edit's
selection cost 4.3 profiled seconds): a name's slug is worked out once a grouping, not
once a story that carries it; a published story is no entry of what was held back;
relating and the state's record of it share one shape of the archive."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen import collect, listing, urls
from sitegen.config import load_config
from sitegen.readers import read_source
from tests.conftest import NOW, article, build_site, make_site

STORIES = 8


def _site(root: Path) -> Path:
    files = {f"content/{('ekonomi', 'nasional')[i % 2]}/b{i}.md": article(
        f"Judul {i}", date=f"2026-11-{10 + i:02d} 09:00", tags=["Pasar", f"Topik {i % 3}"],
        authors=["Budi"]) for i in range(STORIES)}
    files["content/ekonomi/draft.md"] = article("Draf", draft=True)
    files["content/ekonomi/later.md"] = article("Nanti", date="2026-12-20 09:00")
    files["content/ekonomi/gone.md"] = article("Lewat", expires="2026-11-21 09:00")
    return make_site(root, files)


def test_a_name_is_slugged_once_a_grouping_and_a_published_story_is_no_held_entry(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _site(tmp_path)
    config = load_config(site)
    read = [read_source(path, config) for path in sorted((site / "content").rglob("*.md"))]
    articles = [a for a, _ in read if a is not None]
    slugged: list[str] = []
    slugify = urls.slugify
    monkeypatch.setattr(urls, "slugify", lambda text: slugged.append(text) or slugify(text))
    selection = collect.Selection(NOW)
    site_model, _ = collect.select_site(articles, config, selection)
    # Tags (Pasar, Topik 0-2) and the one author, each once, not once a story.
    assert sorted(slugged) == ["Budi", "Pasar", "Topik 0", "Topik 1", "Topik 2"]
    assert len(site_model.articles) == STORIES
    assert [t.name for t in site_model.tags] == ["Pasar", "Topik 0", "Topik 1", "Topik 2"]
    assert len(site_model.tags[0].articles) == STORIES
    entries: list[str] = []
    entry = listing.Entry
    monkeypatch.setattr(listing, "Entry",
                        lambda source, *rest: entries.append(source) or entry(source, *rest))
    held = listing.held_back(articles, selection)
    assert (held.drafts, held.scheduled, held.expired) == (1, 1, 1)
    assert held.next_live == next(a.date for a in articles if a.title == "Nanti")
    assert sorted(entries) == ["content/ekonomi/draft.md", "content/ekonomi/gone.md",
                               "content/ekonomi/later.md"]


def test_relating_and_its_record_share_one_shape_of_the_archive(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _site(tmp_path)
    shaped: list[str] = []
    entry = collect.shape_entry
    monkeypatch.setattr(collect, "shape_entry",
                        lambda article: shaped.append(article.source) or entry(article))
    build_site(site)
    assert len(shaped) == STORIES  # once a story a build, not once for each who asks
    path = site / "content/ekonomi/b4.md"
    path.write_text(path.read_text().replace("Isi berita.", "Isi berita baru."))
    shaped.clear()
    build_site(site)
    assert len(shaped) == STORIES
