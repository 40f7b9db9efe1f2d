"""Layer 7. Files written for the user: a new site (`init`) and a new article (`new`)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from sitegen import __version__, urls
from sitegen.config import Config
from sitegen.errors import Problem, SitegenError
from sitegen.readers import PAGES_DIR, STATIC_DIR, content_dir

_CONFIG = """\
# sitegen configuration: every key is documented in sitegen's README.
[site]
title = "Berita Baru"
description = "Kabar terkini, jernih dan terpercaya."
# Where the site will live. A path is fine: https://USER.github.io/REPO/
# (the GitHub Pages workflow passes the real address with --base-url).
base_url = "https://example.org/"
language = "id"
timezone = "Asia/Jakarta"
copyright = "Berita Baru"

[build]
theme = "default"
items_per_page = 10

[sections.berita]
title = "Berita"
"""

_ARTICLE = """\
---
title: "{title}"
date: {date}
author: Redaksi
tags: [{tags}]
summary: "{summary}"
{extra}---

{body}
"""

_WORKFLOW = """\
# Builds the site with sitegen and publishes it on GitHub Pages.
# In the repository's Settings > Pages, choose "GitHub Actions" as the source.
name: Deploy

on:
  push:
    branches: [main]
  # Scheduled articles go live and the Google News sitemap's two-day window
  # moves only when the site is rebuilt, so rebuild every 30 minutes too.
  schedule:
    - cron: "*/30 * * * *"
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - id: pages
        uses: actions/configure-pages@v5
      - run: pip install -r requirements.txt
      # base_url comes from Pages, e.g. https://USER.github.io/REPO/ (with the path).
      - run: sitegen build --strict --base-url "${{ steps.pages.outputs.base_url }}/"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: output
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""

_REQUIREMENTS = f"""\
# The sitegen this site is built with. Point this line at wherever your
# newsroom publishes sitegen (a package index, a wheel URL or a git URL).
sitegen=={__version__}
"""

_GITIGNORE = "output/\n.sitegen/\n.sitegen-cache/\n"


def init_site(directory: Path) -> list[Path]:
    """Create a site that builds at once with the default theme."""
    if directory.exists() and any(directory.iterdir()):
        raise SitegenError([Problem(str(directory), 0, "folder is not empty: choose a new folder "
                                    "for the site")])
    now = dt.datetime.now(ZoneInfo("Asia/Jakarta")).replace(second=0, microsecond=0)
    files = {
        "sitegen.toml": _CONFIG,
        "requirements.txt": _REQUIREMENTS,
        ".gitignore": _GITIGNORE,
        ".github/workflows/deploy.yml": _WORKFLOW,
        "content/berita/selamat-datang.md": _ARTICLE.format(
            title="Selamat Datang di Situs Berita Baru", date=now.strftime("%Y-%m-%d %H:%M"),
            tags="Pengumuman", summary="Situs berita ini dibuat dengan sitegen.", extra="",
            body="Ini artikel pertama. Tulis artikel baru dengan `sitegen new \"Judul\" "
                 "--section berita`, lalu lihat hasilnya dengan `sitegen serve`."),
        "content/pages/tentang-kami.md": "---\ntitle: \"Tentang Kami\"\n---\n\n"
                                          "Tulis di sini siapa kami dan apa yang kami liput.\n",
    }
    created = []
    for relative, text in files.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        created.append(path)
    return created


def new_article(config: Config, title: str, section: str | None, now: dt.datetime,
                authors: tuple[str, ...] = ("Redaksi",), tags: tuple[str, ...] = (),
                page: bool = False) -> Path:
    """Write a draft dated now in the site's time zone and return its path: an article
    in `section`, or with `page` a standalone page in content/pages/."""
    slug = urls.slugify(title)
    problems = []
    if page and section:
        problems.append(Problem("--page", 0, "a standalone page has no section: give either "
                                "--page or --section"))
    elif not page and not section:
        problems.append(Problem("--section", 0, "say which section the article is in, such as "
                                "--section ekonomi (or --page for a standalone page)"))
    elif section and (not urls.is_valid_slug(section) or section in {PAGES_DIR, STATIC_DIR}):
        problems.append(Problem("--section", 0, f"'{section}' is not a section folder name"
                                + _section_hint(config, section)))
    if not slug:
        problems.append(Problem("TITLE", 0, "the title needs at least one letter or digit"))
    path = content_dir(config) / (PAGES_DIR if page else str(section)) / f"{slug}.md"
    if slug and path.exists():
        kind = "a page" if page else "an article"
        problems.append(Problem(str(path), 0, f"{kind} with this slug exists already: choose "
                                "another title"))
    if problems:
        raise SitegenError(problems)
    local = now.astimezone(ZoneInfo(config.site.timezone)).replace(second=0, microsecond=0)
    lines = [f"title: {_quoted(title)}"]
    if not page:
        lines.append(f"date: {local.strftime('%Y-%m-%d %H:%M')}")
        names = [a for a in authors if a.strip()]
        if len(names) == 1:
            lines.append(f"author: {_quoted(names[0])}")
        elif names:
            lines.append(f"authors: [{', '.join(_quoted(a) for a in names)}]")
        lines.append(f"tags: [{', '.join(_quoted(t) for t in tags if t.strip())}]")
    lines += ['summary: ""', f"slug: {slug}", "draft: true"]
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "Tulis isi halaman di sini." if page else "Tulis artikel di sini."
    path.write_text("---\n" + "\n".join(lines) + f"\n---\n\n{body}\n", encoding="utf-8")
    return path


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text.strip(), ensure_ascii=False)


def _section_hint(config: Config, section: str) -> str:
    """For a section given by its name ('Berita Daerah'), the folder it means."""
    named = [slug for slug, s in config.sections.items()
             if s.title.strip().casefold() == section.strip().casefold()]
    suggestion = named[0] if named else urls.slugify(section)
    if suggestion and urls.is_valid_slug(suggestion) and suggestion not in {PAGES_DIR,
                                                                             STATIC_DIR}:
        return f": did you mean --section {suggestion}?"
    return ": use a folder name of letters, digits and hyphens, such as ekonomi"
