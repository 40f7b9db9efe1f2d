"""The raw HTML policy: `[markdown] raw_html` for pages, and feeds that never run code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
from lxml import etree, html

from sitegen.errors import SitegenError
from tests.conftest import BASIC_CONFIG, article, build_site, make_site

YOUTUBE = ('<iframe width="560" height="315" '
           'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="Video" '
           'allowfullscreen></iframe>')
HOSTILE = f"""\
Paragraf pembuka dengan [tautan biasa](https://example.org/a) dan
[tautan jahat](javascript:alert(1)).

<script>alert("halo")</script>

<p onclick="steal()">Klik <a href="JaVaScRiPt:alert(2)" onmouseover="x()">di sini</a>.</p>

<img src="/tidak-ada.jpg" onerror="alert(3)" alt="Gambar">

<figure class="foto"><img src="https://example.org/x.jpg" alt="X">
<figcaption>Keterangan foto</figcaption></figure>

{YOUTUBE}

<iframe src="https://evil.example/phish"></iframe>

| Kota | Suhu |
|:-----|-----:|
| Bogor | 24 |

<style>body {{ display: none }}</style>
"""


def site_with(tmp_path: Path, mode: str | None) -> Path:
    config = BASIC_CONFIG + (f'\n[markdown]\nraw_html = "{mode}"\n' if mode else "")
    return make_site(tmp_path / "site", {
        "content/nasional/embed.md": article("Video Banjir", body=HOSTILE),
    }, config=config)


def body_of(site: Path) -> html.HtmlElement:
    page = html.fromstring((site / "output/nasional/embed/index.html").read_bytes())
    [body] = page.xpath('//div[@class="story-body"]')
    return body


def runs_code(element: html.HtmlElement) -> list[str]:
    """Everything in a tree that a browser would run."""
    found = [f"<{e.tag}>" for e in element.iter("script")]
    for e in element.iter():
        for name, value in e.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"{name}=")
            if value.strip().lower().startswith("javascript:"):
                found.append(f"{name}={value}")
    return found


@pytest.mark.parametrize("mode", [None, "sanitize"])
def test_sanitize_removes_code_and_keeps_what_news_needs(tmp_path: Path, mode: str | None) -> None:
    site = site_with(tmp_path, mode)  # None: sanitize is the default
    build_site(site)
    body = body_of(site)
    assert runs_code(body) == []
    assert not list(body.iter("style"))
    [iframe] = body.iter("iframe")  # the YouTube one stays, the other host's is gone
    assert iframe.get("src") == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert iframe.get("allowfullscreen") is not None
    assert body.xpath('.//figure[@class="foto"]/figcaption/text()') == ["Keterangan foto"]
    assert [td.get("style") for td in body.iter("td")] == ["text-align:left", "text-align:right"]
    assert body.xpath('.//a[@href="https://example.org/a"]/text()') == ["tautan biasa"]
    assert "Klik" in body.text_content() and "tautan jahat" in body.text_content()


def test_allow_passes_raw_html_through_to_pages(tmp_path: Path) -> None:
    site = site_with(tmp_path, "allow")
    build_site(site)
    body = body_of(site)
    assert "<script>" in runs_code(body) and "onclick=" in runs_code(body)
    assert len(list(body.iter("iframe"))) == 2


def test_escape_shows_raw_html_as_text(tmp_path: Path) -> None:
    site = site_with(tmp_path, "escape")
    build_site(site)
    body = body_of(site)
    assert runs_code(body) == [] and not list(body.iter("iframe"))
    assert '<script>alert("halo")</script>' in body.text_content()
    assert "<iframe" in body.text_content()
    assert list(body.iter("table"))  # Markdown's own markup is kept


@pytest.mark.parametrize("mode", ["allow", "sanitize", "escape"])
def test_no_feed_ever_carries_code(tmp_path: Path, mode: str) -> None:
    site = site_with(tmp_path, mode)
    build_site(site)
    for name in ("feed.xml", "atom.xml", "nasional/feed.xml", "nasional/atom.xml"):
        data = (site / "output" / name).read_bytes()
        etree.fromstring(data)
        parsed = feedparser.parse(data)
        assert not parsed.bozo, parsed.bozo_exception
        [entry] = parsed.entries
        content = entry.content[0]["value"] if "content" in entry else entry.summary
        fragment = html.fragment_fromstring(content, create_parent="div")
        assert runs_code(fragment) == [], (name, mode)
        assert b"<script" not in data.lower()
    [item] = json.loads((site / "output/feed.json").read_text())["items"]
    assert runs_code(html.fragment_fromstring(item["content_html"], create_parent="div")) == []


def test_raw_html_is_validated_like_every_config_key(tmp_path: Path) -> None:
    site = site_with(tmp_path, "sanitise")
    with pytest.raises(SitegenError) as raised:
        build_site(site)
    [problem] = raised.value.problems
    assert problem.path.endswith("sitegen.toml") and problem.line == 7
    assert "markdown.raw_html must be one of 'allow', 'sanitize', 'escape'" in problem.message
    assert "did you mean 'sanitize'?" in problem.message


def test_changing_the_setting_rebuilds_the_bodies_despite_the_cache(tmp_path: Path) -> None:
    site = site_with(tmp_path, "allow")
    build_site(site)
    assert runs_code(body_of(site))
    (site / "sitegen.toml").write_text((site / "sitegen.toml").read_text().replace(
        '"allow"', '"sanitize"'))
    done = subprocess.run([sys.executable, "-m", "sitegen", "build", "--source", str(site)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert runs_code(body_of(site)) == []
