"""The table of page kinds (sitegen/kinds/): planning, the sitemap and the URL claims
all come from it, so a new kind is one module and one template."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen import collect, kinds
from sitegen.config import load_config
from sitegen.errors import SitegenError
from sitegen.readers import discover, read_source
from tests.conftest import NOW, article, build_site, make_image, make_site
from tests.photo_kind import PhotoIndex

CONFIG = """\
[site]
title = "Warta"
base_url = "https://example.org/"
[build]
items_per_page = 2
theme = "lokal"
"""
# The one template of the new kind, in the site's own theme.
PHOTOS = """{% extends "base.html" %}
{% block main %}<h1>{{ page.title }}</h1>
{% for a in articles %}<a class="foto" href="{{ a.url }}">{{ a.title }}</a>{% endfor %}
{% endblock %}
"""


@pytest.fixture
def photo_index() -> Iterator[None]:
    remove = kinds.register(PhotoIndex())
    yield
    remove()


def photo_site(root: Path) -> Path:
    files = {f"content/ekonomi/a{i}.md": article(
        f"Cerita {i}", date=f"2026-11-{10 + i} 09:00",
        **({"image": f"/images/a{i}.jpg", "image_alt": "foto"} if i % 2 == 0 else {}))
        for i in range(7)}
    files["themes/lokal/theme.toml"] = 'extends = "default"\n'
    files["themes/lokal/templates/photos.html"] = PHOTOS
    site = make_site(root, files, config=CONFIG)
    for i in range(0, 7, 2):
        make_image(site / f"content/static/images/a{i}.jpg", (320, 180))
    return site


def test_a_page_kind_from_one_module_and_one_template(tmp_path: Path,
                                                      photo_index: None) -> None:
    site = photo_site(tmp_path)
    report = build_site(site)
    # In the plan: the front page and the numbered pages of a list that does not shift
    # (four stories with pictures, two a page: page 1 holds the two oldest).
    assert {"foto/index.html", "foto/page/1/index.html"} <= set(report.planned)
    front = (site / "output/foto/index.html").read_text()
    assert "Cerita 6<" in front and "Cerita 4<" in front and "Cerita 5<" not in front
    assert "Cerita 0<" in (site / "output/foto/page/1/index.html").read_text()
    # In the sitemap, with the other pages.
    sitemap = (site / "output/sitemap.xml").read_text()
    assert "<loc>https://example.org/foto/</loc>" in sitemap
    assert "<loc>https://example.org/foto/page/1/</loc>" in sitemap
    # In the URL claims: an article's alias on the index is a clash that names both,
    # found before anything is rendered.
    config = load_config(site)
    sources, _ = read_all(site)
    model, _ = collect.select_site(sources, config, collect.Selection(NOW))
    assert ("foto/index.html", "the photo index") in kinds.claims(model, config)
    (site / "content/ekonomi/a1.md").write_text(article("Cerita 1", date="2026-11-11 09:00",
                                                         aliases=["/foto/"]))
    with pytest.raises(SitegenError) as failed:
        build_site(site)
    message = str(failed.value)
    assert "foto/index.html would be written for both" in message
    assert "the photo index" in message and "an alias in content/ekonomi/a1.md" in message


def test_without_the_kind_registered_nothing_of_it_is_built(tmp_path: Path) -> None:
    site = photo_site(tmp_path)
    report = build_site(site)
    assert not any(f.startswith("foto/") for f in report.planned)
    assert "/foto/" not in (site / "output/sitemap.xml").read_text()


def test_the_claims_name_every_planned_file_and_its_owner(tmp_path: Path) -> None:
    """The cheap claims (from the model alone) and the planned jobs agree file by file."""
    site = photo_site(tmp_path)
    (site / "content/ekonomi/a3.md").write_text(article(
        "Cerita 3", date="2026-11-13 09:00", tags=["Pasar"], author="Budi", series="Banjir",
        aliases=["/lama/tiga/"]))
    (site / "content/pages/tentang.md").parent.mkdir(parents=True)
    (site / "content/pages/tentang.md").write_text("---\ntitle: Tentang\n---\nKami.\n")
    report = build_site(site)
    config = load_config(site)
    sources, _ = read_all(site)
    model, _ = collect.select_site(sources, config, collect.Selection(NOW))
    claimed = dict(kinds.claims(model, config))
    assert set(claimed) == set(report.planned)
    assert claimed["lama/tiga/index.html"] == "an alias in content/ekonomi/a3.md"
    assert claimed["tag/pasar/index.html"] == "the tag 'Pasar'"
    assert claimed["ekonomi/feed.xml"] == "the RSS feed /ekonomi/feed.xml"


def read_all(site: Path) -> tuple[list, list]:
    """The site's articles, read as the build reads them."""
    config = load_config(site)
    articles, problems = [], []
    for path in discover(config):
        found, trouble = read_source(path, config)
        articles += [found] if found else []
        problems += trouble
    return articles, problems
