"""Embeds and galleries of the sample site in a real browser (Chromium via Playwright).

The article with the YouTube video must ask no host but the site's own until the
reader clicks play; then it holds the player's iframe (from youtube-nocookie.com).
The browser is offline, so requests to any other host are answered here, locally,
and recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import REPO
from tests.test_theme_browser import PHONE, load_everything, served_sample, violations

pytestmark = pytest.mark.browser

VIDEO = "/olahraga/sakti-surabaya-juara-piala-nusantara-futsal-2026/"
POST = "/nasional/banjir-rob-rendam-pesisir-utara-jawa-tengah/"
GALLERY = "/nasional/perpustakaan-perahu-kepulauan-seribu/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from served_sample(tmp_path_factory, "embeds")


def recorded_page(browser: Any, site: str, **options: Any) -> tuple[Any, Any, list[str]]:
    """A phone-sized page that records every request to another host (answered empty)."""
    context = browser.new_context(viewport=PHONE, **options)
    page = context.new_page()
    foreign: list[str] = []
    own = urlsplit(site).netloc

    def other_hosts(route: Any) -> None:
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.fulfill(status=204, body="")

    page.route("**/*", other_hosts)
    return context, page, foreign


@pytest.mark.parametrize("path", [VIDEO, POST])
def test_an_embed_asks_nothing_of_its_provider_until_it_is_clicked(
        browser: Any, site: str, path: str) -> None:
    context, page, foreign = recorded_page(browser, site)
    load_everything(page, site + path)
    width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    play = page.locator(".embed-play")
    assert play.count() == 1 and play.is_visible()
    assert page.locator("iframe").count() == 0
    assert foreign == [], foreign
    assert width[0] <= width[1], f"scrolls sideways: {width}"
    play.click()
    frame = page.locator("figure.embed iframe")
    frame.wait_for()
    src = frame.get_attribute("src")
    title = frame.get_attribute("title")
    page.wait_for_timeout(200)
    width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    context.close()
    assert width[0] <= width[1], f"scrolls sideways with the player: {width}"
    if path == VIDEO:
        assert src == "https://www.youtube-nocookie.com/embed/Kp7wS0qT2aE?autoplay=1"
        assert title and title.startswith("Cuplikan final Piala Nusantara Futsal 2026")
    else:
        assert src and src.startswith("https://platform.twitter.com/embed/Tweet.html?id=")
    # After the click, and only then, the player's own host is asked.
    assert foreign and urlsplit(foreign[0]).netloc == urlsplit(src).netloc, foreign


def test_without_javascript_an_embed_is_a_link_to_the_original(browser: Any,
                                                                site: str) -> None:
    context, page, foreign = recorded_page(browser, site, java_script_enabled=False)
    page.goto(site + VIDEO)
    href = page.locator(".embed-play").get_attribute("href")
    name = page.get_by_role("link", name="Putar video: Cuplikan final").count()
    context.close()
    assert href == "https://www.youtube.com/watch?v=Kp7wS0qT2aE"
    assert name == 1 and foreign == []


@pytest.mark.parametrize("path", [VIDEO, POST, GALLERY])
def test_axe_finds_no_serious_violation_on_embeds_and_galleries(browser: Any, site: str,
                                                                path: str) -> None:
    context, page, _ = recorded_page(browser, site)
    page.goto(site + path)
    found = violations(page)
    context.close()
    assert not found, "\n".join(found)


def test_the_gallery_scrolls_with_the_keyboard_and_keeps_the_page_narrow(
        browser: Any, site: str) -> None:
    context, page, foreign = recorded_page(browser, site)
    load_everything(page, site + GALLERY)
    gallery = page.locator(".gallery")
    assert gallery.get_attribute("aria-label") == "Galeri foto (3)"
    alts = gallery.locator("img").evaluate_all("imgs => imgs.map(i => i.alt)")
    captions = gallery.locator("figcaption").all_inner_texts()
    gallery.focus()
    before = gallery.evaluate("g => g.scrollLeft")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('.gallery').scrollLeft > 0")
    after = gallery.evaluate("g => g.scrollLeft")
    width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    context.close()
    assert len(alts) == 3 and all(alts)
    assert all("Foto:" in c for c in captions), captions
    assert after > before == 0
    assert width[0] <= width[1]
    assert foreign == []


def test_the_gallery_reads_without_javascript(browser: Any, site: str) -> None:
    context, page, _ = recorded_page(browser, site, java_script_enabled=False)
    page.goto(site + GALLERY)
    visible = page.locator(".gallery-item").first.is_visible()
    count = page.locator(".gallery-item").count()
    context.close()
    assert visible and count == 3


def test_the_embeds_script_is_local_and_only_on_pages_with_embeds(site: str) -> None:
    from urllib.request import urlopen

    with urlopen(site + VIDEO) as response:
        video = response.read().decode()
    with urlopen(site + GALLERY) as response:
        gallery = response.read().decode()
    assert '<script src="/js/embeds.' in video and "embeds." not in gallery
    assert Path(REPO / "themes/default/static/js/embeds.js").stat().st_size < 2000
