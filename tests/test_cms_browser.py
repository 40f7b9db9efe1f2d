"""The editors' CMS in Chromium, for a site `init` made for each host, served by `sitegen serve`.

Each site gets its app with `sitegen fetch-cms --from` the npm packages `.ci/run`
fetched into `.ci/cache/` (the pipelines fetch the same from the registry), and the
admin page must reach the sign-in screen of the method chosen for its host with no
request to any other host: every request that leaves the preview server fails the test.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from sitegen import cms, cms_app
from sitegen.cli import main
from tests.test_cms import npm_packs
from tests.test_serve import start_preview

pytestmark = pytest.mark.browser

# host -> (what sitegen.toml's [cms] says beyond init's, the sign-in button, what it opens)
# (Sveltia wraps the service's name in Unicode isolates: \u2068GitHub\u2069.)
METHODS = {
    "github": ("", "Sign In Using Access Token", "token"),
    "cloudflare": ("", "Sign In Using Access Token", "token"),
    "s3": ("", "Sign In Using Access Token", "token"),
    # Netlify's OAuth service, in a pop-up
    "netlify": ("", re.compile(r"^Sign In with \W?GitHub\W?$"), None),
    "gitlab": ('auth_type = "pkce"\napp_id = "0123abcd"\n',
               re.compile(r"^Sign In with \W?GitLab\W?$"), None),
}


@pytest.fixture(scope="module")
def admin_pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The admin page's address of a served site per host, plus one without the app."""
    packs = npm_packs()
    previews = {}
    for host, (extra, _, _) in METHODS.items():
        site = tmp_path_factory.mktemp("cms") / host
        result = CliRunner().invoke(main, ["init", str(site), "--host", host,
                                           "--repo", "redaksi/kabar"])
        assert result.exit_code == 0, result.output
        if extra:
            config = site / "sitegen.toml"
            text = config.read_text("utf-8").replace('auth_type = "token"\n', extra)
            config.write_text(text, "utf-8")
            assert CliRunner().invoke(main, ["admin", "--source", str(site)]).exit_code == 0
        bare = tmp_path_factory.mktemp("bare") / host
        shutil.copytree(site, bare)
        fetched = CliRunner().invoke(main, ["fetch-cms", "--source", str(site), "--from",
                                            str(packs)])
        assert fetched.exit_code == 0, fetched.output
        previews[host] = start_preview(site)
        if host == "github":
            previews["no-app"] = start_preview(bare)
    yield {name: preview.url + "admin/" for name, preview in previews.items()}
    for preview in previews.values():
        preview.stop()


def open_admin(browser: Any, url: str) -> tuple[Any, Any, list[str], list[str]]:
    outside: list[str] = []
    errors: list[str] = []
    own = urlsplit(url).netloc

    def answer(route: Any) -> None:
        target = urlsplit(route.request.url)
        if target.netloc == own or target.scheme in {"data", "blob"}:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", answer)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    return context, page, outside, errors


@pytest.mark.parametrize("host", list(METHODS))
def test_the_admin_page_reaches_the_sign_in_screen_with_no_other_host(
        browser: Any, admin_pages: dict[str, str], host: str) -> None:
    _, control, shows = METHODS[host]
    context, page, outside, errors = open_admin(browser, admin_pages[host])
    button = page.get_by_role("button", name=control)
    button.wait_for(timeout=30_000)
    if shows == "token":
        button.click()
        page.get_by_role("textbox").first.wait_for(timeout=10_000)
        assert "Enter your token below" in page.evaluate("document.body.innerText")
    shown = page.evaluate("document.body.innerText")
    # The repository init was given, and the app's own fonts from the site's folder.
    fonts = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded')"
                          ".map(f => f.family)")
    assert page.locator("#sitegen-cms-missing").is_hidden()
    context.close()
    assert not outside, f"requests to other hosts: {outside}"
    assert not errors, errors
    assert "Sveltia CMS" in shown
    assert any("Source Sans 3" in family for family in fonts), fonts


def test_a_missing_app_shows_a_message_instead_of_a_blank_page(
        browser: Any, admin_pages: dict[str, str]) -> None:
    context, page, outside, _ = open_admin(browser, admin_pages["no-app"])
    message = page.locator("#sitegen-cms-missing")
    message.wait_for(state="visible", timeout=10_000)
    text = message.inner_text()
    context.close()
    assert "Aplikasi redaksi tidak termuat" in text and "sitegen fetch-cms" in text
    assert not outside
    assert cms.ADMIN_DIR.endswith("admin") and cms_app.APP_FILE in text
