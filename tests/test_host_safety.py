"""One set of reserved paths for every host: an alias, whether it becomes a redirect page
or a line of `_redirects`, never takes over or shadows a file the site publishes
(issue 21, "one set of reserved paths for every host")."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.config import DEPLOY_HOSTS
from sitegen.errors import SitegenError
from tests.conftest import BASIC_CONFIG, article, build_site, make_site

RESERVED = ["/feed.xml", "/sitemap.xml", "/robots.txt", "/admin/", "/admin", "/_redirects"]


@pytest.mark.parametrize("host", [*sorted(DEPLOY_HOSTS), None])
def test_an_alias_over_a_file_the_site_publishes_is_refused_on_every_host(
        tmp_path: Path, host: str | None) -> None:
    deploy = f'\n[deploy]\nhost = "{host}"\n' if host else ""
    site = make_site(tmp_path, {
        "content/ekonomi/a.md": article("A", aliases=RESERVED),
        "content/ekonomi/b.md": article("B", aliases=["/lama/b/"]),
        # The editors' CMS, as `sitegen init` writes it.
        "content/static/admin/index.html": "<!doctype html><title>CMS</title>",
    }, BASIC_CONFIG + deploy)
    with pytest.raises(SitegenError) as raised:
        build_site(site)
    shown = sorted(str(p) for p in raised.value.problems)
    # Each problem names the article; the one inside admin/ is blamed on the static file
    # that would be inside the alias (claims.py), and names the alias too.
    assert all(line.startswith("content/ekonomi/a.md:1: ") or line.startswith(
        "content/static/admin/index.html: ") for line in shown), shown
    for taken in ("feed.xml would be written for both", "sitemap.xml would be written for",
                  "robots.txt would be written for", "admin/index.html would be written for"):
        assert any(taken in line and "an alias in content/ekonomi/a.md" in line
                   for line in shown), (taken, shown)
    assert any("inside admin, which an alias in content/ekonomi/a.md writes as a file" in line
               for line in shown), shown
    if host in {"netlify", "cloudflare", "gitlab", "s3"}:
        assert any("_redirects would be written for both" in line for line in shown), shown
    assert not (site / "output").exists(), "nothing was published"
    # The other article's alias is fine on every host.
    (site / "content/ekonomi/a.md").write_text(article("A"), "utf-8")
    build_site(site)
    if host in {"netlify", "cloudflare", "gitlab", "s3"}:
        assert "/lama/b/ /ekonomi/b/ 301" in (site / "output/_redirects").read_text()
    assert (site / "output/admin/index.html").read_text().endswith("<title>CMS</title>")
