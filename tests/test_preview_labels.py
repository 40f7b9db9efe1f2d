"""The preview marks what readers cannot see yet; a build never does (issue 20, part 5)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.serve import Preview
from tests.conftest import article, build_site, make_site
from tests.test_serve import fetch, start_preview

LABEL = 'class="preview-status'


@pytest.fixture
def site(tmp_path: Path) -> Path:
    # NOW (conftest) is 2026-11-28 12:00 WIB.
    return make_site(tmp_path / "site", {
        "content/ekonomi/terbit.md": article("Harga Cabai Naik", date="2026-11-20 09:00"),
        "content/ekonomi/rancangan.md": article("Rancangan Rahasia", draft=True),
        "content/ekonomi/januari.md": article("Tarif Baru Januari", date="2027-01-02 06:00"),
        "content/ekonomi/lewat.md": article("Promo Sudah Lewat", date="2026-11-01 09:00",
                                            expires="2026-11-10 00:00"),
        "content/pages/rencana.md": "---\ntitle: Rencana\ndraft: true\n---\nIsi.\n",
    })


@pytest.fixture
def preview(site: Path) -> Iterator[Preview]:
    running = start_preview(site)
    yield running
    running.stop()


def page(preview: Preview, path: str) -> str:
    status, _, body = fetch(preview.url + path.lstrip("/"))
    assert status == 200, path
    return body.decode("utf-8")


def test_the_preview_labels_drafts_scheduled_and_expired_stories(preview: Preview) -> None:
    draft = page(preview, "/ekonomi/rancangan/")
    assert f'{LABEL} preview-draft">Draf</span>' in draft
    scheduled = page(preview, "/ekonomi/januari/")
    assert f'{LABEL} preview-scheduled">Terjadwal (Sabtu, 2 Januari 2027 06.00 WIB)</span>' \
        in scheduled
    expired = page(preview, "/ekonomi/lewat/")
    assert f'{LABEL} preview-expired">Kedaluwarsa</span>' in expired
    # A published story has none of its own (its related box labels the others).
    assert '<p class="kicker" data-pagefind-ignore><a class="section-label"' \
        in page(preview, "/ekonomi/terbit/")
    # On the cards of the lists too, each story with its own label.
    for listing in ("/", "/ekonomi/"):
        shown = page(preview, listing)
        assert shown.count(LABEL) == 3, listing
        assert "preview-draft" in shown and "preview-scheduled" in shown
    assert f'{LABEL} preview-draft">Draf</span>' in page(preview, "/rencana/")


def test_a_build_shows_no_label_even_with_drafts_and_future_included(site: Path) -> None:
    build_site(site, drafts=True, future=True, expired=True)
    for path in (site / "output").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "preview-status" not in text, path
        assert "Terjadwal" not in text and ">Draf<" not in text, path
    assert (site / "output/ekonomi/januari/index.html").is_file()
