"""The default theme with each common fallback font: it must hold whatever fonts a reader has.

The theme names Georgia and the system's sans-serif; a Linux machine without them
falls back to DejaVu, Liberation or Noto, which are much wider or narrower. Each
test forces one family pair through the theme's own `--serif` and `--sans`
variables (an injected stylesheet), so the result never depends on what the
machine's fontconfig would choose, and asks Chromium (DevTools'
CSS.getPlatformFontsForNode) which font it really drew with: a family that is
not installed is a missing tool (`.ci/run` installs them), not a silent pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import missing_tool
from tests.test_theme_browser import CHARACTERS_PER_LINE, PAGES, SEED, served_sample

pytestmark = pytest.mark.browser

# serif, sans-serif: the Debian packages fonts-dejavu-core, fonts-liberation, fonts-noto-core.
FAMILIES = {"dejavu": ("DejaVu Serif", "DejaVu Sans"),
            "liberation": ("Liberation Serif", "Liberation Sans"),
            "noto": ("Noto Serif", "Noto Sans")}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from served_sample(tmp_path_factory, "fonts")


def force_fonts(page: Any, family: str) -> None:
    serif, sans = FAMILIES[family]
    page.add_style_tag(content=f":root {{ --serif: '{serif}' !important; "
                               f"--sans: '{sans}' !important; }}")
    # The fonts a node was drawn with are those of the last layout: wait until the page
    # has laid itself out again with the forced families (two frames after the style
    # applies), or the check reads the theme's own fonts or a mix of both.
    page.wait_for_function(
        """(serif) => getComputedStyle(document.documentElement)
                          .getPropertyValue("--serif").includes(serif)""", arg=serif)
    page.evaluate("""() => document.fonts.ready.then(() => new Promise((done) => {
        void document.body.offsetHeight;  // lay out now, with the forced families
        requestAnimationFrame(() => requestAnimationFrame(done));
    }))""")


def drawn_with(page: Any, selector: str) -> set[str]:
    """The font families Chromium used for the text of the first element matching selector."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return {f["familyName"] for f in fonts}


def require_fonts(page: Any, family: str) -> None:
    serif, sans = FAMILIES[family]
    # The first paragraph's dateline is set in the sans-serif.
    for selector, wanted in ((".story-body > p", serif), (".masthead-tools a", sans)):
        used = drawn_with(page, selector)
        if wanted not in used or not used <= {serif, sans}:
            missing_tool(f"{wanted} is not installed (drawn with {sorted(used)}): "
                         "apt-get install -y fonts-dejavu-core fonts-liberation fonts-noto-core")


@pytest.mark.parametrize("family", FAMILIES)
def test_no_page_scrolls_sideways_at_320_pixels_with_each_font(browser: Any, site: str,
                                                               family: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.goto(site + SEED)
    force_fonts(page, family)
    require_fonts(page, family)
    wide = {}
    for path in [*PAGES.values(), "/arsip/", "/redaksi/", "/404.html"]:
        page.goto(site + path)
        force_fonts(page, family)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[path] = width
    context.close()
    assert not wide, f"with {family} these pages are wider than 320 px: {wide}"


@pytest.mark.parametrize("family", FAMILIES)
def test_the_article_keeps_about_70_characters_a_line_with_each_font(browser: Any, site: str,
                                                                     family: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site + SEED)
    force_fonts(page, family)
    require_fonts(page, family)
    per_line = page.evaluate(CHARACTERS_PER_LINE)
    context.close()
    assert 60 <= per_line <= 78, f"{per_line:.0f} characters a line with {family}"


def test_forcing_a_font_changes_what_is_drawn(browser: Any, site: str) -> None:
    """The check above cannot pass by accident: the forced family is the one drawn."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(site + SEED)
    force_fonts(page, "dejavu")
    require_fonts(page, "dejavu")
    dejavu = drawn_with(page, ".story-body > p")
    force_fonts(page, "liberation")
    require_fonts(page, "liberation")
    liberation = drawn_with(page, ".story-body > p")
    context.close()
    assert "DejaVu Serif" in dejavu and "Liberation Serif" not in dejavu
    assert "Liberation Serif" in liberation and "DejaVu Serif" not in liberation
