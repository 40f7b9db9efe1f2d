"""What the planning process holds of a story: an Article with its photo, as a worker's
answer and the build state give it back, bounded in bytes; and every value packed in it
(model.Image, Article.text: packed_values) read back exactly as it was given."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import marshal
import pickle
import tracemalloc
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sitegen import article_records, cache, shard_manifest, sources, workers
from sitegen.config import load_config
from sitegen.model import Article, Image, article_values, make_article, replaced, shared
from sitegen.state import BuildState
from tests.conftest import article, make_image, make_site

ZONE = ZoneInfo("Asia/Jakarta")
STORIES = 300

# Bytes an Article of a story with a photo holds (tests/test_memory.py's archive: a short
# title and summary, two tags, one author, a body stored on disk, a 480 x 320 hero with
# alt text), past what the build holds anyway (its source's name). Measured: 1,074 a
# worker's answer and 973 a record of the state when each of the title, summary, photo
# and its texts and digest were an object of its own and the Article had 18 slots;
# 784 and 692 with those packed (model.Image, Article.text) and 12 slots.
HELD_FROM_A_WORKER = 850
HELD_FROM_A_RECORD = 750


def _story(i: int) -> Article:
    return make_article(
        source=f"content/ekonomi/b-{i:05d}.md", section="ekonomi", slug="",
        path=f"/ekonomi/b-{i:05d}/", title=f"Berita nomor {i} tentang harga",
        date=dt.datetime(2021, 1 + i % 12, 1 + i % 27, i % 24, i % 60, tzinfo=ZONE),
        summary=f"Ringkasan berita {i} tentang harga beras di pasar induk.",
        word_count=7, reading_time=1, authors=(f"Penulis {i % 40}",),
        tags=(f"topik-{i % 97}", f"isu-{i % 13}"),
        body_ref=f"{i * 7919:032x}",
        image=Image(src=f"/images/{i:05d}/foto-{i}.jpg", alt=f"Foto {i}", width=480,
                    height=320, digest=(i + 1) * 0x9E3779B97F4A7C15 << 180))


def _held(make: Any, given: list[Any]) -> float:
    """Bytes a value `make` makes of each of `given` holds, on average."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        made = [make(item) for item in given]
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(made) == len(given)
    return held / len(given)


def test_a_story_with_a_photo_is_held_in_few_bytes() -> None:
    stories = [_story(i) for i in range(STORIES)]
    names = [story.source for story in stories]  # the build's own (sources.read)
    answers = [pickle.dumps(story) for story in stories]
    from_worker = _held(lambda at: shared(pickle.loads(answers[at]), source=names[at]),
                        list(range(STORIES)))
    records = [marshal.dumps(article_records.to_plain(story)) for story in stories]
    from_record = _held(
        lambda at: article_records.from_plain(marshal.loads(records[at]), ZONE, names[at]),
        list(range(STORIES)))
    assert from_worker < HELD_FROM_A_WORKER and from_record < HELD_FROM_A_RECORD, \
        (from_worker, from_record)
    # And it is the story it was.
    back = article_records.from_plain(marshal.loads(records[7]), ZONE, names[7])
    assert back == stories[7] == shared(pickle.loads(answers[7]))
    assert back.image is not None and back.image.src == "/images/00007/foto-7.jpg"


TEXTS = ["", "Harga beras naik", "Kopi ☕ dan teh", "a\0b", "\0", "lone \ud800 half",
         "line\nbreak", "x" * 3000, "日本語のタイトル"]


@pytest.mark.parametrize("text", TEXTS)
def test_every_text_of_a_story_reads_back_exactly(text: str) -> None:
    story = replaced(_story(3), title=text, summary=text[::-1], slug=text, location=text)
    image = Image(src=text, alt=text, caption=text[::-1], credit=text, copyright=text,
                  width=1, height=2, digest=3, focus=(0.25, 0.75))
    story = replaced(story, image=image)
    assert (story.title, story.summary, story.slug, story.location) == \
        (text, text[::-1], text, text)
    assert (image.src, image.alt, image.caption, image.credit, image.copyright) == \
        (text, text, text[::-1], text, text)
    _travels(story)


NUMBERS: list[dict[str, Any]] = [
    {"width": 0, "height": 0, "digest": 0, "focus": (0.5, 0.5)},
    {"width": 2 ** 32 - 1, "height": 1, "digest": 2 ** 256 - 1, "focus": (0.0, 1.0)},
    {"width": 2 ** 32, "height": -1, "digest": 2 ** 256, "focus": (-0.0, float("inf"))},
    {"width": 480, "height": 320, "digest": -5, "focus": [0.3, 0.4]},
    {"width": True, "height": 2.5, "digest": 1, "focus": (1, 0)},
]


@pytest.mark.parametrize("numbers", NUMBERS)
def test_every_number_of_a_photo_reads_back_exactly(numbers: dict[str, Any]) -> None:
    image = Image("/images/a.jpg", **numbers)
    for name, value in numbers.items():
        back = getattr(image, name)
        # A focus given as a list (a record, JSON) is the model's tuple; the rest as given.
        expected = tuple(value) if isinstance(value, list) else value
        assert back == expected and type(back) is type(expected), (name, back)
    assert Image("/images/a.jpg", **numbers) == image
    assert hash(Image("/images/a.jpg", **numbers)) == hash(image)
    assert pickle.loads(pickle.dumps(image)) == image
    assert type(pickle.loads(pickle.dumps(image))) is Image
    assert repr(image).startswith("Image(src='/images/a.jpg', alt='', ")


@pytest.mark.parametrize("counts", [(0, 0, True), (123_456, 617, False), (2 ** 70, -1, True),
                                    (7.0, True, 1)])
def test_a_story_s_counts_read_back_exactly(counts: tuple[Any, Any, Any]) -> None:
    words, minutes, written = counts
    story = replaced(_story(5), word_count=words, reading_time=minutes,
                     summary_written=written)
    assert (story.word_count, story.reading_time, story.summary_written) == counts
    assert [type(v) for v in (story.word_count, story.reading_time, story.summary_written)] \
        == [type(v) for v in counts]
    usual = [type(v) for v in counts] == [int, int, bool]
    _travels(story, manifest=usual)


def test_stories_compare_by_their_values() -> None:
    one, other = _story(1), _story(1)
    assert one == other and hash(one) == hash(other) and one is not other
    assert replaced(one, title="Lain") != one and replaced(one, title="Lain").title == "Lain"
    assert replaced(one, summary_written=False) != one
    assert replaced(one, image=None).image is None
    assert article_values(replaced(one, title="Lain")) == {
        **article_values(one), "title": "Lain"}
    assert repr(one).startswith("Article(source='content/ekonomi/b-00001.md', "
                                "section='ekonomi', slug='', path='/ekonomi/b-00001/', "
                                "title='Berita nomor 1 tentang harga', ")


def _travels(story: Article, manifest: bool = True) -> None:
    """Read back equal as a worker's answer, a record of the state and a shard's manifest
    (which leaves out a value equal to its default, as 1 to True: not for such types)."""
    assert pickle.loads(pickle.dumps(story)) == story
    assert shared(pickle.loads(pickle.dumps(story))) == story
    assert article_values(pickle.loads(pickle.dumps(story))) == article_values(story)
    record = article_records.to_plain(story)
    assert article_records.from_plain(record, ZONE, story.source) == story
    assert not manifest or shard_manifest.decode(shard_manifest.encode(story)) == story


def test_a_story_s_warning_holds_its_name_as_the_build_does(tmp_path: Path) -> None:
    """A story with a photo too narrow for previews has a warning the build holds to its
    end: it names the file with the build's own string (not a copy from the worker or
    the record: 73 bytes a story), and holds no instance dict."""
    count = workers.PARALLEL_MIN + 2  # read in worker processes
    site = make_site(tmp_path / "site", {
        f"content/ekonomi/b{i:02d}.md": article(f"Harga {i}", image=f"/images/b{i:02d}.jpg",
                                                image_alt="Pasar")
        for i in range(count)})
    for i in range(count):
        make_image(site / f"content/static/images/b{i:02d}.jpg", (480, 320))
    config = load_config(site)
    state = BuildState(tmp_path / "cache", salt="test")
    store = cache.BuildCache(state, "Asia/Jakarta", tmp_path / "out")
    with workers.Workers(2, None, (), site, None, tmp_path / "bodies") as pool:
        found = sources.read_all(config, store, pool, tmp_path / "bodies")
    assert len(found.articles) == len(found.parsed) == count
    narrow = [p for p in found.problems if "px wide" in p.message]
    assert len(narrow) == count, found.problems
    names = {a.source: a.source for a in found.articles}
    assert all(p.path is names[p.path] for p in narrow)
    assert not hasattr(narrow[0], "__dict__")
    # Read back from its record (a copy of the name in it), as the next build reads it.
    relative = found.articles[0].source
    (tmp_path / "state").mkdir()
    state = BuildState(tmp_path / "state", salt="test")
    store = cache.BuildCache(state, "Asia/Jakarta", tmp_path / "out")
    state.put("read", "", "k", [article_records.to_plain(found.articles[0]),
                                [list(dataclasses.astuple(p)) for p in narrow[:1]]])
    state.commit()
    hit = store.article(relative, "k")
    assert hit is not None and hit[1][0] == narrow[0] and hit[1][0].path is relative
