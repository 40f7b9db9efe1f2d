"""Editions: a generated two-edition site (id at /, en at /en/) built once; each page's
language, interface strings and dates; translations as reciprocal hreflang pairs; each
edition's feeds, sitemaps and news sitemap; the config's and front matter's problems;
and publishing in one edition planning none of the other's pages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import feedparser
import pytest
from lxml import etree, html

from sitegen.config import parse_config
from sitegen.errors import SitegenError
from tests.conftest import article, build_site, make_site
from tests.editions_site import CONFIG, make_editions_site
from tests.test_sitemaps import NS, W3C_DATETIME, entries

BASE = "https://example.org/"
XHTML = "{http://www.w3.org/1999/xhtml}link"


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = make_editions_site(tmp_path_factory.mktemp("editions") / "site")
    build_site(site)
    return site / "output"


def pages(output: Path) -> dict[str, html.HtmlElement]:
    return {p.relative_to(output).as_posix(): html.fromstring(p.read_bytes())
            for p in sorted(output.rglob("*.html"))}


def english(relative: str) -> bool:
    return relative.startswith("en/")


def test_each_page_has_its_editions_language_strings_and_dates(output: Path) -> None:
    found = pages(output)
    assert {"index.html", "en/index.html", "en/economy/chili-prices/index.html",
            "en/ekonomi/coffee-exports/index.html", "en/about/index.html", "en/404.html",
            "en/search/index.html", "en/tag/food/index.html", "en/economy/index.html",
            "en/author/siti-rahma/index.html", "en/archive/index.html",
            "en/archive/2026/11/index.html"} <= set(found)
    for relative, page in found.items():
        assert page.get("lang") == ("en" if english(relative) else "id"), relative
        text = page.text_content()
        if english(relative):  # no Indonesian interface word on an English page
            for word in ("Beranda", "menit baca", "Oleh ", "Cari"):
                assert word not in text, (relative, word)
    story = found["en/economy/chili-prices/index.html"]
    assert "By Siti Rahma" in " ".join(story.text_content().split())
    # date_style = "long": CLDR's long English date; the default edition keeps its own.
    assert story.xpath("//p[@class='byline-time']/time/text()")[0].startswith(
        "November 20, 2026 09:00")
    asal = found["ekonomi/harga-cabai/index.html"]
    assert "Oleh Siti Rahma" in " ".join(asal.text_content().split())
    assert asal.xpath("//p[@class='byline-time']/time/text()")[0] == \
        "Jumat, 20 November 2026 09.00 WIB"
    # Each edition's own title, menu and sections.
    assert found["en/index.html"].xpath("//title/text()")[0].endswith("Warta Uji (English)")
    assert found["en/index.html"].xpath("//nav[@id='menu']//a/@href") == ["/en/economy/"]
    assert found["index.html"].xpath("//nav[@id='menu']//a/@href") == ["/ekonomi/"]


def test_translations_are_reciprocal_hreflang_pairs_with_a_switcher(output: Path) -> None:
    found = pages(output)
    canonical = {p.xpath("//link[@rel='canonical']/@href")[0]: (r, p) for r, p in found.items()
                 if p.xpath("//link[@rel='canonical']/@href")}
    pairs = 0
    for url, (relative, page) in canonical.items():
        alternates = {a.get("hreflang"): a.get("href")
                      for a in page.xpath("//head/link[@rel='alternate'][@hreflang]")}
        if not alternates:
            continue
        assert alternates[page.get("lang")] == url, relative  # itself included
        assert alternates["x-default"] == alternates["id"]  # the default edition's
        assert not alternates["id"].startswith(BASE + "en/")
        for language, other in alternates.items():
            if language == "x-default" or other == url:
                continue
            back = canonical[other][1]
            theirs = {a.get("hreflang"): a.get("href")
                      for a in back.xpath("//head/link[@rel='alternate'][@hreflang]")}
            assert theirs == alternates, (relative, other)  # the same set, both ways
            pairs += 1
    # The story (translation_of), the pages (same path), the coffee story
    # (translation_key) and the two homes, each pair seen from both sides.
    assert pairs == 8
    assert not found["en/economy/harbour-cranes/index.html"].xpath("//head/link[@hreflang]")
    switcher = found["ekonomi/harga-cabai/index.html"].xpath("//p[@class='translations']/a")
    assert [(a.get("href"), a.text) for a in switcher] == [("/en/economy/chili-prices/",
                                                             "English")]
    back = found["en/economy/chili-prices/index.html"].xpath("//p[@class='translations']/a")
    assert [(a.get("href"), a.text) for a in back] == [("/ekonomi/harga-cabai/", "Indonesia")]


def test_each_edition_has_its_feeds(output: Path) -> None:
    for prefix, language, mine, theirs in (("", "id", "Pasar ikan ramai", "Harbour cranes"),
                                           ("en/", "en", "Harbour cranes", "Pasar ikan")):
        for name in ("feed.xml", "atom.xml"):
            feed = feedparser.parse((output / prefix / name).read_bytes())
            assert not feed.bozo, (prefix, name, feed.get("bozo_exception"))
            titles = [e.title for e in feed.entries]
            assert any(t.startswith(mine) for t in titles), titles
            assert not any(t.startswith(theirs) for t in titles), titles
            assert all(e.link.startswith(BASE + prefix) for e in feed.entries)
        assert feedparser.parse((output / prefix / "feed.xml").read_bytes()).feed.language \
            == language
        items = json.loads((output / prefix / "feed.json").read_text())["items"]
        assert all(i["url"].startswith(BASE + prefix) for i in items)
        section = "economy" if prefix else "ekonomi"
        assert not feedparser.parse((output / prefix / section / "feed.xml").read_bytes()).bozo


def test_each_edition_has_its_sitemap_and_news_sitemap(output: Path) -> None:
    root = entries((output / "sitemap.xml").read_bytes())
    en = entries((output / "en/sitemap.xml").read_bytes())
    assert all(not u.startswith(BASE + "en/") for u in root)
    assert all(u.startswith(BASE + "en/") for u in en)
    for listed, prefix in ((root, ""), (en, "en/")):
        shown = {BASE + r.removesuffix("index.html") for r in pages(output)
                 if english(r) == bool(prefix)
                 and not r.endswith(("404.html", "cari/index.html", "search/index.html"))}
        assert set(listed) == shown
        assert all(m is None or W3C_DATETIME.match(m) for m in listed.values())
    tree = etree.fromstring((output / "en/sitemap.xml").read_bytes())
    # The story, the page, the coffee story and the home have versions in both editions.
    assert sum(1 for url in tree.iterfind("s:url", NS) if list(url.iter(XHTML))) == 4
    for url in tree.iterfind("s:url", NS):
        links = {x.get("hreflang"): x.get("href") for x in url.iter(XHTML)}
        if links:  # reciprocal in the other edition's sitemap
            assert links["en"] == url.findtext("s:loc", namespaces=NS)
            other = etree.fromstring((output / "sitemap.xml").read_bytes())
            match = [u for u in other.iterfind("s:url", NS)
                     if u.findtext("s:loc", namespaces=NS) == links["id"]]
            assert {x.get("hreflang"): x.get("href") for x in match[0].iter(XHTML)} == links
    news = etree.fromstring((output / "en/sitemap-news.xml").read_bytes())
    assert [u.findtext("s:loc", namespaces=NS) for u in news.iterfind("s:url", NS)] == [
        BASE + "en/economy/harbour-cranes/", BASE + "en/ekonomi/coffee-exports/"]
    assert {e.text for e in news.iter(f"{{{NS['news']}}}language")} == {"en"}
    assert {e.text for e in news.iter(f"{{{NS['news']}}}name")} == {"Warta Uji (English)"}
    robots = (output / "robots.txt").read_text()
    assert f"Sitemap: {BASE}en/sitemap.xml" in robots
    assert f"Sitemap: {BASE}en/sitemap-news.xml" in robots
    assert not (output / "en/robots.txt").exists()


def test_each_edition_has_its_own_search_index(output: Path) -> None:
    for prefix in ("", "en/"):
        entry = json.loads((output / prefix / "pagefind/pagefind-entry.json").read_text())
        assert list(entry["languages"]) == ["id" if not prefix else "en"]
        search = "search" if prefix else "cari"
        config = html.fromstring((output / prefix / search / "index.html").read_bytes()).xpath(
            "//script[@id='search-config']/text()")[0]
        assert json.loads(config)["bundle"] == f"/{prefix}pagefind/"


@pytest.mark.slow
def test_every_page_of_both_editions_is_valid_html(output: Path) -> None:
    from tests.imported import validator_errors

    assert validator_errors(sorted(output.rglob("*.html"))) == []


def test_the_editions_config_reports_every_problem_at_once(tmp_path: Path) -> None:
    text = CONFIG + """
[editions.ja]
langauge = "ja"

[editions.de]
language = "de"
path = "en"
timezone = "Mars/Olympus"
date_style = "lang"

[editions.de.permalinks]
tag = "/schlagwort/{section}/"
"""
    with pytest.raises(SitegenError) as caught:
        parse_config(text, tmp_path)
    messages = [f"{p.line}: {p.message}" for p in caught.value.problems]
    joined = "\n".join(messages)
    assert "unknown key 'langauge' in [editions.ja] (did you mean 'language'?)" in joined
    assert "[editions.ja] needs a language" in joined
    assert "editions.de and editions.en both live at /en/" in joined
    assert "editions.de.timezone 'Mars/Olympus' is not an IANA time zone" in joined
    assert "did you mean 'long'?" in joined
    assert "editions.de.permalinks.tag may use only {slug}" in joined
    assert all(not m.startswith("0:") for m in messages), messages  # each at its line


def test_an_unknown_edition_in_front_matter_is_a_problem_of_its_file(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/ekonomi/a.md": article("A", edition="enn")},
                     CONFIG)
    with pytest.raises(SitegenError) as caught:
        build_site(site)
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("content/ekonomi/a.md", 4)
    assert "edition 'enn' is not one of the site's editions (en) (did you mean 'en'?)" in \
        problem.message


def test_a_language_without_interface_strings_is_named_with_each_key(tmp_path: Path) -> None:
    # Polish is not among the theme's languages (themes/default/i18n/).
    config = CONFIG + '\n[editions.pl]\nlanguage = "pl"\n'
    site = make_site(tmp_path / "site", {
        "content/pl/gospodarka/a.md": article("Ceny chili rosną", authors=["Anna"]),
        # A site adds a language of its own: this one word is Polish now.
        "i18n/pl.toml": 'by = "Autor:"\n'}, config)
    report = build_site(site)
    [missing] = [w for w in report.warnings if w.kind == "missing interface string"]
    assert "edition 'pl' is in 'pl'" in missing.message
    assert "read_in" in missing.message and " by," not in missing.message
    page = (site / "output/pl/gospodarka/a/index.html").read_text()
    assert '<html lang="pl">' in page and "Autor: <a" in page
    with pytest.raises(SitegenError):
        build_site(site, strict=True)


def test_publishing_in_one_edition_plans_none_of_the_others_pages(tmp_path: Path) -> None:
    site = make_editions_site(tmp_path / "site")
    build_site(site)
    (site / "content/en/economy/new-port.md").write_text(
        article("New port opens", date="2026-11-28 08:00", body="The port opens."))
    report = build_site(site)
    assert "en/economy/new-port/index.html" in report.planned
    default_pages = [p for p in report.planned if not p.startswith("en/")]
    assert default_pages == [], default_pages
    # And an unchanged build plans nothing at all.
    assert build_site(site).planned == []
    # A translation (the same path in the English folder) plans its original's page again,
    # for its switcher and hreflang, but none of the lists that show the original.
    (site / "content/en/ekonomi").mkdir()
    (site / "content/en/ekonomi/pasar-ikan.md").write_text(
        article("The fish market is busy", date="2026-11-21 11:00", body="Tuna sells."))
    report = build_site(site)
    default_pages = [p for p in report.planned if not p.startswith("en/")]
    assert "ekonomi/pasar-ikan/index.html" in default_pages
    assert not {"index.html", "ekonomi/index.html", "tag/pangan/index.html"} & set(
        default_pages), default_pages
    assert "/en/ekonomi/pasar-ikan/" in (site / "output/ekonomi/pasar-ikan/index.html").read_text()
    shutil.rmtree(site / "output")


def test_the_cms_has_each_editions_sections_and_pages(tmp_path: Path) -> None:
    from sitegen import cms
    from sitegen.config import load_config

    site = make_editions_site(tmp_path / "site")
    folders = {c["name"]: c["folder"] for c in cms.cms_config(load_config(site))["collections"]}
    assert folders == {"ekonomi": "content/ekonomi", "pages": "content/pages",
                       "en-economy": "content/en/economy", "en-pages": "content/en/pages"}


def test_numbers_are_written_in_each_editions_language() -> None:
    from sitegen.template_environment import number

    assert (number(1234, "id"), number(1234, "en"), number(7, "en")) == ("1.234", "1,234", "7")
