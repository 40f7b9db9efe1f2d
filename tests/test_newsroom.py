"""The newsroom's stories: article kinds and labels, corrections and right of reply,
the breaking banner, live blogs, series and "Baca juga", the front page without
repeats, the daily index and the side column. Sites are built with the fixed clock
NOW (2026-11-28 12:00 WIB); pages are read with lxml, feeds with feedparser."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest
from lxml import etree, html

from sitegen.errors import SitegenError
from tests.conftest import (
    NOW,
    REPO,
    article,
    build_copy,
    build_site,
    make_site,
    read_tree,
    share_pictures,
)

WIB = ZoneInfo("Asia/Jakarta")
LIVE = "nasional/laporan-langsung-hujan-deras-rendam-jakarta/"
CORRECTED = "nasional/banjir-rob-rendam-pesisir-utara-jawa-tengah/"
OPINION = "nasional/opini-pesisir-butuh-tanggul-dan-kebijakan/"
ADVERTORIAL = "ekonomi/advertorial-batik-pesisir-go-digital/"
SERIES = ["nasional/pesisir-tenggelam-1-tanah-yang-terus-turun/",
          "nasional/pesisir-tenggelam-2-sumur-dalam-di-balik-pagar-pabrik/",
          "nasional/pesisir-tenggelam-3-bertahan-atau-pindah/"]
BANNER_END = dt.datetime(2026, 11, 28, 21, 0, tzinfo=WIB)


def copy_sample(folder: Path) -> Path:
    site = folder / "sample"
    site.mkdir(parents=True)
    shutil.copy(REPO / "sitegen.toml", site / "sitegen.toml")
    shutil.copytree(REPO / "content", site / "content")
    share_pictures(site)  # the pictures earlier builds resized: the banner is the subject
    return site


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_copy(REPO, tmp_path_factory.mktemp("newsroom") / "sample")


def page(output: Path, path: str) -> html.HtmlElement:
    return html.fromstring((output / path / "index.html").read_bytes())


def json_ld(doc: html.HtmlElement) -> list[dict]:
    return [json.loads(s.text) for s in doc.xpath('//script[@type="application/ld+json"]')]


def main_ld(doc: html.HtmlElement) -> dict:
    return next(d for d in json_ld(doc) if d["@type"] != "BreadcrumbList")


def text_of(doc: html.HtmlElement, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in doc.xpath(xpath)]


def has_class(name: str) -> str:
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


# --- the sample site: what "done" means ------------------------------------------------

def test_json_ld_of_every_sample_page_parses(sample: Path) -> None:
    pages = sorted(sample.rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        for data in json_ld(html.fromstring(path.read_bytes())):
            assert data["@context"] == "https://schema.org", path


def test_the_corrected_article_carries_its_correction(sample: Path) -> None:
    doc = page(sample, CORRECTED)
    data = main_ld(doc)
    assert data["correction"] == [{
        "@type": "CorrectionComment", "datePublished": "2026-11-27T09:10:00+07:00",
        "text": "Versi awal berita ini menyebut banjir rob merendam lima kecamatan. Yang benar, "
                "banjir merendam tiga kecamatan: Semarang Utara, Genuk, dan Sayung. Kesalahan "
                "telah diperbaiki."}]
    assert data["dateModified"] == "2026-11-27T09:10:00+07:00", "the latest correction"
    # Shown at the top (a notice linking down) and in full after the body, with its time.
    notice = doc.xpath(f'//p[{has_class("correction-notice")}]')[0]
    assert notice.xpath(".//a/@href") == ["#koreksi"]
    section = doc.xpath('//section[@id="koreksi"]')[0]
    assert "Jumat, 27 November 2026 09.10 WIB" in section.text_content()
    assert "tiga kecamatan: Semarang Utara" in section.text_content()
    assert text_of(doc, '//span[@class="updated"]') == [
        "Diperbarui Jumat, 27 November 2026 09.10 WIB"]


def test_the_correction_is_in_the_feeds(sample: Path) -> None:
    feed = feedparser.parse((sample / "feed.xml").read_bytes())
    entry = next(e for e in feed.entries if e.link.endswith(CORRECTED))
    assert "Koreksi" in entry.content[0].value and "Semarang Utara, Genuk" in entry.content[0].value
    atom = feedparser.parse((sample / "atom.xml").read_bytes())
    entry = next(e for e in atom.entries if e.link.endswith(CORRECTED))
    assert entry.updated == "2026-11-27T09:10:00+07:00"
    tag = feedparser.parse((sample / "tag/banjir-rob/feed.xml").read_bytes())
    entry = next(e for e in tag.entries if e.link.endswith(CORRECTED))
    assert "Koreksi (Jumat, 27 November 2026 09.10 WIB): Versi awal" in entry.summary


def test_the_right_of_reply_is_shown_with_its_time_and_party(sample: Path) -> None:
    doc = page(sample, SERIES[1])
    reply = doc.xpath('//section[@id="hak-jawab"]')[0]
    assert reply.xpath(".//h2")[0].text_content() == \
        "Hak jawab dari Himpunan Kawasan Industri Pesisir Semarang"
    assert "Selasa, 24 November 2026 15.00 WIB" in reply.text_content()
    assert doc.xpath(f'//p[{has_class("correction-notice")}]//a/@href') == ["#hak-jawab"]
    assert main_ld(doc)["dateModified"] == "2026-11-24T15:00:00+07:00"


def test_the_publisher_links_the_newsroom_policies(sample: Path) -> None:
    publisher = main_ld(page(sample, CORRECTED))["publisher"]
    assert publisher["@type"] == "NewsMediaOrganization"
    assert publisher["correctionsPolicy"] == \
        "https://kabarnusantara.example/pedoman-media-siber/"
    assert publisher["ethicsPolicy"] == "https://kabarnusantara.example/pedoman-media-siber/"
    assert publisher["masthead"] == "https://kabarnusantara.example/redaksi/"
    assert (sample / "pedoman-media-siber/index.html").is_file()
    assert (sample / "redaksi/index.html").is_file()


def test_the_live_blog_is_a_live_blog_posting_with_every_entry(sample: Path) -> None:
    doc = page(sample, LIVE)
    data = main_ld(doc)
    assert data["@type"] == "LiveBlogPosting"
    assert (data["coverageStartTime"], data["coverageEndTime"]) == (
        "2026-11-28T06:30:00+07:00", "2026-11-28T22:00:00+07:00")
    shown = text_of(doc, '//h3[@class="live-headline"]')
    assert len(shown) == 6
    assert [u["headline"] for u in data["liveBlogUpdate"]] == shown
    assert data["liveBlogUpdate"][0]["articleBody"].startswith("BPBD DKI Jakarta menyatakan")
    assert shown[0] == "Jumlah RT tergenang turun menjadi 27", "newest first"
    times = [u["datePublished"] for u in data["liveBlogUpdate"]]
    assert times == sorted(times, reverse=True)
    anchors = doc.xpath('//li[@class="live-entry"]/@id')
    assert [u["url"].rsplit("#", 1)[1] for u in data["liveBlogUpdate"]] == anchors
    assert data["dateModified"] == "2026-11-28T11:45:00+07:00"
    assert text_of(doc, f'//header//span[{has_class("live-badge")}]') == ["Live", "Live"]
    # The introduction stays the body; the entries are not in it twice.
    body = doc.xpath('//div[@class="story-body"]')[0].text_content()
    assert "Laporan ini diperbarui sepanjang hari" in body and "Kampung Melayu" not in body


def test_the_opinion_piece_is_labelled_and_shows_its_author(sample: Path) -> None:
    doc = page(sample, OPINION)
    assert main_ld(doc)["@type"] == "OpinionNewsArticle"
    assert text_of(doc, f'//p[@class="kicker"]/span[{has_class("kind-label")}]') == ["Opini"]
    author = doc.xpath('//div[@class="opinion-author"]')[0]
    assert author.xpath(".//a/text()") == ["Made Surya Dharma"]
    assert "wartawan Kabar Nusantara" in author.text_content(), "the author's bio"
    assert "opini pribadi penulis" in text_of(doc, f'//p[{has_class("kind-notice")}]')[0]


def test_the_advertorial_is_labelled_sponsored_and_not_in_google_news(sample: Path) -> None:
    doc = page(sample, ADVERTORIAL)
    assert main_ld(doc)["@type"] == "AdvertiserContentArticle"
    assert text_of(doc, f'//p[@class="kicker"]/span[{has_class("kind-label")}]') == \
        ["Advertorial"]
    assert "konten berbayar" in text_of(doc, f'//p[{has_class("kind-notice")}]')[0]
    links = doc.xpath('//div[@class="story-body"]//a')
    outgoing = [a for a in links if a.get("href").startswith("https://batikkita.example/")]
    assert len(outgoing) == 2
    assert all(a.get("rel") == "sponsored" for a in outgoing)
    internal = [a for a in links if a.get("href") == "/ekonomi/"]
    assert internal and internal[0].get("rel") is None, "links inside the site stay as they are"
    feed = feedparser.parse((sample / "feed.xml").read_bytes())
    content = next(e for e in feed.entries if e.link.endswith(ADVERTORIAL)).content[0].value
    assert content.count('rel="sponsored"') == 2 and content.startswith("<p><strong>Advertorial")
    # Lists label it too.
    section = page(sample, "ekonomi")
    card = section.xpath(f'//article[.//a[@href="/{ADVERTORIAL}"]]')[0]
    assert "Advertorial" in text_of(card, f'.//span[{has_class("kind-label")}]')
    news = etree.parse(str(sample / "sitemap-news.xml"))
    locs = news.xpath("//s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    assert f"https://kabarnusantara.example/{ADVERTORIAL}" not in locs
    assert f"https://kabarnusantara.example/{LIVE}" in locs, "its window is not empty"
    assert f"https://kabarnusantara.example/{ADVERTORIAL}" in (sample / "sitemap.xml").read_text()


def test_the_series_page_lists_its_parts_in_order_and_parts_link_each_other(
        sample: Path) -> None:
    series = page(sample, "liputan-khusus/pesisir-yang-tenggelam")
    assert text_of(series, "//h1") == ["Pesisir yang Tenggelam"]
    assert series.xpath('//ol[contains(@class, "series-list")]//h2/a/@href') == \
        [f"/{p}" for p in SERIES]
    middle = page(sample, SERIES[1])
    box = middle.xpath('//nav[@class="series-box"]')[0]
    assert text_of(box, './/p[@class="series-position"]') == ["Bagian 2 dari 3"]
    assert box.xpath('.//a[@rel="prev"]/@href') == [f"/{SERIES[0]}"]
    assert box.xpath('.//a[@rel="next"]/@href') == [f"/{SERIES[2]}"]
    assert box.xpath('.//span[@aria-current="page"]/text()') == [
        "Pesisir yang Tenggelam (2): Sumur Dalam di Balik Pagar Pabrik"]
    first = page(sample, SERIES[0]).xpath('//nav[@class="series-box"]')[0]
    assert first.xpath('.//a[@rel="prev"]') == []
    assert "https://kabarnusantara.example/liputan-khusus/pesisir-yang-tenggelam/" in \
        (sample / "sitemap.xml").read_text()


def test_baca_juga_links_come_from_front_matter_beside_the_related_articles(
        sample: Path) -> None:
    doc = page(sample, CORRECTED)
    assert doc.xpath('//section[@class="see-also"]//a/@href') == [f"/{SERIES[0]}"]
    assert doc.xpath('//section[@class="related"]//a/@href'), "related articles stay"
    assert page(sample, SERIES[2]).xpath('//section[@class="see-also"]//a/@href') == [
        f"/{OPINION}"]


def test_every_sample_page_shows_the_banner_before_its_end(sample: Path) -> None:
    # Every page a reader sees; a redirect (an alias, /indeks/) only forwards, and a
    # static file (the editors' CMS page) is copied as it is. The banner is written in
    # Indonesian: the English edition (/en/) has none.
    static = {p.relative_to(REPO / "content" / "static")
              for p in (REPO / "content" / "static").rglob("*.html")}
    pages = [p for p in sorted(sample.rglob("*.html"))
             if b'http-equiv="refresh"' not in p.read_bytes()
             and p.relative_to(sample) not in static and p.relative_to(sample).parts[0] != "en"]
    assert not [p for p in sample.glob("en/**/*.html") if b'class="breaking"' in p.read_bytes()]
    assert len(pages) > 100
    without = [p for p in pages if b'class="breaking"' not in p.read_bytes()]
    assert not without, f"no banner on {without[:5]}"
    banner = page(sample, "").xpath('//div[@class="breaking"]')[0]
    assert banner.xpath(".//a/@href") == [f"/{LIVE}"]
    assert "Hujan deras rendam 27 RT" in banner.text_content()


@pytest.mark.slow
def test_after_its_end_no_page_shows_the_banner_even_from_the_cache(tmp_path: Path) -> None:
    site = copy_sample(tmp_path)
    build_site(site, now=BANNER_END - dt.timedelta(minutes=1))
    assert b'class="breaking"' in (site / "output/index.html").read_bytes()
    # The scheduled rebuild after the end: no file changed, only the clock.
    report = build_site(site, now=BANNER_END)
    pages = sorted((site / "output").rglob("*.html"))
    assert len(pages) > 100
    assert not [p for p in pages if b'class="breaking"' in p.read_bytes()]
    assert "index.html" in report.rendered
    clean = tmp_path / "clean"
    shutil.copytree(site / "content", clean / "content")
    shutil.copy(site / "sitegen.toml", clean / "sitegen.toml")
    build_site(clean, now=BANNER_END, use_cache=False)
    assert read_tree(site / "output") == read_tree(clean / "output")


# --- the front page --------------------------------------------------------------------

def front_page_blocks(doc: html.HtmlElement) -> dict[str, list[str]]:
    main = doc.xpath("//main")[0]
    blocks = {
        "lead": main.xpath(f'.//article[{has_class("card-lead")}]//h2/a/@href'),
        "next": main.xpath('.//div[@class="next-stories"]//*[@class="card-title"]/a/@href'),
        "latest": main.xpath('.//section[@class="latest"]//ol//a/@href'),
        "picks": main.xpath('.//section[@class="picks"]//*[@class="card-title"]/a/@href'),
    }
    for block in main.xpath('.//section[@class="section-block"]'):
        name = block.xpath(".//h2")[0].text_content()
        blocks[name] = block.xpath('.//*[@class="card-title"]/a/@href')
    return blocks


def test_no_article_appears_in_two_blocks_of_a_100_article_front_page(tmp_path: Path) -> None:
    sections = ["ekonomi", "nasional", "olahraga", "teknologi", "internasional"]
    files = {}
    start = dt.datetime(2026, 11, 27, 23, 0)
    for n in range(100):
        when = start - dt.timedelta(hours=5 * n)
        files[f"content/{sections[n % 5]}/berita-{n:03d}.md"] = article(
            f"Berita nomor {n}", date=when.strftime("%Y-%m-%d %H:%M"),
            featured=n % 7 == 0, tags=[f"Topik {n % 4}"])
    make_site(tmp_path, files)
    build_site(tmp_path)
    blocks = front_page_blocks(html.fromstring((tmp_path / "output/index.html").read_bytes()))
    assert len(blocks["lead"]) == 1 and len(blocks["next"]) == 4 and len(blocks["latest"]) == 10
    assert len(blocks["picks"]) == 5 and len(blocks) == 4 + 5
    seen: dict[str, str] = {}
    for name, links in blocks.items():
        for url in links:
            assert url not in seen or seen[url] == name, f"{url} in {seen.get(url)} and {name}"
            seen[url] = name
    assert len(seen) == 1 + 4 + 10 + 5 + 5 * 4
    # Editors' picks take the next featured stories not shown above them.
    # Editors' picks take the next featured stories not shown above them: 0 leads,
    # 7 and 14 are among the latest headlines.
    assert [int(u.rsplit("-", 1)[1].strip("/")) for u in blocks["picks"]] == [21, 28, 35, 42, 49]


def test_the_sample_front_page_shows_each_story_once_with_times(sample: Path) -> None:
    doc = page(sample, "")
    blocks = front_page_blocks(doc)
    links = [url for urls in blocks.values() for url in urls]
    assert len(links) == len(set(links))
    assert blocks["lead"] == [f"/{LIVE}"]
    assert f"/{ADVERTORIAL}" not in blocks["lead"] + blocks["next"], "paid content never leads"
    # Where it does show, in the headlines, it is labelled.
    item = doc.xpath(f'//section[@class="latest"]//li[a/@href="/{ADVERTORIAL}"]')[0]
    assert text_of(item, f'.//span[{has_class("kind-label")}]') == ["Advertorial"]
    times = doc.xpath('//section[@class="latest"]//span[@class="headline-time"]/text()')
    assert len(times) == 10 and all(len(t) == 5 and t[2] == "." for t in times)
    assert doc.xpath('//section[@class="latest"]//p[@class="more"]/a/@href') == [
        "/indeks/2026/11/28/"]
    assert text_of(doc, f'//article[{has_class("card-lead")}]//span[{has_class("live-badge")}]') \
        == ["Live"]


def test_the_article_side_column_carries_the_latest_headlines(sample: Path) -> None:
    doc = page(sample, OPINION)
    aside = doc.xpath('//aside[@class="story-aside"]')[0]
    related = aside.xpath('.//section[@class="related"]//a/@href')
    latest = aside.xpath('.//section[@class="aside-latest"]//a/@href')
    assert len(latest) == 5 and related
    assert not set(latest) & {*related, f"/{OPINION}"}


def test_the_side_column_lists_the_stories_published_just_before_the_article(
        tmp_path: Path) -> None:
    sections = ("ekonomi", "nasional", "olahraga")
    root = make_site(tmp_path, {
        f"content/{sections[i % 3]}/a{i}.md": article(f"Judul {i}",
                                                      date=f"2026-11-{10 + i:02d} 09:00")
        for i in range(10)})
    build_site(root)

    def side_column(i: int) -> tuple[list[str], list[str]]:
        doc = html.parse(str(root / f"output/{sections[i % 3]}/a{i}/index.html"))
        aside = doc.xpath('//aside[@class="story-aside"]')[0]
        return (aside.xpath('.//section[@class="aside-latest"]//a/@href'),
                aside.xpath('.//section[@class="related"]//a/@href'))

    latest, related = side_column(7)
    older = [f"/{sections[i % 3]}/a{i}/" for i in range(6, -1, -1)]
    assert latest == [url for url in older if url not in related][:5]
    # Publishing a newer story leaves it out, so the archive's pages are not rendered again
    # (those of its own section are: their related articles are the section's newest).
    (root / "content/ekonomi/baru.md").write_text(article("Baru", date="2026-11-25 09:00"),
                                                  encoding="utf-8")
    report = build_site(root)
    assert "ekonomi/baru/index.html" in report.rendered
    assert not {"nasional/a1/index.html", "olahraga/a5/index.html"} & set(report.rendered)
    assert side_column(7)[0] == latest


# --- the daily index -------------------------------------------------------------------

def test_the_daily_index_links_the_previous_and_next_days_with_articles(tmp_path: Path) -> None:
    make_site(tmp_path, {
        "content/ekonomi/satu.md": article("Satu", date="2026-11-20 09:00"),
        "content/ekonomi/dua.md": article("Dua", date="2026-11-24 08:00"),
        "content/nasional/tiga.md": article("Tiga", date="2026-11-24 19:00"),
        "content/nasional/empat.md": article("Empat", date="2026-11-27 07:00"),
    })
    build_site(tmp_path)
    out = tmp_path / "output"
    assert sorted(p.parent.relative_to(out).as_posix() for p in
                  (out / "indeks").rglob("*/index.html")) == [
        "indeks/2026/11/20", "indeks/2026/11/24", "indeks/2026/11/27"]
    day = page(out, "indeks/2026/11/24")
    assert text_of(day, "//h1") == ["Selasa, 24 November 2026"]
    assert day.xpath('//div[@class="list"]//h2/a/@href') == ["/nasional/tiga/", "/ekonomi/dua/"]
    nav = day.xpath(f'//nav[{has_class("day-nav")}]')[0]
    assert nav.xpath('.//a[@class="prev"]/@href') == ["/indeks/2026/11/20/"]
    assert nav.xpath('.//a[@class="next"]/@href') == ["/indeks/2026/11/27/"]
    assert page(out, "indeks/2026/11/20").xpath('//nav//a[@class="prev"]') == []
    assert "https://example.org/indeks/2026/11/24/" in (out / "sitemap.xml").read_text()


def test_the_daily_index_follows_its_permalink_key(tmp_path: Path) -> None:
    make_site(tmp_path, {"content/ekonomi/satu.md": article("Satu", date="2026-11-20 09:00")},
              config="[site]\nbase_url = \"https://example.org/\"\n"
                     "[permalinks]\ndaily = \"/index-harian/\"\n")
    build_site(tmp_path)
    assert (tmp_path / "output/index-harian/2026/11/20/index.html").is_file()


# --- kinds, live blogs and corrections on small sites ----------------------------------

KIND_TYPES = {"news": "NewsArticle", "opinion": "OpinionNewsArticle",
              "analysis": "AnalysisNewsArticle", "background": "BackgroundNewsArticle",
              "press-release": "Article", "advertorial": "AdvertiserContentArticle"}
KIND_LABELS = {"opinion": "Opini", "analysis": "Analisis", "background": "Latar belakang",
               "press-release": "Siaran pers", "advertorial": "Advertorial"}


def test_each_kind_has_its_schema_type_and_label(tmp_path: Path) -> None:
    make_site(tmp_path, {f"content/ekonomi/{kind}.md": article(kind.title(), kind=kind,
                                                               date="2026-11-27 09:00")
                         for kind in KIND_TYPES})
    build_site(tmp_path)
    for kind, schema_type in KIND_TYPES.items():
        doc = page(tmp_path / "output", f"ekonomi/{kind}")
        assert main_ld(doc)["@type"] == schema_type
        labels = text_of(doc, f'//p[@class="kicker"]/span[{has_class("kind-label")}]')
        assert labels == ([KIND_LABELS[kind]] if kind in KIND_LABELS else []), kind
    news = (tmp_path / "output/sitemap-news.xml").read_text()
    assert "/ekonomi/news/" in news and "/ekonomi/analysis/" in news
    assert "/ekonomi/press-release/" not in news and "/ekonomi/advertorial/" not in news


def test_bad_newsroom_front_matter_is_reported_on_its_line(tmp_path: Path) -> None:
    make_site(tmp_path, {
        "content/ekonomi/a.md": "---\ntitle: A\ndate: 2026-11-20 09:00\nkind: opini\n---\nx\n",
        "content/ekonomi/b.md": "---\ntitle: B\ndate: 2026-11-20 09:00\ncorrections:\n"
                                "  - date: kemarin\n    text: Salah\n---\nx\n",
        "content/ekonomi/c.md": "---\ntitle: C\ndate: 2026-11-20 09:00\nkind: live\n"
                                "coverage_start: 2026-11-20 09:00\n---\nPembuka\n\n"
                                "## 2026-11-20 10:00 | Benar\n\nIsi.\n\n## 10:99 | Salah\n",
        "content/ekonomi/d.md": "---\ntitle: D\ndate: 2026-11-20 09:00\nkind: live\n---\nx\n",
    })
    with pytest.raises(SitegenError) as caught:
        build_site(tmp_path)
    lines = sorted(str(p) for p in caught.value.problems)
    assert any(s.startswith("content/ekonomi/a.md:4: kind 'opini' is not one of news, opinion")
               for s in lines), lines
    assert any(s.startswith("content/ekonomi/b.md:4: corrections date 'kemarin' is not a date")
               for s in lines), lines
    assert any(s.startswith("content/ekonomi/c.md:13: a live blog entry starts with a line")
               for s in lines), lines
    assert any(s.startswith("content/ekonomi/d.md:2: a live blog needs coverage_start")
               for s in lines), lines


def live_site(root: Path, entries: list[tuple[str, str]], end: str = "2026-11-28 22:00") -> Path:
    body = "Pembuka liputan.\n\n" + "\n\n".join(
        f"## {when} | {headline}\n\nIsi {headline}." for when, headline in entries)
    return make_site(root, {
        "content/nasional/live.md": article("Laporan Langsung", date="2026-11-28 06:00",
                                            body=body, kind="live",
                                            coverage_start="2026-11-28 06:00",
                                            coverage_end=end),
        "content/nasional/lain.md": article("Berita Lain", date="2026-11-27 09:00"),
        "content/ekonomi/ketiga.md": article("Berita Ketiga", date="2026-11-26 09:00"),
    })


def test_a_new_live_entry_re_renders_only_the_live_page_its_feeds_and_sitemaps(
        tmp_path: Path) -> None:
    site = live_site(tmp_path, [("2026-11-28 07:00", "Pertama"), ("2026-11-28 08:00", "Kedua")])
    build_site(site)
    source = site / "content/nasional/live.md"
    source.write_text(source.read_text() + "\n## 2026-11-28 09:30 | Ketiga\n\nIsi baru.\n")
    report = build_site(site)
    assert "nasional/live/index.html" in report.rendered and "feed.xml" in report.rendered
    others = [r for r in report.rendered if r != "nasional/live/index.html"
              and not r.endswith(("feed.xml", "atom.xml", "feed.json"))
              and not r.startswith("sitemap")]
    assert others == [], "no list or other article shows a live blog's entries"
    doc = page(site / "output", "nasional/live")
    assert text_of(doc, '//h3[@class="live-headline"]') == ["Ketiga", "Kedua", "Pertama"]
    feed = feedparser.parse((site / "output/feed.xml").read_bytes())
    content = next(e for e in feed.entries if e.title == "Laporan Langsung").content[0].value
    assert content.index("Pembuka liputan.") < content.index("Ketiga") < content.index("Kedua")
    assert "Isi baru." in content


def test_the_live_badge_shows_only_while_the_coverage_is_open(tmp_path: Path) -> None:
    site = live_site(tmp_path, [("2026-11-28 07:00", "Pertama")], end="2026-11-28 13:00")
    build_site(site)
    live = '//span[@class="live-badge"]'
    assert page(site / "output", "nasional/live").xpath(live)
    assert page(site / "output", "").xpath(live), "the front page's card too"
    build_site(site, now=dt.datetime(2026, 11, 28, 13, 0, tzinfo=WIB))
    doc = page(site / "output", "nasional/live")
    assert not doc.xpath(live) and not page(site / "output", "").xpath(live)
    assert "Liputan langsung ini telah berakhir." in doc.text_content()
    assert main_ld(doc)["coverageEndTime"] == "2026-11-28T13:00:00+07:00"


def test_corrections_are_escaped_in_html_json_ld_and_feeds(tmp_path: Path) -> None:
    evil = "</script><script>alert(1)</script> & <b>"
    make_site(tmp_path, {"content/ekonomi/a.md": article(
        "A", corrections=[{"date": "2026-11-21 10:00", "text": evil}],
        right_of_reply={"date": "2026-11-22 10:00", "text": evil, "by": "<i>PT X</i>"})})
    build_site(tmp_path)
    raw = (tmp_path / "output/ekonomi/a/index.html").read_text()
    assert "<script>alert(1)" not in raw and "<i>PT X</i>" not in raw
    doc = page(tmp_path / "output", "ekonomi/a")
    assert main_ld(doc)["correction"][0]["text"] == evil
    assert evil in doc.xpath('//section[@id="koreksi"]')[0].text_content()
    assert main_ld(doc)["dateModified"] == "2026-11-22T10:00:00+07:00"
    feed = feedparser.parse((tmp_path / "output/feed.xml").read_bytes())
    assert feed.bozo == 0 and "<script>alert(1)" not in feed.entries[0].content[0].value


def test_baca_juga_to_a_missing_article_is_a_warning(tmp_path: Path) -> None:
    make_site(tmp_path, {
        "content/ekonomi/a.md": article("A", see_also=["/ekonomi/b/", "ekonomi/c.md",
                                                       "/ekonomi/tidak-ada/"]),
        "content/ekonomi/b.md": article("B", date="2026-11-19 09:00"),
        "content/ekonomi/c.md": article("C", date="2026-11-18 09:00", draft=True),
    })
    report = build_site(tmp_path)
    assert [str(w) for w in report.warnings if "see_also" in w.message] == [
        "content/ekonomi/a.md:1: warning: see_also: no article at /ekonomi/tidak-ada/ (write its "
        "URL, such as /ekonomi/judul/, or its file, such as ekonomi/judul.md)"]
    doc = page(tmp_path / "output", "ekonomi/a")
    assert doc.xpath('//section[@class="see-also"]//a/@href') == ["/ekonomi/b/"]


# --- configuration ---------------------------------------------------------------------

def config_problems(tmp_path: Path, extra: str) -> list[str]:
    make_site(tmp_path, {}, config="[site]\nbase_url = \"https://example.org/\"\n" + extra)
    with pytest.raises(SitegenError) as caught:
        build_site(tmp_path)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(("extra", "expected"), [
    ('[breaking]\ntext = "Gempa"\n', "sitegen.toml:3: breaking.until is missing"),
    ('[breaking]\ntext = "Gempa"\nuntil = "besok"\n',
     "sitegen.toml:5: breaking.until 'besok' is not a time"),
    ('[breaking]\ntext = "Gempa"\nuntil = "2026-11-28 18:00"\nurl = "javascript:x"\n',
     "sitegen.toml:6: breaking.url must be a path on this site"),
    ('[breaking]\ntxt = "Gempa"\n', "sitegen.toml:4: unknown key 'txt' in [breaking]"),
    ('corrections_policy = "pedoman"\n', "sitegen.toml:3: site.corrections_policy must be a path"),
])
def test_newsroom_config_is_validated(tmp_path: Path, extra: str, expected: str) -> None:
    problems = config_problems(tmp_path, extra)
    assert any(expected in p for p in problems), problems


def test_a_toml_date_time_works_as_the_banner_end(tmp_path: Path) -> None:
    make_site(tmp_path, {"content/ekonomi/a.md": article("A")},
              config='[site]\nbase_url = "https://example.org/"\n[breaking]\ntext = "Gempa"\n'
                     "until = 2026-11-28T12:30:00+07:00\n")
    build_site(tmp_path)
    assert b'class="breaking"' in (tmp_path / "output/ekonomi/a/index.html").read_bytes()
    build_site(tmp_path, now=NOW + dt.timedelta(minutes=30))
    assert b'class="breaking"' not in (tmp_path / "output/ekonomi/a/index.html").read_bytes()


# --- the English site ------------------------------------------------------------------

ENGLISH = REPO / "tests" / "sites" / "english"


def test_the_english_site_reads_english_on_every_new_label(tmp_path: Path) -> None:
    from tests.test_theme import ui_strings

    shutil.copytree(ENGLISH / "content", tmp_path / "content")
    shutil.copy(ENGLISH / "sitegen.toml", tmp_path / "sitegen.toml")
    build_site(tmp_path)
    out = tmp_path / "output"
    english, indonesian = ui_strings("en"), ui_strings("id")
    newsroom_keys = [k for k in english if k.startswith(("kind_", "notice_", "live_", "series",
                                                         "correction", "reply", "right_of"))]
    assert len(newsroom_keys) > 15
    pages = ["", "world/live-harbour-storm", "world/opinion-the-harbour-needs-a-plan",
             "business/advertorial-sail-with-us", "world/ports-sign-trade-pact",
             "world/harbour-notes-1", "world/harbour-notes-2", "series/harbour-notes",
             "index/2017/01/12"]
    seen = ""
    for path in pages:
        text = " ".join(page(out, path).text_content().split())
        found = [indonesian[k] for k in indonesian if indonesian[k] != english[k]
                 and re.search(rf"\b{re.escape(indonesian[k])}\b", text)]
        assert not found, f"{path}: {found}"
        seen += text
    for expected in ("Breaking news", "Live", "Opinion", "Advertorial", "Corrections",
                     "Right of reply from The Port Authority", "Special report",
                     "Part 2 of 3", "Read also", "Previous day", "Live updates", "Latest",
                     "This article has been corrected.", "Opinion by"):
        assert expected in seen, expected


def test_sponsored_links_are_those_that_leave_the_site() -> None:
    from sitegen.newsroom import mark_sponsored

    body = ('<p><a href="https://shop.example/a">a</a> <a rel="nofollow" href="//cdn.example/b">'
            'b</a> <a href="https://example.org/ekonomi/">c</a> <a href="/tag/x/">d</a> '
            "<a href='HTTP://Shop.example/e' rel='sponsored'>e</a></p>")
    assert mark_sponsored(body, "https://example.org") == (
        '<p><a href="https://shop.example/a" rel="sponsored">a</a> '
        '<a rel="nofollow sponsored" href="//cdn.example/b">b</a> '
        '<a href="https://example.org/ekonomi/">c</a> <a href="/tag/x/">d</a> '
        "<a href='HTTP://Shop.example/e' rel='sponsored'>e</a></p>")
