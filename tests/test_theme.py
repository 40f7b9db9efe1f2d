"""The default theme, read from the built HTML: the seed article's page, the
front page, images, headings, landmarks, languages and the CSS file.

Browser checks (axe-core, layout at 375 px, requests) are in
test_theme_browser.py; the Nu Html Checker run is in test_html_validation.py.
"""

from __future__ import annotations

import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.conftest import REPO, build_copy

THEME = REPO / "themes" / "default"
ENGLISH_SITE = REPO / "tests" / "sites" / "english"
SEED = "ekonomi/jack-ma-tawarkan-alibaba-bantu-pebisnis-as/index.html"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Element:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Element | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element | str] = []

    @property
    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return re.sub(r"\s+", " ", "".join(parts)).strip()

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self) -> list[Element]:
        found = []
        for child in self.children:
            if isinstance(child, Element):
                found.append(child)
                found.extend(child.iter())
        return found

    def find_all(self, tag: str = "", cls: str = "", **attrs: str) -> list[Element]:
        return [e for e in self.iter() if (not tag or e.tag == tag)
                and (not cls or cls in e.classes())
                and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())]

    def find(self, tag: str = "", cls: str = "", **attrs: str) -> Element:
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag or '*'} class={cls!r} {attrs}>"
        return found[0]

    def ancestors(self) -> list[Element]:
        node, found = self.parent, []
        while node is not None:
            found.append(node)
            node = node.parent
        return found


class TreeBuilder(HTMLParser):
    """A small DOM from the standard library's parser (enough for the theme's markup)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_endtag(self, tag: str) -> None:
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(path: Path) -> Element:
    builder = TreeBuilder()
    builder.feed(path.read_text("utf-8"))
    return builder.root


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_copy(REPO, tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_copy(ENGLISH_SITE, tmp_path_factory.mktemp("english"))


def html_pages(output: Path) -> list[Path]:
    """Every page a reader sees (redirect stubs for old URLs and the editors' CMS at
    /admin/, a static file of the site's, are not pages)."""
    return [p for p in sorted(output.rglob("*.html"))
            if 'http-equiv="refresh"' not in p.read_text("utf-8")
            and p.relative_to(output).parts[0] != "admin"]


# --- the seed article -----------------------------------------------------------

def test_the_seed_article_shows_its_indonesian_date_photo_caption_credit_and_related(
        sample: Path) -> None:
    page = parse(sample / SEED)
    story = page.find("article", "story")
    published = story.find("p", "byline-time").find("time")
    assert published.text == "Selasa, 10 Januari 2017 09.00 WIB"
    assert published.attrs["datetime"] == "2017-01-10T09:00:00+07:00"
    caption = story.find("figure", "hero").find("figcaption")
    assert caption.text == ("Jack Ma bertemu dengan Donald Trump di Trump Tower. "
                            "Foto: Business Insider")
    related = page.find("section", "related").find_all("h3", "card-title")
    assert related, "at least one related article"
    assert all(r.find("a").attrs["href"] != "/" + SEED.removesuffix("index.html") for r in related)
    assert story.find("h1").text.startswith("Bertemu Donald Trump, Jack Ma")


def test_the_article_page_has_its_parts(sample: Path) -> None:
    page = parse(sample / SEED)
    story = page.find("article", "story")
    crumbs = [a.text for a in page.find("nav", "breadcrumb").find_all("a")]
    assert crumbs == ["Beranda", "Ekonomi"]
    assert story.find("a", "section-label").attrs["href"] == "/ekonomi/"
    assert story.find("p", "dek").text.startswith("Pendiri Alibaba Jack Ma menjanjikan")
    author = story.find("a", rel="author")
    assert (author.text, author.attrs["href"]) == ("Andreas Wicaksono",
                                                   "/penulis/andreas-wicaksono/")
    assert story.find("span", "reading-time").text == "2 menit baca"
    assert not story.find_all("span", "updated"), "no updated time when it equals the date"
    assert story.find("span", "dateline").text == "NEW YORK, Kabar Nusantara —"
    tags = [a.text for a in story.find("ul", "tags").find_all("a")]
    assert tags == ["Alibaba", "Donald Trump", "Jack Ma", "UKM", "Tiongkok"]
    share = story.find("ul", "share").find_all("a")
    assert [a.attrs["aria-label"] for a in share][:2] == ["Bagikan via WhatsApp",
                                                          "Bagikan via Facebook"]
    assert all("https://kabarnusantara.example/ekonomi/jack-ma-tawarkan" in unquote(a.attrs["href"])
               for a in share)
    prev_next = page.find("nav", "prev-next").find_all("a")
    assert [a.attrs["rel"] for a in prev_next] == ["next"]
    assert prev_next[0].find("span").text == "Berita berikutnya"


def test_an_updated_article_shows_both_times(sample: Path) -> None:
    page = parse(sample / "ekonomi/harga-cabai-dan-bawang-merah-naik-jelang-akhir-tahun/index.html")
    times = page.find("p", "byline-time").find_all("time")
    assert [t.text for t in times] == ["Jumat, 27 November 2026 08.15 WIB",
                                       "Jumat, 27 November 2026 14.30 WIB"]
    assert page.find("span", "updated").text.startswith("Diperbarui ")


# --- the front page and lists --------------------------------------------------------

def story_links(element: Element) -> list[str]:
    return [h.find("a").attrs["href"] for h in element.find_all(cls="card-title")]


def test_the_front_page_has_lead_next_stories_latest_picks_and_sections(sample: Path) -> None:
    page = parse(sample / "index.html")
    main = page.find("main")
    lead = main.find("article", "card-lead")
    assert lead.find("h2").text == "Laporan Langsung: Hujan Deras Rendam Puluhan RT di Jakarta"
    next_stories = story_links(main.find("div", "next-stories"))
    latest = [a.attrs["href"] for a in main.find("ol", "headlines").find_all("a")]
    assert len(next_stories) == 4 and len(latest) == 10
    # Every block takes the next stories not shown above it (tests/test_newsroom.py).
    picks = story_links(main.find("section", "picks"))
    blocks = main.find_all("section", "section-block")
    shown = [*story_links(lead), *next_stories, *latest, *picks,
             *(url for b in blocks for url in story_links(b))]
    assert len(set(shown)) == len(shown) == 20, "the front page shows each story once"
    assert next_stories[0] == "/ekonomi/harga-cabai-dan-bawang-merah-naik-jelang-akhir-tahun/"
    assert picks == ["/ekonomi/jack-ma-tawarkan-alibaba-bantu-pebisnis-as/"]
    # Teknologi and Olahraga have no story left that the blocks above did not show.
    assert [b.find("h2").text for b in blocks] == ["Ekonomi", "Nasional", "Internasional"]
    assert blocks[0].find("p", "more").text == "Lainnya dari Ekonomi"


def test_author_pages_show_the_bio_and_tag_pages_their_kind(sample: Path) -> None:
    author = parse(sample / "penulis/andreas-wicaksono/index.html").find("main")
    assert author.find("h1").text == "Andreas Wicaksono"
    assert author.find("p", "kicker").text == "Penulis"
    assert author.find("p", "list-description").text.startswith(
        "Andreas Wicaksono adalah wartawan senior desk ekonomi")
    tag = parse(sample / "tag/alibaba/index.html").find("main")
    assert (tag.find("p", "kicker").text, tag.find("h1").text) == ("Topik", "Alibaba")
    archive = parse(sample / "arsip/index.html").find("main")
    years = [h.text for h in archive.find_all("h2")]
    assert years == sorted(years, reverse=True) and "2017" in years
    assert archive.find("a", href="/arsip/2017/01/").text == "Januari 2017"


def test_footer_lists_the_standalone_pages_and_copyright(sample: Path) -> None:
    footer = parse(sample / "index.html").find("footer", "site-footer")
    links = {a.text: a.attrs["href"] for a in footer.find_all("a")}
    assert links["Redaksi"] == "/redaksi/"
    assert links["Pedoman Pemberitaan Media Siber"] == "/pedoman-media-siber/"
    assert links["Tentang Kami"] == "/tentang-kami/"
    assert footer.find("p", "copyright").text == (
        "© 2026 PT Kabar Nusantara Media. Hak cipta dilindungi undang-undang.")


# --- every page ------------------------------------------------------------------------

def test_every_page_has_lang_landmarks_one_h1_and_a_working_skip_link(sample: Path) -> None:
    pages = html_pages(sample)
    assert len(pages) > 60
    for path in pages:
        page = parse(path)
        where = path.relative_to(sample)
        # The sample's English page says so, and so does every page of the English
        # edition (/en/); every other page is Indonesian.
        english = where.as_posix() == "about-us/index.html" or where.parts[0] == "en"
        expected = "en" if english else "id"
        assert page.find("html").attrs["lang"] == expected, where
        assert len(page.find_all("h1")) == 1, where
        for landmark in ("header", "main", "footer", "nav"):
            assert page.find_all(landmark), f"{where}: no <{landmark}>"
        skip = page.find("a", "skip-link")
        assert page.find_all(id=skip.attrs["href"].lstrip("#")), where


def test_every_image_has_its_size_and_only_the_first_image_loads_eagerly(
        sample: Path) -> None:
    for path in html_pages(sample):
        page = parse(path)
        where = path.relative_to(sample)
        images = page.find("main").find_all("img")
        for img in [*images, *page.find("header").find_all("img")]:
            assert int(img.attrs["width"]) > 0 and int(img.attrs["height"]) > 0, where
        eager = [i for i in images if i.attrs.get("loading") != "lazy"]
        assert all(i.attrs.get("fetchpriority") == "high" for i in eager), where
        assert len(eager) <= 1, f"{where}: more than one image loads at once"
        assert all(i.attrs.get("decoding") == "async" for i in images), where
        if page.find("body").attrs["class"] == "kind-article" and page.find_all("figure", "hero"):
            hero = page.find("figure", "hero").find("img")
            assert eager == [hero], f"{where}: the hero image must be the one eager image"


def test_the_logo_carries_its_real_size(sample: Path) -> None:
    logo = parse(sample / "index.html").find("img", "brand-logo")
    assert (logo.attrs["width"], logo.attrs["height"]) == ("512", "512")


def test_pages_make_no_external_requests_and_need_no_javascript(sample: Path) -> None:
    for path in html_pages(sample):
        page = parse(path)
        # Search is the one page that cannot work without a script; an embed's script only
        # swaps its placeholder (a link to the original) for the player, and a gallery's
        # only adds buttons to a strip that scrolls without it.
        if page.find("body").attrs["class"] != "kind-search":
            scripts = [s for s in page.find_all("script")
                       if not (s.attrs.get("src", "").startswith("/js/embeds.")
                               and page.find("a", "embed-play"))
                       and not (s.attrs.get("src", "").startswith("/js/gallery.")
                                and page.find("div", "gallery"))]
            assert all(s.attrs.get("type") == "application/ld+json" for s in scripts), \
                f"{path}: only JSON-LD data, no JavaScript"
        loaded = [i.attrs["src"] for i in page.find_all("img")] + [
            link.attrs["href"] for link in page.find_all("link")
            if link.attrs.get("rel") in {"stylesheet", "icon", "preload", "modulepreload"}]
        for url in loaded:
            assert url.startswith("/") and not url.startswith("//"), f"{path}: {url}"


def test_the_css_is_one_small_fingerprinted_file_with_dark_and_print_styles(
        sample: Path) -> None:
    css_files = list((sample / "css").glob("style.*.css"))
    assert len(css_files) == 1 and re.fullmatch(r"style\.[0-9a-f]{10}\.css", css_files[0].name)
    css = css_files[0].read_text("utf-8")
    assert len(css.encode()) < 30_000
    assert "@import" not in css and not re.search(r"url\(\s*['\"]?(https?:)?//", css)
    assert "@media (prefers-color-scheme: dark)" in css and "@media print" in css
    page = parse(sample / SEED)
    sheets = [link for link in page.find_all("link") if link.attrs.get("rel") == "stylesheet"]
    assert [s.attrs["href"] for s in sheets] == [f"/css/{css_files[0].name}"]


# --- languages -------------------------------------------------------------------------

def ui_strings(language: str) -> dict[str, str]:
    return tomllib.loads((THEME / "i18n" / f"{language}.toml").read_text("utf-8"))


def template_keys() -> set[str]:
    keys = set()
    for path in (THEME / "templates").rglob("*.html"):
        keys.update(re.findall(r"site\.t\.(\w+)", path.read_text("utf-8")))
    return keys


def test_every_ui_string_the_templates_use_exists_in_indonesian_and_english() -> None:
    indonesian, english = ui_strings("id"), ui_strings("en")
    assert set(indonesian) == set(english)
    used = template_keys()
    assert len(used) > 30
    assert used <= set(indonesian), sorted(used - set(indonesian))


def test_every_language_the_theme_ships_has_every_string_with_its_placeholders() -> None:
    """An edition in a shipped language shows no English word: each file has English's
    keys, and each string the same {placeholders} (a lost {n} would print nothing)."""
    english = ui_strings("en")
    languages = sorted(p.stem for p in (THEME / "i18n").glob("*.toml"))
    assert {"en", "id"} <= set(languages)
    for language in languages:
        strings = ui_strings(language)
        assert set(strings) == set(english), (language, set(english) ^ set(strings))
        for key, text in english.items():
            assert set(re.findall(r"\{\w+\}", strings[key])) == \
                set(re.findall(r"\{\w+\}", text)), (language, key)
            assert strings[key].strip(), (language, key)


def visible_template_words(source: str) -> list[str]:
    """Words a template would print itself: text and labels outside {{ }} and {% %}."""
    # A tag name written as an expression (<{{ heading }}>) stays a tag.
    stripped = re.sub(r"<(/?)\{\{.*?\}\}", r"<\1x", source)
    stripped = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", stripped, flags=re.S)

    class Words(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.words: list[str] = []
            self.code = False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.code = tag in {"script", "style"}
            for name, value in attrs:
                if name in {"alt", "title", "aria-label", "placeholder"} and value:
                    self.words += re.findall(r"[^\W\d_]{2,}", value)

        def handle_endtag(self, tag: str) -> None:
            self.code = False

        def handle_data(self, data: str) -> None:
            if not self.code:
                self.words += re.findall(r"[^\W\d_]{2,}", data)

    parser = Words()
    parser.feed(stripped)
    return parser.words


def test_templates_hard_code_no_words() -> None:
    for path in (THEME / "templates").rglob("*.html"):
        words = visible_template_words(path.read_text("utf-8"))
        assert not words, f"{path.relative_to(THEME)} prints words not from i18n: {words}"


def test_the_word_check_catches_a_hard_coded_word() -> None:
    template = '<p>{{ site.t.by }} Oleh</p><a aria-label="Bagikan">x</a><script>let a</script>'
    assert visible_template_words(template) == ["Oleh", "Bagikan"]


def test_an_english_site_reads_english(english: Path) -> None:
    indonesian_only = {v for k, v in ui_strings("id").items() if v != ui_strings("en")[k]}
    seed = english / "business/jack-ma-offers-alibaba-to-us-businesses/index.html"
    pages = [english / "index.html", english / "business/index.html", seed,
             english / "tag/trade/index.html", english / "author/jane-doe/index.html",
             english / "archive/index.html", english / "404.html"]
    for path in pages:
        page = parse(path)
        assert page.find("html").attrs["lang"] == "en"
        text = page.find("body").text
        found = [s for s in indonesian_only if re.search(rf"\b{re.escape(s)}\b", text)]
        assert not found, f"{path.relative_to(english)} shows Indonesian UI strings: {found}"
    article = parse(seed)
    assert article.find("a", "skip-link").text == "Skip to content"
    assert article.find("p", "byline-time").find("time").text == \
        "Tuesday, 10 January 2017 09:00 EST"
    assert article.find("p", "byline-authors").text == "By Jane Doe"
    assert article.find("span", "reading-time").text == "1 min read"
    assert article.find("figcaption").text == \
        "Jack Ma met Donald Trump at Trump Tower. Photo: Business Insider"
    assert article.find("section", "related").find("h2").text == "Related stories"
    home = parse(english / "index.html")
    assert home.find("section", "latest").find("h2").text == "Latest news"
    assert home.find("ol", "headlines").find("time").text == "09:00 11 Jan 2017"
    updated = parse(english / "business/harbour-fish-market-reopens/index.html")
    assert updated.find("span", "updated").text == "Updated Monday, 9 January 2017 12:15 EST"
    archive = parse(english / "archive/index.html")
    assert archive.find("a", href="/archive/2017/01/").text == "January 2017"
