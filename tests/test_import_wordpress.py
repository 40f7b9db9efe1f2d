"""`sitegen import wordpress`: a WXR export written here (posts, pages, a draft, a
scheduled post, categories, tags, authors, a featured image, [caption], embeds,
uploads and old permalinks) imports and builds with every post online."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import make_image, make_site, published_from
from tests.imported import (
    import_and_build,
    page,
    redirect_target,
    sitegen,
    template_code_outside_code,
    validator_errors,
)

HEAD = """\
<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Kabar Lama</title>
<link>https://lama.example.id</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://lama.example.id</wp:base_site_url>
<wp:base_blog_url>https://lama.example.id</wp:base_blog_url>
<wp:author><wp:author_login><![CDATA[budi]]></wp:author_login>
<wp:author_display_name><![CDATA[Budi Santoso]]></wp:author_display_name></wp:author>
"""


def item(title: str, post_id: int, name: str, link: str, content: str, *, kind: str = "post",
         status: str = "publish", date: str = "2019-03-04 08:30:00",
         gmt: str = "2019-03-04 01:30:00", categories: str = "", excerpt: str = "",
         meta: str = "") -> str:
    return f"""<item>
<title><![CDATA[{title}]]></title>
<link>{link}</link>
<dc:creator><![CDATA[budi]]></dc:creator>
<content:encoded><![CDATA[{content}]]></content:encoded>
<excerpt:encoded><![CDATA[{excerpt}]]></excerpt:encoded>
<wp:post_id>{post_id}</wp:post_id>
<wp:post_date><![CDATA[{date}]]></wp:post_date>
<wp:post_date_gmt><![CDATA[{gmt}]]></wp:post_date_gmt>
<wp:post_name><![CDATA[{name}]]></wp:post_name>
<wp:status><![CDATA[{status}]]></wp:status>
<wp:post_type><![CDATA[{kind}]]></wp:post_type>
{categories}{meta}
</item>
"""


FLOOD = """Banjir melanda <strong>Jakarta</strong> pagi ini.
Warga mengungsi.

""" + (
    '[caption id="attachment_7" align="aligncenter" width="800"]'
    '<a href="https://lama.example.id/wp-content/uploads/2019/03/banjir.jpg">'
    '<img class="size-medium wp-image-7" '
    'src="https://lama.example.id/wp-content/uploads/2019/03/banjir-300x200.jpg" '
    'alt="Air setinggi lutut" width="300" height="200" /></a> '
    'Air merendam Kampung Melayu. (Foto: Andi)[/caption]\n') + """

<h2>Tanggapan</h2>
Baca juga <a href="https://lama.example.id/2019/02/01/hujan-deras/">hujan deras</a>.

[embed]https://www.youtube.com/watch?v=abc123[/embed]

<pre><code class="language-python">print("{{ not liquid }}")</code></pre>
"""

RAIN = ("<!-- wp:paragraph -->\n<p>Hujan deras sejak malam.</p>\n<!-- /wp:paragraph -->\n"
        '<!-- wp:image -->\n<figure class="wp-block-image size-large"><img '
        'src="https://lama.example.id/wp-content/uploads/2019/03/banjir.jpg" alt="Genangan"/>'
        "<figcaption>Genangan di Jalan Sudirman.</figcaption></figure>\n<!-- /wp:image -->")

CATEGORY = ('<category domain="category" nicename="metro"><![CDATA[Metro]]></category>'
            '<category domain="post_tag" nicename="banjir"><![CDATA[Banjir]]></category>')


def export(root: Path) -> tuple[Path, Path]:
    uploads = root / "uploads"
    make_image(uploads / "2019/03/banjir.jpg", (1200, 800))
    make_image(uploads / "2019/03/sampul.jpg", (1200, 675))
    items = [
        item("Banjir di Jakarta", 10, "banjir-di-jakarta",
             "https://lama.example.id/2019/03/04/banjir-di-jakarta/", FLOOD,
             categories=CATEGORY, excerpt="Jakarta terendam.",
             meta="<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
                  "<wp:meta_value>8</wp:meta_value></wp:postmeta>"),
        item("Hujan deras", 11, "hujan-deras", "https://lama.example.id/2019/02/01/hujan-deras/",
             RAIN, date="2019-02-01 07:00:00", gmt="2019-02-01 00:00:00",
             categories='<category domain="category" nicename="cuaca"><![CDATA[Cuaca]]>'
                        '</category>'),
        item("Belum selesai", 12, "", "https://lama.example.id/?p=12", "Draf.",
             status="draft", gmt="0000-00-00 00:00:00"),
        item("Terjadwal", 13, "terjadwal", "https://lama.example.id/2027/01/01/terjadwal/",
             "Nanti.", status="future", date="2027-01-01 09:00:00", gmt="2027-01-01 02:00:00"),
        item("Flood warning", 16, "flood-warning",
             "https://lama.example.id/en/2019/03/05/flood-warning/", "<p>Stay away.</p>",
             date="2019-03-05 08:00:00", gmt="2019-03-05 01:00:00",
             categories='<category domain="language" nicename="en"><![CDATA[English]]>'
                        '</category>'),
        item("Tentang Kami", 14, "tentang-kami", "https://lama.example.id/tentang-kami/",
             "Kami adalah media lokal.", kind="page"),
        item("sampul", 8, "sampul", "https://lama.example.id/sampul/", "", kind="attachment",
             excerpt="Sampul edisi Maret.",
             meta="<wp:attachment_url>https://lama.example.id/wp-content/uploads/2019/03/"
                  "sampul.jpg</wp:attachment_url><wp:postmeta><wp:meta_key>"
                  "_wp_attachment_image_alt</wp:meta_key><wp:meta_value>Sampul koran"
                  "</wp:meta_value></wp:postmeta>"),
        item("Menu", 15, "menu", "https://lama.example.id/menu/", "", kind="nav_menu_item"),
    ]
    path = root / "export.xml"
    path.write_text(HEAD + "".join(items) + "</channel>\n</rss>\n", encoding="utf-8")
    return path, uploads


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Imported and built once for the tests below, which only read the new site."""
    tmp_path = tmp_path_factory.mktemp("wordpress")
    wxr, uploads = export(tmp_path / "old")
    site = tmp_path / "new"
    return site, import_and_build("wordpress", wxr, site, "--uploads", str(uploads))


def test_posts_pages_drafts_and_scheduled_posts(imported: tuple[Path, str]) -> None:
    site, _ = imported
    flood = page(site, "/metro/banjir-di-jakarta/")
    assert flood.find("h1").get_text(strip=True) == "Banjir di Jakarta"
    assert flood.find("time")["datetime"] == "2019-03-04T08:30:00+07:00"
    assert page(site, "/cuaca/hujan-deras/").find("h1").get_text(strip=True) == "Hujan deras"
    assert page(site, "/tentang-kami/").find("h1").get_text(strip=True) == "Tentang Kami"
    draft = (site / "content/berita/belum-selesai.md").read_text(encoding="utf-8")
    assert "draft: true" in draft
    scheduled = (site / "content/berita/terjadwal.md").read_text(encoding="utf-8")
    assert "date: '2027-01-01T09:00:00+07:00'" in scheduled and "draft" not in scheduled
    assert not (site / "output/berita/belum-selesai").exists()
    assert not (site / "output/berita/terjadwal").exists()


def test_block_editor_figures_and_the_language_of_a_post(imported: tuple[Path, str]) -> None:
    site, _ = imported
    figure = page(site, "/cuaca/hujan-deras/").find("div", class_="story-body").find("figure")
    assert figure.find("img")["alt"] == "Genangan"
    assert figure.find("figcaption").get_text() == "Genangan di Jalan Sudirman."
    english = page(site, "/berita/flood-warning/")
    assert english.html["lang"] == "en"
    assert english.find("time").get_text() == "Tuesday, 5 March 2019 08:00 UTC+7"
    assert redirect_target(site, "/en/2019/03/05/flood-warning/") == "/berita/flood-warning/"


def test_old_permalinks_redirect_and_links_follow(imported: tuple[Path, str]) -> None:
    site, _ = imported
    assert redirect_target(site, "/2019/03/04/banjir-di-jakarta/") == "/metro/banjir-di-jakarta/"
    assert redirect_target(site, "/2019/02/01/hujan-deras/") == "/cuaca/hujan-deras/"
    body = page(site, "/metro/banjir-di-jakarta/").find("div", class_="story-body")
    assert body.find("a", string="hujan deras")["href"] == "/cuaca/hujan-deras/"


def test_html_captions_embeds_and_uploads(imported: tuple[Path, str]) -> None:
    site, _ = imported
    assert template_code_outside_code(site) == []
    flood = page(site, "/metro/banjir-di-jakarta/")
    body = flood.find("div", class_="story-body")
    assert body.find("strong").get_text() == "Jakarta"
    assert body.find("h2").get_text() == "Tanggapan"
    figure = body.find("figure")
    # The resized copy was not in the uploads: the original is used.
    assert published_from(figure.find("img")["src"], "/wp-content/uploads/2019/03/banjir.jpg")
    assert figure.find("img")["alt"] == "Air setinggi lutut"
    assert figure.find("figcaption").get_text() == "Air merendam Kampung Melayu. (Foto: Andi)"
    assert "https://www.youtube.com/watch?v=abc123" in [a["href"] for a in body.find_all("a")]
    assert body.find("pre").get_text() == 'print("{{ not liquid }}")\n'
    assert (site / "output/wp-content/uploads/2019/03/banjir.jpg").is_file()


def test_authors_categories_tags_summary_and_featured_image(imported: tuple[Path, str]) -> None:
    site, _ = imported
    flood = page(site, "/metro/banjir-di-jakarta/")
    assert "Budi Santoso" in flood.find(class_="byline").get_text()
    assert flood.find(class_="section-label").get_text() == "Metro"
    assert [a.get_text() for a in flood.select(".tags a")] == ["Banjir"]
    assert flood.find("p", class_="dek").get_text() == "Jakarta terendam."
    hero = flood.find("img")
    assert hero["src"].startswith(("/wp-content/uploads/2019/03/sampul", "/_img/sampul"))
    assert hero["alt"] == "Sampul koran"
    assert "Sampul edisi Maret." in flood.get_text()


@pytest.mark.slow
def test_the_imported_pages_are_valid_html(imported: tuple[Path, str]) -> None:
    site, _ = imported
    pages = [site / "output/metro/banjir-di-jakarta/index.html",
             site / "output/cuaca/hujan-deras/index.html", site / "output/tentang-kami/index.html",
             site / "output/berita/flood-warning/index.html",
             site / "output/2019/02/01/hujan-deras/index.html"]
    assert validator_errors(pages) == []


def test_the_report_says_what_needs_a_person(tmp_path: Path) -> None:
    wxr, _ = export(tmp_path / "old")
    site = make_site(tmp_path / "new", {})
    result = sitegen("import", "wordpress", str(wxr), "--source", str(site))
    assert result.returncode == 0, result.stderr
    report = (site / "import-report.txt").read_text(encoding="utf-8")
    assert "/wp-content/uploads/2019/03/banjir-300x200.jpg: give --uploads" in report
    assert "[sections.metro]\ntitle = \"Metro\"" in report
    # Each item is named by the line of the export it opens on.
    line = next(n for n, text in enumerate(wxr.read_text().splitlines(), 1) if "<item>" in text)
    assert f"export.xml:{line}: converted: Banjir di Jakarta: embed of " \
           "https://www.youtube.com/watch?v=abc123 -> !embed" in report


def test_dry_run_writes_nothing_and_section_is_a_slug(tmp_path: Path) -> None:
    wxr, uploads = export(tmp_path / "old")
    site = make_site(tmp_path / "new", {})
    result = sitegen("import", "wordpress", str(wxr), "--source", str(site), "--dry-run",
                     "--uploads", str(uploads), "--section", "Berita Daerah")
    assert result.returncode == 0, result.stderr
    assert "would write content/berita-daerah/belum-selesai.md" in result.stdout
    assert "would write content/static/wp-content/uploads/2019/03/banjir.jpg" in result.stdout
    assert sorted(p.name for p in site.iterdir()) == ["sitegen.toml"]


def test_a_broken_export_is_a_clear_problem(tmp_path: Path) -> None:
    wxr = tmp_path / "export.xml"
    wxr.write_text("<rss><channel><item>", encoding="utf-8")
    site = make_site(tmp_path / "new", {})
    result = sitegen("import", "wordpress", str(wxr), "--source", str(site))
    # Nothing could be imported: a failure, with the reason, and the report still written.
    assert result.returncode == 1
    assert "nothing could be imported: export.xml:1: needs a person: not a readable WXR " \
        "file" in result.stderr
    assert "Traceback" not in result.stderr
    assert "export.xml:1: needs a person: not a readable WXR file" in (
        site / "import-report.txt").read_text(encoding="utf-8")
