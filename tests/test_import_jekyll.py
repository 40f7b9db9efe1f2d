"""`sitegen import jekyll`: a Jekyll site written here, with the quirks of real
archives, imports and then builds with every post online and every old URL kept."""

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
title: The Old Blog
url: https://old.example.com
baseurl: /blog
permalink: /:categories/:year/:month/:day/:title:output_ext
timezone: UTC
lang: en
collections:
  interviews: {output: true}
  authors: {output: false}
defaults:
  - scope: {path: "", type: posts}
    values: {layout: post, comments: true}
"""

RUST = """\
---
layout: post
title: "Announcing Rust 1.0"
categories: release rust
author: steve
translator: Yuki Tanaka
description: The first stable release.
tags:
lang: ja
redirect_from:
  - /announcing-rust/
---

Rust 1.0 is out. Read [the beta post]({% post_url 2013-11-22-rust-beta %}) and
[about us]({{ site.baseurl }}/about/), or see {{ site.url }}{{ site.baseurl }}/feed.

## Releases
{: #releases }

{% assign latest = site.data.releases | last %}
The latest release is {{ latest.version }} of {{ site.title }}.

{% for release in site.data.releases %}
- {{ release.version }}: {{ release.date }}
{% endfor %}

{% highlight rust %}
fn main() {
    println!("{}", "hello");
}
{% endhighlight %}

{% include note.html text="Be kind" %}

Install it in steps:

1. Download rustup:

    ```sh
    curl https://sh.rustup.rs | sh
    ```

2. Check the template syntax we document:

    ```liquid
    {% raw %}{{ page.title }}{% endraw %}
    ```

![A chart]({{ site.baseurl }}/assets/chart.jpg)
"""

BETA = """\
---
title: Rust beta
date: 2013-11-22 5:00:00 +0000
category: Release
permalink: /beta.html
---

The beta, {{ page.title }}, see [the release]({% link _posts/2015-05-15-rust-1-0.md %}).
"""

DRAFT = """\
---
title: Work in progress
---

Not yet.
"""

ABOUT = """\
---
title: About
permalink: /about/
---

We write about {{ site.title }}.
"""


def jekyll_site(root: Path) -> Path:
    old = make_site(root, {
        "_config.yml": CONFIG,
        "_data/releases.yml": "- {version: '0.9', date: 2014-01-09}\n"
                              "- {version: '1.0', date: 2015-05-15}\n",
        "_data/authors.yml": "steve:\n  name: Steve Klabnik\n",
        "_includes/note.html": '<aside class="note">{{ include.text }}</aside>\n',
        "_posts/2015-05-15-rust-1-0.md": RUST,
        "_posts/2013-11-22-rust-beta.md": BETA,
        "_drafts/work-in-progress.md": DRAFT,
        "about.md": ABOUT,
        "_interviews/mayor/2020-talk.md": "---\ntitle: Talking to the mayor\n"
                                          "date: 2020-02-02 10:00\n---\n\nQ and A.\n",
        "_authors/steve.md": "---\nname: Steve\n---\n",
        "_posts/2012-06-01-from-wordpress.html": "---\ntitle: Old HTML\n---\n"
                                                 "<p>An <em>old</em> post of {{ site.title }}."
                                                 "</p>\n<ul><li>one</li><li>two</li></ul>\n",
        "index.html": "---\nlayout: home\n---\n{% for p in site.posts %}{{ p.title }}{% endfor %}",
    })
    (old / "sitegen.toml").unlink()
    make_image(old / "assets" / "chart.jpg", (800, 450))
    return old


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Imported and built once for the tests below, which only read the new site."""
    tmp_path = tmp_path_factory.mktemp("jekyll")
    site = tmp_path / "new"
    stderr = import_and_build("jekyll", jekyll_site(tmp_path / "old"), site)
    return site, stderr


def test_every_post_is_online_with_its_date_section_and_slug(imported: tuple[Path, str]) -> None:
    site, _ = imported
    rust = page(site, "/release/rust-1-0/")
    assert rust.find("h1").get_text(strip=True) == "Announcing Rust 1.0"
    assert rust.find("time")["datetime"] == "2015-05-15T07:00:00+07:00"
    beta = page(site, "/release/rust-beta/")
    # 2013-11-22 5:00:00 +0000 is 12:00 in Jakarta.
    assert beta.find("time")["datetime"] == "2013-11-22T12:00:00+07:00"
    assert (site / "content/pages/about.md").is_file()
    draft = (site / "content/berita/work-in-progress.md").read_text(encoding="utf-8")
    assert "draft: true" in draft
    assert not (site / "output/berita/work-in-progress").exists()


def test_an_html_post_becomes_markdown(imported: tuple[Path, str]) -> None:
    site, _ = imported
    text = (site / "content/berita/from-wordpress.md").read_text(encoding="utf-8")
    assert "An *old* post of The Old Blog.\n\n- one\n- two\n" in text
    body = page(site, "/berita/from-wordpress/").find("div", class_="story-body")
    assert [li.get_text() for li in body.find_all("li")] == ["one", "two"]


def test_every_old_url_redirects_to_the_new_page(imported: tuple[Path, str]) -> None:
    site, _ = imported
    # A published collection's documents are articles of a section of that name.
    assert redirect_target(site, "/interviews/mayor/2020-talk.html") == "/interviews/2020-talk/"
    assert not (site / "content/authors").exists()
    assert redirect_target(site, "/release/rust/2015/05/15/rust-1-0.html") == "/release/rust-1-0/"
    assert redirect_target(site, "/announcing-rust/") == "/release/rust-1-0/"
    assert redirect_target(site, "/beta.html") == "/release/rust-beta/"


def test_liquid_is_evaluated_and_links_point_to_the_new_urls(imported: tuple[Path, str]) -> None:
    site, stderr = imported
    assert template_code_outside_code(site) == []
    assert "template code" not in stderr
    body = page(site, "/release/rust-1-0/").find("div", class_="story-body")
    links = [a["href"] for a in body.find_all("a")]
    assert links[:2] == ["/release/rust-beta/", "/about/"]
    text = body.get_text(" ", strip=True)
    assert "or see /feed." in text
    assert "The latest release is 1.0 of The Old Blog." in text
    assert [li.get_text(strip=True) for li in body.find_all("li")][:2] == [
        "0.9: 2014-01-09", "1.0: 2015-05-15"]
    assert body.find("aside", class_="note").get_text() == "Be kind"
    assert body.find("h2")["id"] == "releases"
    beta = page(site, "/release/rust-beta/").find("div", class_="story-body")
    assert "The beta, Rust beta, see" in beta.get_text(" ", strip=True)
    assert beta.find("a")["href"] == "/release/rust-1-0/"


def test_highlighted_and_listed_code_stays_code(imported: tuple[Path, str]) -> None:
    site, _ = imported
    body = page(site, "/release/rust-1-0/").find("div", class_="story-body")
    blocks = [pre.get_text() for pre in body.find_all("pre")]
    assert 'fn main() {\n    println!("{}", "hello");\n}\n' in blocks
    steps = body.find("ol").find_all("li", recursive=False)
    assert [li.find("pre").get_text() for li in steps] == [
        "curl https://sh.rustup.rs | sh\n", "{{ page.title }}\n"]


def test_credits_summary_language_and_assets_survive(imported: tuple[Path, str]) -> None:
    site, _ = imported
    rust = page(site, "/release/rust-1-0/")
    assert rust.html["lang"] == "ja"
    # The other posts are in the old site's language (_config.yml lang: en).
    assert page(site, "/release/rust-beta/").html["lang"] == "en"
    assert rust.find("p", class_="dek").get_text(strip=True) == "The first stable release."
    assert "Translator: Yuki Tanaka" in rust.get_text()
    assert "Steve Klabnik" in rust.find(class_="byline").get_text()
    assert [a.get_text() for a in rust.select(".tags a")] == ["rust"]
    image = rust.find("div", class_="story-body").find("img")
    assert published_from(image["src"], "/assets/chart.jpg") and image["width"] == "800"
    assert (site / "output/assets/chart.jpg").is_file()


@pytest.mark.slow
def test_the_imported_pages_are_valid_html(imported: tuple[Path, str]) -> None:
    site, _ = imported
    pages = [site / "output/release/rust-1-0/index.html",
             site / "output/release/rust-beta/index.html", site / "output/about/index.html",
             site / "output/release/rust/2015/05/15/rust-1-0.html"]
    assert validator_errors(pages) == []


def test_the_report_lists_what_needs_a_person_by_file_and_line(tmp_path: Path) -> None:
    old = jekyll_site(tmp_path / "old")
    (old / "_posts/2016-01-01-plugin.md").write_text(
        "---\ntitle: Plugin\n---\n\nFirst line.\n\n{% gist 12345 %}\n\n{{ page.missing }}\n",
        encoding="utf-8")
    site = make_site(tmp_path / "new", {})
    result = sitegen("import", "jekyll", str(old), "--source", str(site))
    assert result.returncode == 0, result.stderr
    report = (site / "import-report.txt").read_text(encoding="utf-8")
    assert "_posts/2016-01-01-plugin.md:7: needs a person: Liquid left as it is" in report
    assert "_posts/2016-01-01-plugin.md:9: needs a person: Liquid left as it is" in report
    assert "_posts/2015-05-15-rust-1-0.md:2: not imported: front matter key layout" not in report
    assert "index.html: not imported" in report
    # What could not be evaluated is taken out of the page, counted per name.
    assert "\ngist: 1\n" in report and "\npage: 1\n" in report
    new = (site / "content/berita/plugin.md").read_text(encoding="utf-8")
    assert "{%" not in new and "{{" not in new and "First line." in new
    built = sitegen("build", "--source", str(site), "--now", "2026-11-28T12:00+07:00")
    assert "template code" not in built.stderr


def test_import_never_overwrites_and_dry_run_writes_nothing(tmp_path: Path) -> None:
    old = jekyll_site(tmp_path / "old")
    site = make_site(tmp_path / "new", {"content/release/rust-1-0.md": "mine\n"})
    dry = sitegen("import", "jekyll", str(old), "--source", str(site), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "would write content/release/rust-beta.md (from _posts/2013-11-22-rust-beta.md)" \
        in dry.stdout
    assert sorted(p.name for p in site.rglob("*") if p.is_file()) == ["rust-1-0.md",
                                                                      "sitegen.toml"]
    done = sitegen("import", "jekyll", str(old), "--source", str(site))
    assert done.returncode == 0, done.stderr
    assert (site / "content/release/rust-1-0.md").read_text() == "mine\n"
    # The post whose file name was taken got the next free slug, and its old URL follows it.
    assert (site / "content/release/rust-1-0-2.md").is_file()
    assert "slug 'rust-1-0' was taken" in (site / "import-report.txt").read_text()


def test_a_missing_source_is_a_clear_problem(tmp_path: Path) -> None:
    site = make_site(tmp_path / "new", {})
    result = sitegen("import", "jekyll", str(tmp_path / "nowhere"), "--source", str(site))
    assert result.returncode == 1
    assert "is not the folder of the old site" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_files_are_reported_and_the_rest_imported(tmp_path: Path) -> None:
    old = make_site(tmp_path / "old", {
        "_config.yml": "permalink: /:title/\n",
        "_posts/2020-01-01-good.md": "---\ntitle: Good\n---\n\nFine.\n",
        "_posts/2020-01-02-broken.md": "---\ntitle: [never closed\n---\n\nBody.\n",
        "_posts/2020-01-03-list.md": "---\n- not\n- a mapping\n---\n",
        # Both old posts claimed /same/: the second gets no redirect, the build still works.
        "_posts/2020-01-04-one.md": "---\ntitle: One\npermalink: /same/\n---\n\nOne.\n",
        "_posts/2020-01-05-two.md": "---\ntitle: Two\nredirect_from: /same/\n---\n\nTwo.\n",
    })
    (old / "sitegen.toml").unlink()
    site = make_site(tmp_path / "new", {})
    result = sitegen("import", "jekyll", str(old), "--source", str(site))
    assert result.returncode == 0, result.stderr
    report = (site / "import-report.txt").read_text(encoding="utf-8")
    assert ("_posts/2020-01-02-broken.md:2: needs a person: invalid YAML in front matter "
            "(expected ',' or ']', but got '<stream end>'); not imported") in report
    assert "_posts/2020-01-03-list.md:1: needs a person: front matter is not a mapping" in report
    assert "old URL /same/ now belongs to _posts/2020-01-04-one.md" in report
    assert sorted(p.name for p in (site / "content/berita").iterdir()) == [
        "good.md", "one.md", "two.md"]
    built = sitegen("build", "--source", str(site), "--now", "2026-11-28T12:00+07:00")
    assert built.returncode == 0, built.stderr
    assert redirect_target(site, "/same/") == "/berita/one/"


def test_an_unclosed_liquid_block_is_left_and_reported() -> None:
    from sitegen.importers.liquid import Converter, Site
    from sitegen.importers.report import Report

    report = Report("jekyll")
    site = Site({"title": "T"}, None, lambda path: None, lambda name: None)
    body = "On {{ site.title }}.\n\n{% if page.x %}\nnever closed {{ site.title }}\n"
    converted = Converter(site, report).convert(body, "_posts/x.md", 5, {})
    assert converted == "On T.\n\n{% if page.x %}\nnever closed {{ site.title }}\n"
    assert [str(e) for e in report.entries if e.status == "needs a person"] == [
        "_posts/x.md:7: needs a person: Liquid block '{% if page.x %}\\nnever closed "
        "{{ site.tit' is never closed; it and what follows were left as they are"]
