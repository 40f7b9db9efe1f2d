"""Layer 7. Files written for the user: a new site (`init`) and a new article (`new`)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

from sitegen import cms, hosts, pinning, urls
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

[cms]
# The editors' CMS at /admin/ (README, "Editors in a browser"): the repository it
# commits to, as owner/name, and its branch.
repo = "{repo}"
branch = "main"
# How editors sign in: "token" (a personal access token), "pkce" (GitLab's own
# sign-in, with app_id) or "oauth" (Netlify's OAuth service, or base_url).
auth_type = "{auth_type}"
# true: every story is a pull request (draft, review, publish), checked strictly.
editorial_workflow = false
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

# .sitegen/ itself is committed: it holds the wheel and the pins the CI installs.
_GITIGNORE = ("output/\npublic/\n.output.sitegen-*\n.sitegen/check/\n.sitegen-cache/\n"
              "build-report.json\ngl-code-quality-report.json\n"
              "# The CMS app, fetched by `sitegen fetch-cms` (the pipeline runs it).\n"
              "content/static/admin/sveltia-cms.js\n")


def distribution() -> tuple[str, str]:
    """(name, version) of the installed sitegen: the distribution of the `sitegen` command."""
    dist = pinning.distribution()
    return dist.metadata["Name"], dist.version


def init_site(directory: Path, host: str = "github", repo: str = "",
              shards: int = 0) -> list[Path]:
    """Create a site that builds at once with the default theme, deployed on `host`, its
    CMS committing to `repo` (owner/name), its CI installing this very sitegen."""
    if directory.exists() and any(directory.iterdir()):
        raise SitegenError([Problem(str(directory), 0, "folder is not empty: choose a new folder "
                                    "for the site")])
    if host not in hosts.HOSTS:
        raise SitegenError([Problem("--host", 0, f"'{host}' is not one of "
                                    f"{', '.join(hosts.HOSTS)}")])
    if repo and not re.fullmatch(r"[\w.-]+(/[\w.-]+)+", repo):
        raise SitegenError([Problem("--repo", 0, f"'{repo}' is not a repository: write it as "
                                    "OWNER/NAME, such as redaksi/situs-berita")])
    now = dt.datetime.now(ZoneInfo("Asia/Jakarta")).replace(second=0, microsecond=0)
    files = {
        "sitegen.toml": _CONFIG.format(host=host, repo=repo,
                                       auth_type="oauth" if host == "netlify" else "token"),
        ".gitignore": _GITIGNORE,
        **hosts.pipeline_files(host, urls.slugify(directory.resolve().name) or "situs", shards),
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
        staging.mkdir(parents=True)
        files.update(pinning.site_files(staging))
        for relative, text in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        cms.write_admin(load_config(staging))
        os.replace(staging, directory)
    except SitegenError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
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
