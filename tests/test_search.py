"""Search: the Pagefind index as a build step, its failure modes, and the search page in a
real browser, served by a plain static HTTP server on 127.0.0.1."""

from __future__ import annotations

import functools
import gzip
import json
import re
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitegen.cli import main
from sitegen.errors import SitegenError
from tests.conftest import REPO, article, build_site, make_site, read_tree
from tests.sample_build import (
    SECTION_COUNTS,
    SEED,
    SEED_TITLE,
    STANDALONE_PAGES,
    build_sample,
)

# Articles and standalone pages: the sample's 20 published articles, the moved one, 3 pages.
INDEXED_PAGES = 21 + len(STANDALONE_PAGES)


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("search"))


def test_the_build_writes_an_index_of_articles_and_pages_only(output: Path) -> None:
    entry = json.loads((output / "pagefind/pagefind-entry.json").read_text())
    # The sample's English page (`lang: en`) gets an index of its own language.
    assert sorted(entry["languages"]) == ["en", "id"]
    assert entry["languages"]["id"]["page_count"] == INDEXED_PAGES
    assert entry["languages"]["en"]["page_count"] == 1
    # A stemmer of its own for the site's language: Indonesian words are reduced to their
    # root ("membantu", "bantuan" -> "bantu"); a language without one gets only "unknown".
    assert entry["languages"]["id"]["wasm"] == "id"
    assert (output / "pagefind/wasm.id.pagefind").is_file()
    for asset in ("pagefind.js", "pagefind-worker.js"):
        assert (output / "pagefind" / asset).is_file()


def indexed_urls(bundle: Path) -> list[str]:
    """The URL of every page in a Pagefind bundle, read from its fragments (gzip, after a
    `pagefind_dcd` signature, one JSON object per page)."""
    found = []
    for fragment in sorted(bundle.rglob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        found.append(json.loads(data[data.index(b"{"):])["url"])
    return found


def test_only_articles_and_standalone_pages_are_indexed_never_lists(output: Path) -> None:
    urls = indexed_urls(output / "pagefind")
    standalone = (*STANDALONE_PAGES, "about-us/")  # the sample's English page
    assert len(urls) == len(set(urls)) == INDEXED_PAGES + 1
    articles = [u for u in urls if u.strip("/") + "/" not in standalone]
    assert sorted(u for u in urls if u not in articles) == sorted(f"/{p}" for p in standalone)
    # Each article once, in its section: no home page, section, tag, author or
    # paginated list, although each of them is a page of the site with cards and dek text.
    assert Counter(u.split("/")[1] for u in articles) == SECTION_COUNTS
    assert all(u.count("/") == 3 for u in articles)
    lists = ["", "page/2/", "ekonomi/", "tag/alibaba/", "cari/"]
    assert all((output / page / "index.html").is_file() for page in lists)
    assert not {f"/{page}" for page in lists} & set(urls)


def test_the_search_page_uses_the_site_layout_and_local_assets(output: Path) -> None:
    page = (output / "cari/index.html").read_text(encoding="utf-8")
    assert '<html lang="id">' in page and 'class="list"' in page and 'class="list-header' in page
    # The settings are a data block and the code a file of the site (no inline script,
    # so the Content-Security-Policy of hostfiles.py holds).
    assert '"bundle": "/pagefind/"' in page
    script = re.search(r'<script type="module" src="/(js/search\.\w+\.js)"></script>', page)
    assert script and 'bundle + "pagefind.js"' in (output / script.group(1)).read_text()
    assert "https://" not in page.split("<body", 1)[1].split("</header>", 1)[1].replace(
        "https://schema.org", "")


def test_an_unchanged_site_leaves_the_index_unchanged(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {f"content/ekonomi/a{i}.md": article(f"Berita {i}")
                                         for i in range(3)})
    build_site(site)
    before = read_tree(site / "output")
    report = build_site(site, use_cache=False)
    assert [f for f in report.written if f.startswith("pagefind/")] == []
    assert read_tree(site / "output") == before


def test_search_can_be_turned_off(tmp_path: Path) -> None:
    output = build_sample(tmp_path, build_settings="search = false\n")
    assert not (output / "pagefind").exists() and not (output / "cari").exists()
    assert "SearchAction" not in (output / "index.html").read_text(encoding="utf-8")


def test_a_failing_index_step_stops_the_build_and_keeps_the_old_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path / "site", {"content/ekonomi/a.md": article("Berita")})
    build_site(site)
    before = read_tree(site / "output")
    (site / "content/ekonomi/b.md").write_text(article("Berita baru"), encoding="utf-8")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")
    with pytest.raises(SitegenError) as failure:
        build_site(site)
    [problem] = failure.value.problems
    assert problem.path == "sitegen.toml"
    assert "building the search index failed: pagefind exited with status 1" in problem.message
    assert "search = false" in problem.message
    assert read_tree(site / "output") == before


def test_a_missing_pagefind_is_a_clear_error_from_the_cli(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path / "site", {"content/ekonomi/a.md": article("Berita")})
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    result = CliRunner().invoke(main, ["build", "--source", str(site),
                                       "--now", "2026-11-28T12:00:00+07:00"])
    assert result.exit_code == 1
    assert "sitegen.toml: building the search index failed: could not run" in result.output
    assert "Traceback" not in result.output
    assert not (site / "output").exists()


def test_pagefind_ships_with_sitegen() -> None:
    dependencies = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"pagefind[extended]' in dependencies.split("[project.optional-dependencies]")[0]


# --- in the browser ------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The sample site under a base path (/berita/), served from a plain static server."""
    root = tmp_path_factory.mktemp("served")
    site = root / "sample"
    build_sample(root)
    # Build it again under the base path the server will use, known once the port is bound.
    handler = functools.partial(_QuietHandler, directory=str(root / "www"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    (root / "www").mkdir()
    result = CliRunner().invoke(main, ["build", "--source", str(site), "--quiet",
                                       "--now", "2026-11-28T12:00:00+07:00",
                                       "--base-url", f"{origin}/berita/",
                                       "--output", str(root / "www/berita")])
    assert result.exit_code == 0, result.output
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield origin, root / "www/berita"
    server.shutdown()
    server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def open_search(browser, origin: str, query: str = ""):  # type: ignore[no-untyped-def]
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{origin}/berita/cari/{query}")
    return page, requests


@pytest.mark.browser
def test_typing_a_word_lists_the_seed_article(browser, served: tuple[str, Path]) -> None:
    origin, _ = served
    page, requests = open_search(browser, origin)
    page.fill("#search-input", "Alibaba")
    link = page.locator(f'#search-results a[href="/berita/{SEED}"]')
    link.wait_for(timeout=15_000)
    assert link.inner_text() == SEED_TITLE
    assert page.locator("#search-results .card.card-row").count() >= 1
    assert page.url == f"{origin}/berita/cari/?q=Alibaba"
    card = page.locator("#search-results .card").filter(
        has=page.locator(f'a[href="/berita/{SEED}"]'))
    assert card.locator(".section-label").text_content() == "Ekonomi"
    assert card.locator(".dek mark").first.text_content() == "Alibaba"
    assert all(url.startswith(origin + "/") for url in requests), requests
    page.close()


@pytest.mark.browser
def test_a_word_typed_before_the_script_is_ready_is_searched(
        browser, served: tuple[str, Path]) -> None:  # type: ignore[no-untyped-def]
    """search.js waits for Pagefind before it listens; a reader (or a slow machine) can
    type first. The typing here happens when the document is parsed, while the script
    is still awaiting Pagefind's module, so its input event has no listener yet."""
    origin, _ = served
    page = browser.new_page()
    page.add_init_script("""document.addEventListener("DOMContentLoaded", () => {
        const input = document.getElementById("search-input");
        input.value = "Alibaba";
        input.dispatchEvent(new Event("input"));
    });""")
    page.goto(f"{origin}/berita/cari/")
    page.locator(f'#search-results a[href="/berita/{SEED}"]').wait_for(timeout=15_000)
    assert page.url == f"{origin}/berita/cari/?q=Alibaba"
    page.close()


@pytest.mark.browser
def test_what_every_article_carries_is_not_searched(browser, served: tuple[str, Path]) -> None:
    origin, output = served
    body = (output / SEED / "index.html").read_text(encoding="utf-8")
    assert "WhatsApp" in body and "LinkedIn" in body
    for query in ("WhatsApp", "Telegram", "LinkedIn"):
        page, _ = open_search(browser, origin, f"?q={query}")
        page.wait_for_function("document.getElementById('search-status').textContent"
                               ".includes('Tidak ada')", timeout=15_000)
        assert page.locator("#search-results .card").count() == 0, query
        page.close()


@pytest.mark.browser
def test_a_search_link_and_indonesian_stemming(browser, served: tuple[str, Path]) -> None:
    origin, output = served
    body = (output / SEED / "index.html").read_text(encoding="utf-8")
    # "menjanjikan" is in the seed article; "dijanjikan" is not, but has the same root.
    assert "menjanjikan" in body and "dijanjikan" not in body
    page, _ = open_search(browser, origin, "?q=dijanjikan")
    page.locator(f'#search-results a[href="/berita/{SEED}"]').wait_for(timeout=15_000)
    assert page.input_value("#search-input") == "dijanjikan"
    page.close()
