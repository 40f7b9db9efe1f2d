"""Issue 19: with `[images] service`, every picture URL of the sample site is the
service's and the build encodes nothing; each service form and its config errors."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sitegen.errors import SitegenError
from tests.conftest import REPO, article, build_site, make_image, make_site

SERVER = "https://img.example.net"
# Each form: its config lines, and how every URL it gives starts.
FORMS = {
    "netlify": ('service = "netlify"', ("/.netlify/images?url=/images/",
                                        "https://example.org/.netlify/images?url=/images/")),
    "cloudflare": ('service = "cloudflare"', ("/cdn-cgi/image/",
                                              "https://example.org/cdn-cgi/image/")),
    "imgproxy": (f'service = "imgproxy"\nservice_url = "{SERVER}"',
                 (f"{SERVER}/insecure/",)),
    "thumbor": (f'service = "thumbor"\nservice_url = "{SERVER}/"', (f"{SERVER}/unsafe/",)),
    "template": ('service = "https://cdn.example.com/{width}x{height}/{format}/q{quality}{path}"',
                 ("https://cdn.example.com/",)),
}


class PictureUrls(HTMLParser):
    """Every srcset candidate, og:image / twitter:image and JSON-LD image of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.srcsets: list[str] = []
        self.shared: list[str] = []
        self.in_json = False
        self.json: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if "srcset" in values:
            # As browsers read it: a URL (which may hold commas), then descriptors.
            self.srcsets += [m.rstrip(",") for m in
                             re.findall(r"([^\s,]\S*)(?:\s+[^,]*)?", values["srcset"])]
        if tag == "meta" and values.get("property", values.get("name")) in (
                "og:image", "twitter:image"):
            self.shared.append(values["content"])
        self.in_json = tag == "script" and values.get("type") == "application/ld+json"

    def handle_data(self, data: str) -> None:
        if self.in_json:
            self.json.append(data)
            self.in_json = False


def _json_images(documents: list[str]) -> list[str]:
    found: list[str] = []

    def walk(node: object, key: str = "") -> None:
        if isinstance(node, dict):
            if node.get("@type") == "ImageObject" and key == "image":
                found.append(node["url"])
            for name, value in node.items():
                walk(value, name)
        elif isinstance(node, list):
            for item in node:
                walk(item, key)

    for document in documents:
        walk(json.loads(document))
    return found


@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_picture_of_the_sample_site_comes_from_the_service(
        form: str, tmp_path: Path) -> None:
    lines, prefixes = FORMS[form]
    site = tmp_path / "sample"
    site.mkdir()
    config = (REPO / "sitegen.toml").read_text(encoding="utf-8")
    config = re.sub(r'base_url = "[^"]*"', 'base_url = "https://example.org/"', config)
    (site / "sitegen.toml").write_text(config + f"\n[images]\n{lines}\n", encoding="utf-8")
    shutil.copytree(REPO / "content", site / "content")
    report = build_site(site)
    assert report.processed_images == []
    output = site / "output"
    assert not (output / "_img").exists()
    srcsets = shared = structured = 0
    for page in output.rglob("*.html"):
        parser = PictureUrls()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.srcsets:
            assert url.startswith(prefixes), (page, url)
        # Pages without a hero share the site's logo, the one picture that stays a file.
        for url in parser.shared:
            assert url.startswith(prefixes) or url.endswith("/images/logo.png"), (page, url)
        for url in _json_images(parser.json):
            assert url.startswith(prefixes), (page, url)
        srcsets += len(parser.srcsets)
        shared += sum(u.startswith(prefixes) for u in parser.shared)
        structured += len(_json_images(parser.json))
    assert srcsets > 200 and shared > 20 and structured > 20, (srcsets, shared, structured)
    # The link check found nothing missing: the service's own paths are not files.
    assert not [w for w in report.warnings if ("missing" in str(w) or "nowhere" in str(w))
                and re.search(r"netlify|cdn-cgi|/images/|_img", str(w))]


def test_the_service_urls_carry_width_format_quality_and_the_crop(tmp_path: Path) -> None:
    make_image(tmp_path / "site/content/static/images/a.jpg", (2400, 1600))
    urls = {}
    for form, (lines, _) in FORMS.items():
        shutil.rmtree(tmp_path / "site/output", ignore_errors=True)
        site = make_site(tmp_path / "site", {"content/berita/a.md": article(
            "A", image="/images/a.jpg", image_alt="Foto", image_focus="0.2,0.5")},
            f'[site]\nbase_url = "https://example.org/"\n[images]\n{lines}\n')
        build_site(site)
        page = (site / "output/berita/a/index.html").read_text(encoding="utf-8")
        parser = PictureUrls()
        parser.feed(page)
        urls[form] = (parser.srcsets, _json_images(parser.json))
    srcsets, crops = urls["netlify"]
    assert "/.netlify/images?url=/images/a.jpg&w=480&fm=avif&q=60" in srcsets
    assert any("w=1200&h=1200&fit=cover&position=left&fm=jpg&q=80" in c for c in crops)
    srcsets, crops = urls["cloudflare"]
    assert "/cdn-cgi/image/width=800,format=webp,quality=80/images/a.jpg" in srcsets
    assert any("width=1200,height=1200,fit=crop,gravity=0.333x0.500,format=jpeg" in c
               for c in crops)
    srcsets, crops = urls["imgproxy"]
    assert (f"{SERVER}/insecure/rs:fit:1600:0/q:60/plain/https://example.org/images/a.jpg@avif"
            in srcsets)
    assert any("/c:1600:1600:nowe:0:0/rs:fill:1200:1200/" in c for c in crops)
    srcsets, crops = urls["thumbor"]
    assert (f"{SERVER}/unsafe/480x0/filters:format(webp):quality(80)/"
            "https://example.org/images/a.jpg" in srcsets)
    assert any("/unsafe/0x0:1600x1600/1200x1200/" in c for c in crops)
    srcsets, crops = urls["template"]
    assert "https://cdn.example.com/800x533/avif/q60/images/a.jpg" in srcsets


@pytest.mark.parametrize(("lines", "message"), [
    ('service = "fastly"', "images.service 'fastly' is not one of netlify, cloudflare"),
    ('service = "imgproxy"', 'images.service = "imgproxy" needs images.service_url'),
    ('service = "netlify"\nservice_url = "https://x.example"', "only for imgproxy and thumbor"),
    ('service_url = "https://x.example"', "images.service is not"),
    ('service = "https://cdn.example.com/{size}/{path}"', "unknown placeholder(s) {size}"),
    ('service = "https://cdn.example.com/{path}"', "needs {width}"),
    ('service = "cdn.example.com/{width}/{url}"', "must start with https:// or /"),
    ('site_url = "https://x.example/"', "unknown key 'site_url' in [images]"),
])
def test_a_wrong_service_setting_is_a_clear_problem_at_its_line(
        tmp_path: Path, lines: str, message: str) -> None:
    site = make_site(tmp_path / "site", {"content/berita/a.md": article("A")},
                     f'[site]\nbase_url = "https://example.org/"\n[images]\n{lines}\n')
    with pytest.raises(SitegenError) as caught:
        build_site(site)
    shown = [str(p) for p in caught.value.problems]
    assert any(message in p and re.match(r"\S*sitegen\.toml:[345]: ", p) for p in shown), shown
