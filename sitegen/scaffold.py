"""Layer 7. Files written for the user: a new site (`init`) and a new article (`new`)."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import os
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

from sitegen import cms, hosts, urls
from sitegen.config import Config, load_config
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

[deploy]
# Where the site is served: github, gitlab, netlify, cloudflare or s3.
host = "{host}"
# The repository (owner/name) the editors' CMS at /admin/ writes to.
repo = ""
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

_REQUIREMENTS = """\
# The sitegen this site is built with: the distribution {name} from PyPI. To build
# with an unreleased sitegen, use its git URL instead:
#   {name} @ git+https://github.com/OWNER/sitegen@vX.Y.Z
{name}=={version}
"""

_GITIGNORE = "output/\npublic/\n.output.sitegen-*\n.sitegen/\n.sitegen-cache/\n"


def distribution() -> tuple[str, str]:
    """(name, version) of the installed sitegen, from its package metadata: the
    distribution that provides the `sitegen` command."""
    for entry in importlib.metadata.entry_points(group="console_scripts", name="sitegen"):
        if entry.value.startswith("sitegen.") and entry.dist is not None:
            return entry.dist.name, entry.dist.version
    raise SitegenError([Problem("requirements.txt", 0, "sitegen is not installed as a package, "
                                "so its name and version are unknown: pip install sitegen-news "
                                "(or `pip install -e .` in a checkout) and run init again")])


def init_site(directory: Path, host: str = "github") -> list[Path]:
    """Create a site that builds at once with the default theme, deployed on `host`."""
    if directory.exists() and any(directory.iterdir()):
        raise SitegenError([Problem(str(directory), 0, "folder is not empty: choose a new folder "
                                    "for the site")])
    if host not in hosts.HOSTS:
        raise SitegenError([Problem("--host", 0, f"'{host}' is not one of "
                                    f"{', '.join(hosts.HOSTS)}")])
    name, version = distribution()
    now = dt.datetime.now(ZoneInfo("Asia/Jakarta")).replace(second=0, microsecond=0)
    files = {
        "sitegen.toml": _CONFIG.format(host=host),
        "requirements.txt": _REQUIREMENTS.format(name=name, version=version),
        ".gitignore": _GITIGNORE,
        **hosts.pipeline_files(host, urls.slugify(directory.resolve().name) or "situs"),
        "content/berita/selamat-datang.md": _ARTICLE.format(
            title="Selamat Datang di Situs Berita Baru", date=now.strftime("%Y-%m-%d %H:%M"),
            tags="Pengumuman", summary="Situs berita ini dibuat dengan sitegen.", extra="",
            body="Ini artikel pertama. Tulis artikel baru dengan `sitegen new \"Judul\" "
                 "--section berita`, lalu lihat hasilnya dengan `sitegen serve`."),
        "content/pages/tentang-kami.md": "---\ntitle: \"Tentang Kami\"\n---\n\n"
                                          "Tulis di sini siapa kami dan apa yang kami liput.\n",
    }
    # Written beside the target and renamed into place: a failure leaves nothing behind.
    staging = directory.parent / f".{directory.name}.sitegen-init"
    try:
        shutil.rmtree(staging, ignore_errors=True)
        for relative, text in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        cms.write_admin(load_config(staging))
        os.replace(staging, directory)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise SitegenError([Problem(str(directory), 0, f"cannot create the site: "
                                    f"{exc.strerror or exc}")]) from None
    return sorted(p for p in directory.rglob("*") if p.is_file())


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
