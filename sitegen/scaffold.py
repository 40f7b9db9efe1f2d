"""Layer 7. Files written for the user: a new site (`init`) and a new article (`new`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from sitegen import __version__, urls
from sitegen.config import Config
from sitegen.errors import Problem, SitegenError
from sitegen.readers import content_dir

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

_GITIGNORE = "output/\n.output.sitegen-*\n.sitegen/\n.sitegen-cache/\n"


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


def new_article(config: Config, title: str, section: str, now: dt.datetime) -> Path:
    """Write a draft article dated now in the site's time zone and return its path."""
    slug = urls.slugify(title)
    problems = []
    if not urls.is_valid_slug(section) or section in {"pages", "static"}:
        problems.append(Problem("--section", 0, f"'{section}' is not a section folder name"))
    if not slug:
        problems.append(Problem("TITLE", 0, "the title needs at least one letter or digit"))
    path = content_dir(config) / section / f"{slug}.md"
    if path.exists():
        problems.append(Problem(str(path), 0, "an article with this slug exists already: choose "
                                "another title"))
    if problems:
        raise SitegenError(problems)
    local = now.astimezone(ZoneInfo(config.site.timezone)).replace(second=0, microsecond=0)
    escaped = title.replace("\\", "\\\\").replace('"', '\\"')
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_ARTICLE.format(
        title=escaped, date=local.strftime("%Y-%m-%d %H:%M"), tags="", summary="",
        extra=f"slug: {slug}\ndraft: true\n", body="Tulis artikel di sini.",
    ), encoding="utf-8")
    return path
