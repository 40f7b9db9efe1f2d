"""Where a URL of a built page leads (link_targets.Resolver), on its own: no build, a
site under a base path and the files its output would hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.config import load_config
from sitegen.link_targets import Resolver, Target
from tests.conftest import make_site

FILES = {"index.html", "ekonomi/index.html", "ekonomi/a/index.html", "style.css"}


@pytest.fixture
def resolver(tmp_path: Path) -> Resolver:
    site = make_site(tmp_path / "site", {}, "[site]\ntitle = \"T\"\n"
                     "base_url = \"https://example.org/berita/\"\n")
    return Resolver(load_config(site), FILES)


@pytest.mark.parametrize(("page", "value", "leads"), [
    ("ekonomi/a/index.html", "#isi", Target("#isi", "ekonomi/a/index.html", "isi")),
    ("index.html", "/berita/ekonomi/", Target("/berita/ekonomi/", "ekonomi/index.html", "")),
    # The host redirects /x to /x/.
    ("index.html", "/berita/ekonomi/a#b%20c",
     Target("/berita/ekonomi/a#b%20c", "ekonomi/a/index.html", "b c")),
    ("ekonomi/a/index.html", "../../style.css?v=1",
     Target("../../style.css?v=1", "style.css", "")),
    ("index.html", "https://EXAMPLE.org/berita/style.css",
     Target("https://EXAMPLE.org/berita/style.css", "style.css", "")),
    ("index.html", "/lain/", Target("/lain/", None, "", outside=True)),
    ("index.html", "/berita/hilang.html", Target("/berita/hilang.html", None, "")),
    ("index.html", "https://other.example/x", "https://other.example/x"),
    ("index.html", "mailto:redaksi@example.org", None),
    ("index.html", "javascript:void(0)", None),
])
def test_a_url_leads_where_the_host_would_serve_it(
        resolver: Resolver, page: str, value: str, leads: Target | str | None) -> None:
    assert resolver.resolve(page, value) == leads
