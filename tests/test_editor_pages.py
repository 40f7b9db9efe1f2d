"""Pages an editor would sign off (issue 20, part 6): search results, deks, related boxes,
ad slots, ads.txt and analytics, in built output (the browser checks are in
test_layout_browser.py)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from sitegen.errors import SitegenError
from tests.conftest import BASIC_CONFIG, article, build_site, make_image, make_site
from tests.test_preview_labels import fetch
from tests.test_serve import start_preview


def indexed(output: Path) -> dict[str, dict]:
    """Pagefind's record of each page (what a search result shows), by URL."""
    records = {}
    for fragment in (output / "pagefind").rglob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        record = json.loads(data[data.index(b"{"):])
        records[record["url"]] = record
    return records


def test_a_search_result_has_the_story_s_own_picture_or_none_and_its_text(
        tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "content/ekonomi/a.md": article("Tanpa Foto", tags=["Pangan"], author="Sari Dewi",
                                        body="Harga cabai naik tajam di pasar induk."),
        "content/ekonomi/b.md": article("Dengan Foto", date="2026-11-19 09:00", tags=["Pangan"],
                                        image="/images/b.jpg", image_alt="Pasar",
                                        body="Beras langka di pasar."),
    })
    make_image(site / "content/static/images/b.jpg")
    build_site(site)
    records = indexed(site / "output")
    # A's page shows B's picture in its related box; its result must not.
    assert records["/ekonomi/a/"]["meta"]["image"] == ""
    assert records["/ekonomi/b/"]["meta"]["image"] == "/images/b.jpg"
    # The text a result's excerpt is cut from: headline and story, no labels or byline.
    assert records["/ekonomi/a/"]["content"] == "Tanpa Foto. Harga cabai naik tajam di pasar induk."


def test_no_dek_repeats_the_first_paragraph(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "content/ekonomi/a.md": article("A", body="Paragraf pertama.\n\nParagraf kedua."),
        "content/ekonomi/b.md": article("B", summary="Ringkasan redaksi.",
                                        body="Paragraf pertama."),
    })
    build_site(site)
    page = (site / "output/ekonomi/a/index.html").read_text(encoding="utf-8")
    story = page.split('<article class="story"')[1].split("</article>")[0]
    assert story.count("Paragraf pertama.") == 1 and 'class="dek"' not in story
    given = (site / "output/ekonomi/b/index.html").read_text(encoding="utf-8")
    assert '<p class="dek">Ringkasan redaksi.</p>' in given


def test_an_advertorial_is_never_in_a_related_box(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "content/ekonomi/berita.md": article("Harga Cabai", tags=["Pangan"]),
        "content/ekonomi/iklan.md": article("Promo Cabai Murah", date="2026-11-19 09:00",
                                            tags=["Pangan"], kind="advertorial"),
        "content/ekonomi/lama.md": article("Cabai Tahun Lalu", date="2026-11-01 09:00",
                                           tags=["Pangan"]),
    })
    build_site(site)
    page = (site / "output/ekonomi/berita/index.html").read_text(encoding="utf-8")
    related = page.split('class="related"')[1].split("</section>")[0]
    assert "Cabai Tahun Lalu" in related and "Promo Cabai Murah" not in related


ADS = BASIC_CONFIG + """
[ads]
ads_txt = \"\"\"
google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0
\"\"\"

[ads.slots]
article = '''<a href="/langganan/"><img src="/images/iklan.png" alt="Langganan"
 width="300" height="100"></a>'''
home = '<p>Ruang iklan</p>'

[analytics]
provider = "plausible"
id = "example.org"
"""


def test_ad_slots_ads_txt_and_analytics_by_configuration(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/ekonomi/a.md": article("A")}, config=ADS)
    make_image(site / "content/static/images/iklan.png", (300, 100))
    build_site(site)
    output = site / "output"
    story = (output / "ekonomi/a/index.html").read_text(encoding="utf-8")
    assert '<aside class="ad-slot ad-slot-article" aria-label="Iklan" data-pagefind-ignore>' \
        in story
    assert '<img src="/images/iklan.png" alt="Langganan"\n width="300"' in story
    assert '<p>Ruang iklan</p>' in (output / "index.html").read_text(encoding="utf-8")
    assert 'data-domain="example.org" src="https://plausible.io/js/script.js"' in story
    assert (output / "ads.txt").read_text(encoding="utf-8") == \
        "google.com, pub-1234567890123456, DIRECT, f08c47fec0942fa0\n"


def test_no_analytics_and_no_ads_txt_by_default(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/ekonomi/a.md": article("A")})
    build_site(site)
    output = site / "output"
    assert not (output / "ads.txt").exists()
    for page in output.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "plausible" not in text and "ad-slot" not in text, page


@pytest.mark.parametrize(("provider", "ident", "url", "expected"), [
    ("matomo", "3", "https://stats.example.org/", '_paq.push(["setSiteId", "3"]);'),
    ("ga4", "G-AB12CD34EF", "", "https://www.googletagmanager.com/gtag/js?id=G-AB12CD34EF"),
])
def test_matomo_and_ga4(tmp_path: Path, provider: str, ident: str, url: str,
                        expected: str) -> None:
    config = BASIC_CONFIG + f'[analytics]\nprovider = "{provider}"\nid = "{ident}"\nurl = "{url}"\n'
    site = make_site(tmp_path / "site", {"content/ekonomi/a.md": article("A")}, config=config)
    build_site(site)
    assert expected in (site / "output/ekonomi/a/index.html").read_text(encoding="utf-8")


def test_the_preview_never_sends_analytics(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/ekonomi/a.md": article("A")}, config=ADS)
    make_image(site / "content/static/images/iklan.png", (300, 100))
    preview = start_preview(site)
    try:
        _, _, body = fetch(preview.url + "ekonomi/a/")
    finally:
        preview.stop()
    assert b"ad-slot-article" in body and b"plausible" not in body


@pytest.mark.parametrize(("table", "problem"), [
    ('[ads.slots]\nfooter = "<p>x</p>"\n', "unknown ad slot 'footer'"),
    ('[ads.slots]\narticle = "1234567890"\n', "neither HTML nor usable as an ad unit ID"),
    ('[ads]\nnetwork = "adsense"\nclient = "pub-1"\n', "ads.client must be the AdSense"),
    ('[analytics]\nprovider = "plausibel"\nid = "example.org"\n', "(did you mean 'plausible'?)"),
    ('[analytics]\nprovider = "ga4"\nid = "UA-1"\n', "analytics.id must be the GA4"),
    ('[analytics]\nprovider = "matomo"\nid = "3"\n', "analytics.url must be Matomo's"),
])
def test_mistakes_in_ads_and_analytics_are_named_with_their_line(tmp_path: Path, table: str,
                                                                  problem: str) -> None:
    site = make_site(tmp_path / "site", {"content/ekonomi/a.md": article("A")},
                     config=BASIC_CONFIG + table)
    with pytest.raises(SitegenError) as raised:
        build_site(site)
    (found,) = raised.value.problems
    assert problem in found.message and found.line > 0


def test_an_adsense_slot_is_a_unit_in_a_build_and_a_placeholder_in_the_preview(
        tmp_path: Path) -> None:
    config = BASIC_CONFIG + ('[ads]\nnetwork = "adsense"\nclient = "ca-pub-1234567890123456"\n'
                             '[ads.slots]\narticle = "9876543210"\n')
    site = make_site(tmp_path / "site", {"content/ekonomi/a.md": article("A")}, config=config)
    build_site(site)
    built = (site / "output/ekonomi/a/index.html").read_text(encoding="utf-8")
    assert 'data-ad-client="ca-pub-1234567890123456" data-ad-slot="9876543210"' in built
    assert "adsbygoogle.js?client=ca-pub-1234567890123456" in built
    preview = start_preview(site)
    try:
        _, _, body = fetch(preview.url + "ekonomi/a/")
    finally:
        preview.stop()
    assert b"googlesyndication" not in body and b"adsense: 9876543210" in body
