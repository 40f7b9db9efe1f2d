"""Head metadata: Open Graph, Twitter cards and JSON-LD, parsed as the consumers parse them."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import article, build_site, make_image, make_site
from tests.sample_build import BASE_URL, SEED, SEED_TITLE, UPDATED, build_sample

SEED_SUMMARY = ("Pendiri Alibaba Jack Ma menjanjikan satu juta lapangan kerja baru di AS dengan "
                "membantu UKM dan petani Amerika menjual produk kepada konsumen di Tiongkok dan "
                "Asia.")
# The 1200 px version of the seed's photo, named by a hash of its bytes and settings.
SEED_IMAGE = re.escape(BASE_URL) + r"_img/jack-ma-donald-trump-1200x675\.\w{10}\.jpg"


class Head(HTMLParser):
    """Meta tags (repeated ones in order), the canonical link and every script element."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.canonical = ""
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and (values.get("property") or values.get("name")):
            key = values.get("property") or values.get("name") or ""
            self.meta.setdefault(key, []).append(values.get("content") or "")
        elif tag == "link" and values.get("rel") == "canonical":
            self.canonical = values["href"] or ""
        elif tag == "script":
            self._script = values
            self.scripts.append((values, ""))

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def one(self, key: str) -> str:
        [value] = self.meta[key]
        return value

    def json_ld(self) -> dict[str, dict]:
        found = {}
        for attrs, text in self.scripts:
            if attrs.get("type") != "application/ld+json":
                continue
            data = json.loads(text)
            assert data["@context"] == "https://schema.org"
            found[data["@type"]] = data
        return found


def head(page: Path) -> Head:
    parser = Head()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("structured"))


def test_the_seed_article_social_card(output: Path) -> None:
    tags = head(output / SEED / "index.html")
    assert tags.one("og:type") == "article"
    assert tags.one("og:title") == tags.one("twitter:title") == SEED_TITLE
    assert tags.one("og:description") == tags.one("twitter:description") == SEED_SUMMARY
    assert tags.one("og:url") == tags.canonical == BASE_URL + SEED
    assert tags.one("og:site_name") == "Kabar Nusantara"
    assert tags.one("og:locale") == "id_ID"
    # The 1200 px version of the 3000 px original, which no consumer needs whole.
    assert tags.one("og:image") == tags.one("twitter:image")
    assert re.fullmatch(SEED_IMAGE, tags.one("og:image")), tags.one("og:image")
    shared = output / tags.one("og:image").removeprefix(BASE_URL)
    with Image.open(shared) as picture:
        assert picture.width == 1200
        assert (int(tags.one("og:image:width")), int(tags.one("og:image:height"))) == picture.size
    assert tags.one("og:image:alt").startswith("Ilustrasi dua sosok berjas")
    assert tags.one("twitter:card") == "summary_large_image"
    assert tags.one("article:section") == "Ekonomi"
    assert tags.meta["article:tag"] == ["Alibaba", "Donald Trump", "Jack Ma", "UKM", "Tiongkok"]
    assert tags.one("article:published_time") == "2017-01-10T09:00:00+07:00"
    assert tags.one("article:modified_time") == "2017-01-10T09:00:00+07:00"
    assert tags.one("article:author") == BASE_URL + "penulis/andreas-wicaksono/"


def test_an_updated_article_has_its_modified_time(output: Path) -> None:
    tags = head(output / UPDATED / "index.html")
    assert tags.one("article:published_time") == "2026-11-27T08:15:00+07:00"
    assert tags.one("article:modified_time") == "2026-11-27T14:30:00+07:00"
    assert tags.json_ld()["NewsArticle"]["dateModified"] == "2026-11-27T14:30:00+07:00"


def test_the_seed_article_json_ld(output: Path) -> None:
    data = head(output / SEED / "index.html").json_ld()
    news = data["NewsArticle"]
    assert news["headline"] == SEED_TITLE and news["description"] == SEED_SUMMARY
    hero, body = news["image"][:3], news["image"][3:]
    # 16:9, 4:3 and 1:1 crops of the hero, as Google asks, each with its caption and credit.
    assert [round(i["width"] / i["height"], 2) for i in hero] == [1.78, 1.33, 1.0]
    for image in hero:
        with Image.open(output / image["url"].removeprefix(BASE_URL)) as picture:
            assert picture.size == (image["width"], image["height"])
        assert image["caption"] == "Jack Ma bertemu dengan Donald Trump di Trump Tower."
        assert image["creditText"] == "Business Insider"
        assert image["copyrightHolder"] == {"@type": "Organization", "name": "Business Insider"}
    assert [i["width"] for i in hero] == [1200, 1200, 1200]
    assert re.fullmatch(SEED_IMAGE, hero[0]["url"])
    assert [(i["caption"], i["creditText"]) for i in body] == [
        ("Contoh perusahaan AS yang berjualan di platform Alibaba.", "Dokumentasi Alibaba Group")]
    assert news["datePublished"] == news["dateModified"] == "2017-01-10T09:00:00+07:00"
    assert news["author"] == [{"@type": "Person", "name": "Andreas Wicaksono",
                               "url": BASE_URL + "penulis/andreas-wicaksono/"}]
    assert (output / "penulis/andreas-wicaksono/index.html").is_file()
    publisher = news["publisher"]
    # The sample configures its policy pages, which makes the publisher a news organisation.
    assert publisher["@type"] == "NewsMediaOrganization" and publisher["name"] == "Kabar Nusantara"
    assert publisher["logo"]["url"] == BASE_URL + "images/logo.png"
    with Image.open(output / "images/logo.png") as logo:
        assert (publisher["logo"]["width"], publisher["logo"]["height"]) == logo.size
    assert news["articleSection"] == "Ekonomi"
    assert news["keywords"] == ["Alibaba", "Donald Trump", "Jack Ma", "UKM", "Tiongkok"]
    assert news["inLanguage"] == "id"
    assert news["mainEntityOfPage"] == {"@type": "WebPage", "@id": BASE_URL + SEED}
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "Beranda", BASE_URL), (2, "Ekonomi", BASE_URL + "ekonomi/"),
        (3, SEED_TITLE, BASE_URL + SEED)]


def test_the_home_page_describes_the_website_and_its_search(output: Path) -> None:
    tags = head(output / "index.html")
    assert tags.one("og:type") == "website" and tags.one("og:url") == BASE_URL
    site = tags.json_ld()["WebSite"]
    assert site["name"] == "Kabar Nusantara" and site["url"] == BASE_URL
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == BASE_URL + "cari/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"
    assert (output / "cari/index.html").is_file()


@pytest.mark.parametrize("page,trail", [
    ("ekonomi/index.html", [("Ekonomi", "ekonomi/")]),
    ("tag/alibaba/index.html", [("Alibaba", "tag/alibaba/")]),
    ("arsip/2017/01/index.html", [("Arsip", "arsip/"), ("Januari 2017", "arsip/2017/01/")]),
    ("tentang-kami/index.html", [("Tentang Kami", "tentang-kami/")]),
])
def test_other_pages_have_breadcrumbs(output: Path, page: str, trail: list) -> None:
    tags = head(output / page)
    crumbs = tags.json_ld()["BreadcrumbList"]["itemListElement"]
    assert [(c["name"], c["item"]) for c in crumbs] == [
        ("Beranda", BASE_URL), *((name, BASE_URL + path) for name, path in trail)]
    assert tags.one("og:type") == "website"


def test_every_page_has_a_card_and_a_canonical_url(output: Path) -> None:
    for page in output.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        # Redirect stubs, the 404 page and the editors' CMS (/admin/, a static noindex
        # file) are not pages to share.
        if ('http-equiv="refresh"' in text or page.name == "404.html"
                or '<meta name="robots" content="noindex">' in text):
            continue
        tags = head(page)
        assert tags.canonical.startswith(BASE_URL), page
        assert tags.one("og:url") == tags.canonical, page
        assert tags.one("og:image").startswith(BASE_URL), page
        assert (output / tags.one("og:image").removeprefix(BASE_URL)).is_file(), page
        # Every script is JSON-LD that parses, but the search page's own one (its settings
        # as JSON data and its module, kept out of the page for the Content-Security-Policy),
        # the embeds' one on pages with an embed and the gallery's on pages with a gallery.
        types = [attrs.get("type") for attrs, _ in tags.scripts]
        expected = ["application/json", "module"] if page.parent.name in ("cari", "search") \
            else []
        expected += [None] if 'class="embed-play"' in text else []
        expected += [None] if 'class="gallery"' in text else []
        assert [t for t in types if t != "application/ld+json"] == expected, page
        assert len(tags.json_ld()) == types.count("application/ld+json"), page


def test_no_title_can_end_the_json_ld_script_block(tmp_path: Path) -> None:
    title = "</script><script>alert(1)</script> <!-- & </SCRIPT > ]]>"
    make_image(tmp_path / "site/content/static/images/x.jpg")
    site = make_site(tmp_path / "site", {
        "content/ekonomi/a.md": article(title, author="</script>", tags=["<!-- x", "</script> y"],
                                        summary="</script><!--", image="/images/x.jpg",
                                        image_alt="</script>", image_caption="<!-- -->"),
    })
    build_site(site)
    for page in ("ekonomi/a/index.html", "index.html", "ekonomi/index.html"):
        text = (site / "output" / page).read_text(encoding="utf-8")
        assert "alert(1)</script>" not in text
        tags = head(site / "output" / page)
        # Only the site's own scripts: JSON-LD blocks, each whole, none injected.
        expected = {"ekonomi/a/index.html": {"NewsArticle", "BreadcrumbList"},
                    "index.html": {"WebSite"}, "ekonomi/index.html": {"BreadcrumbList"}}[page]
        assert set(tags.json_ld()) == expected and len(tags.scripts) == len(expected)
    data = head(site / "output/ekonomi/a/index.html").json_ld()["NewsArticle"]
    assert data["headline"] == title and data["description"] == "</script><!--"
    assert data["keywords"] == ["<!-- x", "</script> y"]
    assert data["author"][0]["name"] == "</script>"
    assert head(site / "output/ekonomi/a/index.html").one("og:title") == title
