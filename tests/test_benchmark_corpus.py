"""The benchmark's corpus generator (benchmarks/corpus.py): deterministic, and a valid site.

Only the generator is tested here; timing belongs to benchmarks/run.py, never to tests.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO, build_site, read_tree


def _load_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "benchmarks" / "corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_corpus"] = module
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus()
SMALL_PHOTO = (1200, 675)
"""The narrowest hero sitegen does not warn about: the builds below encode each story's
photo, and a 1,600 x 900 one costs about twice as much."""


def _written(tmp_path: Path, name: str, count: int, seed: int) -> dict[str, dict[str, bytes]]:
    # Small photos: the same drawing, a fraction of the pixels to draw and encode.
    roots = corpus.write_sites(corpus.generate(count, seed, photo_size=(160, 90)),
                               tmp_path / name)
    return {site: read_tree(root) for site, root in roots.items()}


def test_same_count_and_seed_give_the_same_bytes(tmp_path: Path) -> None:
    first = _written(tmp_path, "a", 20, 7)
    again = _written(tmp_path, "b", 20, 7)
    other_seed = _written(tmp_path, "c", 20, 8)
    assert first == again
    assert first["sitegen"] != other_seed["sitegen"]
    assert set(first) == {"sitegen", "sitegen-full", "hugo"}
    # Every story has a photo of its own, the same bytes in all three sites.
    photos = {path: data for path, data in first["sitegen"].items() if path.endswith(".jpg")}
    assert len(photos) == 20 and len(set(photos.values())) == 20
    for path, data in photos.items():
        assert first["sitegen-full"][path] == data
        assert first["hugo"][path.replace("content/static/", "assets/")] == data


def test_an_article_does_not_depend_on_the_corpus_size() -> None:
    small, large = corpus.generate(5, 1), corpus.generate(50, 1)
    assert large.stories[:5] == small.stories
    # Six shared photos instead (runs that cannot afford a photo a story): the same words.
    shared = corpus.generate(50, 1, shared_photos=True).stories
    assert {s.image for s in shared} <= set(range(corpus.IMAGE_COUNT))
    assert [{**s.__dict__, "image": 0, "shared": 0} for s in shared] == [
        {**s.__dict__, "image": 0, "shared": 0} for s in large.stories]


def test_sitegen_and_hugo_get_the_same_bodies() -> None:
    for story in corpus.generate(20, 1).stories:
        sitegen_path, sitegen_text = corpus.sitegen_file(story)
        hugo_path, hugo_text = corpus.hugo_file(story)
        assert sitegen_path == hugo_path
        assert sitegen_text.split("\n---\n", 1)[1] == hugo_text.split("\n---\n", 1)[1]
        words = len(story.body.split())
        assert 600 <= words <= 1000, words


@pytest.mark.slow
@pytest.mark.parametrize("site", ["sitegen", "sitegen-full"])
def test_the_generated_sitegen_site_builds_strictly(tmp_path: Path, site: str) -> None:
    data = corpus.generate(6, 1, photo_size=SMALL_PHOTO)
    root = corpus.write_sites(data, tmp_path / "sites")[site]
    report = build_site(root, strict=True)
    assert report.warnings == []
    output = root / "output"
    for story in data.stories:
        page = (output / story.section / story.slug / "index.html").read_text("utf-8")
        assert story.title in page
        # Its own photo, resized: the picture pipeline did a story's worth of work.
        stem = f"foto-{story.image + 1:06d}"
        assert (output / corpus.photo_paths(story)[site].removeprefix("content/static/")
                ).is_file()
        assert len(list((output / "_img").glob(f"{stem}-480x270.*.webp"))) == 1
    assert len(report.processed_images) == len(data.stories)


@pytest.mark.slow
def test_the_trimmed_site_uses_the_bench_theme_and_an_edit_reaches_the_page(tmp_path: Path) -> None:
    data = corpus.generate(6, 1, photo_size=SMALL_PHOTO)
    root = corpus.write_sites(data, tmp_path / "sites")["sitegen"]
    story = data.stories[3]
    relative, text = corpus.sitegen_file(story)
    (root / relative).write_text(corpus.edit_body(text, "penandaedit"), "utf-8")
    build_site(root)
    page = (root / "output" / story.section / story.slug / "index.html").read_text("utf-8")
    assert "penandaedit" in page
    assert 'class="dek"' in page and "story-header" not in page  # bench theme, not default
