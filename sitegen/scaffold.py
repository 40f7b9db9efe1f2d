"""Layer 7. Files written for the user: a new site (`init`) and a new article (`new`)."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import os
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

from sitegen import cms, hosts, urls
from sitegen.config import Config, load_config
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
