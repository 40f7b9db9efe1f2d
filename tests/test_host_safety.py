"""One set of reserved paths for every host: an alias, whether it becomes a redirect page
or a line of `_redirects`, never takes over or shadows a file the site publishes
(issue 21, "one set of reserved paths for every host")."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.config_schema import DEPLOY_HOSTS
from sitegen.errors import SitegenError
from tests.conftest import BASIC_CONFIG, article, build_site, make_site

GENERATED = ["/feed.xml", "/sitemap.xml", "/robots.txt", "/_redirects"]
CMS = ["/admin/", "/admin"]
HOST_FILES = {"netlify", "cloudflare", "gitlab", "s3"}


def _refused(site: Path, aliases: list[str]) -> list[str]:
    (site / "content/ekonomi/a.md").write_text(article("A", aliases=aliases), "utf-8")
    with pytest.raises(SitegenError) as raised:
        build_site(site)
    assert not (site / "output").exists(), "nothing was published"
    return sorted(str(p) for p in raised.value.problems)


@pytest.mark.parametrize("host", [*sorted(DEPLOY_HOSTS), None])
def test_an_alias_over_a_file_the_site_publishes_is_refused_on_every_host(
        tmp_path: Path, host: str | None) -> None:
    deploy = f'\n[deploy]\nhost = "{host}"\n' if host else ""
    site = make_site(tmp_path, {
        "content/ekonomi/b.md": article("B", aliases=["/lama/b/"]),
        # The editors' CMS, as `sitegen init` writes it.
        "content/static/admin/index.html": "<!doctype html><title>CMS</title>",
    }, BASIC_CONFIG + deploy)
    # The files the build writes itself: found with the site's URLs, before rendering.
    shown = _refused(site, GENERATED)
    assert all(line.startswith("content/ekonomi/a.md:1: ") for line in shown), shown
    for taken in ("feed.xml would be written for both", "sitemap.xml would be written for",
                  "robots.txt would be written for"):
        assert any(taken in line and "an alias in content/ekonomi/a.md" in line
                   for line in shown), (taken, shown)
    if host in HOST_FILES:
        assert any("_redirects would be written for both" in line for line in shown), shown
    # A static file (the CMS): found with the static files, before anything is written.
    shown = _refused(site, CMS)
    assert any(line.startswith("content/ekonomi/a.md:1: admin/index.html would be written for "
                               "both the static file content/static/admin/index.html and an "
                               "alias in content/ekonomi/a.md") for line in shown), shown
    assert any("inside admin, which an alias in content/ekonomi/a.md writes as a file" in line
               for line in shown), shown
    # The other article's alias is fine on every host.
    (site / "content/ekonomi/a.md").write_text(article("A"), "utf-8")
    build_site(site)
    if host in HOST_FILES:
        assert "/lama/b/ /ekonomi/b/ 301" in (site / "output/_redirects").read_text()
    assert (site / "output/admin/index.html").read_text().endswith("<title>CMS</title>")
