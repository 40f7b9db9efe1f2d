"""Layouts that hold with and without pictures (issue 20, part 6), in Chromium.

Two generated sites, one where no story has a picture and one where every story
has one, each with featured stories and several sections. Their home and section
pages must fit every width from a phone to a desktop (no sideways scroll) and
leave no empty cell in a grid: every column of every multi-column grid holds
something, and every picture box holds a picture.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import article, build_site, make_image, make_site
from tests.test_theme_browser import serve, served_sample, violations
from tests.test_theme_fonts import force_fonts

pytestmark = pytest.mark.browser

WIDTHS = (320, 768, 1280)
SECTIONS = ("ekonomi", "nasional", "olahraga")
PAGES = ("/", "/ekonomi/", "/nasional/")
STORIES = 24

# Every grid container with two columns or more: a column no child covers is an empty
# cell (a card whose picture column stays empty, an auto-filled track with nothing in it).
EMPTY_CELLS = """() => {
  const BAND = 64;
  const found = [];
  const visible = el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  for (const grid of document.querySelectorAll("body *")) {
    const style = getComputedStyle(grid);
    if (!style.display.endsWith("grid") || !visible(grid)) continue;
    const tracks = style.gridTemplateColumns.split(" ").map(parseFloat).filter(w => w > 0);
    if (tracks.length < 2) continue;
    const box = grid.getBoundingClientRect();
    // A child shown with `display: contents` places its own children in the grid.
    const placed = [...grid.children].flatMap(
      c => getComputedStyle(c).display === "contents" ? [...c.children] : [c]);
    const children = placed.filter(visible).map(c => c.getBoundingClientRect());
    let left = box.left + parseFloat(style.paddingLeft) + parseFloat(style.borderLeftWidth);
    const gap = parseFloat(style.columnGap) || 0;
    tracks.forEach((width, i) => {
      const middle = left + width / 2;
      if (!children.some(c => c.left <= middle && middle <= c.right))
        found.push(`${grid.className || grid.tagName}: column ${i + 1} of ${tracks.length}`
                   + " is empty");
      left += width + gap;
    });
  }
  // An empty band: a card stretched far below its content, or a gap between two boxes
  // one above the other in a grid's column.
  for (const card of document.querySelectorAll(".card")) {
    const box = card.getBoundingClientRect();
    const bottom = Math.max(...[...card.querySelectorAll("*")].filter(visible)
                                  .map(c => c.getBoundingClientRect().bottom));
    if (box.bottom - bottom > BAND)
      found.push(`an empty band of ${Math.round(box.bottom - bottom)}px in a card`);
  }
  for (const grid of document.querySelectorAll(".front-top, .top-stories, .section-blocks")) {
    const boxes = [...grid.children].filter(visible).map(c => c.getBoundingClientRect());
    for (const a of boxes) {
      const below = boxes.filter(b => b !== a && a.left < b.right && b.left < a.right
                                      && b.top >= a.bottom - 1).map(b => b.top - a.bottom);
      const gap = Math.min(...below);
      if (below.length && gap > BAND)
        found.push(`an empty band of ${Math.round(gap)}px in ${grid.className}`);
    }
  }
  // A picture above its text spans the card (a narrower one leaves a hole beside it).
  for (const media of document.querySelectorAll(".card > .card-media")) {
    const card = media.parentElement;
    if (getComputedStyle(card).display !== "flex") continue;
    const [inner, outer] = [media, card].map(e => e.getBoundingClientRect().width);
    if (inner < outer * 0.95)
      found.push(`a picture ${Math.round(inner)}px wide in a card ${Math.round(outer)}px wide`);
  }
  for (const media of document.querySelectorAll(".card-media, .hero")) {
    if (!media.querySelector("img")) found.push(`${media.className} without a picture`);
  }
  return found;
}"""


def news_site(root: Path, pictures: bool) -> Path:
    files: dict[str, str | bytes] = {}
    # 24 stories: the lead, the next four and the latest ten leave the oldest nine for
    # the editors' picks (two, so an auto-filled row of picks would show holes) and the
    # section blocks.
    for number in range(STORIES):
        section = SECTIONS[number % len(SECTIONS)]
        extra: dict[str, Any] = {"featured": number in (0, 2)}
        if pictures:
            extra.update(image=f"/images/foto-{number}.jpg", image_alt=f"Foto {number}")
            if number % 4 == 0:  # a portrait photo, its subject in the upper part
                extra["image_focus"] = "0.5,0.2"
        files[f"content/{section}/berita-{number}.md"] = article(
            f"Berita nomor {number} tentang harga pangan dan kebijakan daerah",
            date=f"2026-11-{1 + number:02d} 09:00", tags=["Pangan"],
            body="Paragraf pembuka berita ini cukup panjang untuk dua baris. " * 4, **extra)
    site = make_site(root, files)
    if pictures:
        for number in range(STORIES):
            # Landscape and portrait pictures alike.
            size = (1200, 675) if number % 4 else (675, 1200)
            make_image(site / f"content/static/images/foto-{number}.jpg", size)
    build_site(site)
    return site / "output"


@pytest.fixture(scope="module", params=["no-pictures", "all-pictures"])
def site_url(request: pytest.FixtureRequest,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    output = news_site(tmp_path_factory.mktemp(request.param), request.param == "all-pictures")
    url, server = serve(output)
    yield url
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("width", WIDTHS)
def test_home_and_section_pages_hold_with_and_without_pictures(browser: Any, site_url: str,
                                                               width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    problems = []
    for path in PAGES:
        page.goto(site_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        if overflow > 0:
            problems.append(f"{path} at {width}px scrolls sideways by {overflow}px")
        problems += [f"{path} at {width}px: {p}" for p in page.evaluate(EMPTY_CELLS)]
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", (375, 1280))
def test_a_portrait_hero_is_cropped_to_the_page_ratio_around_its_focus(
        browser: Any, site_url: str, width: int, request: pytest.FixtureRequest) -> None:
    pictures = request.node.callspec.params["site_url"] == "all-pictures"
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(site_url + "/ekonomi/berita-0/")  # portrait (675 x 1200) in the picture site
    hero = page.query_selector(".hero img")
    if not pictures:
        assert hero is None and page.query_selector(".hero") is None
        context.close()
        return
    assert hero is not None
    box = hero.bounding_box()
    position = hero.evaluate("img => getComputedStyle(img).objectPosition")
    context.close()
    assert box["height"] <= box["width"] * 2 / 3 + 1, box  # not the whole first screen
    assert box["height"] < 800
    assert position == "50% 20%"


# --- the sample site: what it shows of each (issue 20, part 6) -------------------------

FUTSAL = "/olahraga/sakti-surabaya-juara-piala-nusantara-futsal-2026/"  # a wide table
GALLERY = "/nasional/perpustakaan-perahu-kepulauan-seribu/"
PORTRAIT = "/olahraga/pedayung-muda-danau-toba-amankan-tiket-kejuaraan-asia/"
SAMPLE_PAGES = ("/", "/olahraga/", FUTSAL, GALLERY, PORTRAIT)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from served_sample(tmp_path_factory, "sample-layout")


@pytest.mark.parametrize("path", SAMPLE_PAGES)
def test_axe_finds_no_serious_violation_with_only_dejavu_fonts(browser: Any, sample: str,
                                                               path: str) -> None:
    """Debian's default fonts (DejaVu) are wider: the futsal table then scrolls sideways
    on a phone, and that box must be reachable by keyboard."""
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.goto(sample + path)
    force_fonts(page, "dejavu")
    found = violations(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
    context.close()
    assert not found, "\n".join(found)
    assert overflow <= 0


def test_a_wide_table_scrolls_in_a_box_the_keyboard_reaches(browser: Any, sample: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.goto(sample + FUTSAL)
    force_fonts(page, "dejavu")
    box = page.locator(".story-body .table-scroll")
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
    assert box.get_attribute("aria-label") == "Tabel"
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # it does scroll on a phone
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('.table-scroll').scrollLeft > 0")
    context.close()


def test_the_gallery_has_visible_buttons_and_a_count_that_work_by_keyboard(
        browser: Any, sample: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(sample + GALLERY)
    count = page.locator(".gallery-count")
    following = page.get_by_role("button", name="Foto berikutnya")
    previous = page.get_by_role("button", name="Foto sebelumnya")
    assert count.text_content() == "1 / 3"
    assert following.is_visible() and previous.is_visible()
    assert previous.get_attribute("aria-disabled") == "true"
    box = following.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44  # big enough to hit on a phone
    following.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('.gallery-count').textContent === '2 / 3'")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('.gallery-count').textContent === '3 / 3'")
    page.wait_for_function("document.querySelector('.gallery').scrollLeft > 0")
    assert following.get_attribute("aria-disabled") == "true"
    previous.click()
    page.wait_for_function("document.querySelector('.gallery-count').textContent === '2 / 3'")
    context.close()


def test_the_sample_shows_a_portrait_hero_cropped_an_ad_slot_and_no_analytics(
        browser: Any, sample: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(sample + PORTRAIT)
    hero = page.locator(".hero img").bounding_box()
    assert hero["height"] <= hero["width"] * 2 / 3 + 1
    assert page.locator(".ad-slot-article .ad-label").text_content() == "Iklan"
    assert page.locator("script[data-domain], script[src*='gtag']").count() == 0
    context.close()
