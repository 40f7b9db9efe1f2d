"""How many old URLs still lead to their post after `sitegen import` and a build.

Writes generated Jekyll and Hugo archives and a WordPress export with the
URL quirks real ones have (titles in mixed case with dots, `!`, `'`, `+`,
parentheses and non-Latin letters, one-digit days, categories and language
folders, pretty and date permalinks, Hugo's title fallback for `:slug`,
module mounts, a second language, percent-encoded WordPress links), imports
each into a fresh site, builds it, and follows every old URL in the output
(the file itself, or the redirect page at that path) to see whether it ends
on the page with the post's title.

    python benchmarks/import_urls.py --posts 200
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

from bs4 import BeautifulSoup

from sitegen.importers import permalinks

WORDS = ["Rust", "release", "1.0", "We", "Are", "Hiring!", "C++", "it's", "(beta)", "Ünïcode",
         "東京", "news", "v2.3", "Q&A", "GraphQL", "self-hosted", "ÀÉ", "über", "x_y", "Año"]
SITE = '[site]\ntitle = "Measure"\nbase_url = "https://example.org/"\n[build]\nsearch = false\n'


def title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 5)))


def jekyll(root: Path, count: int, rng: random.Random) -> dict[str, str]:
    (root / "_config.yml").write_text("permalink: pretty\ntimezone: UTC\n", encoding="utf-8")
    expected = {}
    for number in range(count):
        name = title(rng)
        stem = name.replace(" ", "-").replace("/", "-")
        year, month, day = 2010 + number % 12, rng.randint(1, 12), rng.randint(1, 28)
        folder = rng.choice(["", "zh_cn/", "News/", ""])
        categories = rng.choice(["", "Release", "Release Notes", ""])
        path = root / f"{folder}_posts/{year}-{month}-{day}-{stem}-{number}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        shown = f"Post {number}: {name}"
        path.write_text(f"---\ntitle: {shown!r}\ncategories: {categories!r}\n---\n\nBody.\n",
                        encoding="utf-8")
        cats = permalinks.jekyll_categories({"categories": categories},
                                            [folder.strip("/")] if folder else [])
        url = permalinks.jekyll_url(permalinks.jekyll_style("pretty"), categories=cats,
                                    slug=f"{stem}-{number}", name=path.stem,
                                    date=dt.datetime(year, month, day))
        expected[url] = shown
    return expected


def hugo(root: Path, count: int, rng: random.Random) -> dict[str, str]:
    (root / "hugo.toml").write_text(
        'baseURL = "https://x.example/"\ndefaultContentLanguage = "en"\n'
        '[permalinks]\nposts = "/:year/:month/:slug/"\n'
        '[languages.en]\nweight = 1\n[languages.de]\nweight = 2\ncontentDir = "content/de"\n'
        '[[module.mounts]]\nsource = "content/en"\ntarget = "content"\nlang = "en"\n',
        encoding="utf-8")
    expected = {}
    for number in range(count):
        name = f"{title(rng)} {number}"
        language = rng.choice(["en", "en", "de"])
        section = rng.choice(["posts", "docs"])
        slug = rng.choice(["", f"Slug-{number}"])
        folder = root / "content" / language / section
        folder.mkdir(parents=True, exist_ok=True)
        front = f"title: {name!r}\ndate: 2024-0{1 + number % 9}-1{number % 9}\n"
        if slug:
            front += f"slug: {slug}\n"
        (folder / f"file-{number}.md").write_text(f"---\n{front}---\n\nBody.\n",
                                                  encoding="utf-8")
        prefix = "/de" if language == "de" else ""
        if section == "posts":
            values = permalinks.hugo_values(
                title=name, slug=slug, filename=f"file-{number}", sections=[section],
                date=dt.datetime(2024, 1 + number % 9, 10 + number % 9))
            url = permalinks.hugo_expand("/:year/:month/:slug/", values)
        else:
            url = permalinks.hugo_default_url([section], f"file-{number}", slug, False)
        expected[prefix + url] = name
    return expected


def wordpress(root: Path, count: int, rng: random.Random) -> dict[str, str]:
    items, expected = [], {}
    for number in range(count):
        name = f"{title(rng)} {number}"
        slug = urllib.parse.quote(name.lower().replace(" ", "-"), safe="-").lower()
        link = f"https://blog.example.com/2020/05/{slug}/"
        items.append(f"<item><title><![CDATA[{name}]]></title><link>{link}</link>"
                     "<content:encoded><![CDATA[<p>Body.</p>]]></content:encoded>"
                     f"<wp:post_id>{number + 1}</wp:post_id>"
                     "<wp:post_date>2020-05-01 10:00:00</wp:post_date>"
                     f"<wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status>"
                     "<wp:post_type>post</wp:post_type></item>")
        expected[urllib.parse.unquote(f"/2020/05/{slug}/")] = name
    (root / "export.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wp="https://wordpress.org/export/1.2/"><channel>'
        "<link>https://blog.example.com</link>" + "".join(items) + "</channel></rss>",
        encoding="utf-8")
    return expected


def landing(output: Path, url: str, hops: int = 3) -> str | None:
    path = output / url.lstrip("/")
    path = path / "index.html" if url.endswith("/") else path
    if not path.is_file():
        return None
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    refresh = soup.find("meta", attrs={"http-equiv": "refresh"})
    if refresh is not None and hops:
        return landing(output, urllib.parse.unquote(refresh["content"].split("url=", 1)[1]),
                       hops - 1)
    heading = soup.find("h1")
    return heading.get_text(strip=True) if heading else None


def sitegen(*args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, "-m", "sitegen", *args], capture_output=True,
                          text=True, env=env)
    if done.returncode:
        raise SystemExit(done.stdout + done.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--seed", type=int, default=22)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for kind, make in (("jekyll", jekyll), ("hugo", hugo), ("wordpress", wordpress)):
            old, site = Path(folder) / kind / "old", Path(folder) / kind / "new"
            old.mkdir(parents=True)
            site.mkdir(parents=True)
            (site / "sitegen.toml").write_text(SITE, encoding="utf-8")
            expected = make(old, arguments.posts, random.Random(arguments.seed))
            source = str(old / "export.xml") if kind == "wordpress" else str(old)
            sitegen("import", kind, source, "--source", str(site), "--keep-settings")
            sitegen("build", "--source", str(site), "--keep-going", "--future")
            lost = {u: t for u, t in expected.items() if landing(site / "output", u) != t}
            share = 100 * (len(expected) - len(lost)) / len(expected)
            print(f"{kind}: {len(expected) - len(lost)} of {len(expected)} old URLs lead to "
                  f"their post ({share:.1f} %)")
            for url, name in list(lost.items())[:5]:
                print(f"  lost: {url} ({name})")


if __name__ == "__main__":
    main()
