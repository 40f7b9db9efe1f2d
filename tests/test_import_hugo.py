"""`sitegen import hugo`: a Hugo site written here (TOML, YAML and JSON front
matter, a page bundle, the common shortcodes, permalinks and aliases) imports
and builds with every post online and every old URL kept."""

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

CONFIG = """\
baseURL = "https://old.example.com/"
title = "Hugo News"
languageCode = "en-us"
timeZone = "Asia/Tokyo"

[permalinks]
posts = "/:year/:month/:slug/"

[taxonomies]
tag = "tags"
category = "categories"
series = "series"
"""

FIRST = """\
+++
title = "First post"
date = 2024-01-05T09:00:00+09:00
publishDate = 2024-01-06T10:00:00+09:00
lastmod = 2024-02-01T08:00:00+09:00
tags = ["Elections"]
categories = ["Politics"]
series = ["Vote 2024"]
aliases = ["/old/first/"]
description = "What happened on the first day."
author = "Aiko Sato"
images = ["/images/hero.jpg"]
+++

The first day.

<!--more-->

More {{< param "author" >}} text.
"""

BUNDLE = """\
---
title: A bundle
date: 2024-03-01
slug: bundled
expiryDate: 2030-01-01
photographer: Kenji Ito
lang: ja
---

{{< figure src="photo.jpg" title="The harbour" caption="At dawn." attr="Kenji Ito" alt="Boats" >}}

{{< youtube dQw4w9WgXcQ >}}

{{< tweet user="jack" id="20" >}}

See [the first post]({{< ref "posts/first.md" >}}) and {{< relref "first" >}}.

{{< highlight go "linenos=table" >}}
package main
{{< /highlight >}}

```markdown
{{</* figure src="x.jpg" */>}}
```
"""

JSON_POST = """\
{
  "title": "From JSON",
  "date": "2024-04-01T12:00:00Z",
  "url": "/custom/url/",
  "tags": ["data"]
}

Body of the JSON post.
"""


def hugo_site(root: Path) -> Path:
    old = make_site(root, {
        "hugo.toml": CONFIG,
        "content/_index.md": "---\ntitle: Home\n---\n",
        "content/posts/_index.md": "---\ntitle: Posts\n---\n",
        "content/posts/first.md": FIRST,
        "content/posts/bundle/index.md": BUNDLE,
        "content/posts/json-post.md": JSON_POST,
        "content/posts/unfinished.md": "---\ntitle: Unfinished\ndate: 2024-05-01\n"
                                       "draft: true\n---\n\nLater.\n",
        "content/about.md": "---\ntitle: About us\n---\n\nWho we are.\n",
        "content/posts/json-post.ja.md": "---\ntitle: JSONから\ndate: 2024-04-02\n---\n\n本文。\n",
    })
    (old / "sitegen.toml").unlink()
    make_image(old / "static/images/hero.jpg", (1200, 675))
    make_image(old / "content/posts/bundle/photo.jpg", (900, 600))
    return old


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Imported and built once for the tests below, which only read the new site."""
    tmp_path = tmp_path_factory.mktemp("hugo")
    site = tmp_path / "new"
    return site, import_and_build("hugo", hugo_site(tmp_path / "old"), site)


def test_every_post_is_online_with_its_dates(imported: tuple[Path, str]) -> None:
    site, _ = imported
    first = page(site, "/posts/first/")
    times = [t["datetime"] for t in first.find_all("time")]
    # publishDate is when it went online; lastmod is the update.
    assert times[:2] == ["2024-01-06T08:00:00+07:00", "2024-02-01T06:00:00+07:00"]
    assert page(site, "/posts/bundled/").find("h1").get_text(strip=True) == "A bundle"
    assert page(site, "/posts/json-post/").find("h1").get_text(strip=True) == "From JSON"
    assert page(site, "/about/").find("h1").get_text(strip=True) == "About us"
    bundle = (site / "content/posts/bundled.md").read_text(encoding="utf-8")
    assert "expires: '2030-01-01T00:00:00+09:00'" in bundle
    assert "draft: true" in (site / "content/posts/unfinished.md").read_text(encoding="utf-8")
    assert not (site / "content/posts/_index.md").exists()


def test_every_old_url_redirects(imported: tuple[Path, str]) -> None:
    site, _ = imported
    assert redirect_target(site, "/2024/01/first-post/") == "/posts/first/"
    assert redirect_target(site, "/old/first/") == "/posts/first/"
    assert redirect_target(site, "/2024/03/bundled/") == "/posts/bundled/"
    assert redirect_target(site, "/custom/url/") == "/posts/json-post/"


def test_shortcodes_become_markdown(imported: tuple[Path, str]) -> None:
    site, stderr = imported
    assert template_code_outside_code(site) == []
    assert "template code" not in stderr
    body = page(site, "/posts/bundled/").find("div", class_="story-body")
    figure = body.find("figure")
    assert published_from(figure.find("img")["src"], "/images/posts/bundled/photo.jpg")
    assert figure.find("img")["alt"] == "Boats"
    assert figure.find("figcaption").get_text() == "At dawn. — Kenji Ito"
    hrefs = [a["href"] for a in body.find_all("a")]
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ" in hrefs
    assert "https://x.com/jack/status/20" in hrefs
    assert hrefs.count("/posts/first/") == 1
    assert "/posts/first/" in body.get_text()
    codes = [pre.get_text() for pre in body.find_all("pre")]
    assert codes == ["package main\n", '{{< figure src="x.jpg" >}}\n']


def test_taxonomies_credits_summary_language_survive(imported: tuple[Path, str]) -> None:
    site, _ = imported
    first = page(site, "/posts/first/")
    assert [a.get_text() for a in first.select(".tags a")] == ["Elections", "Politics",
                                                                "Vote 2024"]
    assert first.find("p", class_="dek").get_text() == "What happened on the first day."
    assert "Aiko Sato" in first.find(class_="byline").get_text()
    assert "More Aiko Sato text." in first.get_text()
    assert first.find("img")["src"].startswith(("/images/hero", "/_img/hero"))
    # The site's languageCode, when a page says nothing else; the bundle says ja.
    assert first.html["lang"] == "en-us"
    bundle = page(site, "/posts/bundled/")
    assert bundle.html["lang"] == "ja"
    assert "Photographer: Kenji Ito" in bundle.get_text()


def test_a_translation_by_file_name_keeps_its_language_and_url(
        imported: tuple[Path, str]) -> None:
    site, _ = imported
    translated = page(site, "/posts/json-post-ja/")
    assert translated.html["lang"] == "ja"
    assert translated.find("time").get_text() == "2024年4月1日月曜日 22:00 UTC+7"
    assert redirect_target(site, "/ja/2024/04/jsonから/") == "/posts/json-post-ja/"


@pytest.mark.slow
def test_the_imported_pages_are_valid_html(imported: tuple[Path, str]) -> None:
    site, _ = imported
    pages = [site / "output/posts" / name / "index.html"
             for name in ("first", "bundled", "json-post")]
    assert validator_errors([*pages, site / "output/about/index.html"]) == []


def test_an_unknown_shortcode_is_reported_with_its_line(tmp_path: Path) -> None:
    old = hugo_site(tmp_path / "old")
    (old / "content/posts/custom.md").write_text(
        "---\ntitle: Custom\ndate: 2024-06-01\n---\n\nText.\n\n{{< chart id=3 >}}\n",
        encoding="utf-8")
    site = make_site(tmp_path / "new", {})
    result = sitegen("import", "hugo", str(old), "--source", str(site))
    assert result.returncode == 0, result.stderr
    report = (site / "import-report.txt").read_text(encoding="utf-8")
    assert ("content/posts/custom.md:8: needs a person: template code '{{< chart id=3 >}}' "
            "(chart) could not be converted; it was taken out of the page") in report
    assert "Template code taken out of pages, per name" in report and "\nchart: 1\n" in report
    assert "content/posts/bundle/index.md:12: converted: shortcode youtube" in report
