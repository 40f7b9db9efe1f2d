"""Sitemaps, the Google News sitemap and robots.txt, read back with lxml."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from lxml import etree

from sitegen import collect, kinds, sitemap_entries, sitemaps, template_environment, themes
from sitegen.config import Config, parse_config
from sitegen.kinds.base import Planner
from sitegen.model import Site, make_article
from sitegen.views import Views
from tests.conftest import NOW, PAGED_CONFIG, article, build_site, make_site, read_tree
from tests.sample_build import (
    ALIAS,
    BASE_URL,
    DRAFT,
    EXPIRED,
    FUTURE,
    MOVED,
    SEED,
    STANDALONE_PAGES,
    UPDATED,
    build_sample,
)

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
      "news": "http://www.google.com/schemas/sitemap-news/0.9"}
W3C_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("sitemaps"))


def entries(xml: bytes) -> dict[str, str | None]:
    """loc -> lastmod of a <urlset>."""
    root = etree.fromstring(xml)
    assert root.tag == f"{{{NS['s']}}}urlset"
    return {u.findtext("s:loc", namespaces=NS): u.findtext("s:lastmod", namespaces=NS)
            for u in root.iterfind("s:url", NS)}


def published_pages(output: Path) -> set[str]:
    """Every HTML page of the build that is a page of its own (not a redirect, 404, search,
    or a static file that asks not to be indexed, such as the editors' CMS at /admin/)."""
    found = set()
    for page in output.rglob("*.html"):
        relative = page.relative_to(output).as_posix()
        text = page.read_text(encoding="utf-8")
        if relative.startswith("en/"):
            continue  # the English edition's own sitemap lists its pages (test_editions)
        if (relative in ("404.html", "cari/index.html") or 'http-equiv="refresh"' in text
                or '<meta name="robots" content="noindex">' in text):
            continue
        found.add(BASE_URL + relative.removesuffix("index.html"))
    return found


def test_the_sitemap_lists_every_published_page_and_nothing_else(output: Path) -> None:
    listed = entries((output / "sitemap.xml").read_bytes())
    assert set(listed) == published_pages(output)
    assert len(listed) == len(published_pages(output))
    for loc, lastmod in listed.items():
        assert loc.startswith(BASE_URL)
        assert lastmod is None or W3C_DATETIME.match(lastmod), lastmod
    for path in (DRAFT, FUTURE, EXPIRED, ALIAS, "404.html", "cari/", "admin/"):
        assert BASE_URL + path not in listed
    assert BASE_URL + MOVED in listed
    for page in ("", "page/1/", SEED, "ekonomi/", "tag/alibaba/", "arsip/",
                 "arsip/2017/01/", "penulis/andreas-wicaksono/", *STANDALONE_PAGES):
        assert BASE_URL + page in listed, page


def test_lastmod_is_the_last_change_of_what_a_page_shows(output: Path) -> None:
    listed = entries((output / "sitemap.xml").read_bytes())
    assert listed[BASE_URL + SEED] == "2017-01-10T09:00:00+07:00"
    assert listed[BASE_URL + UPDATED] == "2026-11-27T14:30:00+07:00"  # updated, not date
    # The update shows on the first pages of its section ...
    assert listed[BASE_URL + "ekonomi/"] == "2026-11-27T14:30:00+07:00"
    # ... and on the front page, which a newer article (the live blog of the 28th)
    # changes; a numbered page holds the oldest stories, which no new one moves.
    assert listed[BASE_URL] == "2026-11-28T06:30:00+07:00"
    assert listed[BASE_URL + "page/1/"] == "2026-10-02T16:00:00+07:00" < listed[BASE_URL]
    assert listed[BASE_URL + "tag/alibaba/"] == "2017-01-10T09:00:00+07:00"
    assert listed[BASE_URL + "arsip/"] == "2026-11-28T06:30:00+07:00"
    # A live blog changes with its newest entry; a correction changes its article.
    assert listed[BASE_URL + "nasional/laporan-langsung-hujan-deras-rendam-jakarta/"] == \
        "2026-11-28T11:45:00+07:00"
    assert listed[BASE_URL + "nasional/banjir-rob-rendam-pesisir-utara-jawa-tengah/"] == \
        "2026-11-27T09:10:00+07:00"


def test_the_news_sitemap_holds_exactly_the_last_two_days(output: Path) -> None:
    root = etree.fromstring((output / "sitemap-news.xml").read_bytes())
    urls = root.findall("s:url", NS)
    # NOW is 2026-11-28 12:00 WIB; the expired article of 27 November is left out, and
    # so is the advertorial of that day (paid content is not news).
    assert [u.findtext("s:loc", namespaces=NS) for u in urls] == [
        BASE_URL + "nasional/laporan-langsung-hujan-deras-rendam-jakarta/",
        BASE_URL + UPDATED, BASE_URL + "nasional/banjir-rob-rendam-pesisir-utara-jawa-tengah/"]
    news = urls[1].find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "Kabar Nusantara"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "id"
    assert news.findtext("news:publication_date", namespaces=NS) == "2026-11-27T08:15:00+07:00"
    assert news.findtext("news:title", namespaces=NS) == (
        "Harga Cabai dan Bawang Merah Merangkak Naik Jelang Akhir Tahun")


def test_the_news_window_is_counted_from_the_build_time(tmp_path: Path) -> None:
    files = {"content/ekonomi/masuk.md": article("Masuk", date="2026-11-26 12:00"),
             "content/ekonomi/keluar.md": article("Keluar", date="2026-11-26 11:59"),
             "content/ekonomi/nanti.md": article("Nanti", date="2026-11-28 12:01")}
    site = make_site(tmp_path / "site", files)
    build_site(site, future=True)  # the future article is on the site, but not yet news
    root = etree.fromstring((site / "output/sitemap-news.xml").read_bytes())
    assert [u.findtext("s:loc", namespaces=NS) for u in root.iterfind("s:url", NS)] == [
        "https://example.org/ekonomi/masuk/"]
    build_site(site, now=NOW + dt.timedelta(days=3))
    assert etree.fromstring((site / "output/sitemap-news.xml").read_bytes()).findall(
        "s:url", NS) == []


def test_robots_txt_names_the_sitemaps(output: Path) -> None:
    lines = (output / "robots.txt").read_text().splitlines()
    assert "User-agent: *" in lines
    named = [line.removeprefix("Sitemap: ") for line in lines if line.startswith("Sitemap: ")]
    assert named == [BASE_URL + "sitemap.xml", BASE_URL + "sitemap-news.xml",
                     BASE_URL + "en/sitemap.xml", BASE_URL + "en/sitemap-news.xml"]
    for url in named:
        etree.fromstring((output / url.removeprefix(BASE_URL)).read_bytes())


def test_an_alias_is_a_redirect_page_and_in_no_sitemap(output: Path) -> None:
    redirect = (output / ALIAS).read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{BASE_URL}{MOVED}">' in redirect
    assert f'http-equiv="refresh" content="0; url=/{MOVED}"' in redirect
    everything = b"".join(p.read_bytes() for p in output.glob("sitemap*.xml"))
    assert ALIAS.encode() not in everything


def test_letters_of_other_scripts_are_percent_encoded(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/dunia/берлин.md": article("Берлин")})
    build_site(site)
    assert "https://example.org/dunia/%D0%B1%D0%B5%D1%80%D0%BB%D0%B8%D0%BD/" in entries(
        (site / "output/sitemap.xml").read_bytes())


# --- large sites: the sitemap step alone, on a generated model -------------------------

def generated_site(count: int, config: Config, newest: dt.datetime,
                   step: dt.timedelta) -> tuple[Site, Views, dict]:
    sections = ("ekonomi", "nasional", "olahraga")
    articles = [make_article(source=f"content/{sections[i % 3]}/a{i}.md", section=sections[i % 3],
                             slug=f"artikel-nomor-{i}",
                             path=f"/{sections[i % 3]}/artikel-nomor-{i}/",
                             title=f"Artikel {i} & lainnya", date=newest - i * step,
                             body_html="", summary="", word_count=1, reading_time=1)
                for i in range(count)]
    site, problems = collect.collect_site(articles, config, collect.Selection(NOW))
    assert not problems
    views = Views(site, config)
    return site, views, views.site_view({}, {"home": "Beranda"}, {}, NOW)


def render_files(site: Site, config: Config, views: Views, site_view: dict,
                 **limits: int) -> dict[str, bytes]:
    environment = template_environment.make_environment(themes.resolve_chain(config))
    return {job.output: environment.select_template(job.templates).render(job.context).encode()
            for job in sitemaps.plan_sitemaps(site_urls(site, config, views, site_view), site,
                                              config, views, NOW, **limits)}


def site_urls(site: Site, config: Config, views: Views, site_view: dict) -> list[dict]:
    """What every page kind lists in the sitemap (sitegen/kinds/)."""
    return kinds.sitemap_entries(Planner(site, config, site_view, views, NOW))


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Config:
    root = tmp_path_factory.mktemp("large")
    return parse_config('[site]\ntitle = "Warta"\nbase_url = "https://example.org/"\n', root)


def index_parts(files: dict[str, bytes], name: str = "sitemap.xml") -> dict[str, str | None]:
    """The parts an index names (file -> its lastmod), each of which must be a file."""
    index = etree.fromstring(files[name])
    assert index.tag == f"{{{NS['s']}}}sitemapindex"
    parts = {s.findtext("s:loc", namespaces=NS).removeprefix("https://example.org/"):
             s.findtext("s:lastmod", namespaces=NS) for s in index.iterfind("s:sitemap", NS)}
    assert set(parts) <= set(files)
    return parts


@pytest.mark.slow
def test_sixty_thousand_articles_make_an_index_of_a_part_a_month(config: Config) -> None:
    site, views, site_view = generated_site(60_000, config, NOW, dt.timedelta(minutes=30))
    files = render_files(site, config, views, site_view)
    parts = index_parts(files)
    # 60,000 half-hours are 1,250 days: a part for each month they touch, oldest first.
    months = sorted({f"{a.date.year:04d}-{a.date.month:02d}" for a in site.articles})
    assert list(parts) == [f"sitemap-{month}.xml" for month in months]
    listed: dict[str, str | None] = {}
    for part, newest in parts.items():
        urls = entries(files[part])
        assert len(urls) <= sitemaps.MAX_URLS and len(files[part]) <= sitemaps.MAX_BYTES
        # Each page is in the part of the month its lastmod shows; the index says the newest.
        month = part.removeprefix("sitemap-").removesuffix(".xml")
        assert {lastmod[:7] for lastmod in urls.values() if lastmod} == {month}
        assert newest == max(urls.values(), key=lambda t: dt.datetime.fromisoformat(t or ""))
        assert not set(urls) & set(listed)
        listed.update(urls)
    def pages_of(count: int) -> int:  # the front page and the full pages before it
        return 1 + max(0, count // 10 - 1)
    pages = 60_000 + 6_000 + 3 * 2_000  # articles, home pages, section pages ...
    pages += sum(pages_of(len(m.articles)) for m in site.archive) + 1  # ... archive
    pages += sum(pages_of(len(d.articles)) for d in site.days)  # ... daily index
    assert len(listed) == pages
    assert "https://example.org/ekonomi/artikel-nomor-59997/" in listed
    for stamp in parts.values():
        assert stamp is not None and W3C_DATETIME.match(stamp)
    # The news sitemap is a separate file: 30-minute steps give 97 articles in two days.
    assert len(etree.fromstring(files["sitemap-news.xml"]).findall("s:url", NS)) == 97


def test_a_month_past_the_limits_is_cut_into_numbered_pieces(config: Config) -> None:
    site, views, site_view = generated_site(150, config, NOW, dt.timedelta(hours=6))
    whole = site_urls(site, config, views, site_view)
    files = render_files(site, config, views, site_view, max_urls=40, monthly_from=100)
    parts = index_parts(files)
    assert len(files) == len(parts) + 3  # the index, the news sitemap, robots.txt
    listed: dict[str, str | None] = {}
    for part in parts:
        urls = entries(files[part])
        assert len(urls) <= 40
        listed.update(urls)
    assert len(listed) == len(whole)
    # 150 stories 6 hours apart span two months; the fuller one is cut in pieces.
    month = f"{NOW.year:04d}-{NOW.month:02d}"
    assert f"sitemap-{month}-1.xml" in parts and f"sitemap-{month}-2.xml" in parts
    # Below `monthly_from` URLs, the sitemap is one file, as a small site's.
    files = render_files(site, config, views, site_view, monthly_from=len(whole) + 1)
    assert len(entries(files["sitemap.xml"])) == len(whole)


def test_a_part_never_passes_the_size_limit(config: Config) -> None:
    long = dataclasses.replace(config, permalinks=dataclasses.replace(
        config.permalinks, article="/{section}/{year}/{month}/{day}/{slug}/"))
    site, views, site_view = generated_site(400, long, NOW, dt.timedelta(hours=1))
    limit = 20_000
    files = render_files(site, long, views, site_view, max_bytes=limit)
    index = etree.fromstring(files["sitemap.xml"])
    parts = [s.findtext("s:loc", namespaces=NS).removeprefix("https://example.org/")
             for s in index.iterfind("s:sitemap", NS)]
    assert len(parts) > 3
    listed: dict[str, str | None] = {}
    for part in parts:
        assert len(files[part]) <= limit
        listed.update(entries(files[part]))
    assert len(listed) == len(site_urls(site, long, views, site_view))


def test_more_than_a_thousand_news_articles_are_split(config: Config) -> None:
    site, views, site_view = generated_site(1_200, config, NOW, dt.timedelta(minutes=2))
    files = render_files(site, config, views, site_view)
    index = etree.fromstring(files["sitemap-news.xml"])
    parts = [s.findtext("s:loc", namespaces=NS) for s in index.iterfind("s:sitemap", NS)]
    assert parts == ["https://example.org/sitemap-news-1.xml",
                     "https://example.org/sitemap-news-2.xml"]
    counts = [len(etree.fromstring(files[p.removeprefix("https://example.org/")])
                  .findall("s:url", NS)) for p in parts]
    assert counts == [1_000, 200]


@pytest.mark.parametrize("iri", ["https://x.example/ekonomi/a-b_c.d~e/", "https://x.example/berlin/Берлин/",
                                 "https://x.example/a b/", "https://x.example/%E2%82%AC/?q=1&r=[2]",
                                 "https://x.example/köln/\"<>\\^`{|}", ""])
def test_a_uri_is_what_quote_makes_of_it_also_on_the_quick_path(iri: str) -> None:
    from urllib.parse import quote
    assert sitemap_entries.uri(iri) == quote(iri, safe=":/?#[]@!$&'()*+,;=%~")


# --- a publish into a sitemap of a part a month ---------------------------------------



@pytest.mark.slow
def test_a_publish_rewrites_the_parts_of_the_months_it_changes_and_every_url_stays(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitemaps, "MONTHLY_FROM", 10)  # 20 stories make about 60 URLs

    def when(hours: float) -> str:
        return (NOW - dt.timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M")
    site = make_site(tmp_path / "site", {  # 20 stories 9 days apart: six months
        f"content/{('ekonomi', 'nasional')[i % 2]}/cerita-{i}.md": article(
            f"Cerita {i}", date=when(24 * 9 * (i + 1)), tags=[f"topik-{i % 4}"],
            author=f"Penulis {i % 3}") for i in range(20)}, config=PAGED_CONFIG)
    build_site(site)
    before = read_tree(site / "output")
    parts = index_parts(before)
    assert len(parts) >= 6
    (site / "content/ekonomi/baru.md").write_text(article(
        "Baru", date=when(1), tags=["topik-1"], author="Penulis 1"))
    report = build_site(site)
    after = read_tree(site / "output")
    # Every part the index named before is still named, and a file; so is every new one.
    assert set(parts) <= set(index_parts(after))
    assert "https://example.org/ekonomi/baru/" in entries(after[f"sitemap-{when(1)[:7]}.xml"])
    # The publish rewrote the index and the parts of the months it changed, not the others.
    written = {f for f in report.written if f.startswith("sitemap") and "news" not in f}
    assert {"sitemap.xml", f"sitemap-{when(1)[:7]}.xml"} <= written
    assert len(written) <= 4 < len(parts), written
    assert all(after[part] == before[part] for part in set(parts) - written)
    clean = tmp_path / "clean"
    build_site(site, use_cache=False, output=clean)
    assert read_tree(clean) == after
