"""In Chromium: each edition's search page finds a word of its own stories, and a word
of the other edition's only when "all editions" is chosen. The two-edition site is
built under a base path and served by a plain static server on 127.0.0.1."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from sitegen.build import BuildOptions, build
from sitegen.config import load_config
from tests.conftest import NOW
from tests.editions_site import EN_WORD, ID_WORD, make_editions_site


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("editions-browser")
    site = make_editions_site(root / "site")
    (root / "www").mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root / "www"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    address = f"http://127.0.0.1:{server.server_address[1]}"
    config = load_config(site).with_base_url(f"{address}/berita/")
    build(config, BuildOptions(now=NOW, jobs=1, output=root / "www/berita"))
    assert (root / "www/berita/en/pagefind/pagefind.js").is_file()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield address
    server.shutdown()
    server.server_close()


def results(page: Any, query: str, expected: str | None) -> list[str]:
    """The result links' addresses once the search for `query` shows `expected` (a
    link), or says it found nothing."""
    page.fill("#search-input", query)
    if expected:
        page.locator(f'#search-results a[href="{expected}"]').wait_for(timeout=15_000)
    else:
        page.wait_for_function(
            "() => document.getElementById('search-status').textContent === JSON.parse("
            "document.getElementById('search-config').textContent).strings.none",
            timeout=15_000)
    page.wait_for_timeout(300)  # nothing else arrives late
    return [a.get_attribute("href") for a in page.locator("#search-results h2 a").all()]


@pytest.mark.browser
@pytest.mark.parametrize(("path", "mine", "theirs", "mine_url", "theirs_url"), [
    ("cari/", ID_WORD, EN_WORD, "/berita/ekonomi/pasar-ikan/",
     "/berita/en/economy/harbour-cranes/"),
    ("en/search/", EN_WORD, ID_WORD, "/berita/en/economy/harbour-cranes/",
     "/berita/ekonomi/pasar-ikan/"),
])
def test_each_edition_searches_its_own_stories_unless_all_editions(
        browser: Any, origin: str, path: str, mine: str, theirs: str, mine_url: str,
        theirs_url: str) -> None:
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{origin}/berita/{path}")
    assert results(page, mine, mine_url) == [mine_url]
    assert results(page, theirs, None) == []
    page.check("#search-all")  # searches again, now in every edition
    assert results(page, theirs, theirs_url) == [theirs_url]
    assert "all=1" in page.url
    assert results(page, mine, mine_url) == [mine_url]  # its own stories still
    assert all(url.startswith(origin + "/") for url in requests), requests
    page.close()
