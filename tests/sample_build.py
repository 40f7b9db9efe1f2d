"""The repository's sample site, plus one article of each kind that must stay unlisted,
built once per test module with the fixed clock. Used by the feed, sitemap, structured
data and search tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import NOW, REPO, article, build_site, built_once, share_pictures

BASE_URL = "https://kabarnusantara.example/"
SEED = "ekonomi/jack-ma-tawarkan-alibaba-bantu-pebisnis-as/"
SEED_TITLE = "Bertemu Donald Trump, Jack Ma Tawarkan Alibaba untuk Bantu Pebisnis AS"
UPDATED = "ekonomi/harga-cabai-dan-bawang-merah-naik-jelang-akhir-tahun/"
DRAFT = "nasional/revisi-perda-tata-ruang-pesisir-tuai-sorotan/"
# Added to the copy: none of them may appear in a feed, sitemap or search index,
# except that the moved article's new URL is an ordinary published page.
FUTURE = "nasional/rapat-paripurna-pekan-depan/"
EXPIRED = "olahraga/jadwal-lama-yang-kedaluwarsa/"
MOVED = "olahraga/liga-futsal-pelajar-dimulai/"
ALIAS = "2026/11/liga-futsal-pelajar.html"
EXTRAS = {
    "content/nasional/rapat-paripurna-pekan-depan.md": article(
        "Rapat Paripurna Pekan Depan", date="2026-12-03 09:00", author="Made Surya Dharma"),
    "content/olahraga/jadwal-lama-yang-kedaluwarsa.md": article(
        "Jadwal Lama yang Kedaluwarsa", date="2026-11-27 07:00", expires="2026-11-28 06:00"),
    "content/olahraga/liga-futsal-pelajar-dimulai.md": article(
        "Liga Futsal Pelajar Dimulai", date="2026-10-02 16:00", author="Rini Kusumawardani",
        tags=["Futsal"], aliases=[f"/{ALIAS}"]),
}
# Published at NOW: the sample's 20 articles (one of its 21 is a draft) plus MOVED.
SECTION_COUNTS = {"ekonomi": 5, "nasional": 7, "internasional": 3, "olahraga": 3, "teknologi": 3}
STANDALONE_PAGES = ("tentang-kami/", "redaksi/", "pedoman-media-siber/")


def build_sample(folder: Path, build_settings: str = "") -> Path:
    """Copy the sample site into `folder`, add EXTRAS, build it; return the output folder.
    (Built once a test run for each `build_settings`, copied after: conftest.built_once.)

    `build_settings` are TOML lines added to the sample's [build] table.
    """
    def build_it(site: Path) -> None:
        config = (REPO / "sitegen.toml").read_text(encoding="utf-8")
        assert config.count("[build]\n") == 1
        config = config.replace("[build]\n", "[build]\n" + build_settings)
        (site / "sitegen.toml").write_text(config, encoding="utf-8")
        shutil.copytree(REPO / "content", site / "content")
        for relative, text in EXTRAS.items():
            (site / relative).write_text(text, encoding="utf-8")
        share_pictures(site)
        build_site(site, now=NOW)
        share_pictures(site, back=True)

    return built_once(("sample", build_settings), folder / "sample", build_it) / "output"
