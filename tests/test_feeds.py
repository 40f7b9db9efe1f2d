"""Feeds, read back with feedparser (what feed readers use) and checked against the specs."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import feedparser
import pytest
from lxml import etree
from PIL import Image

from sitegen import collect, readers
from sitegen.bodies import absolute_html
from sitegen.config import load_config
from sitegen.embeds import identify
from sitegen.feeds import plan_feeds
from sitegen.views import Views
from tests.conftest import NOW, article, build_site, make_image, make_site
from tests.sample_build import (
    BASE_URL,
    DRAFT,
    EXPIRED,
    FUTURE,
    MOVED,
    SECTION_COUNTS,
    SEED,
    SEED_TITLE,
    UPDATED,
    build_sample,
)

WIB = dt.timezone(dt.timedelta(hours=7))
SEED_DATE = dt.datetime(2017, 1, 10, 9, 0, tzinfo=WIB)
RSS_FEEDS = ["feed.xml", *(f"{s}/feed.xml" for s in SECTION_COUNTS)]
ATOM_FEEDS = ["atom.xml", *(f"{s}/atom.xml" for s in SECTION_COUNTS)]
JSON_FEEDS = ["feed.json", *(f"{s}/feed.json" for s in SECTION_COUNTS)]
EXPECTED_ENTRIES = {"": sum(SECTION_COUNTS.values()), **{f"{s}/": n
                                                         for s, n in SECTION_COUNTS.items()}}


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("feeds"))


def folder_of(feed: str) -> str:
    return feed.rpartition("/")[0] + "/" if "/" in feed else ""


def all_feeds(output: Path, pattern: str) -> list[str]:
    """The default edition's feeds (the English edition's are tested in test_editions)."""
    return sorted(name for p in output.rglob(pattern)
                  if not (name := p.relative_to(output).as_posix()).startswith("en/"))


def test_the_site_and_every_section_have_all_three_feeds(output: Path) -> None:
    assert all_feeds(output, "atom.xml") == sorted(ATOM_FEEDS)
    assert all_feeds(output, "feed.json") == sorted(JSON_FEEDS)
    rss = set(all_feeds(output, "feed.xml"))
    assert set(RSS_FEEDS) <= rss
    # Tags and authors get RSS; a listing without articles gets nothing.
    assert {"tag/alibaba/feed.xml", "penulis/andreas-wicaksono/feed.xml"} <= rss
    listings = {p.parent.relative_to(output).as_posix() for p in output.glob("*/*/index.html")
                if p.parent.parent.name in ("tag", "penulis")}
    assert {f.removesuffix("/feed.xml") for f in rss if f.startswith(("tag/", "penulis/"))} \
        == listings


@pytest.mark.parametrize("name", [*RSS_FEEDS, *ATOM_FEEDS])
def test_feedparser_reads_every_feed_without_error(output: Path, name: str) -> None:
    parsed = feedparser.parse((output / name).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == ("rss20" if name.endswith("feed.xml") else "atom10")
    assert len(parsed.entries) == EXPECTED_ENTRIES[folder_of(name)]
    assert parsed.feed.title and parsed.feed.link.startswith(BASE_URL)
    published = []
    for entry in parsed.entries:
        assert entry.title and entry.link.startswith(BASE_URL) and entry.id == entry.link
        assert (output / urlparse(entry.link).path.lstrip("/") / "index.html").is_file()
        # The date as written carries the site's offset, in the format's own notation.
        if name.endswith("feed.xml"):
            moment = email.utils.parsedate_to_datetime(entry.published)
            assert entry.published.endswith(" +0700")
        else:
            moment = dt.datetime.fromisoformat(entry.published)
            assert entry.published.endswith("+07:00") and entry.updated.endswith("+07:00")
        assert moment.utcoffset() == dt.timedelta(hours=7)
        published.append(moment)
    assert published == sorted(published, reverse=True)


def test_every_tag_and_author_feed_reads_without_error(output: Path) -> None:
    config = load_config(output.parent)
    sources = [readers.read_source(p, config)[0] for p in readers.discover(config)]
    model, _ = collect.collect_site([s for s in sources if s and not s.edition], config,
                                    collect.Selection(NOW))
    terms = [*model.tags, *model.authors]
    assert len(terms) > 40
    for term in terms:
        parsed = feedparser.parse((output / term.path.lstrip("/") / "feed.xml").read_bytes())
        assert not parsed.bozo, (term.path, parsed.get("bozo_exception"))
        assert parsed.feed.title == f"{term.name} | Kabar Nusantara"
        assert [e.link for e in parsed.entries] == [
            BASE_URL + model.articles[i].path.lstrip("/") for i in term.articles[:20]]
        for entry in parsed.entries:
            assert entry.published.endswith(" +0700") and "content" not in entry


@pytest.mark.parametrize("name", ["feed.xml", "atom.xml"])
def test_the_seed_article_entry(output: Path, name: str) -> None:
    parsed = feedparser.parse((output / name).read_bytes())
    entry = next(e for e in parsed.entries if e.link == BASE_URL + SEED)
    assert entry.title == SEED_TITLE
    moment = (email.utils.parsedate_to_datetime(entry.published) if name == "feed.xml"
              else dt.datetime.fromisoformat(entry.published))
    assert moment == SEED_DATE and moment.utcoffset() == SEED_DATE.utcoffset()
    assert [t.term for t in entry.tags] == ["Ekonomi", "Alibaba", "Donald Trump", "Jack Ma",
                                            "UKM", "Tiongkok"]
    [enclosure] = entry.enclosures
    # The 1200 px version social networks get, not the (larger) original.
    assert re.fullmatch(re.escape(BASE_URL) + r"_img/jack-ma-donald-trump-1200x675\.\w{10}\.jpg",
                        enclosure.href), enclosure.href
    image = output / enclosure.href.removeprefix(BASE_URL)
    assert enclosure.type == "image/jpeg" and int(enclosure.length) == image.stat().st_size
    with Image.open(image) as picture:
        assert picture.size == (1200, 675)
    assert "Alibaba akan menciptakan 1 juta pekerjaan di AS" in entry.content[0].value
    assert entry.author == "Andreas Wicaksono"


def test_an_updated_article_says_so_in_atom(output: Path) -> None:
    parsed = feedparser.parse((output / "atom.xml").read_bytes())
    entry = next(e for e in parsed.entries if e.link == BASE_URL + UPDATED)
    assert entry.published == "2026-11-27T08:15:00+07:00"
    assert entry.updated == "2026-11-27T14:30:00+07:00"
    # The feed changed last with the live blog's newest entry.
    assert parsed.feed.updated == "2026-11-28T11:45:00+07:00"


def test_rss_has_the_required_channel_elements_and_permalink_guids(output: Path) -> None:
    tree = etree.parse(str(output / "feed.xml"))
    channel = tree.find("channel")
    for required in ("title", "link", "description"):
        assert (channel.findtext(required) or "").strip(), required
    assert channel.findtext("language") == "id"
    for guid in tree.iterfind("channel/item/guid"):
        assert guid.get("isPermaLink") == "true" and guid.text.startswith(BASE_URL)


@pytest.mark.parametrize("name", JSON_FEEDS)
def test_json_feeds_have_every_required_field_and_absolute_urls(output: Path, name: str) -> None:
    feed = json.loads((output / name).read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] and isinstance(feed["items"], list)
    assert feed["home_page_url"] == BASE_URL + folder_of(name)
    assert feed["feed_url"] == BASE_URL + name
    assert len(feed["items"]) == EXPECTED_ENTRIES[folder_of(name)]
    for item in feed["items"]:
        assert item["id"] and ("content_html" in item or "content_text" in item)
        urls = [item["url"], *(a["url"] for a in item["authors"])]
        urls += [item["image"]] if "image" in item else []
        urls += links_in(item.get("content_html", ""))
        # Absolute everywhere; the advertorial's body also links its sponsor's site, and an
        # embed links its original (a plain link in feeds).
        assert urls and all(u.startswith((BASE_URL, "https://batikkita.example/"))
                            or identify(u) for u in urls), urls
        for key in ("date_published", "date_modified"):
            assert dt.datetime.fromisoformat(item[key]).utcoffset() == dt.timedelta(hours=7)


def test_nothing_unpublished_is_in_any_feed(output: Path) -> None:
    everything = b"".join(p.read_bytes() for p in output.rglob("*")
                          if p.name in ("feed.xml", "atom.xml", "feed.json"))
    for path in (DRAFT, FUTURE, EXPIRED):
        assert path.encode() not in everything
    assert MOVED.encode() in everything


class _Links(HTMLParser):
    """URLs in href and src attributes, and the feed links of a page's head."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.feeds: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [v for k, v in attrs if k in ("href", "src") and v]
        values = dict(attrs)
        # (Not the hreflang alternates: the page in the other edition.)
        if tag == "link" and values.get("rel") == "alternate" and "hreflang" not in values:
            self.feeds.append((values["type"] or "", values["href"] or ""))


def links_in(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.found


def feed_links(page: Path) -> list[tuple[str, str]]:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.feeds


SITE_LINKS = [("application/rss+xml", "/feed.xml"), ("application/atom+xml", "/atom.xml"),
              ("application/feed+json", "/feed.json")]


def test_pages_link_the_feeds_that_apply_to_them(output: Path) -> None:
    assert feed_links(output / "index.html") == SITE_LINKS
    assert feed_links(output / SEED / "index.html") == SITE_LINKS
    assert feed_links(output / "ekonomi/index.html") == [
        *SITE_LINKS, ("application/rss+xml", "/ekonomi/feed.xml"),
        ("application/atom+xml", "/ekonomi/atom.xml"),
        ("application/feed+json", "/ekonomi/feed.json")]
    assert feed_links(output / "tag/alibaba/index.html") == [
        *SITE_LINKS, ("application/rss+xml", "/tag/alibaba/feed.xml")]
    for page in output.rglob("index.html"):
        for _, href in feed_links(page):
            assert (output / href.lstrip("/")).is_file(), (page, href)


# --- small sites for the settings ------------------------------------------------------

def test_body_links_and_images_become_absolute_under_a_base_path(tmp_path: Path) -> None:
    make_image(tmp_path / "site/content/static/images/foto.jpg")
    body = ("Lihat [halaman lain](/tentang/), [relatif](lain/), [catatan](#catatan), "
            "[surel](mailto:redaksi@example.org) dan [luar](https://example.com/x).\n\n"
            # Raw HTML is not rewritten for the base path; relative URLs resolve as on the page.
            '![Foto](/images/foto.jpg)\n\n<img src="../../images/foto.jpg" '
            'srcset="../../images/foto.jpg 1x, /berita/images/foto.jpg 2x" alt="x">\n')
    site = make_site(tmp_path / "site", {"content/ekonomi/a.md": article("A", body=body)},
                     config='[site]\nbase_url = "https://example.org/berita/"\n')
    build_site(site)
    item = json.loads((site / "output/feed.json").read_text())["items"][0]
    found = links_in(item["content_html"])
    # The Markdown image is a <picture> of resized versions under the base path.
    assert re.fullmatch(r"https://example\.org/berita/_img/foto-1200x675\.\w{10}\.jpg", found[5])
    found[5] = "https://example.org/berita/images/foto.jpg"
    assert found == ["https://example.org/berita/tentang/",
                     "https://example.org/berita/ekonomi/a/lain/",
                     "https://example.org/berita/ekonomi/a/#catatan",
                     "mailto:redaksi@example.org", "https://example.com/x",
                     "https://example.org/berita/images/foto.jpg",
                     "https://example.org/berita/images/foto.jpg"]
    assert ('srcset="https://example.org/berita/images/foto.jpg 1x, '
            'https://example.org/berita/images/foto.jpg 2x"') in item["content_html"]
    rss = feedparser.parse((site / "output/feed.xml").read_bytes())
    assert rss.feed.link == "https://example.org/berita/"
    assert rss.entries[0].link == "https://example.org/berita/ekonomi/a/"


def test_text_that_looks_like_an_attribute_is_left_alone() -> None:
    html = '<p>Tulis href="/x" di sini</p><a class="a" href=\'/y?a=1&amp;b="2"\'>y</a>'
    assert absolute_html(html, "https://e.org/a/") == (
        '<p>Tulis href="/x" di sini</p><a class="a" href="https://e.org/y?a=1&amp;b=&quot;2&quot;">'
        "y</a>")


def test_feed_items_and_summary_only_settings(tmp_path: Path) -> None:
    files = {f"content/ekonomi/a{i}.md": article(f"Judul {i}", date=f"2026-11-{10 + i} 09:00",
                                                 summary=f"Ringkasan {i}.",
                                                 body=f"Isi lengkap nomor {i}.")
             for i in range(5)}
    config = ('[site]\nbase_url = "https://example.org/"\n'
              "[build]\nfeed_items = 3\nfeed_full_content = false\n")
    site = make_site(tmp_path / "site", files, config=config)
    build_site(site)
    for name in ("feed.xml", "atom.xml", "ekonomi/feed.xml"):
        parsed = feedparser.parse((site / "output" / name).read_bytes())
        assert [e.title for e in parsed.entries] == ["Judul 4", "Judul 3", "Judul 2"]
        assert parsed.entries[0].summary == "Ringkasan 4."
        assert "content" not in parsed.entries[0]
    item = json.loads((site / "output/feed.json").read_text())["items"][0]
    assert item["content_text"] == "Ringkasan 4." and "content_html" not in item
    assert b"Isi lengkap" not in (site / "output/feed.xml").read_bytes()


def test_a_site_without_articles_has_no_feed_and_links_none(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site",
                     {"content/pages/tentang.md": "---\ntitle: Tentang\n---\nKami.\n"})
    config = load_config(site)
    pages = [readers.read_source(p, config)[0] for p in readers.discover(config)]
    model, _ = collect.collect_site([p for p in pages if p], config, collect.Selection(NOW))
    views = Views(model, config)
    site_view = views.site_view({}, {}, {}, NOW)
    assert list(plan_feeds(model, config, site_view, views)) == []
    assert site_view["feeds"] == []


def test_a_theme_overrides_a_feed_template(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "content/ekonomi/a.md": article("A"),
        "themes/lokal/theme.toml": 'extends = "default"\n',
        "themes/lokal/templates/feeds/rss.xml": (
            '{% extends "default/feeds/rss.xml" %}'),
        "themes/lokal/templates/feeds/atom.xml": (
            "<feed>{% for item in feed.entries %}<x>{{ item.title }}</x>{% endfor %}</feed>\n"),
    }, config='[site]\nbase_url = "https://example.org/"\n[build]\ntheme = "lokal"\n')
    build_site(site)
    assert (site / "output/atom.xml").read_text() == "<feed><x>A</x></feed>\n"
    assert not feedparser.parse((site / "output/feed.xml").read_bytes()).bozo
