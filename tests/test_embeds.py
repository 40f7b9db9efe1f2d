"""`!embed[Title](URL)`: which URLs are known, what the page and the feeds get, and an
unknown URL as a problem at its line. (The browser side: test_embeds_browser.py.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sitegen.embeds import identify
from sitegen.errors import SitegenError
from tests.conftest import article, build_site, make_site


@pytest.mark.parametrize(("url", "provider", "kind", "player"), [
    ("https://www.youtube.com/watch?v=Kp7wS0qT2aE&t=30", "YouTube", "video",
     "https://www.youtube-nocookie.com/embed/Kp7wS0qT2aE?autoplay=1"),
    ("https://youtu.be/Kp7wS0qT2aE", "YouTube", "video",
     "https://www.youtube-nocookie.com/embed/Kp7wS0qT2aE?autoplay=1"),
    ("https://youtube.com/shorts/Kp7wS0qT2aE", "YouTube", "portrait",
     "https://www.youtube-nocookie.com/embed/Kp7wS0qT2aE?autoplay=1"),
    ("https://vimeo.com/76979871", "Vimeo", "video",
     "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"),
    ("https://twitter.com/infoBMKG/status/1861234567890123456", "X", "post",
     "https://platform.twitter.com/embed/Tweet.html?id=1861234567890123456&dnt=true"),
    ("https://www.instagram.com/p/C1a2b3c4d5e/", "Instagram", "post",
     "https://www.instagram.com/p/C1a2b3c4d5e/embed/"),
    ("https://www.tiktok.com/@kabar.nusantara/video/7301234567890123456", "TikTok", "portrait",
     "https://www.tiktok.com/embed/v2/7301234567890123456"),
    ("https://www.facebook.com/kabarnusantara/videos/1234567890/", "Facebook", "video",
     "https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com%2F"
     "kabarnusantara%2Fvideos%2F1234567890%2F"),
    ("https://www.google.com/maps/place/Monas/@-6.1754,106.8272,17z", "Google Maps", "map",
     "https://maps.google.com/maps?q=-6.1754,106.8272&z=17&output=embed"),
    ("https://www.google.com/maps/embed?pb=!1m18!1m12", "Google Maps", "map",
     "https://www.google.com/maps/embed?pb=!1m18!1m12"),
])
def test_known_providers(url: str, provider: str, kind: str, player: str) -> None:
    embed = identify(url)
    assert embed is not None and (embed.provider, embed.kind, embed.player) == (
        provider, kind, player)


@pytest.mark.parametrize("url", ["https://example.com/video", "javascript:alert(1)",
                                 "https://www.youtube.com/watch?v=", "https://x.com/infoBMKG",
                                 "ftp://vimeo.com/1"])
def test_unknown_urls(url: str) -> None:
    assert identify(url) is None


def test_an_embed_is_a_placeholder_on_the_page_and_a_link_in_feeds(tmp_path: Path) -> None:
    body = """\
        Pembuka.

        !embed[Final futsal <2026> & "penalti"](https://youtu.be/Kp7wS0qT2aE)

        ```
        !embed[bukan embed](https://example.com/x)
        ```
        """
    site = make_site(tmp_path, {"content/olahraga/a.md": article("A", body=body),
                                "content/olahraga/b.md": article("B")})
    build_site(site)
    page = (site / "output/olahraga/a/index.html").read_text("utf-8")
    assert re.search(r'<figure class="embed embed-video" data-provider="YouTube"><a aria-label='
                     r'"Putar video: Final futsal &lt;2026&gt; &amp; &quot;penalti&quot; '
                     r'\(YouTube\)" class="embed-play" data-embed="https://www.youtube-nocookie'
                     r'.com/embed/Kp7wS0qT2aE\?autoplay=1"', page)
    assert "<iframe" not in page and "youtube.com/iframe_api" not in page
    assert "!embed[bukan embed](https://example.com/x)" in page
    assert re.search(r'<script src="/js/embeds\.\w{10}\.js" defer></script>', page)
    assert "embeds." not in (site / "output/olahraga/b/index.html").read_text("utf-8")
    item = next(i for i in json.loads((site / "output/feed.json").read_text())["items"]
                if i["title"] == "A")
    assert ('<p><a href="https://youtu.be/Kp7wS0qT2aE">Final futsal &lt;2026&gt; &amp; '
            '"penalti"</a> (YouTube)</p>') in item["content_html"]
    assert "embed-play" not in item["content_html"]


def test_an_unknown_url_is_a_problem_at_its_line(tmp_path: Path) -> None:
    body = "Satu.\n\n!embed[Video](https://example.com/v/1)\n\n!embed https://youtu.be/x\n"
    site = make_site(tmp_path, {"content/olahraga/a.md": article("A", body=body)})
    with pytest.raises(SitegenError) as caught:
        build_site(site)
    lines = [(p.path, p.line, p.message) for p in caught.value.problems]
    assert lines[0][:2] == ("content/olahraga/a.md", 8)
    assert "cannot embed 'https://example.com/v/1'" in lines[0][2]
    assert "YouTube, Vimeo, X (Twitter), Instagram, TikTok" in lines[0][2]
    assert lines[1][:2] == ("content/olahraga/a.md", 10)
    assert "write an embed as !embed[Title](https://...)" in lines[1][2]
