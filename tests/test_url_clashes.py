"""A URL clash is found before any picture is made; with --keep-going the file that
clashes is left out (the message names both) and everything else is published."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.config import load_config
from sitegen.errors import SitegenError
from tests.conftest import article, build_site, make_image, make_site


def clashing_site(root: Path) -> Path:
    site = make_site(root, {
        "content/berita/sama.md": article("Yang pertama", body="![Foto satu](/images/satu.jpg)"),
        # The same URL as sama.md, by its slug.
        "content/berita/lain.md": article("Yang kedua", slug="sama", date="2026-11-19 09:00",
                                          body="![Foto dua](/images/dua.jpg)"),
        # A page at the URL of the section front of content/ekonomi/.
        "content/pages/ekonomi.md": "---\ntitle: Ekonomi\nslug: ekonomi\n---\n\n"
                                    "![Foto tiga](/images/tiga.jpg)\n",
        "content/ekonomi/harga.md": article("Harga cabai", body="![Foto empat](/images/empat.jpg)"),
    })
    # Four different photos: one photo under several names is encoded once.
    for width, name in enumerate(("satu", "dua", "tiga", "empat"), 800):
        make_image(site / "content/static/images" / f"{name}.jpg", (width, 450))
    return site


def test_a_clash_stops_the_build_before_any_picture_is_made(tmp_path: Path) -> None:
    site = clashing_site(tmp_path / "s")
    with pytest.raises(SitegenError) as raised:
        build_site(site)
    text = str(raised.value)
    assert "content/berita/lain.md" in text and "content/berita/sama.md" in text
    assert "content/pages/ekonomi.md" in text
    pictures = load_config(site).cache_dir / "pictures"
    assert not pictures.exists() or not any(p.is_file() for p in pictures.rglob("*"))


def test_keep_going_leaves_out_each_clashing_file_and_names_both(tmp_path: Path) -> None:
    site = clashing_site(tmp_path / "s")
    report = build_site(site, keep_going=True)
    messages = {p.path: p.message for p in report.skipped}
    assert set(messages) == {"content/berita/lain.md", "content/pages/ekonomi.md"}
    assert "content/berita/sama.md" in messages["content/berita/lain.md"]
    assert "/ekonomi/" in messages["content/pages/ekonomi.md"]
    output = site / "output"
    assert "Yang pertama" in (output / "berita/sama/index.html").read_text(encoding="utf-8")
    assert (output / "ekonomi/harga/index.html").is_file()
    assert "Harga cabai" in (output / "ekonomi/index.html").read_text(encoding="utf-8")
    # The pictures of the files left out were never encoded: the clash was found first.
    made = {Path(p).name for p in report.processed_images}
    assert made == {"satu.jpg", "empat.jpg"}
