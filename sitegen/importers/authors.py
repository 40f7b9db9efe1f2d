"""Authors of the old site -> sitegen's author profiles (`[authors.SLUG]`), for bylines.

Jekyll sites describe their authors in `_data/authors.yml` (a key per
author) or in an authors collection (`_authors/steve.md`, its front matter
the profile, its text the bio); such a collection is never imported as
articles. WordPress exports list their users (`<wp:author>`). A post names
its author by key or login; the byline shows the profile's name, and the
author's page its bio. Profiles that sitegen.toml does not have yet are
added to it (as `[authors.SLUG]` tables at its end); with `--keep-settings`
they are only written in the report.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sitegen import urls
from sitegen.config import CONFIG_NAME, Config
from sitegen.importers.report import Report

COLLECTIONS = ("authors", "people", "team", "staff", "contributors")
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?$\n?(.*)", re.S | re.M)


@dataclass(frozen=True)
class Profile:
    name: str
    bio: str = ""
    photo: str = ""


def _profile(key: str, entry: dict[str, Any], body: str = "") -> Profile:
    name = str(entry.get("name") or entry.get("display_name") or entry.get("title")
               or entry.get("full_name") or key)
    bio = str(entry.get("bio") or entry.get("description") or entry.get("about") or "")
    bio = bio or " ".join(re.sub(r"<[^>]+>|[*_#>`]", "", body).split())
    photo = str(entry.get("avatar") or entry.get("photo") or entry.get("image")
                or entry.get("picture") or "")
    return Profile(name.strip(), " ".join(bio.split()), photo)


def jekyll_profiles(source: Path, data: dict[str, Any]) -> dict[str, Profile]:
    """Author key -> profile, from `_data/authors.yml` and an authors collection."""
    found: dict[str, Profile] = {}
    table = data.get("authors")
    if isinstance(table, dict):
        found.update({str(k): _profile(str(k), v) for k, v in table.items()
                      if isinstance(v, dict)})
    elif isinstance(table, list):
        for entry in table:
            if isinstance(entry, dict) and (key := entry.get("key") or entry.get("id")
                                            or entry.get("name")):
                found[str(key)] = _profile(str(key), entry)
    for name in COLLECTIONS:
        folder = source / f"_{name}"
        if not folder.is_dir() or folder.is_symlink():
            continue
        for path in sorted(folder.glob("*.md")):
            # Only the old site's own files: no link out of it, no FIFO that would block.
            if path.is_symlink() or not path.is_file() or \
                    not path.resolve().is_relative_to(source.resolve()):
                continue
            match = _FRONT.match(path.read_text(encoding="utf-8-sig", errors="replace"))
            try:
                meta = yaml.safe_load(match.group(1)) if match else {}
            except yaml.YAMLError:
                continue
            if isinstance(meta, dict):
                key = str(meta.get("short_name") or meta.get("key") or meta.get("username")
                          or path.stem)
                found.setdefault(key, _profile(key, meta, match.group(2) if match else ""))
    return found


def write_profiles(config: Config, profiles: dict[str, Profile], report: Report, keep: bool,
                   dry_run: bool) -> None:
    """Each profile sitegen.toml lacks, added to it (or, kept, only to the report)."""
    tables = []
    for profile in sorted(set(profiles.values()), key=lambda p: p.name):
        slug = urls.slugify(profile.name)
        if not slug or slug in config.authors or (profile.name == slug and not profile.bio):
            continue
        lines = [f"[authors.{slug}]", f"name = {json.dumps(profile.name, ensure_ascii=False)}"]
        if profile.bio:
            lines.append(f"bio = {json.dumps(profile.bio, ensure_ascii=False)}")
        tables.append("\n".join(lines))
        if profile.photo:
            report.needs_person(CONFIG_NAME, 0, f"author {profile.name}: the photo "
                                f"{profile.photo} is not part of sitegen's profiles")
    if not tables:
        return
    if keep:
        report.notes.append("# author profiles of the old site\n" + "\n\n".join(tables))
        return
    report.converted(CONFIG_NAME, 0, f"{len(tables)} author profiles added")
    if not dry_run:
        path = config.root / CONFIG_NAME
        text = path.read_text(encoding="utf-8").rstrip("\n")
        path.write_text(text + "\n\n" + "\n\n".join(tables) + "\n", encoding="utf-8")
