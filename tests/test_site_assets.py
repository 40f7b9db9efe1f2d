"""`site.assets`: a static file's URL by its name. It holds the themes' files and the
CSS, JS and HTML files; a photo or document of the site's static folder is answered by
its name, so uploading one changes no page's inputs (value_views.AssetURLs)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import article, build_site, make_site, read_tree

CONFIG = """\
[site]
title = "Warta"
base_url = "https://example.org/warta/"
[build]
theme = "lokal"
"""
TEMPLATE = """{% extends "default/article.html" %}{% block main %}
<p id="assets">{{ site.assets['css/style.css'] }} {{ site.assets['images/peta.png'] }}
<a href="{{ site.assets['files/nanti.pdf'] }}">{{ site.assets['files/nanti.pdf'] }}</a>
{{ 'favicon.svg' in site.assets }}
{{ 'images/peta.png' in site.assets }}</p>{{ super() }}{% endblock %}"""


def shown(site: Path) -> list[str]:
    page = (site / "output/berita/a0/index.html").read_text()
    return re.sub(r"<[^>]*>", " ", page.split('<p id="assets">', 1)[1].split("</p>", 1)[0]
                  ).split()


def test_assets_name_every_static_file_and_an_upload_changes_no_page(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "themes/lokal/theme.toml": 'extends = "default"\n',
        "themes/lokal/templates/article.html": TEMPLATE,
        "content/static/images/peta.png": b"\x89PNG not really",
        **{f"content/berita/a{i}.md": article(f"Judul {i}", date=f"2026-11-1{i} 09:00")
           for i in range(3)},
    }, config=CONFIG)
    first = build_site(site)
    style, photo, document, theirs, ours = shown(site)
    assert f'<a href="{document}">' in (site / "output/berita/a0/index.html").read_text()
    assert style.startswith("/warta/css/style.") and style.endswith(".css")
    assert (site / "output" / style.removeprefix("/warta/")).is_file()
    # A photo of the site's static folder, and a document not uploaded yet: their URLs.
    assert (photo, document) == ("/warta/images/peta.png", "/warta/files/nanti.pdf")
    # The themes' files are in the map; the site's photos are answered, not held.
    assert (theirs, ours) == ("True", "False")
    # A file not there is the link check's to name, like any link to nothing.
    assert any("/warta/files/nanti.pdf" in str(w) for w in first.warnings), first.warnings
    # The document uploaded, and a photo: no page is planned for it but those always planned.
    (site / "content/static/files").mkdir()
    (site / "content/static/files/nanti.pdf").write_bytes(b"%PDF-1.4 laporan")
    (site / "content/static/images/baru.png").write_bytes(b"\x89PNG baru")
    report = build_site(site)
    assert not any("nanti.pdf" in str(w) for w in report.warnings), report.warnings
    assert not any(name.startswith("berita/") for name in report.planned), report.planned
    assert (site / "output/files/nanti.pdf").is_file()
    build_site(site, use_cache=False, output=tmp_path / "clean")
    assert read_tree(site / "output") == read_tree(tmp_path / "clean")
