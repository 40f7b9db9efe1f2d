"""The live preview in a real browser: pages update by themselves, problems show in them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitegen.serve import Preview, ServeOptions
from tests.conftest import NOW, article, make_site

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000  # generous: the suite shares a loaded 2-core machine
SEED = "content/ekonomi/jack-ma-tawarkan-alibaba-bantu-pebisnis-as.md"
SEED_URL = "ekonomi/jack-ma-tawarkan-alibaba-bantu-pebisnis-as/"


def start(site: Path) -> Preview:
    preview = Preview(site, ServeOptions(port=0, now=NOW, jobs=1),
                      echo=lambda message, problem: None)
    preview.start()
    return preview


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    opened = browser.new_context()
    opened.set_default_timeout(TIMEOUT_MS)
    yield opened
    opened.close()


def set_title(path: Path, title_line: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^title: .*$", title_line, text, count=1, flags=re.MULTILINE),
                    encoding="utf-8")


def test_edits_show_in_the_open_pages_by_themselves(sample_site: Path, context: Any) -> None:
    from playwright.sync_api import expect

    preview = start(sample_site)
    try:
        seed = context.new_page()
        seed.goto(preview.url + SEED_URL)
        expect(seed.locator("h1")).to_contain_text("Jack Ma Tawarkan Alibaba")
        home = context.new_page()
        home.goto(preview.url)
        seed.evaluate("window.openedOnce = true")

        source = sample_site / SEED
        set_title(source, 'title: "Jack Ma Janjikan Sejuta Lapangan Kerja di AS"')
        expect(seed.locator("h1")).to_have_text("Jack Ma Janjikan Sejuta Lapangan Kerja di AS")
        assert seed.evaluate("window.openedOnce === undefined")  # it reloaded by itself

        set_title(source, "title: Jack Ma: janji di Trump Tower")  # ': ' unquoted breaks YAML
        overlay = seed.locator("#sitegen-overlay")
        expect(overlay).to_contain_text(f"{SEED}:2: invalid YAML in front matter")
        expect(seed.locator("h1")).to_have_text("Jack Ma Janjikan Sejuta Lapangan Kerja di AS")

        set_title(source, 'title: "Jack Ma: Janji di Trump Tower"')
        expect(overlay).to_have_count(0)
        expect(seed.locator("h1")).to_have_text("Jack Ma: Janji di Trump Tower")

        (sample_site / "content/ekonomi/pasar-ekspor-baru.md").write_text(
            article("Pasar Ekspor Baru Dibuka untuk UKM", date="2026-11-27 08:00"),
            encoding="utf-8")
        expect(home.locator("main")).to_contain_text("Pasar Ekspor Baru Dibuka untuk UKM")
        expect(home.locator("main")).to_contain_text("Jack Ma: Janji di Trump Tower")
    finally:
        preview.stop()


def test_a_css_change_restyles_without_reloading(tmp_path: Path, context: Any) -> None:
    site = make_site(tmp_path / "site", {
        "content/ekonomi/a.md": article("Artikel Uji"),
        "themes/mine/theme.toml": 'extends = "default"\n',
        "themes/mine/static/css/style.css": "body { background-color: rgb(255, 255, 255); }\n",
    }, config='[site]\ntitle = "Uji"\n\n[build]\ntheme = "mine"\n')
    preview = start(site)
    try:
        page = context.new_page()
        page.goto(preview.url + "ekonomi/a/")
        page.evaluate("window.stillHere = true")
        (site / "themes/mine/static/css/style.css").write_text(
            "body { background-color: rgb(0, 0, 128); }\n")
        page.wait_for_function(
            "getComputedStyle(document.body).backgroundColor === 'rgb(0, 0, 128)'")
        assert page.evaluate("window.stillHere === true")  # restyled, not reloaded
    finally:
        preview.stop()
