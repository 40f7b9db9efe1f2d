"""The security headers written for Netlify and Cloudflare (`_headers`) let the default
theme work in Chromium: pages, an embed's player and the search run without a single
Content-Security-Policy violation, while an inline script would be refused (issue 21)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from tests.conftest import BASIC_CONFIG, article, build_site, make_site

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def _rules(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    rules: ClassVar[list[tuple[str, list[tuple[str, str]]]]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith(" "):
            name, _, value = line.strip().partition(": ")
            rules[-1][1].append((name, value))
        else:
            rules.append((line, []))
    return rules


class _HostHandler(SimpleHTTPRequestHandler):
    """A static host that applies `_headers` as Netlify does: every matching rule."""

    rules: ClassVar[list[tuple[str, list[tuple[str, str]]]]] = []

    def end_headers(self) -> None:
        path = self.path.split("?", 1)[0]
        for pattern, headers in self.rules:
            if pattern == path or (pattern.endswith("*") and path.startswith(pattern[:-1])):
                for name, value in headers:
                    self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = make_site(tmp_path_factory.mktemp("csp"), {
        "content/ekonomi/harga.md": article("Harga Cabai Naik", tags=["Pasar"], body="""\
            Harga cabai naik di pasar.

            | Barang | Harga |
            |:--|--:|
            | Cabai | 68.000 |

            !embed[Wawancara](https://www.youtube.com/watch?v=dQw4w9WgXcQ)
            """),
        "content/nasional/banjir.md": article("Banjir Rob", body="Banjir rob di pesisir."),
    }, BASIC_CONFIG + '\n[deploy]\nhost = "netlify"\n')
    build_site(site)
    output = site / "output"
    handler = type("Handler", (_HostHandler,), {
        "rules": _rules((output / "_headers").read_text("utf-8"))})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler,
                                                                     directory=str(output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.browser
def test_the_theme_works_under_its_content_security_policy(browser, host: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.add_init_script(WATCH)
    # The player's own site is not reached from the test machine; only the policy matters.
    page.route("https://www.youtube-nocookie.com/**", lambda route: route.fulfill(
        status=200, body="<!doctype html><title>player</title>", content_type="text/html"))
    for path in ("/", "/ekonomi/harga/", "/tag/pasar/", "/nasional/"):
        response = page.goto(host + path)
        assert response is not None and response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert page.evaluate("window.__violations") == [], path
    page.goto(host + "/ekonomi/harga/")
    page.click("a[data-embed]")
    page.wait_for_selector("iframe.embed-player")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__violations") == []
    page.goto(host + "/cari/")
    page.fill("#search-input", "Banjir")
    page.locator('#search-results a[href="/nasional/banjir/"]').wait_for(timeout=30_000)
    assert page.evaluate("window.__violations") == []
    # The detector works: an inline script, what an injection would add, is refused.
    page.evaluate("""() => { const s = document.createElement("script");
                     s.textContent = "window.__ran = true"; document.body.append(s); }""")
    # The violation event is dispatched asynchronously: wait for it (a loaded machine).
    page.wait_for_function("window.__violations.some(v => v.startsWith('script-src'))",
                           timeout=10_000)
    assert page.evaluate("window.__ran === undefined")
    page.close()
