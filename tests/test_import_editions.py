"""Multilingual Jekyll and Hugo sites import into editions: each language's pages under
content/KEY/ (the site's own language at the root), `[editions.KEY]` in sitegen.toml
with the old site's per-language title, description and menu, translations linked by
`translation_key`, and every old per-language URL kept as an alias.

Sites are generated here, in the shapes real archives have: Hugo with `languages` and
a `contentDir` per language (TOML, three languages), Hugo with `post.fr.md` names,
`defaultContentLanguageInSubdir` and a split YAML config, JSON with a language folder
inside the shared content folder, jekyll-polyglot (three languages), Jekyll folders per
language, and jekyll-multiple-languages-plugin's `_i18n/`. Three of them are built with
the real CLI: every old URL leads (directly or by a redirect page) to its page, whose
`<html lang>` is its edition's, and so is every other page of each edition."""

from __future__ import annotations

import tomllib
import urllib.parse
from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup

from sitegen.config import load_config
from sitegen.importers.run import ImportOptions, run_import
from tests.conftest import make_site
from tests.imported import NEW_SITE, page, sitegen


def imported(kind: str, old: Path, site: Path, keep: bool = False) -> str:
    """Import into a fresh site (in process); returns the report's text."""
    make_site(site, {}, NEW_SITE)
    _, name = run_import(load_config(site), ImportOptions(kind, old, keep_settings=keep),
                              echo=lambda _: None)
    return (site / name).read_text(encoding="utf-8")


def front(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def settings(site: Path) -> dict[str, Any]:
    return tomllib.loads((site / "sitegen.toml").read_text(encoding="utf-8"))


# Hugo, a content folder per language ----------------------------------------------------

HUGO_DIRS = """\
baseURL = "https://news.example.org/"
title = "Daily"
defaultContentLanguage = "en"

[permalinks]
posts = "/:year/:month/:slug/"

[languages.en]
weight = 1
languageName = "English"
contentDir = "content/english"
[languages.en.params]
description = "News in English"

[languages.fr]
weight = 2
title = "Le Quotidien"
languageCode = "fr-FR"
contentDir = "content/french"
timeZone = "Europe/Paris"
[languages.fr.params]
description = "Les nouvelles"
[[languages.fr.menus.main]]
name = "Articles"
url = "/posts/"
weight = 2
[[languages.fr.menus.main]]
name = "Accueil"
url = "/"
weight = 1

[languages.de]
weight = 3
title = "Die Zeitung"
baseURL = "https://zeitung.example.de/"
contentDir = "content/german"
[languages.de.permalinks]
posts = "/artikel/:slug/"

[languages.ja]
weight = 4
disabled = true
contentDir = "content/japanese"
"""


def hugo_dirs(root: Path) -> Path:
    post = "---\ntitle: {title}\ndate: 2024-01-0{day}\n{extra}---\n\n{body}\n"
    old = make_site(root, {
        "hugo.toml": HUGO_DIRS,
        "content/english/posts/hello.md": post.format(
            title="Hello", day=5, extra="", body="See [the other](/2024/01/budget/)."),
        "content/english/posts/budget.md": post.format(
            title="Budget", day=6, extra="translationKey: budget-2024\n", body="Money."),
        "content/french/posts/hello.md": post.format(
            title="Bonjour", day=5, extra="", body="Voir [le budget](/fr/2024/01/le-budget/)."),
        "content/french/posts/le-budget.md": post.format(
            title="Le budget", day=6, extra="translationKey: budget-2024\n", body="Argent."),
        "content/german/posts/hallo.md": post.format(
            title="Hallo", day=7, extra="lang: de\n", body="Deutsch."),
        "content/german/_index.md": "---\ntitle: Start\n---\n\nWillkommen.\n",
        "content/french/posts/_index.md": "---\ntitle: Articles\n---\n\nTous.\n",
        "content/german/about.md": "---\ntitle: Über uns\n---\n\nWir.\n",
        "content/german/posts/_index.md": "---\ntitle: Artikel\n---\n",
        "content/japanese/posts/konnichiwa.md": post.format(
            title="こんにちは", day=8, extra="", body="日本語。"),
    })
    (old / "sitegen.toml").unlink()
    return old


def test_hugo_languages_with_content_folders_become_editions(tmp_path: Path) -> None:
    site = tmp_path / "new"
    report = imported("hugo", hugo_dirs(tmp_path / "old"), site)
    config = settings(site)
    assert config["site"]["language"] == "en"  # the default language stays at the root
    assert config["editions"]["fr"] == {
        "language": "fr-FR", "title": "Le Quotidien", "path": "fr",
        "description": "Les nouvelles", "timezone": "Europe/Paris",
        "sections": {"posts": {"title": "Articles"}},  # content/french/posts/_index.md
        "menu": [{"name": "Accueil", "url": "/fr/"}, {"name": "Articles", "url": "/fr/posts/"}]}
    assert config["editions"]["de"] == {"language": "de", "title": "Die Zeitung", "path": "de",
                                        "base_url": "https://zeitung.example.de/",
                                        "sections": {"posts": {"title": "Artikel"}}}
    assert "ja" not in config["editions"]  # disabled: Hugo published nothing of it
    assert "content/japanese/posts/konnichiwa.md: not imported: language 'ja' is disabled" \
        in report
    assert "translationKey" not in report  # not a key without equivalent: it was used
    hello = front(site / "content/posts/hello.md")
    assert hello["aliases"] == ["/2024/01/hello/"] and "lang" not in hello
    bonjour = front(site / "content/fr/posts/hello.md")
    assert bonjour["title"] == "Bonjour" and "lang" not in bonjour
    assert bonjour["aliases"] == ["/fr/2024/01/bonjour/"]  # Hugo's :slug is the title's
    # Translations: by the same path, and by translationKey (other file names).
    assert bonjour["translation_key"] == hello["translation_key"] == "posts/hello"
    budget = front(site / "content/posts/budget.md")
    assert budget["translation_key"] == "budget-2024"
    assert front(site / "content/fr/posts/le-budget.md")["translation_key"] == "budget-2024"
    hallo = front(site / "content/de/posts/hallo.md")
    assert "translation_key" not in hallo and "lang" not in hallo
    assert hallo["aliases"] == ["/de/artikel/hallo/"]  # the language's own permalinks
    assert "aliases" not in front(site / "content/de/pages/about.md")  # /de/about/ as before
    # A link to a translation's old URL goes to its new URL, in its edition.
    body = (site / "content/fr/posts/hello.md").read_text(encoding="utf-8")
    assert "[le budget](/fr/posts/le-budget/)" in body
    assert "[the other](/posts/budget/)" in (site / "content/posts/hello.md").read_text(
        encoding="utf-8")
    assert not (site / "content/de/pages/start.md").exists()  # the edition makes its home
    # A section's own page in an edition is out of the way of that edition's section front.
    assert "page URL /fr/posts/ is the front page of a section" in report
    assert front(site / "content/fr/pages/posts-2.md")["title"] == "Articles"
    assert "sitegen.toml: converted: [editions.fr] added: the old site's 3 'fr' pages, at " \
        "/fr/" in report
    assert "the old site's 2 'en' pages are the site's own edition ([site])" in report


def test_into_a_site_of_another_language_every_old_language_is_an_edition(
        tmp_path: Path) -> None:
    # An English and French archive into an Indonesian site that keeps its settings.
    site = tmp_path / "new"
    report = imported("hugo", hugo_dirs(tmp_path / "old"), site, keep=True)
    config = settings(site)
    assert config["site"]["language"] == "id"
    assert set(config["editions"]) == {"en", "fr", "de"}
    assert front(site / "content/en/posts/hello.md")["aliases"] == ["/2024/01/hello/"]
    assert "no language of the old site is the site's own ('id')" in report


def test_importing_again_writes_no_edition_or_file_twice(tmp_path: Path) -> None:
    old, site = hugo_dirs(tmp_path / "old"), tmp_path / "new"
    imported("hugo", old, site)
    first = (site / "sitegen.toml").read_text(encoding="utf-8")
    # The first import's own "-2" files (a page out of a section front's way) stay as they are.
    renamed = set(site.glob("content/**/*-2.md"))
    _, name = run_import(load_config(site), ImportOptions("hugo", old), echo=lambda _: None)
    again = (site / name).read_text(encoding="utf-8")
    assert "files written: 0" in again
    assert "[editions.fr] is in sitegen.toml already and was kept" in again
    assert (site / "sitegen.toml").read_text(encoding="utf-8") == first
    assert set(site.glob("content/**/*-2.md")) == renamed


# Hugo, translations by file name, the default language in its own folder ----------------

HUGO_SUFFIX_CONFIG = """\
baseURL: https://suffix.example.org/
title: Suffixed
defaultContentLanguage: id
defaultContentLanguageInSubdir: true
"""

HUGO_SUFFIX_LANGUAGES = """\
id:
  languageName: Bahasa Indonesia
  weight: 1
en:
  languageName: English
  title: Suffixed (English)
  weight: 2
"""


def hugo_suffix(root: Path) -> Path:
    old = make_site(root, {
        "config/_default/hugo.yaml": HUGO_SUFFIX_CONFIG,
        "config/_default/languages.yaml": HUGO_SUFFIX_LANGUAGES,
        "config/_default/menus.en.yaml": "main:\n  - name: News\n    url: /berita/\n",
        "content/berita/banjir.md": "---\ntitle: Banjir\ndate: 2024-02-01\n---\n\nAir. "
                                    '[Gempa]({{< ref "berita/gempa/index.md" >}})\n',
        "content/berita/banjir.en.md": "---\ntitle: Flood\ndate: 2024-02-01\n---\n\nWater. "
                                       '[Quake]({{< relref "berita/gempa" >}})\n',
        "content/berita/gempa/index.md": "---\ntitle: Gempa\ndate: 2024-02-02\n---\n\nGoyang.\n",
        "content/berita/gempa/index.en.md": "---\ntitle: Quake\ndate: 2024-02-02\n---\n\n"
                                            "Shake.\n",
        "content/_index.en.md": "---\ntitle: Home\n---\n\nHi.\n",
    })
    (old / "sitegen.toml").unlink()
    return old


def test_hugo_translations_by_file_name_and_the_default_language_in_a_subfolder(
        tmp_path: Path) -> None:
    site = tmp_path / "new"
    report = imported("hugo", hugo_suffix(tmp_path / "old"), site, keep=True)
    config = settings(site)
    assert config["site"]["language"] == "id"
    assert config["editions"] == {"en": {"language": "en", "title": "Suffixed (English)",
                                         "path": "en",  # menus.en.yaml is English's menu
                                         "menu": [{"name": "News", "url": "/en/berita/"}]}}
    banjir = front(site / "content/berita/banjir.md")
    flood = front(site / "content/en/berita/banjir.md")
    # defaultContentLanguageInSubdir: the Indonesian pages were under /id/.
    assert banjir["aliases"] == ["/id/berita/banjir/"]
    assert "aliases" not in flood  # /en/berita/banjir/, as before
    assert banjir["translation_key"] == flood["translation_key"] == "berita/banjir"
    # ref/relref lead to the page in the language of the page they are on.
    assert "[Gempa](/berita/gempa/)" in (site / "content/berita/banjir.md").read_text(
        encoding="utf-8")
    assert "[Quake](/en/berita/gempa/)" in (site / "content/en/berita/banjir.md").read_text(
        encoding="utf-8")
    quake = front(site / "content/en/berita/gempa.md")
    assert quake["title"] == "Quake" and quake["translation_key"] == "berita/gempa"
    assert "content/_index.en.md: not imported: the home page (_index)" in report


def test_hugo_json_config_a_language_folder_inside_the_shared_content_folder(
        tmp_path: Path) -> None:
    # English reads content/ (no contentDir of its own); French content/fr/, inside it.
    config = ('{"baseURL": "https://j.example.org/", "title": "J", "languages": {'
              '"en": {"weight": 1}, "fr": {"weight": 2, "contentDir": "content/fr"}}}')
    old = make_site(tmp_path / "old", {
        "hugo.json": config,
        "content/news/rain.md": "---\ntitle: Rain\ndate: 2024-03-01\n---\n\nWet.\n",
        "content/fr/news/rain.md": "---\ntitle: Pluie\ndate: 2024-03-01\n---\n\nMouillé.\n",
    })
    (old / "sitegen.toml").unlink()
    site = tmp_path / "new"
    imported("hugo", old, site)
    assert front(site / "content/news/rain.md")["title"] == "Rain"
    pluie = front(site / "content/fr/news/rain.md")
    assert pluie["title"] == "Pluie" and pluie["translation_key"] == "news/rain"
    assert not (site / "content/fr/news/rain-2.md").exists()  # read once, as French
    assert settings(site)["editions"]["fr"]["path"] == "fr"


# Jekyll, polyglot ------------------------------------------------------------------------

POLYGLOT = """\
title: Polyglot News
url: https://poly.example.org
permalink: /:year/:month/:day/:title/
languages: ["en", "es", "pt-BR"]
default_lang: "en"
exclude_from_localization: ["assets"]
"""


def polyglot(root: Path) -> Path:
    old = make_site(root, {
        "_config.yml": POLYGLOT,
        "_posts/2020-01-01-hello.md": "---\ntitle: Hello\n---\n\nHi.\n",
        "_posts/es/2020-01-01-hello.md": "---\ntitle: Hola\nlang: es\n---\n\nHola. "
                                         "[Nosotros](/about/), [Rain](/2020/02/02/rain/).\n",
        "_posts/es/2020-03-03-sol.md": "---\ntitle: Sol\nlang: es\n---\n\n"
                                       "[Hola]({% post_url 2020-01-01-hello %})\n",
        "_posts/2020-03-03-sun.md": "---\ntitle: Sun\n---\n\n"
                                    "[Hello]({% post_url 2020-01-01-hello %})\n",
        "_posts/pt-BR/2020-01-01-hello.md": "---\ntitle: Olá\nlang: pt-BR\n---\n\nOi.\n",
        "_posts/2020-02-02-rain.md": "---\ntitle: Rain\nlang_ref: rain\n---\n\nWet.\n",
        "_posts/es/2020-02-02-lluvia.md": "---\ntitle: Lluvia\nlang: es\nlang_ref: rain\n"
                                          "---\n\nMojado.\n",
        "about.md": "---\ntitle: About\npermalink: /about/\n---\n\nUs.\n",
        "es/about.md": "---\ntitle: Sobre\nlang: es\npermalink: /about/\n---\n\nNosotros.\n",
    })
    (old / "sitegen.toml").unlink()
    return old


def test_jekyll_polyglot_languages_become_editions(tmp_path: Path) -> None:
    site = tmp_path / "new"
    imported("jekyll", polyglot(tmp_path / "old"), site)
    config = settings(site)
    assert config["site"]["language"] == "en"
    assert config["editions"]["es"] == {"language": "es", "title": "Warta Impor (es)",
                                        "path": "es"}
    # The old prefix is kept as the edition's path, so its URLs stay what they were.
    assert config["editions"]["pt-br"]["path"] == "pt-BR"
    assert config["editions"]["pt-br"]["language"] == "pt-BR"
    hello = front(site / "content/berita/hello.md")
    hola = front(site / "content/es/berita/hello.md")
    ola = front(site / "content/pt-br/berita/hello.md")
    assert hello["aliases"] == ["/2020/01/01/hello/"]
    assert hola["aliases"] == ["/es/2020/01/01/hello/"]
    assert ola["aliases"] == ["/pt-BR/2020/01/01/hello/"]
    assert "lang" not in hola and "lang" not in ola
    # polyglot made `/about/` in a Spanish page `/es/about/`: the Spanish page, where
    # there is one; the old URL of an untranslated page is its fallback's (`/es/...`).
    body = (site / "content/es/berita/hello.md").read_text(encoding="utf-8")
    assert "[Nosotros](/es/about/), [Rain](/es/berita/lluvia/)" in body
    # post_url names a file; on a Spanish page, the Spanish post of that name.
    assert "[Hola](/es/berita/hello/)" in (site / "content/es/berita/sol.md").read_text(
        encoding="utf-8")
    assert "[Hello](/berita/hello/)" in (site / "content/berita/sun.md").read_text(
        encoding="utf-8")
    assert hello["translation_key"] == hola["translation_key"] == ola["translation_key"]
    lluvia, rain = front(site / "content/es/berita/lluvia.md"), front(
        site / "content/berita/rain.md")
    assert lluvia["translation_key"] == rain["translation_key"] == "rain"
    # polyglot's fallback: a language without a document at a URL showed the default
    # language's there; that URL leads to the translation if known, else to the original.
    assert lluvia["aliases"] == ["/es/2020/02/02/lluvia/", "/es/2020/02/02/rain/"]
    assert rain["aliases"] == ["/2020/02/02/rain/", "/pt-BR/2020/02/02/rain/"]
    about, sobre = front(site / "content/pages/about.md"), front(
        site / "content/es/pages/about.md")
    assert sobre["title"] == "Sobre" and "aliases" not in sobre  # /es/about/, as before
    assert about["translation_key"] == sobre["translation_key"]  # the same permalink
    assert about["aliases"] == ["/pt-BR/about/"]


# Jekyll, a folder per language and the multiple-languages plugin ---------------------------

def test_jekyll_language_folders_become_editions(tmp_path: Path) -> None:
    old = make_site(tmp_path / "old", {
        "_config.yml": "title: Folders\nlang: en\n",
        "_posts/2021-03-03-news.md": "---\ntitle: News\n---\n\nEnglish.\n",
        "zh_cn/_posts/2021-03-03-xinwen.md": "---\ntitle: 新闻\nref: news\n---\n\n中文。\n",
        "zh_cn/index.md": "---\ntitle: 首页\n---\n\n欢迎。\n",
        "it/_posts/2021-03-04-laptops.md": "---\ntitle: Laptops\n---\n\nA category.\n",
    })
    (old / "sitegen.toml").unlink()
    site = tmp_path / "new"
    report = imported("jekyll", old, site)
    config = settings(site)
    assert config["editions"] == {"zh-cn": {"language": "zh-CN", "title": "Warta Impor (zh-CN)",
                                            "path": "zh_cn"}}
    xinwen = front(site / "content/zh-cn/berita/xinwen.md")
    assert xinwen["aliases"] == ["/zh_cn/2021/03/03/xinwen.html"]
    assert "translation_key" not in xinwen  # `ref: news` is alone in its group
    # `it/` holds posts but no home and has no region: a category, as Jekyll read it.
    assert (site / "content/it/laptops.md").is_file()
    assert "zh_cn/index.md: not imported: the home page of a language" in report


def test_jekyll_two_plain_language_folders_under_posts_are_editions(tmp_path: Path) -> None:
    old = make_site(tmp_path / "old", {
        "_config.yml": "title: Plain\nlang: de\npermalink: /:year/:title/\n",
        "_posts/de/2021-04-04-wahl.md": "---\ntitle: Wahl\n---\n\nDeutsch.\n",
        "_posts/fr/2021-04-04-election.md": "---\ntitle: Élection\n---\n\nFrançais.\n",
    })
    (old / "sitegen.toml").unlink()
    site = tmp_path / "new"
    imported("jekyll", old, site)
    config = settings(site)
    assert config["site"]["language"] == "de" and set(config["editions"]) == {"fr"}
    assert front(site / "content/berita/wahl.md")["aliases"] == ["/2021/wahl/"]
    # Jekyll gave a post under _posts/fr/ no category: its URL had no /fr/.
    assert front(site / "content/fr/berita/election.md")["aliases"] == ["/2021/election/"]


def test_jekyll_multiple_languages_plugin_is_detected_with_a_note(tmp_path: Path) -> None:
    old = make_site(tmp_path / "old", {
        "_config.yml": "title: Plugin\nlanguages: [de, en]\n",
        "_i18n/de.yml": "titles:\n  home: Start\n",
        "_i18n/en.yml": "titles:\n  home: Home\n",
        "_i18n/en/_posts/2022-05-05-launch.md": "---\ntitle: Launch\n---\n\nGo.\n",
        "_posts/2022-05-05-start.md": "---\ntitle: Start\n---\n\nLos.\n",
        "index.md": "---\n---\n{% t titles.home %}\n",
    })
    (old / "sitegen.toml").unlink()
    site = tmp_path / "new"
    report = imported("jekyll", old, site)
    assert settings(site)["site"]["language"] == "de"  # the plugin's first language
    assert settings(site)["editions"]["en"]["path"] == "en"
    assert front(site / "content/en/berita/launch.md")["aliases"] == ["/en/2022/05/05/launch.html"]
    # The plugin built every post once per language: /en/ showed the German one too.
    assert front(site / "content/berita/start.md")["aliases"] == [
        "/2022/05/05/start.html", "/en/2022/05/05/start.html"]
    assert ("_i18n: needs a person: jekyll-multiple-languages-plugin: the interface "
            "strings") in report


# Built: every old URL of every language leads to its page, in its edition's language ------

def built(kind: str, old: Path, site: Path) -> None:
    make_site(site, {}, NEW_SITE)
    for args in (("import", kind, str(old)), ("build", "--now", "2026-11-28T12:00+07:00")):
        done = sitegen(*args, "--source", str(site))
        assert done.returncode == 0, done.stdout + done.stderr


def arrived(site: Path, url: str, own_domain: str = "") -> tuple[str, str] | None:
    """(h1, <html lang>) of the page an old URL leads to, following redirect pages; the
    output folder `own_domain` (`/de`) is served at the root of its own domain."""
    for _ in range(3):
        path = site / "output" / urllib.parse.unquote(url).lstrip("/")
        path = path / "index.html" if url.endswith("/") else path
        if not path.is_file():
            return None
        soup = page(site, urllib.parse.unquote(url))
        refresh = soup.find("meta", attrs={"http-equiv": "refresh"})
        if refresh is None:
            heading = soup.find("h1")
            return (heading.get_text(strip=True) if heading else "", str(soup.html["lang"]))
        url = refresh["content"].split("url=", 1)[1]
        if own_domain and path.is_relative_to(site / "output" / own_domain.lstrip("/")):
            url = own_domain + url
    return None


def test_built_hugo_editions_keep_every_old_url_in_its_language(tmp_path: Path) -> None:
    site = tmp_path / "new"
    built("hugo", hugo_dirs(tmp_path / "old"), site)
    old_urls = {
        "/2024/01/hello/": ("Hello", "en"), "/2024/01/budget/": ("Budget", "en"),
        "/fr/2024/01/bonjour/": ("Bonjour", "fr-FR"),
        "/fr/2024/01/le-budget/": ("Le budget", "fr-FR"),
        "/de/artikel/hallo/": ("Hallo", "de"), "/de/about/": ("Über uns", "de"),
        # Each edition's home is where the old language's home was, in its language.
        "/de/": ("Die Zeitung", "de"), "/fr/": ("Le Quotidien", "fr-FR"),
        # A section's front, named as the language's _index.md named it.
        "/fr/posts/": ("Articles", "fr-FR"), "/de/posts/": ("Artikel", "de"),
    }
    assert {url: arrived(site, url, "/de") for url in old_urls} == old_urls
    # Translations are linked: the French budget story names its English original.
    budget = page(site, "/fr/posts/le-budget/")
    assert budget.find("link", attrs={"hreflang": "en", "rel": "alternate"})["href"] \
        .endswith("/posts/budget/")
    assert other_languages(site, {"fr": "fr-FR", "de": "de"}, "en") == []


def other_languages(site: Path, editions: dict[str, str], default: str) -> list[str]:
    """Pages whose <html lang> is not their edition's (its output folder's); a redirect
    page (polyglot's fallback URLs under /pt-BR/ lead to English pages) is not one."""
    wrong = []
    for path in sorted((site / "output").rglob("*.html")):
        relative = path.relative_to(site / "output")
        want = editions.get(relative.parts[0], default)
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        refresh = soup.find("meta", attrs={"http-equiv": "refresh"})
        if soup.html is not None and refresh is None and soup.html.get("lang") != want:
            wrong.append(f"{relative}: {soup.html.get('lang')}")
    return wrong


def test_built_hugo_suffix_editions_redirect_the_default_languages_subfolder(
        tmp_path: Path) -> None:
    site = tmp_path / "new"
    built("hugo", hugo_suffix(tmp_path / "old"), site)
    old_urls = {"/id/berita/banjir/": ("Banjir", "id"), "/en/berita/banjir/": ("Flood", "en"),
                "/id/berita/gempa/": ("Gempa", "id"), "/en/berita/gempa/": ("Quake", "en")}
    assert {url: arrived(site, url) for url in old_urls} == old_urls


def test_built_polyglot_editions_keep_every_old_url_in_its_language(tmp_path: Path) -> None:
    site = tmp_path / "new"
    built("jekyll", polyglot(tmp_path / "old"), site)
    old_urls = {
        "/2020/01/01/hello/": ("Hello", "en"), "/es/2020/01/01/hello/": ("Hola", "es"),
        "/pt-BR/2020/01/01/hello/": ("Olá", "pt-BR"), "/es/2020/02/02/lluvia/": ("Lluvia", "es"),
        "/about/": ("About", "en"), "/es/about/": ("Sobre", "es"),
        "/pt-BR/about/": ("About", "en"), "/es/2020/02/02/rain/": ("Lluvia", "es"),
    }
    assert {url: arrived(site, url) for url in old_urls} == old_urls
    assert other_languages(site, {"es": "es", "pt-BR": "pt-BR"}, "en") == []
