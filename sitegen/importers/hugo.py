"""A Hugo site (its folder) -> imported items.

Every Markdown file under the content folder is an article of its top folder
(its section), or a standalone page when it sits at the top. Front matter
may be YAML (`---`), TOML (`+++`) or JSON (`{`). `publishDate` (else `date`),
`lastmod`, `expiryDate` and `draft` keep their meaning; every taxonomy of the
site's config becomes tags; `aliases`, `url` and the URL the site's
`permalinks` gave the page become sitegen `aliases`. A page bundle's files
are copied to `/images/SECTION/SLUG/` and the body's references follow
(`hugo_convert`; this module reads the files into items).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

from sitegen import urls
from sitegen.config import Config
from sitegen.importers import (
    editions,
    hugo_site,
    hugo_urls,
)
from sitegen.importers.confine import Confined
from sitegen.importers.front import credit_lines, map_front, words
from sitegen.importers.hugo_convert import convert
from sitegen.importers.report import Report
from sitegen.importers.write import (
    MARKDOWN,
    Imported,
    Result,
    other_language,
    parse_date,
    unique_slugs,
    zone_of,
)
from sitegen.readers import is_language


def import_site(source: Path, config: Config, report: Report, section: str) -> Result:
    settings = hugo_site.settings(source, report)
    # Hugo reads a date without offset in `timeZone`, else in UTC.
    zone = zone_of(settings.get("timezone"), "UTC")
    confined = Confined(source, report)
    # A content folder leading out of the old site (`contentDir = "../../x"`) is refused.
    roots = [r for r in hugo_site.content_roots(source, settings)
             if confined.folder(r.folder, "content", "contentDir") is not None]
    taxonomies = settings.get("taxonomies")
    plural = (list(taxonomies.values()) if isinstance(taxonomies, dict)
              else ["tags", "categories"])
    lower = settings.get("disablepathtolower") is not True
    ugly = settings.get("uglyurls") is True
    site_language = other_language(settings.get("languagecode")
                                   or settings.get("defaultcontentlanguage"), config)
    items: list[tuple[Imported, dict[str, Any], Path]] = []
    result = Result([])
    known, disabled = hugo_site.languages(settings)
    plan = editions.plan(known, hugo_site.default_language(settings), config, report,
                         "the Hugo config")
    translations: list[tuple[Imported, str]] = []
    def one(path: Path, root: hugo_site.Root) -> None:
        """Read one file of the content folder into `items`."""
        content = root.folder
        relative = path.relative_to(content)
        shown = path.relative_to(source).as_posix()
        if (not path.is_file() or path.is_symlink() or path.suffix.lower() not in MARKDOWN
                or any(p.startswith(".") for p in relative.parts)):
            return
        own_language = root.language or [*path.stem.split("."), ""][1].lower()
        if own_language in disabled:
            report.skipped(shown, 0, f"language '{own_language}' is disabled in the Hugo "
                           "config: Hugo did not publish it")
            return
        if path.stem.split(".")[0] == "_index" and len(relative.parts) == 1 and (
                not own_language or own_language == hugo_site.default_language(settings)
                or (plan and own_language in plan.languages)):
            report.skipped(shown, 0, "the home page (_index): sitegen makes its own"
                           + (" for each edition" if plan else ""))
            return  # without editions, another language's home (/zh/) is kept as a page
        try:
            data, body, first, _ = hugo_site.split(path.read_text(encoding="utf-8-sig")
                                         .replace("\r\n", "\n"))
        except (ValueError, yaml.YAMLError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            reason = " ".join(str(getattr(exc, "problem", None) or exc).split())
            report.needs_person(shown, 1, f"front matter could not be read ({reason}); "
                                "not imported")
            return
        data = data or {}
        head = path.read_text(encoding="utf-8-sig", errors="replace").split("\n")[:first]

        def line_of(key: str, head: list[str] = head) -> int:
            return next((i + 1 for i, t in enumerate(head)
                         if re.match(rf"\s*\"?{re.escape(key)}\"?\s*[:=]", t, re.I)), 1)

        mapped = map_front(data, shown, zone, report, line_of, known=tuple(plural))
        # Hugo's translations by file name: post.ja.md is the Japanese post.md.
        name, language = path.stem, ""
        if (found := re.fullmatch(r"(.+)\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)", name)) and \
                is_language(found.group(2)):
            name, language = found.group(1), found.group(2)
        listing = name == "_index"  # a section's own page: kept as a page
        if plan and listing and len(relative.parts) == 2 and mapped.front.get("title"):
            # A language's section list title is the section's name in its edition.
            plan.name_section((language or root.language or plan.default).lower(),
                              urls.slugify(relative.parts[0]), str(mapped.front["title"]))
        if listing and not body.strip():
            report.skipped(shown, 0, "a section's list page (_index) without text: sitegen "
                           "makes its own section pages")
            return
        bundle = name in {"index", "_index"}
        stem = "-".join(relative.parts[:-1]) or "home" if listing else (
            relative.parent.name if bundle else name)
        language = (language or root.language).lower()
        edition = plan is not None and (language or plan.default) in plan.languages
        if language and language != hugo_site.default_language(settings) and not edition:
            stem = f"{stem}-{language}"
        front = mapped.front
        if language and (language != root.language or other_language(language, config)):
            front.setdefault("lang", language)
        elif site_language:
            front.setdefault("lang", site_language)
        front["tags"] = list(dict.fromkeys(
            [*front.get("tags", []), *(w for name in plural if name != "tags"
                                        for w in words(data.get(name)))]))
        if "title" not in front:
            front["title"] = stem.replace("-", " ").capitalize()
            report.needs_person(shown, 1, "no title; one was made from the file name")
        is_page = len(relative.parts) == 1 or (bundle and len(relative.parts) == 2) or listing
        date = mapped.date
        if date is None and not is_page:
            report.needs_person(shown, 1, "no date; dated by the file's modification time")
        if date is None:
            date = dt.datetime.fromtimestamp(path.stat().st_mtime, zone).replace(microsecond=0)
            if not is_page:  # a standalone page needs no date
                front["date"] = date.isoformat(timespec="seconds")
        top = "" if is_page else relative.parts[0]
        slug = urls.slugify(str(front.pop("slug", "") or stem)) or "artikel"
        item = Imported(shown, urls.slugify(top) if top else "", slug, front, body,
                        date=date, body_line=first)
        if plan is not None and edition:
            plan.place(item, language or plan.default)
            # Hugo's translations: one translationKey, else one path (less the language).
            key = next((str(v) for k, v in data.items() if str(k).lower() == "translationkey"
                        and v), "")
            base = relative.parent / name if not bundle else relative.parent
            translations.append((item, key or base.as_posix()))
        url_date = parse_date(data.get("date"), zone) or date  # Hugo's .Date, not publishDate
        # An edition's default-language page was under /LANG/ too with InSubdir.
        old = hugo_site.language_prefix(language or (plan.default if edition and plan else ""),
                                        settings) + hugo_urls.url_of(
            relative, bundle, listing, data, url_date.astimezone(zone),
            {} if listing else hugo_site.permalinks(settings, language), ugly, lower)
        extra = [a if a.startswith("/") or "://" in a else
                 f"/{'/'.join(relative.parts[:-2 if bundle else -1])}/{a}"
                 for a in mapped.old_urls]
        item.old_urls = list(dict.fromkeys([old, *extra]))
        if mapped.credits:
            item.body = item.body.rstrip() + "\n\n" + credit_lines(mapped.credits) + "\n"
        if top:
            result.sections.setdefault(item.section, top)
        if mapped.image:
            front["image"] = mapped.image
        items.append((item, data, path))

    for root, path in ((r, p) for r in roots
                       for p in confined.files(r.folder, skip=lambda n: n.startswith("."))
                       if hugo_site.own_root(p, roots) is r):  # content/fr/ is not content/'s
        try:
            one(path, root)
        except (OSError, ValueError, TypeError, AttributeError) as exc:  # one bad file
            report.needs_person(path.relative_to(source).as_posix(), 0,
                                f"could not be imported: {type(exc).__name__}: {exc}")
    editions.link_translations(editions.group(translations))
    unique_slugs([i for i, _, _ in items], config, report)
    convert(items, settings, roots, source, confined, config, report, result)
    result.plan = plan
    return result
