"""Responsive pictures: widths and formats, the cache of resized files, too-wide
originals, crops around a focal point, credits, galleries and the [images] settings."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from sitegen.errors import SitegenError
from tests.conftest import article, build_site, make_image, make_site, read_tree
from tests.sample_build import SEED, build_sample


class Pictures(HTMLParser):
    """Each <picture>: its <source>s and its <img>, as attribute dicts."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, object]] = []
        self.inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "picture":
            self.found.append({"sources": [], "img": None})
            self.inside = True
        elif tag == "source" and self.inside:
            self.found[-1]["sources"].append(values)  # type: ignore[union-attr]
        elif tag == "img" and self.inside:
            self.found[-1]["img"] = values
            self.inside = False


def pictures_in(page: Path) -> list[dict[str, object]]:
    parser = Pictures()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.found


def news_article(page: str) -> dict[str, object]:
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page)
    return next(d for d in map(json.loads, scripts) if d["@type"] == "NewsArticle")


def widths(srcset: str) -> list[int]:
    return [int(c.split()[1].removesuffix("w")) for c in srcset.split(",")]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("pictures"))


def test_every_hero_of_the_sample_site_is_a_responsive_picture(sample: Path) -> None:
    pages = [p for p in sample.glob("*/*/index.html") if 'class="hero"' in p.read_text("utf-8")]
    assert len(pages) >= 10
    for page in pages:
        hero = pictures_in(page)[0]
        img = hero["img"]
        assert isinstance(img, dict) and int(img["width"]) > 0 and int(img["height"]) > 0
        # The <img> fallback is the share size only (every browser reads WebP);
        # the modern formats offer every width.
        assert widths(img["srcset"]) == [1200], (page, img["srcset"])
        types = [s["type"] for s in hero["sources"]]  # type: ignore[union-attr]
        assert "image/webp" in types and types[0] == "image/avif", types
        offered = widths(hero["sources"][0]["srcset"])  # type: ignore[index]
        assert len(offered) >= 3 and 1200 in offered, (page, offered)
        for source in hero["sources"]:  # type: ignore[union-attr]
            assert widths(source["srcset"]) == offered and source["sizes"]
        candidates = [c for s in hero["sources"] for c in s["srcset"].split(", ")]  # type: ignore[union-attr]
        for candidate in [*img["srcset"].split(", "), *candidates]:
            url, width = candidate.split()
            with Image.open(sample / url.lstrip("/")) as file:
                assert file.width == int(width.removesuffix("w"))


def test_the_seed_photo_is_published_in_every_width_and_never_whole(sample: Path) -> None:
    hero = pictures_in(sample / SEED / "index.html")[0]
    for source in hero["sources"]:  # type: ignore[union-attr]
        assert widths(source["srcset"]) == [480, 800, 1200, 1600]
    assert widths(hero["img"]["srcset"]) == [1200]  # type: ignore[index]
    with Image.open(sample / "images/jack-ma-donald-trump.jpg") as original:
        # The 3000 px original is replaced at its own URL by a 2400 px one.
        assert original.size == (2400, 1350)
    assert all(Image.open(p).width <= 2400 for p in (sample / "_img").iterdir())


def test_a_3000_px_original_is_not_published_whole_and_a_second_build_makes_nothing(
        tmp_path: Path) -> None:
    make_image(tmp_path / "site/content/static/images/besar.jpg", (3000, 2000))
    make_image(tmp_path / "site/content/static/images/kecil.png", (640, 480))
    body = '![Kantor redaksi](/images/kecil.png "Kantor redaksi."){credit="Arsip"}'
    site = make_site(tmp_path / "site", {
        "content/ekonomi/a.md": article("A", image="/images/besar.jpg", image_alt="Foto",
                                        body=body)},
        config='[site]\nbase_url = "https://example.org/"\n'
               '[images]\nmax_original_width = 2000\nwidths = [400, 1000, 1600]\n'
               'formats = ["webp"]\n')
    first = build_site(site)
    assert sorted(first.processed_images) == ["content/static/images/besar.jpg",
                                               "content/static/images/kecil.png"]
    output = site / "output"
    with Image.open(output / "images/besar.jpg") as published:
        assert published.width == 2000
    assert max(Image.open(p).width for p in (output / "_img").iterdir()) == 1600
    body_picture = pictures_in(output / "ekonomi/a/index.html")[1]
    # Never wider than the original: 400 px, then the original's own 640.
    webp = body_picture["sources"][0]  # type: ignore[index]
    assert webp["type"] == "image/webp" and widths(webp["srcset"]) == [400, 640]
    assert widths(body_picture["img"]["srcset"]) == [640]  # type: ignore[index]
    assert body_picture["img"]["src"].endswith(".png")  # type: ignore[index]
    before = read_tree(output)
    # Even with the output gone, the resized files come from the cache.
    shutil.rmtree(output)
    second = build_site(site)
    assert second.processed_images == []
    assert read_tree(output) == before
    # A changed photo gets new names, and only it is processed again.
    make_image(site / "content/static/images/kecil.png", (800, 600))
    third = build_site(site)
    assert third.processed_images == ["content/static/images/kecil.png"]
    old = {n for n in before if n.startswith("_img/kecil")}
    new = {n for n in read_tree(output) if n.startswith("_img/kecil")}
    assert old and new and not old & new


def test_the_workers_share_the_work_and_give_the_same_files(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {}
    for i in range(6):
        make_image(tmp_path / f"one/content/static/images/f{i}.jpg", (1200 + i, 800))
        files[f"content/ekonomi/a{i}.md"] = article(f"A{i}", image=f"/images/f{i}.jpg",
                                                    image_alt="Foto")
    shutil.copytree(tmp_path / "one", tmp_path / "two")
    config = '[site]\ntitle = "x"\n[images]\nwidths = [300, 600]\nformats = ["webp"]\n'
    one = make_site(tmp_path / "one", files, config)
    two = make_site(tmp_path / "two", files, config)
    report_one, report_two = build_site(one, jobs=1), build_site(two, jobs=2)
    assert len(report_one.processed_images) == len(report_two.processed_images) == 6
    assert read_tree(one / "output") == read_tree(two / "output")


def test_the_crops_keep_the_focal_point_in_view(tmp_path: Path) -> None:
    picture = Image.new("RGB", (1600, 900), (0, 0, 255))
    picture.paste((255, 0, 0), (0, 0, 300, 900))  # a red strip at the left edge
    (tmp_path / "content/static/images").mkdir(parents=True)
    picture.save(tmp_path / "content/static/images/f.png")
    site = make_site(tmp_path, {"content/ekonomi/a.md": article(
        "A", image="/images/f.png", image_alt="Foto", image_focus="0.05,0.5")})
    build_site(site)
    page = (site / "output/ekonomi/a/index.html").read_text("utf-8")
    news = news_article(page)
    square = next(i for i in news["image"] if i["width"] == i["height"])
    with Image.open(site / "output" / square["url"].removeprefix("https://example.org/")) as crop:
        assert crop.getpixel((10, 450))[0] > 200  # the left edge, red, is in the square


def test_bad_image_settings_and_focus_are_reported_with_their_lines(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/ekonomi/a.md": article("A")},
                     config='[images]\nwidths = [0]\nformats = ["webp", "jpg"]\nquality = 101\n'
                            'sizes = 3\n')
    with pytest.raises(SitegenError) as caught:
        build_site(site)
    text = str(caught.value)
    assert "sitegen.toml:2: images.widths must be a list of widths" in text
    assert "sitegen.toml:3: images.formats may hold only 'avif' and 'webp', not 'jpg'" in text
    assert "sitegen.toml:4: images.quality must be between 1 and 100" in text
    assert "sitegen.toml:5: unknown key 'sizes' in [images]" in text
    make_image(tmp_path / "content/static/images/a.jpg")
    (tmp_path / "sitegen.toml").write_text('[site]\ntitle = "x"\n')
    (tmp_path / "content/ekonomi/a.md").write_text(article(
        "A", image="/images/a.jpg", image_alt="x", image_focus="tengah"))
    with pytest.raises(SitegenError, match=r"content/ekonomi/a.md:6: image_focus 'tengah'"):
        build_site(site)


def test_a_narrow_hero_is_a_warning_naming_the_file_and_line(tmp_path: Path) -> None:
    make_image(tmp_path / "content/static/images/kecil.jpg", (800, 450))
    site = make_site(tmp_path, {"content/ekonomi/a.md": article(
        "A", image="/images/kecil.jpg", image_alt="Foto")})
    report = build_site(site)
    [warning] = report.warnings
    assert (warning.path, warning.line) == ("content/ekonomi/a.md", 4)
    assert "'/images/kecil.jpg' is 800 px wide" in warning.message
    assert "at least 1200 px" in warning.message
    with pytest.raises(SitegenError):
        build_site(site, strict=True)


def test_body_pictures_have_a_caption_and_a_credit_also_in_feeds(tmp_path: Path) -> None:
    make_image(tmp_path / "content/static/images/a.jpg")
    body = ('![Warga antre air bersih](/images/a.jpg "Warga antre air bersih di Demak.")'
            '{credit="Antara/Aji Styawan" copyright="Antara"}\n\n'
            '![Tanpa keterangan](/images/a.jpg){credit="Dok. Warga"}\n')
    site = make_site(tmp_path, {"content/nasional/a.md": article("A", body=body)})
    build_site(site)
    page = (site / "output/nasional/a/index.html").read_text("utf-8")
    assert re.search(r'<figure><picture>.*?</picture><figcaption>Warga antre air bersih di '
                     r'Demak\. <span class="credit">Foto: Antara/Aji Styawan</span></figcaption>'
                     r'</figure>', page)
    assert '<figcaption><span class="credit">Foto: Dok. Warga</span></figcaption>' in page
    assert "credit=" not in page and "data-c" not in page and "copyright=" not in page
    news = news_article(page)
    assert [(i.get("creditText"), i.get("copyrightHolder")) for i in news["image"]] == [
        ("Antara/Aji Styawan", {"@type": "Organization", "name": "Antara"}),
        ("Dok. Warga", None)]
    feed = json.loads((site / "output/feed.json").read_text("utf-8"))
    assert "Foto: Antara/Aji Styawan" in feed["items"][0]["content_html"]


def test_a_paragraph_of_pictures_is_a_gallery_of_figures(tmp_path: Path) -> None:
    for name in ("a", "b", "c"):
        make_image(tmp_path / f"content/static/images/{name}.jpg")
    body = """\
        Pembuka.

        ![Perahu di dermaga](/images/a.jpg "Perahu pustaka bersandar."){credit="Made"}
        ![Anak membaca](/images/b.jpg "Anak-anak membaca."){credit="Rini"}
        ![Rak buku](/images/c.jpg "Rak di lambung perahu.")
        """
    site = make_site(tmp_path, {"content/nasional/a.md": article("A", body=body)})
    build_site(site)
    page = (site / "output/nasional/a/index.html").read_text("utf-8")
    # The buttons' names for js/gallery.js ride along as data attributes.
    gallery = re.search(r'<div aria-label="Galeri foto \(3\)" class="gallery" '
                        r'data-next="Foto berikutnya" data-previous="Foto sebelumnya" '
                        r'role="region" tabindex="0">(.*?)</div>', page, re.S)
    assert gallery, page
    figures = re.findall(r'<figure class="gallery-item">(.*?)</figure>', gallery.group(1))
    assert len(figures) == 3
    assert 'alt="Perahu di dermaga"' in figures[0] and "Foto: Made" in figures[0]
    assert "<figcaption>Rak di lambung perahu.</figcaption>" in figures[2]
    assert all("<picture>" in f for f in figures)
    news = news_article(page)
    assert [i["caption"] for i in news["image"]] == [
        "Perahu pustaka bersandar.", "Anak-anak membaca.", "Rak di lambung perahu."]


def test_a_damaged_picture_is_a_problem_of_its_file(tmp_path: Path) -> None:
    make_image(tmp_path / "content/static/images/rusak.jpg")
    path = tmp_path / "content/static/images/rusak.jpg"
    path.write_bytes(path.read_bytes()[:700])  # the header survives, the pixels do not
    site = make_site(tmp_path, {"content/ekonomi/a.md": article(
        "A", image="/images/rusak.jpg", image_alt="Foto")})
    with pytest.raises(SitegenError) as caught:
        build_site(site)
    [problem] = caught.value.problems
    # Found when the article is read: at the line that names the picture.
    assert (problem.path, problem.line) == ("content/ekonomi/a.md", 4)
    assert "rusak.jpg cannot be read as a picture" in problem.message
    assert not (site / "output").exists()


def test_credit_attributes_never_reach_the_page_and_text_images_stay_inline(
        tmp_path: Path) -> None:
    make_image(tmp_path / "content/static/images/a.jpg")
    body = ('Lihat ![ikon](/images/a.jpg){credit="X"} di sini, dan '
            '![luar](https://example.com/a.jpg){credit="Y"}.\n')
    site = make_site(tmp_path, {"content/ekonomi/a.md": article("A", body=body)})
    build_site(site)
    page = (site / "output/ekonomi/a/index.html").read_text("utf-8")
    assert "credit=" not in page and "data-c" not in page
    assert re.search(r"<p>Lihat <picture>.*</picture> di sini, dan <img [^>]*"
                     r'src="https://example.com/a.jpg"', page)


def test_feeds_carry_the_hero_credit_and_caption_as_media_rss(sample: Path) -> None:
    import feedparser

    parsed = feedparser.parse((sample / "feed.xml").read_bytes())
    entry = next(e for e in parsed.entries if e.link.endswith(SEED))
    [media] = entry.media_content
    assert media["url"].endswith(".jpg") and media["width"] == "1200"
    assert entry.media_credit[0]["content"] == "Business Insider"
