"""What real archives' articles use is accepted at build time: a date in the file
name, an empty `tags:`, an article's own `lang`, fenced code inside list items,
and a warning (with file and line) when template code of another generator
would reach readers. Also `[content] ignore_keys`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sitegen.errors import SitegenError
from tests.conftest import BASIC_CONFIG, article, build_site, make_site
from tests.test_html_validation import vnu_command


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / "output" / path).read_text(encoding="utf-8"), "html.parser")


def test_a_dated_file_name_gives_the_date_and_leaves_the_slug(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {
        "content/teknologi/2015-05-15-rust-1-0.md": "---\ntitle: Rust 1.0\n---\n\nRilis.\n",
        # A date in front matter wins over the name; the prefix still leaves the slug.
        "content/teknologi/2016-01-02-kabar.md": article("Kabar", date="2016-03-04 10:00"),
        # Not a real day: the name is kept whole, and the date is required.
        "content/teknologi/2015-13-45-x.md": article("X", date="2015-01-01"),
    })
    build_site(site)
    rust = page(site, "teknologi/rust-1-0/index.html")
    assert rust.find("time")["datetime"] == "2015-05-15T00:00:00+07:00"
    assert page(site, "teknologi/kabar/index.html").find("time")["datetime"].startswith(
        "2016-03-04T10:00")
    assert (site / "output/teknologi/2015-13-45-x/index.html").is_file()


def test_a_file_without_date_or_dated_name_is_still_an_error(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/a/tanpa.md": "---\ntitle: T\n---\n"})
    with pytest.raises(SitegenError, match="missing date"):
        build_site(site)


def test_empty_keys_are_as_if_absent(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {
        "content/a/kosong.md":
            "---\ntitle: Kosong\ndate: 2026-11-20\ntags:\nsummary:\n---\n\nIsi.\n",
    })
    report = build_site(site)
    assert report.warnings == []
    assert not (site / "output/tag").exists()


def test_an_article_in_japanese_on_an_indonesian_site(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {
        "content/dunia/tokyo.md": article("東京の朝", date="2026-11-20 09:00", lang="ja",
                                          body="東京は晴れです。"),
        "content/dunia/jakarta.md": article("Pagi di Jakarta", date="2026-11-20 08:00"),
    })
    build_site(site)
    tokyo = page(site, "dunia/tokyo/index.html")
    assert tokyo.html["lang"] == "ja"
    assert tokyo.find("time").text == "2026年11月20日金曜日 09:00 UTC+7"
    data = json.loads(tokyo.find("script", type="application/ld+json").string)
    graph = data.get("@graph", [data])
    assert any(item.get("inLanguage") == "ja" for item in graph)
    jakarta = page(site, "dunia/jakarta/index.html")
    assert jakarta.html["lang"] == "id"
    assert jakarta.find("time").text == "Jumat, 20 November 2026 08.00 WIB"
    # Pagefind splits its index by <html lang>: the article is indexed as Japanese.
    index = site / "output" / "pagefind"
    assert any(p.name.startswith("pagefind.ja") for p in index.iterdir())


def test_an_unknown_language_is_a_problem_of_its_file(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/a/x.md": article("X", lang="bahasa planet")})
    with pytest.raises(SitegenError, match=r"content/a/x\.md:4: lang 'bahasa planet' is not a "
                       "language code"):
        build_site(site)


LIST_WITH_CODE = """\
Pasang dulu:

1. Unduh paket:

    ```bash
    pip install sitegen
    ```

2. Jalankan:

    ```python
    print("halo")
    ```
"""


@pytest.mark.slow
def test_fenced_code_inside_list_items_stays_code_and_valid(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/a/kode.md": article("Kode", body=LIST_WITH_CODE)})
    build_site(site)
    body = page(site, "a/kode/index.html")
    items = body.find("div", class_="story-body").find("ol").find_all("li", recursive=False)
    assert [li.find("pre").get_text() for li in items] == ["pip install sitegen\n",
                                                           'print("halo")\n']
    result = subprocess.run([*vnu_command(), "--errors-only", "--format", "json",
                             str(site / "output/a/kode/index.html")],
                            capture_output=True, text=True, timeout=300)
    assert json.loads(result.stderr or '{"messages": []}')["messages"] == []


def test_template_code_shown_to_readers_is_a_warning_with_its_line(tmp_path: Path) -> None:
    body = ("Paragraf.\n\n{% include promo.html %}\n\nLihat {{ site.url }} dan `{{ ok }}`.\n\n"
            "{{< youtube abc >}}\n\n```liquid\n{% raw %}ini kode{% endraw %}\n```\n")
    site = make_site(tmp_path / "s", {"content/a/liquid.md": article("Liquid", body=body)})
    report = build_site(site)
    shown = [(p.path, p.line, p.message.split("'")[1]) for p in report.warnings]
    # Lines 1-4 are the front matter, 5 is blank, 6 is "Paragraf.".
    assert shown == [("content/a/liquid.md", 8, "{%"), ("content/a/liquid.md", 10, "{{"),
                     ("content/a/liquid.md", 12, "{{<")]


def test_template_code_inside_code_only_is_no_warning(tmp_path: Path) -> None:
    body = "Kode `{{ x }}`:\n\n```\n{% for a in b %}\n```\n\n    {{ indented }}\n"
    site = make_site(tmp_path / "s", {"content/a/kode.md": article("Kode", body=body)})
    assert build_site(site).warnings == []


def test_ignore_keys_silences_the_keys_a_site_does_not_use(tmp_path: Path) -> None:
    config = BASIC_CONFIG + '\n[content]\nignore_keys = ["layout", "translator"]\n'
    site = make_site(tmp_path / "s", {
        "content/a/x.md": article("X", layout="post", translator="Ani", comments=True),
    }, config)
    messages = [p.message for p in build_site(site).warnings]
    assert len(messages) == 1 and "'comments'" in messages[0]


def test_ignore_keys_must_be_a_list_of_text(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {}, BASIC_CONFIG + '\n[content]\nignore_keys = "layout"\n')
    with pytest.raises(SitegenError, match=r"content\.ignore_keys must be a list of text"):
        build_site(site)


def test_a_language_with_a_region_as_html_writes_it(tmp_path: Path) -> None:
    site = make_site(tmp_path / "s", {"content/dunia/rio.md": article(
        "Chuva no Rio", date="2026-11-20 09:00", lang="pt-BR")})
    build_site(site)
    rio = page(site, "dunia/rio/index.html")
    assert rio.html["lang"] == "pt-BR"
    assert rio.find("time").text.startswith("sexta-feira, 20 novembro 2026 09:00")
