"""The default theme in a real browser: Debian's Chromium driven by Playwright.

The built sample site (and the English test site) is served by the standard
library's HTTP server on 127.0.0.1. axe-core comes from the PyPI package
axe-playwright-python (test extras), which carries axe.min.js; we run it
ourselves so the check does not depend on that package's Python API.

SITEGEN_UPDATE_SCREENSHOTS=1 rewrites docs/screenshots/*.png.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from PIL import Image

from tests.conftest import REPO, build_copy, missing_tool

pytestmark = pytest.mark.browser

ENGLISH_SITE = REPO / "tests" / "sites" / "english"
SCREENSHOTS = REPO / "docs" / "screenshots"
SEED = "/ekonomi/jack-ma-tawarkan-alibaba-bantu-pebisnis-as/"
PAGES = {"home": "/", "section": "/ekonomi/", "article": SEED, "tag": "/tag/alibaba/",
         "author": "/penulis/andreas-wicaksono/"}
ENGLISH_PAGES = {"home": "/", "section": "/business/",
                 "article": "/business/jack-ma-offers-alibaba-to-us-businesses/",
                 "tag": "/tag/trade/", "author": "/author/jane-doe/"}
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
ALL_IMAGES_LOADED = "Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@functools.cache
def axe_source() -> str:
    spec = importlib.util.find_spec("axe_playwright_python")
    script = Path(spec.origin).parent / "axe.min.js" if spec and spec.origin else None
    if script is None or not script.is_file():
        missing_tool("axe-core is missing: pip install -e '.[test]' (axe-playwright-python)")
    return script.read_text("utf-8")


def serve(folder: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


def served_sample(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[str]:
    """A fixture's body: the sample site built into a copy and served, until the fixture ends."""
    url, server = serve(build_copy(REPO, tmp_path_factory.mktemp(name)))
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Base URLs of the served sample site ("id") and English test site ("en")."""
    servers = {}
    for name, source in (("id", REPO), ("en", ENGLISH_SITE)):
        servers[name] = serve(build_copy(source, tmp_path_factory.mktemp(name)))
    yield {name: url for name, (url, _) in servers.items()}
    for _, server in servers.values():
        server.shutdown()
        server.server_close()


def violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations, one line each."""
    page.evaluate(axe_source())
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['impact']} {v['id']}: {v['help']} at "
            f"{', '.join(str(n['target']) for n in v['nodes'][:5])}"
            for v in results["violations"] if v["impact"] in {"serious", "critical"}]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(("scheme", "viewport"), [("light", PHONE), ("dark", DESKTOP)])
def test_axe_finds_no_serious_violation(browser: Any, sites: dict[str, str], name: str,
                                        scheme: str, viewport: dict[str, int]) -> None:
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    page.goto(sites["id"] + PAGES[name])
    found = violations(page)
    context.close()
    assert not found, "\n".join(found)


@pytest.mark.parametrize("name", ENGLISH_PAGES)
def test_axe_finds_no_serious_violation_on_the_english_site(browser: Any, sites: dict[str, str],
                                                            name: str) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(sites["en"] + ENGLISH_PAGES[name])
    found = violations(page)
    context.close()
    assert not found, "\n".join(found)


class Recorder:
    """Everything a page asks the network for, and everything that goes wrong."""

    def __init__(self, page: Any) -> None:
        self.hosts: set[str] = set()
        self.problems: list[str] = []
        page.on("request", lambda r: self.hosts.add(urlsplit(r.url).netloc))
        page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url}"))
        page.on("response", lambda r: r.status >= 400 and self.problems.append(
            f"HTTP {r.status}: {r.url}"))
        page.on("console", lambda m: m.type == "error" and self.problems.append(
            f"console: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))


SCROLL_THROUGH = """async () => {
  const frame = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight / 2) {
    scrollTo(0, y);
    await frame();
  }
  scrollTo(0, 0);
}"""


def load_everything(page: Any, url: str) -> None:
    """Open a page and scroll through it as a reader would, so lazy images load (or fail)."""
    page.goto(url)
    page.evaluate(SCROLL_THROUGH)
    page.wait_for_function(ALL_IMAGES_LOADED)


@pytest.mark.parametrize("name", PAGES)
def test_on_a_phone_pages_fit_load_only_local_files_and_size_every_image(
        browser: Any, sites: dict[str, str], name: str) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    recorder = Recorder(page)
    load_everything(page, sites["id"] + PAGES[name])
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    images = page.evaluate("""Array.from(document.images).map(i => ({
        src: i.getAttribute('src'), width: i.getAttribute('width'),
        height: i.getAttribute('height'), loading: i.getAttribute('loading'),
        priority: i.getAttribute('fetchpriority')}))""")
    context.close()
    assert widths[0] <= widths[1], f"scrolls sideways: {widths[0]} px wide in {widths[1]} px"
    assert not recorder.problems, "\n".join(recorder.problems)
    assert recorder.hosts == {urlsplit(sites["id"]).netloc}
    assert images
    for image in images:
        assert int(image["width"]) > 0 and int(image["height"]) > 0, image
    if name == "article":
        priority = [i for i in images if i["priority"] == "high"]
        assert len(priority) == 1 and priority[0]["loading"] != "lazy", priority
        assert priority[0]["src"].startswith("/_img/jack-ma-donald-trump-")


@pytest.mark.parametrize("width", [320, 768, 1024, 1600])
def test_no_page_scrolls_sideways_from_320_to_1600_pixels(browser: Any, sites: dict[str, str],
                                                          width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    wide = []
    for path in [*PAGES.values(), "/arsip/", "/redaksi/", "/404.html"]:
        page.goto(sites["id"] + path)
        if page.evaluate("document.documentElement.scrollWidth") > width:
            wide.append(path)
    context.close()
    assert not wide, f"at {width} px these pages scroll sideways: {wide}"


CHARACTERS_PER_LINE = """() => {
  // The longest paragraph of the body, measured character by character.
  const p = [...document.querySelectorAll('.story-body > p')]
    .sort((a, b) => b.textContent.length - a.textContent.length)[0];
  const lines = new Map();
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (rect) { const top = Math.round(rect.top); lines.set(top, (lines.get(top) || 0) + 1); }
    }
  }
  const counts = [...lines.values()].slice(0, -1);  // the last line is short
  return counts.reduce((a, b) => a + b, 0) / counts.length;
}"""


def test_article_text_is_18px_on_phones_and_about_70_characters_a_line_on_desktop(
        browser: Any, sites: dict[str, str]) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(sites["id"] + SEED)
    phone_size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.story-body p')).fontSize)")
    page.set_viewport_size(DESKTOP)
    per_line = page.evaluate(CHARACTERS_PER_LINE)
    context.close()
    assert phone_size >= 18
    assert 60 <= per_line <= 78, f"{per_line:.0f} characters a line"


def test_the_menu_opens_and_closes_without_javascript(browser: Any, sites: dict[str, str]) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(sites["id"] + SEED)
    menu = page.locator("#menu")
    assert not menu.is_visible()
    # The "Menu" label ticks a checkbox (tests/test_newsroom_browser.py: without scrolling).
    page.locator("label.menu-toggle").click()
    assert menu.is_visible()
    assert menu.get_by_role("link", name="Olahraga").is_visible()
    page.locator("label.menu-close").click()
    assert not menu.is_visible()
    page.set_viewport_size(DESKTOP)
    assert menu.is_visible() and not page.locator("label.menu-toggle").is_visible()
    context.close()


def test_the_keyboard_focus_is_visible_and_the_skip_link_comes_first(
        browser: Any, sites: dict[str, str]) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(sites["id"] + SEED)
    page.keyboard.press("Tab")
    skip = page.evaluate("""(() => {
        const a = document.activeElement, r = a.getBoundingClientRect();
        return [a.className, r.top >= 0 && r.left >= 0, getComputedStyle(a).outlineStyle]; })()""")
    for _ in range(3):
        page.keyboard.press("Tab")
    outline = page.evaluate("""(() => { const s = getComputedStyle(document.activeElement);
        return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()""")
    context.close()
    assert skip == ["skip-link", True, "solid"]
    assert outline[0] == "solid" and outline[1] >= 2


def test_dark_scheme_and_print_styles_apply(browser: Any, sites: dict[str, str]) -> None:
    context = browser.new_context(viewport=DESKTOP, color_scheme="dark")
    page = context.new_page()
    page.goto(sites["id"] + SEED)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.emulate_media(media="print", color_scheme="light")
    printed = page.evaluate("""
        ['.site-nav', '.story-footer', '.story-aside', '.site-footer', '.story']
        .map(s => getComputedStyle(document.querySelector(s)).display)""")
    context.close()
    red, green, blue = (int(c) for c in background.removeprefix("rgb(").rstrip(")").split(","))
    assert max(red, green, blue) < 60, background
    assert printed == ["none", "none", "none", "none", "block"]


SHOTS = [("home", "/", PHONE), ("home", "/", DESKTOP), ("article", SEED, PHONE),
         ("article", SEED, DESKTOP)]
SHOT_HEIGHT = 1800
SHOT_LIMIT = 500_000


@pytest.mark.parametrize(("name", "path", "viewport"), SHOTS)
def test_screenshots(browser: Any, sites: dict[str, str], name: str, path: str,
                     viewport: dict[str, int]) -> None:
    """The README's screenshots: the top of each page, light scheme."""
    target = SCREENSHOTS / f"{name}-{viewport['width']}.png"
    if os.environ.get("SITEGEN_UPDATE_SCREENSHOTS") == "1":
        context = browser.new_context(viewport=viewport, color_scheme="light")
        page = context.new_page()
        load_everything(page, sites["id"] + path)
        target.parent.mkdir(parents=True, exist_ok=True)
        height = min(SHOT_HEIGHT, page.evaluate("document.documentElement.scrollHeight"))
        page.screenshot(path=str(target), full_page=True,
                        clip={"x": 0, "y": 0, "width": viewport["width"], "height": height})
        context.close()
        # Screenshots of flat illustrations lose nothing with a 256-colour palette.
        with Image.open(target) as shot:
            shot.convert("RGB").quantize(256).save(target, optimize=True)
    assert target.is_file(), f"run SITEGEN_UPDATE_SCREENSHOTS=1 pytest -k screenshots: {target}"
    with Image.open(target) as shot:
        assert shot.width == viewport["width"]
    assert target.stat().st_size < SHOT_LIMIT
