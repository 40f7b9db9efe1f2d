"""An Article as the build state keeps it: the fields' values in order after a layout tag,
read back equal; a record of another layout is no article (its source is read again)."""

from __future__ import annotations

import marshal
from pathlib import Path
from zoneinfo import ZoneInfo

from sitegen import article_records, cache
from sitegen.config import load_config
from sitegen.model import article_values
from sitegen.readers import read_source
from sitegen.state import BuildState
from tests.conftest import article, make_image, make_site

ZONE = ZoneInfo("Asia/Jakarta")
LIVE = "Pembuka.\n\n## 2026-11-20 10:00 | Pertama\n\nIsi pertama.\n"


def _articles(site: Path) -> list[object]:
    config = load_config(site)
    found = [read_source(path, config) for path in sorted((site / "content").rglob("*.md"))]
    assert all(a is not None and not problems for a, problems in found), [p for _, p in found]
    return [a for a, _ in found]


def test_every_kind_of_field_reads_back_equal_from_a_record_without_field_names(
        tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/ekonomi/a.md": article(
            "Harga", tags=["Pasar", "Cabai"], authors=["Budi"], aliases=["/lama/"],
            updated="2026-11-21 08:00", expires="2027-01-01 00:00", series="Harga Pangan",
            image="/images/a.jpg", image_alt="Pasar", image_caption="Pagi",
            corrections=[{"date": "2026-11-21 09:00", "text": "Nama pasar diperbaiki."}],
            see_also=["https://example.org/lain/"], location="Jakarta", featured=True),
        "content/nasional/live.md": article("Langsung", body=LIVE, kind="live",
                                            coverage_start="2026-11-20 09:00",
                                            coverage_end="2026-11-20 18:00"),
    })
    make_image(site / "content/static/images/a.jpg")
    for original in _articles(site):
        record = marshal.loads(marshal.dumps(article_records.to_plain(original)))
        # The state keeps values, not a name a field: half the bytes every publish decodes.
        assert b"reading_time" not in marshal.dumps(record)
        assert article_records.from_plain(record, ZONE, original.source) == original


def test_a_record_of_another_layout_is_no_article(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/ekonomi/a.md": article("Harga")})
    [original] = _articles(site)
    (tmp_path / "cache").mkdir()
    state = BuildState(tmp_path / "cache", salt="test")
    store = cache.BuildCache(state, "Asia/Jakarta", tmp_path / "out")
    record = article_records.to_plain(original)
    other = [record[0] + 1, *record[1:]]  # an Article of other fields wrote it
    as_dict = dict(zip(article_values(original), record[1:], strict=True))
    state.put("read", "", "k1", [record, []])
    state.put("read", "", "k2", [other, []])
    state.put("read", "", "k3", [as_dict, []])  # the format before this layout
    state.commit()
    hit = store.article(original.source, "k1")
    assert hit is not None and hit[0] == original
    assert store.article(original.source, "k2") is None
    assert store.article(original.source, "k3") is None


def test_what_an_archive_repeats_is_one_object_over_the_articles_read_back(
        tmp_path: Path) -> None:
    # Stories of the same writers and dateline, with photos of one size: the planning
    # process holds an article of the archive per story, each read back from its record.
    files = {f"content/ekonomi/{name}.md": article(
        f"Harga {name}", authors=["Budi", "Sari"], location="Jakarta",
        image=f"/images/{name}.jpg", image_alt="Pasar", image_credit="Ani/Warta")
        for name in ("a", "b")}
    site = make_site(tmp_path, files)
    for name in ("a", "b"):
        make_image(site / f"content/static/images/{name}.jpg")
    first, second = (article_records.from_plain(
        marshal.loads(marshal.dumps(article_records.to_plain(original))), ZONE,
        original.source) for original in _articles(site))
    assert first.authors == ("Budi", "Sari") and first.authors is second.authors
    # The dateline and the photo's values are packed with the story's (model.Image,
    # Article.text): no object of their own to share.
    assert first.location == second.location == "Jakarta"
    one, two = first.image, second.image
    assert one is not None and two is not None and one.src != two.src
    assert one.width == two.width == 1200 and one.height == two.height
    assert one.focus == two.focus == (0.5, 0.5) and one.credit == two.credit == "Ani/Warta"
