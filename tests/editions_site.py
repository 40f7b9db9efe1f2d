"""A generated two-edition site (Indonesian at /, English at /en/), for the editions
tests and their browser test."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import article, make_site

CONFIG = """\
[site]
title = "Warta Uji"
description = "Situs uji"
base_url = "https://example.org/"
language = "id"

[sections.ekonomi]
title = "Ekonomi"

[[menu]]
name = "Ekonomi"
url = "/ekonomi/"

[editions.en]
language = "en"
title = "Warta Uji (English)"
description = "The test site in English"
date_style = "long"

[editions.en.permalinks]
archive = "/archive/"
search = "/search/"
author = "/author/{slug}/"

[editions.en.sections.economy]
title = "Economy"

[[editions.en.menu]]
name = "Economy"
url = "/en/economy/"
"""

# Words each found in one edition's stories only (the search test looks for them).
ID_WORD = "tongkol"
EN_WORD = "gantry"


def files() -> dict[str, str]:
    return {
        "content/ekonomi/harga-cabai.md": article(
            "Harga cabai naik", tags=["Pangan"], authors=["Siti Rahma"],
            body="Harga cabai rawit naik tajam di pasar tradisional."),
        "content/ekonomi/pasar-ikan.md": article(
            "Pasar ikan ramai", date="2026-11-21 10:00", tags=["Pangan"],
            body=f"Nelayan menjual {ID_WORD} segar di pelelangan."),
        # Linked by translation_of, in a section of another name.
        "content/en/economy/chili-prices.md": article(
            "Chili prices rise", tags=["Food"], authors=["Siti Rahma"],
            translation_of="ekonomi/harga-cabai.md",
            body="Bird's eye chili prices rose sharply at traditional markets."),
        "content/en/economy/harbour-cranes.md": article(
            "Harbour cranes arrive", date="2026-11-27 10:00",
            body=f"New {EN_WORD} cranes unload containers at the harbour."),
        # Linked by the same path inside each edition's folder.
        "content/pages/tentang.md": "---\ntitle: Tentang kami\n---\n\nKami redaksi.\n",
        "content/en/pages/tentang.md": "---\ntitle: About us\nslug: about\n---\n\n"
                                       "We are the newsroom.\n",
        # Linked by translation_key, and in an edition by its front matter.
        "content/ekonomi/ekspor-kopi.md": article(
            "Ekspor kopi melonjak", date="2026-11-27 08:00", translation_key="coffee",
            body="Ekspor kopi Gayo melonjak."),
        "content/ekonomi/coffee-exports.md": article(
            "Coffee exports soar", date="2026-11-27 09:00", translation_key="coffee",
            edition="en", body="Gayo coffee exports soared."),
    }


def make_editions_site(root: Path) -> Path:
    return make_site(root, files(), CONFIG)
