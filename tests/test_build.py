"""The pipeline end to end on small inline sites and on the sample site."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from sitegen.errors import SitegenError
from tests.conftest import NOW, article, build_site, make_image, make_site, read_tree

SEED = "ekonomi/jack-ma-tawarkan-alibaba-bantu-pebisnis-as/index.html"


def html(site: Path, relative: str) -> str:
    return (site / "output" / relative).read_text(encoding="utf-8")


def test_sample_site_builds_every_kind_of_page(sample_site: Path) -> None:
    report = build_site(sample_site)
    out = sample_site / "output"
    seed = html(sample_site, SEED)
    source = (sample_site / "content/ekonomi/jack-ma-tawarkan-alibaba-bantu-pebisnis-as.md")
    for paragraph in source.read_text(encoding="utf-8").split("---", 2)[2].split("\n\n"):
        text = paragraph.strip()
        if text and not text.startswith(("!", "#")):
            assert text.replace("&", "&amp;") in seed, text[:60]
    assert "Business Insider" in seed
    assert "Selasa, 10 Januari 2017 09.00 WIB" in seed
    for page in ("index.html", "ekonomi/index.html", "tag/alibaba/index.html",
                 "penulis/andreas-wicaksono/index.html", "arsip/index.html",
                 "arsip/2017/01/index.html", "tentang-kami/index.html", "redaksi/index.html",
                 "pedoman-media-siber/index.html", "404.html",
                 "internasional/kunjungan-ke-koln/index.html"):
        assert (out / page).is_file(), page
    assert not list(out.rglob("revisi-perda-tata-ruang-pesisir-tuai-sorotan*")), "draft leaked"
    assert report.pages == len(read_tree(out)) - 1  # all but the .sitegen-build marker


def test_drafts_future_and_expired_stay_out_unless_asked(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/ekonomi/terbit.md": article("Terbit"),
        "content/ekonomi/draf.md": article("Draf", draft=True),
        "content/ekonomi/nanti.md": article("Nanti", date="2026-11-28 12:01"),
        "content/ekonomi/basi.md": article("Basi", expires="2026-11-28 11:59"),
    })
    build_site(site)
    home = html(site, "index.html")
    assert "Terbit" in home
    for hidden in ("Draf", "Nanti", "Basi"):
        assert hidden not in home
        assert not (site / "output/ekonomi" / hidden.lower()).exists()
    build_site(site, drafts=True, future=True, expired=True)
    home = html(site, "index.html")
    assert all(word in home for word in ("Terbit", "Draf", "Nanti", "Basi"))


def test_naive_dates_are_in_the_site_time_zone(tmp_path: Path) -> None:
    config = ('[site]\ntitle = "T"\nbase_url = "https://x.org/"\ntimezone = "Asia/Makassar"\n')
    site = make_site(tmp_path, {"content/ekonomi/a.md": article("A", date="2026-01-05"),
                                "content/ekonomi/b.md": article("B", date="2026-01-05 23:30")},
                     config=config)
    build_site(site)
    assert 'datetime="2026-01-05T00:00:00+08:00"' in html(site, "ekonomi/a/index.html")
    b = html(site, "ekonomi/b/index.html")
    assert 'datetime="2026-01-05T23:30:00+08:00"' in b
    assert "Senin, 5 Januari 2026 23.30 WITA" in b


def test_bom_crlf_horizontal_rule_and_non_ascii_file_names_build(tmp_path: Path) -> None:
    crlf = article("Baris Windows", body="Satu.\n\n---\n\nDua.").replace("\n", "\r\n")
    site = make_site(tmp_path, {
        "content/ekonomi/bom.md": "\ufeff" + article("Dengan BOM"),
        "content/ekonomi/crlf.md": crlf,
        "content/ekonomi/garis.md": article("Garis", body="Atas.\n\n---\n\nBawah.\n"),
        "content/internasional/kunjungan-ke-köln.md": article("Köln"),
        "content/internasional/北京.md": article("Beijing"),
    })
    build_site(site)
    assert "Dengan BOM" in html(site, "ekonomi/bom/index.html")
    crlf_page = html(site, "ekonomi/crlf/index.html")
    assert "<hr>" in crlf_page and "Dua." in crlf_page and "\r" not in crlf_page
    garis = html(site, "ekonomi/garis/index.html")
    assert "<p>Atas.</p>\n<hr>\n<p>Bawah.</p>" in garis
    assert "Köln" in html(site, "internasional/kunjungan-ke-koln/index.html")
    assert "Beijing" in html(site, "internasional/北京/index.html")


HOSTILE = '<script>alert(1)</script> "kutip" & dan'


def test_title_tag_and_author_are_escaped_everywhere(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/ekonomi/a.md": article(
        HOSTILE, tags=[HOSTILE, "Aman"], author=HOSTILE, summary=HOSTILE)})
    build_site(site)
    outputs = {name: data.decode("utf-8") for name, data in read_tree(site / "output").items()
               if name.endswith((".html", ".xml", ".json"))}
    seen = 0
    for name, text in outputs.items():
        assert "<script>alert(1)</script>" not in text, name
        assert '"kutip" & dan' not in text, name
        seen += "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert seen >= 5, "the hostile title should appear, escaped, on several pages"


@pytest.mark.slow
def test_jobs_1_and_2_give_identical_output(sample_site: Path, tmp_path: Path) -> None:
    build_site(sample_site, jobs=1, output=tmp_path / "one")
    build_site(sample_site, jobs=2, output=tmp_path / "two")
    one, two = read_tree(tmp_path / "one"), read_tree(tmp_path / "two")
    assert len(one) > 50
    assert one == two


def test_base_url_with_a_path_prefixes_every_internal_link(tmp_path: Path) -> None:
    config = '[site]\ntitle = "T"\nbase_url = "https://example.org/berita/"\n'
    make_image(tmp_path / "content/static/images/a.jpg")
    site = make_site(tmp_path, {"content/ekonomi/a.md": article(
        "A", tags=["Pasar"], author="Budi", image="/images/a.jpg", image_alt="foto",
        body="Lihat [rubrik](/ekonomi/) dan ![g](/images/a.jpg)."),
        "content/pages/tentang.md": "---\ntitle: Tentang\n---\nKami.\n"}, config=config)
    build_site(site)
    for name, data in read_tree(site / "output").items():
        if not name.endswith(".html"):
            continue
        text = data.decode("utf-8")
        for link in re.findall(r'(?:href|src)="(/[^"]*)"', text):
            assert link.startswith("/berita/"), f"{name}: {link}"
        for link in re.findall(r'(?:href|src|content)="(https://example\.org[^"]*)"', text):
            assert link.startswith("https://example.org/berita/"), f"{name}: {link}"


def test_aliases_get_redirect_pages(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/ekonomi/a.md": article(
        "A", aliases=["/2017/01/lama.html", "/lama/a/"])})
    build_site(site)
    for alias in ("2017/01/lama.html", "lama/a/index.html"):
        page = html(site, alias)
        assert 'http-equiv="refresh" content="0; url=/ekonomi/a/"' in page
        assert '<link rel="canonical" href="https://example.org/ekonomi/a/">' in page


def test_lists_are_paginated_from_the_oldest_end(tmp_path: Path) -> None:
    config = '[site]\ntitle = "T"\nbase_url = "https://x.org/"\n[build]\nitems_per_page = 2\n'
    files = {f"content/ekonomi/a{i}.md": article(f"Artikel {i}", date=f"2026-11-{10 + i} 09:00",
                                                 tags=["Pasar"]) for i in range(5)}
    site = make_site(tmp_path, files, config=config)
    build_site(site)
    for listing in ("", "ekonomi/", "tag/pasar/"):
        # The front page shows what no full page holds (three stories); page 1 the two
        # oldest. Pages 2 and 3 of the old numbering redirect to the front page.
        front = html(site, f"{listing}index.html")
        assert all(f"Artikel {i}<" in front for i in (4, 3, 2))
        assert listing == "" or "Artikel 1<" not in front  # the home page has its blocks
        oldest = html(site, f"{listing}page/1/index.html")
        assert "Artikel 1<" in oldest and "Artikel 0<" in oldest and "Artikel 2<" not in oldest
        for old in ("page/2", "page/3"):
            assert f'content="0; url=/{listing}"' in html(site, f"{listing}{old}/index.html")
        assert not (site / "output" / listing / "page/4").exists()
    # A full page names no count (it would change with every new story); the front does.
    assert "5 artikel" in html(site, "ekonomi/index.html")
    assert "artikel</p>" not in html(site, "ekonomi/page/1/index.html")


def test_related_and_neighbours(tmp_path: Path) -> None:
    site = make_site(tmp_path, {
        "content/ekonomi/a.md": article("Pokok", date="2026-11-06 09:00", tags=["X", "Y"]),
        "content/ekonomi/b.md": article("Kedua", date="2026-11-02 09:00", tags=["Z"]),
        "content/nasional/c.md": article("Ketiga", date="2026-11-03 09:00", tags=["X", "Y"]),
        "content/nasional/d.md": article("Keempat", date="2026-11-04 09:00", tags=["X"]),
        "content/ekonomi/e.md": article("Draf", date="2026-11-05 09:00", tags=["X"], draft=True),
        "content/ekonomi/f.md": article("Sesudahnya", date="2026-11-07 09:00", tags=["X", "Y"]),
        "content/ekonomi/g.md": article("Terlama", date="2026-11-01 09:00"),
    })
    build_site(site)
    page = html(site, "ekonomi/a/index.html")
    related = page[page.index('id="related-title"'):]
    related = related[:related.index("</section>")]
    # The earlier stories ranked by shared tags, then section; then the nearest later one.
    assert related.index("Ketiga") < related.index("Keempat") < related.index("Kedua") \
        < related.index("Sesudahnya")
    assert "Pokok</a>" not in related and "Draf" not in related and "Terlama" not in related
    assert 'rel="next" href="/ekonomi/f/"' in page and 'rel="prev" href="/ekonomi/b/"' in page
    # The first stories, with too few before them, take the nearest ones published after.
    oldest = html(site, "ekonomi/g/index.html")
    oldest = oldest[oldest.index('id="related-title"'):]
    assert oldest.index("Kedua") < oldest.index("Pokok")


def test_missing_hero_image_is_an_error_and_missing_alt_a_warning(tmp_path: Path) -> None:
    make_image(tmp_path / "content/static/images/ada.jpg")
    site = make_site(tmp_path, {"content/ekonomi/a.md": article("A", image="/images/ada.jpg")})
    report = build_site(site)
    assert [w.message for w in report.warnings] == [
        "the hero image has no image_alt: describe it for readers who cannot see it"]
    assert 'width="1200" height="675"' in html(site, "ekonomi/a/index.html")
    (site / "content/ekonomi/b.md").write_text(article("B", image="/images/tidak-ada.jpg"))
    expected = re.escape("content/ekonomi/b.md:4: image '/images/tidak-ada.jpg'")
    with pytest.raises(SitegenError, match=expected):
        build_site(site)


def test_markdown_extensions_and_figures(tmp_path: Path) -> None:
    make_image(tmp_path / "content/static/images/g.jpg", (640, 360))
    body = """\
        ## Subjudul Ünïcode

        | a | b |
        |---|---|
        | 1 | 2 |

        Catatan[^1] tentang HTML.

        *[HTML]: HyperText Markup Language

        [^1]: Kaki.

        ```python
        print("halo")
        ```

        ![Grafik harga](/images/g.jpg "Harga naik 5 persen.")

        Paragraf
        {: .sorot }
        """
    site = make_site(tmp_path, {"content/teknologi/a.md": article("A", body=body)})
    build_site(site)
    page = html(site, "teknologi/a/index.html")
    assert '<h2 id="subjudul-ünïcode">' in page
    assert "<table>" in page and 'class="footnote"' in page
    assert '<abbr title="HyperText Markup Language">HTML</abbr>' in page
    assert '<div class="highlight"><pre>' in page and '<span class="nb">print</span>' in page
    assert re.search(r'<figure><picture>(<source [^>]*>){2}<img alt="Grafik harga"[^>]*'
                     r'height="360"[^>]*width="640"></picture>'
                     r'<figcaption>Harga naik 5 persen.</figcaption></figure>', page)
    assert '<p class="sorot">Paragraf</p>' in page


def test_summary_defaults_to_first_paragraph_and_reading_time(tmp_path: Path) -> None:
    words = " ".join(["kata"] * 450)
    site = make_site(tmp_path, {"content/ekonomi/a.md": article(
        "A", body=f"Paragraf **pertama** di sini.\n\n{words}")})
    build_site(site)
    page = html(site, "ekonomi/a/index.html")
    assert '<meta name="description" content="Paragraf pertama di sini.">' in page
    assert "3 menit baca" in page


def test_unchanged_files_keep_their_mtime(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/ekonomi/a.md": article("A"),
                                "content/nasional/b.md": article("B")})
    build_site(site)
    out = site / "output"
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.html")}
    (site / "content/nasional/b.md").write_text(article("B", body="Isi baru."))
    report = build_site(site)
    assert "nasional/b/index.html" in report.written
    assert "ekonomi/a/index.html" in report.unchanged
    assert (out / "ekonomi/a/index.html").stat().st_mtime_ns == before[out / "ekonomi/a/index.html"]


def test_build_time_is_the_fixed_clock(tmp_path: Path) -> None:
    assert NOW.isoformat() == "2026-11-28T12:00:00+07:00"


def test_a_symlink_in_the_output_cannot_lead_writes_outside(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/ekonomi/a.md": article("A")})
    build_site(site)
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.rmtree(site / "output/ekonomi")
    (site / "output/ekonomi").symlink_to(outside, target_is_directory=True)
    with pytest.raises(SitegenError, match="is a link to elsewhere"):
        build_site(site, use_cache=False)
    assert list(outside.iterdir()) == []


def test_pagination_links_a_window_of_pages(tmp_path: Path) -> None:
    config = '[site]\ntitle = "T"\nbase_url = "https://x.org/"\n[build]\nitems_per_page = 1\n'
    files = {f"content/ekonomi/a{i:02d}.md": article(f"Artikel {i}", date=f"2026-10-{1 + i:02d}")
             for i in range(20)}
    site = make_site(tmp_path, files, config=config)
    build_site(site)
    page = html(site, "ekonomi/page/10/index.html")
    assert "Artikel 9<" in page  # page 10 counted from the oldest story, Artikel 0
    pager = page[page.index('class="pagination"'):]
    linked = re.findall(r'href="/ekonomi/(?:page/(\d+)/)?"', pager)
    # The front page, two pages either side and page 1; not the newest numbered page
    # (19), nor a gap before the neighbours, which would change as the list grows.
    assert sorted({int(n or 0) for n in linked}) == [0, 1, 8, 9, 10, 11, 12]
    assert page.count("pager-gap") == 1
    assert 'rel="prev" href="/ekonomi/page/11/"' in pager
    assert 'rel="next" href="/ekonomi/page/9/"' in pager


def test_long_articles_get_a_table_of_contents(tmp_path: Path) -> None:
    body = "Pembuka.\n\n## Satu\n\nA.\n\n## Dua\n\nB.\n\n### Dua rinci\n\nC.\n"
    site = make_site(tmp_path, {"content/ekonomi/panjang.md": article("Panjang", body=body),
                                "content/ekonomi/pendek.md": article("Pendek", body="## Satu\n")})
    build_site(site)
    page = html(site, "ekonomi/panjang/index.html")
    assert '<nav class="toc" aria-label="Daftar isi" data-pagefind-ignore>' in page
    assert '<a href="#dua-rinci">Dua rinci</a>' in page
    assert 'class="toc"' not in html(site, "ekonomi/pendek/index.html")


def test_a_new_article_does_not_render_every_page_again(tmp_path: Path) -> None:
    # The site-wide view is on every page: a per-section count in it would make every
    # page render again whenever an article is published.
    root = make_site(tmp_path / "site", {
        f"content/{section}/{n}.md": article(f"{section} {n}", date=f"2026-11-{10 + n} 09:00",
                                             tags=[f"tag-{section}-{n}"])
        for section in ("ekonomi", "nasional", "olahraga") for n in range(4)})
    everything = build_site(root).rendered
    (root / "content/nasional/baru.md").write_text(article("Baru", date="2026-11-27 09:00"))
    report = build_site(root)
    assert "nasional/baru/index.html" in report.rendered
    untouched = [f"tag/tag-{s}-{n}/index.html" for s in ("ekonomi", "olahraga") for n in range(4)]
    assert not set(untouched) & set(report.rendered)
    assert set(untouched) <= set(everything)
    build_site(root, use_cache=False, output=tmp_path / "clean")
    assert read_tree(root / "output") == read_tree(tmp_path / "clean")
