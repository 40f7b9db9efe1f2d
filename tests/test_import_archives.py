"""Archives come over whole: generated Jekyll, Hugo and WordPress sites with the cases
real archives have (case and punctuation in titles, one-digit days, language folders,
collection and mount permalinks, Hugo's title fallback, bundles, relative images, an
https-namespace export, password posts, footnotes) import and build, and every old
URL leads to its post in the built output (the file itself, or a redirect page at
that very path that points to it)."""

from __future__ import annotations

import os
import urllib.parse
from pathlib import Path

import pytest

from tests.conftest import make_image, make_site
from tests.imported import import_and_build, page, sitegen, template_code_outside_code

# Jekyll ------------------------------------------------------------------------------

JEKYLL_CONFIG = """\
title: Old Project
url: https://project.example.org
permalink: /:categories/:year/:month/:day/:title:output_ext
timezone: Europe/Berlin
lang: en
collections:
  releases: {output: true, permalink: "/releases/:title/"}
  authors: {output: true}
"""


def jekyll_site(root: Path) -> tuple[Path, dict[str, str]]:
    """The old site and {old URL: the title of the page it showed}."""
    files = {
        "_config.yml": JEKYLL_CONFIG,
        "_posts/2014-09-15-Rust-1.0.md": "---\ntitle: Rust 1.0\ncategories: Release\n---\n\n"
                                         "![Logo](../../../../images/logo.png)\n\n"
                                         "Before it came [We are hiring](/2015/02/25/"
                                         "We-Are-Hiring!.html) and [a day](https://project."
                                         "example.org/2019/12/03/one-digit.html).\n",
        "_posts/2015-02-25-We-Are-Hiring!.md": "---\ntitle: We are hiring\nauthor: ann\n---\n\n"
                                               "Join.\n",
        "_authors/ann.md": "---\nname: Ann Lee\navatar: /images/ann.jpg\n---\n\n"
                           "Ann runs the *project*.\n",
        "old-about.md": "---\nredirect_to: /About-Us/\n---\n",
        "_posts/2019-12-3-one-digit.md": "---\ntitle: A one-digit day\n---\n\nThird.\n",
        "_posts/2020-01-01-late-night.md": "---\ntitle: Late at night\n"
                                           "date: 2019-12-31 23:30:00 -0500\n---\n\nNew year.\n",
        "zh_cn/_posts/2020-03-04-guan-yu.md": "---\ntitle: 关于\n---\n\n中文。\n",
        "zh_cn/index.md": "---\ntitle: 中文首页\n---\n\n欢迎。\n",
        "news/index.md": "---\ntitle: News home\n---\n\nAll the news.\n",
        "news/_posts/2021-05-05-launch.md": "---\ntitle: Launch\n---\n\nWe launched.\n",
        "about.md": "---\ntitle: About\npermalink: /About-Us/\nredirect_from: [/who/]\n---\n\n"
                    "Us.\n",
        "_releases/v1.2.md": "---\ntitle: Version 1.2\ndate: 2021-06-01\n---\n\nNotes.\n",
    }
    old = make_site(root, files)
    (old / "sitegen.toml").unlink()
    make_image(old / "images" / "logo.png", (64, 64))
    return old, {
        "/release/2014/09/15/Rust-1.0.html": "Rust 1.0",
        "/2015/02/25/We-Are-Hiring!.html": "We are hiring",
        "/2019/12/03/one-digit.html": "A one-digit day",
        # 23:30 -0500 is 05:30 the next day in Berlin, the old site's zone.
        "/2020/01/01/late-night.html": "Late at night",
        "/zh_cn/2020/03/04/guan-yu.html": "关于",
        "/zh_cn/": "Warta Impor (zh-CN)",  # the language's home is its edition's
        "/news/2021/05/05/launch.html": "Launch",
        "/About-Us/": "About",
        "/who/": "About",
        "/old-about.html": "About",
        "/releases/v1.2/": "Version 1.2",
    }


# Hugo --------------------------------------------------------------------------------

HUGO_CONFIG = """\
baseURL = "https://docs.example.org/"
title = "Docs"
defaultContentLanguage = "en"
timeZone = "UTC"

[permalinks]
blog = "/:year/:month/:slug/"

[languages.en]
weight = 1
[languages.zh]
weight = 2
contentDir = "content/zh"

[[module.mounts]]
source = "content/en"
target = "content"
lang = "en"
"""


SHORTCODES = """\
---
title: Shortcodes
---

{{% alert title="Careful" color="warning" %}}
Back up **first**.
{{% /alert %}}

{{< details summary="More" >}}
Hidden *text*.
{{< /details >}}

{{< code-toggle >}}
[params]
x = 1
{{< /code-toggle >}}

{{< include "snippet.md" >}}

New {{< new-in 0.120 >}} and {{< vimeo 123456 >}}
"""


def hugo_site(root: Path) -> tuple[Path, dict[str, str]]:
    files = {
        "hugo.toml": HUGO_CONFIG,
        "content/en/blog/first.md": "---\ntitle: \"Hello, World: Part 1\"\ndate: 2024-01-05\n"
                                    "---\n\nSee [the trip photo](/2024/02/the-trip/photo.jpg).\n",
        "content/en/blog/second.md": "---\ntitle: Second\nslug: My-Second\ndate: 2024-01-09\n"
                                     "---\n\nTwo.\n\n![Chart](../../../images/chart.png)\n\n"
                                     "![Gone](/img/gone.png)\n",
        "content/en/blog/trip/index.md": "---\ntitle: The Trip\ndate: 2024-02-02\n---\n\n"
                                         "![Harbour](photo.jpg)\n",
        "content/en/docs/Getting-Started.md": "---\ntitle: Getting started\n---\n\nInstall.\n",
        "content/en/docs/_index.md": "---\ntitle: Documentation\n---\n\nRead the docs.\n",
        "content/en/docs/moved.md": "---\ntitle: Moved\nurl: /legacy/Moved.html\n---\n\nM.\n",
        "content/zh/blog/hello.md": "---\ntitle: 你好\ndate: 2024-03-03\n---\n\n世界。\n",
        "content/zh/_index.md": "---\ntitle: 中文文档\n---\n\n欢迎。\n",
        "content/en/_index.md": "---\ntitle: Home\n---\n\nWelcome.\n",
        "content/en/docs/shortcodes.md": SHORTCODES,
        "content/en/docs/snippet.md": "Included *text*.\n",
    }
    old = make_site(root, files)
    (old / "sitegen.toml").unlink()
    make_image(old / "content/en/blog/trip/photo.jpg", (640, 480))
    make_image(old / "static/images/chart.png", (320, 200))
    for path in old.rglob("*.md"):  # an old archive: its files were saved long ago
        os.utime(path, (1_600_000_000, 1_600_000_000))
    return old, {
        "/2024/01/hello-world-part-1/": "Hello, World: Part 1",
        "/2024/01/my-second/": "Second",
        "/2024/02/the-trip/": "The Trip",
        "/docs/getting-started/": "Getting started",
        "/legacy/Moved.html": "Moved",
        "/zh/2024/03/你好/": "你好",
        "/docs/shortcodes/": "Shortcodes",
        "/zh/": "Warta Impor (zh)",  # the language's home is its edition's
    }


# WordPress ---------------------------------------------------------------------------

WXR = """\
<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="https://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="https://wordpress.org/export/1.2/">
<channel>
<title>Blog</title><link>https://blog.example.com</link><language>en-US</language>
<wp:base_site_url>https://blog.example.com</wp:base_site_url>
<wp:base_blog_url>https://blog.example.com</wp:base_blog_url>
{items}
</channel></rss>
"""


def wp_item(post_id: int, title: str, name: str, link: str, content: str,
            extra: str = "") -> str:
    return f"""<item><title><![CDATA[{title}]]></title><link>{link}</link>
<dc:creator>ann</dc:creator><content:encoded><![CDATA[{content}]]></content:encoded>
<wp:post_id>{post_id}</wp:post_id><wp:post_date>2020-05-0{post_id} 10:00:00</wp:post_date>
<wp:post_date_gmt>2020-05-0{post_id} 08:00:00</wp:post_date_gmt>
<wp:post_name>{name}</wp:post_name><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>{extra}</item>"""


BLOCKS = """\
<!-- wp:embed {"url":"https://www.youtube.com/watch?v=dQw4w9WgXcQ","type":"video"} -->
<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">
https://www.youtube.com/watch?v=dQw4w9WgXcQ
</div><figcaption>The launch video</figcaption></figure>
<!-- /wp:embed -->

<!-- wp:table --><figure class="wp-block-table"><table><thead><tr><th>Day</th><th>Plan</th>
</tr></thead><tbody><tr><td>Monday</td><td>Build<br>Test</td></tr></tbody></table></figure>
<!-- /wp:table -->

[gallery ids="7,8"]

[audio mp3="https://blog.example.com/wp-content/uploads/talk.mp3"][/audio]
"""


def wordpress_export(root: Path) -> tuple[Path, dict[str, str]]:
    root.mkdir(parents=True)
    notes = '[{"content":"The <em>source</em>.","id":"fn-1"}]'
    items = [
        wp_item(1, "Japan", "%e6%97%a5%e6%9c%ac",
                "https://blog.example.com/2020/05/01/%e6%97%a5%e6%9c%ac/", "<p>Tokyo.</p>"),
        wp_item(2, "Footnoted", "footnoted", "https://blog.example.com/2020/05/02/footnoted/",
                '<p>A claim<sup data-fn="fn-1" class="fn"><a href="#fn-1">1</a></sup>.</p>',
                "<wp:postmeta><wp:meta_key>footnotes</wp:meta_key><wp:meta_value><![CDATA["
                f"{notes}]]></wp:meta_value></wp:postmeta>"),
        wp_item(3, "Secret", "secret", "https://blog.example.com/2020/05/03/secret/",
                "<p>Only for members.</p>", "<wp:post_password>hunter2</wp:post_password>"),
        wp_item(4, "Blocks", "blocks", "https://blog.example.com/2020/05/04/blocks/", BLOCKS),
        *(f"<item><title>p{n}</title><wp:post_id>{n}</wp:post_id><wp:post_type>attachment"
          f"</wp:post_type><wp:attachment_url>https://blog.example.com/wp-content/uploads/"
          f"p{n}.jpg</wp:attachment_url></item>" for n in (7, 8)),
    ]
    path = root / "export.xml"
    path.write_text(WXR.format(items="\n".join(items)), encoding="utf-8")
    return path, {"/2020/05/01/日本/": "Japan", "/2020/05/02/footnoted/": "Footnoted"}


# Checks ------------------------------------------------------------------------------

def landing(site: Path, url: str, hops: int = 3) -> str | None:
    """The title of the page an old URL shows in the built output, following redirect
    pages; None when nothing is there."""
    path = site / "output" / urllib.parse.unquote(url).lstrip("/")
    if url.endswith("/"):
        path = path / "index.html"
    if not path.is_file():
        return None
    soup = page(site, urllib.parse.unquote(url))
    refresh = soup.find("meta", attrs={"http-equiv": "refresh"})
    if refresh is not None and hops:
        return landing(site, refresh["content"].split("url=", 1)[1], hops - 1)
    heading = soup.find("h1")
    return heading.get_text(strip=True) if heading else None


def resolved(site: Path, old_urls: dict[str, str]) -> dict[str, str | None]:
    """Each old URL whose page is not its post, with what it shows instead."""
    return {url: found for url, title in old_urls.items()
            if (found := landing(site, url)) != title}


@pytest.fixture(scope="module")
def jekyll(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("jekyll")
    old, urls = jekyll_site(root / "old")
    import_and_build("jekyll", old, root / "new", keep_settings=False)
    return root / "new", urls


@pytest.fixture(scope="module")
def hugo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("hugo")
    old, urls = hugo_site(root / "old")
    import_and_build("hugo", old, root / "new", keep_settings=False)
    return root / "new", urls


@pytest.fixture(scope="module")
def wordpress(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("wordpress")
    export, urls = wordpress_export(root / "old")
    import_and_build("wordpress", export, root / "new", keep_settings=False)
    return root / "new", urls


def test_every_old_jekyll_url_leads_to_its_post(jekyll: tuple[Path, str]) -> None:
    site, urls = jekyll
    assert resolved(site, urls) == {}


def test_jekyll_links_and_relative_images_follow_the_move(jekyll: tuple[Path, str]) -> None:
    site, _ = jekyll
    rust = (site / "content/release/rust-1-0.md").read_text(encoding="utf-8")
    assert "![Logo](/images/logo.png)" in rust
    assert "[We are hiring](/berita/we-are-hiring/)" in rust
    assert "[a day](/berita/one-digit/)" in rust  # written with the old site's address
    assert (site / "content/static/images/logo.png").is_file()
    report = (site / "import-report.txt").read_text(encoding="utf-8")
    assert ("_posts/2014-09-15-Rust-1.0.md: /release/2014/09/15/Rust-1.0.html -> "
            "/release/rust-1-0/") in report
    # The page in the way of the section "news" was given another URL, and said so.
    assert "news/index.md:1: needs a person: page URL /news/ is the front page" in report


def test_every_old_hugo_url_leads_to_its_post(hugo: tuple[Path, str]) -> None:
    site, urls = hugo
    assert resolved(site, urls) == {}


def test_language_folders_are_editions_in_their_language(
        jekyll: tuple[Path, str], hugo: tuple[Path, str]) -> None:
    (jekyll_site, _), (hugo_site_, _) = jekyll, hugo
    assert 'language = "zh-CN"' in (jekyll_site / "sitegen.toml").read_text(encoding="utf-8")
    assert page(jekyll_site, "/zh_cn/").html["lang"] == "zh-CN"
    assert (jekyll_site / "content/zh-cn/berita/guan-yu.md").is_file()
    assert page(hugo_site_, "/zh/").html["lang"] == "zh"
    assert (hugo_site_ / "content/zh/blog/hello.md").is_file()


def test_hugo_bundle_files_and_links_to_them_follow(hugo: tuple[Path, str]) -> None:
    site, _ = hugo
    first = (site / "content/blog/first.md").read_text(encoding="utf-8")
    assert "(/images/blog/trip/photo.jpg)" in first
    assert (site / "content/static/images/blog/trip/photo.jpg").is_file()
    second = (site / "content/blog/my-second.md").read_text(encoding="utf-8")
    assert "![Chart](/images/chart.png)" in second  # resolved against the old URL
    assert (site / "content/static/images/chart.png").is_file()
    report = (site / "import-report.txt").read_text(encoding="utf-8")
    assert "content/en/blog/second.md:11: needs a person: /img/gone.png is used here but is " \
           "not in the old site" in report
    # The section's own page is kept, beside the section's front page.
    assert "Read the docs." in (site / "content/pages/docs-2.md").read_text(encoding="utf-8")


def test_every_old_wordpress_url_leads_to_its_post(wordpress: tuple[Path, str]) -> None:
    site, urls = wordpress
    assert resolved(site, urls) == {}


def test_wordpress_https_export_password_posts_and_footnotes(
        wordpress: tuple[Path, str]) -> None:
    site, _ = wordpress
    secret = (site / "content/berita/secret.md").read_text(encoding="utf-8")
    assert "draft: true" in secret
    assert not (site / "output/berita/secret").exists()
    report = (site / "import-report.txt").read_text(encoding="utf-8")
    assert "Secret: password-protected: imported as a draft, not published" in report
    body = page(site, "/berita/footnoted/").find("div", class_="story-body")
    assert body.find("sup") is not None
    assert "The source." in body.find(class_="footnote").get_text()


def test_hugo_and_docsy_shortcodes_are_converted_or_taken_out(
        hugo: tuple[Path, str]) -> None:
    site, _ = hugo
    assert template_code_outside_code(site) == []
    body = page(site, "/docs/shortcodes/").find("div", class_="story-body")
    alert = body.find("div", class_="markdown-alert-warning")
    assert alert.find("p", class_="markdown-alert-title").get_text() == "Careful"
    assert alert.find("strong").get_text() == "first"
    assert body.find("details").find("summary").get_text() == "More"
    assert body.find("details").find("em").get_text() == "text"
    assert body.find("pre").get_text() == "[params]\nx = 1\n"
    assert "Included" in body.get_text() and body.find("em", string="text") is not None
    assert body.find(class_="embed-play") is not None  # vimeo -> sitegen's embed
    report = (site / "import-report.txt").read_text(encoding="utf-8")
    assert "content/en/docs/shortcodes.md:20: needs a person: template code " \
           "'{{< new-in 0.120 >}}' (new-in)" in report
    assert "\nnew-in: 1\n" in report


def test_a_fresh_site_takes_the_old_sites_language_zone_and_address(
        jekyll: tuple[Path, str], wordpress: tuple[Path, str]) -> None:
    site, _ = jekyll
    settings = (site / "sitegen.toml").read_text(encoding="utf-8")
    assert 'language = "en"' in settings and 'timezone = "Europe/Berlin"' in settings
    assert 'base_url = "https://project.example.org/"' in settings
    late = page(site, "/berita/late-night/")
    assert late.html["lang"] == "en"
    # 23:30 at -05:00 is 05:30 in Berlin, the old site's zone, and is shown so.
    assert late.find("time")["datetime"] == "2020-01-01T05:30:00+01:00"
    report = (site / "import-report.txt").read_text(encoding="utf-8")
    assert "sitegen.toml: converted: site.timezone = 'Europe/Berlin' (was 'Asia/Jakarta')" \
        in report
    blog, _ = wordpress
    assert 'language = "en-US"' in (blog / "sitegen.toml").read_text(encoding="utf-8")
    assert page(blog, "/berita/footnoted/").html["lang"] == "en-US"


def test_unknown_template_code_can_leave_a_visible_placeholder(tmp_path: Path) -> None:
    old = make_site(tmp_path / "old", {
        "hugo.toml": 'baseURL = "https://x.example/"\n',
        "content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\n\n"
                              "Before {{< chart id=3 >}} after.\n\n"
                              "{{% note %}}Kept *text*.{{% /note %}}\n",
    })
    (old / "sitegen.toml").unlink()
    site = make_site(tmp_path / "new", {})
    result = sitegen("import", "hugo", str(old), "--source", str(site),
                     "--unknown-template", "placeholder")
    assert result.returncode == 0, result.stderr
    body = (site / "content/posts/a.md").read_text(encoding="utf-8")
    assert "Before [chart] after." in body and "[note] Kept *text*." in body
    assert "{{" not in body


def test_author_collections_become_profiles_used_by_bylines(jekyll: tuple[Path, str]) -> None:
    site, _ = jekyll
    assert not (site / "content/authors").exists()  # no articles made of the profiles
    settings = (site / "sitegen.toml").read_text(encoding="utf-8")
    assert '[authors.ann-lee]\nname = "Ann Lee"\nbio = "Ann runs the project."' in settings
    hiring = page(site, "/berita/we-are-hiring/")
    assert "Ann Lee" in hiring.find(class_="byline").get_text()
    assert "Ann runs the project." in page(site, "/penulis/ann-lee/").get_text()


def test_wordpress_embeds_tables_galleries_and_audio(wordpress: tuple[Path, str]) -> None:
    site, _ = wordpress
    body = page(site, "/berita/blocks/").find("div", class_="story-body")
    assert body.find(class_="embed-play") is not None  # !embed, sitegen's own player
    cells = body.find("table").find_all("td")
    assert [c.get_text("|") for c in cells] == ["Monday", "Build|Test"]
    assert cells[1].find("br") is not None
    text = (site / "content/berita/blocks.md").read_text(encoding="utf-8")
    assert "![p7](/wp-content/uploads/p7.jpg)\n![p8](/wp-content/uploads/p8.jpg)" in text
    assert "[🔊 talk.mp3](/wp-content/uploads/talk.mp3)" in text
    assert "[gallery" not in text and "[audio" not in text
