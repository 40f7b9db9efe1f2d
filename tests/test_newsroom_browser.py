"""The newsroom's pages in Chromium: axe-core finds no serious or critical violation on
each new page kind (live blog, opinion, advertorial, corrected article, series, daily
index), and the phone menu opens in place, without JavaScript and without scrolling."""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_theme_browser import DESKTOP, PHONE, sites, violations  # noqa: F401

pytestmark = pytest.mark.browser

PAGES = {"live": "/nasional/laporan-langsung-hujan-deras-rendam-jakarta/",
         "opinion": "/nasional/opini-pesisir-butuh-tanggul-dan-kebijakan/",
         "advertorial": "/ekonomi/advertorial-batik-pesisir-go-digital/",
         "corrected": "/nasional/banjir-rob-rendam-pesisir-utara-jawa-tengah/",
         "reply": "/nasional/pesisir-tenggelam-2-sumur-dalam-di-balik-pagar-pabrik/",
         "series": "/liputan-khusus/pesisir-yang-tenggelam/",
         "daily": "/indeks/2026/11/28/"}
ENGLISH_PAGES = {"live": "/world/live-harbour-storm/", "corrected": "/world/ports-sign-trade-pact/",
                 "series": "/series/harbour-notes/", "daily": "/index/2017/01/12/"}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(("scheme", "viewport"), [("light", PHONE), ("dark", DESKTOP)])
def test_axe_finds_no_serious_violation_on_newsroom_pages(
        browser: Any, sites: dict[str, str], name: str, scheme: str,  # noqa: F811
        viewport: dict[str, int]) -> None:
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    page.goto(sites["id"] + PAGES[name])
    found = violations(page)
    context.close()
    assert not found, "\n".join(found)


@pytest.mark.parametrize("name", ENGLISH_PAGES)
def test_axe_finds_no_serious_violation_on_english_newsroom_pages(
        browser: Any, sites: dict[str, str], name: str) -> None:  # noqa: F811
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(sites["en"] + ENGLISH_PAGES[name])
    found = violations(page)
    context.close()
    assert not found, "\n".join(found)


def test_the_phone_menu_opens_without_scrolling_the_page(
        browser: Any, sites: dict[str, str]) -> None:  # noqa: F811
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(sites["id"] + PAGES["live"])
    menu = page.locator("#menu")
    assert not menu.is_visible()
    before = page.evaluate("window.scrollY"), page.url
    page.locator("label.menu-toggle").click()
    assert menu.is_visible() and menu.get_by_role("link", name="Ekonomi").is_visible()
    assert (page.evaluate("window.scrollY"), page.url) == before, "the page must not jump"
    page.locator("label.menu-close").click()
    assert not menu.is_visible()
    context.close()


def test_the_menu_opens_from_the_keyboard(browser: Any, sites: dict[str, str]) -> None:  # noqa: F811
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(sites["id"] + "/")
    page.focus("#menu-open")
    outline = page.evaluate("getComputedStyle(document.querySelector('.menu-toggle')).outlineStyle")
    assert outline == "solid", "the focused checkbox shows on its label"
    page.keyboard.press("Space")
    assert page.locator("#menu").is_visible()
    context.close()
