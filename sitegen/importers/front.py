"""Other generators' front matter -> sitegen's keys, the same for every source.

Each source names things its own way (`description`, `excerpt`, `publishDate`,
`redirect_from`, `featured_image`...); this table gathers them. Credits
sitegen has no key for (translator, editor, photographer...) are kept as a
line at the end of the body, so readers still see them; every other key is
listed in the report as not imported, with its value.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sitegen.importers.report import Report
from sitegen.importers.write import date_text, parse_date
from sitegen.readers import is_language

DATE_KEYS = ("publishdate", "pubdate", "published_at", "date")
UPDATED_KEYS = ("lastmod", "last_modified_at", "modified", "updated", "updated_at")
EXPIRES_KEYS = ("expirydate", "expires", "expiry_date", "unpublishdate")
SUMMARY_KEYS = ("summary", "description", "excerpt", "dek", "subtitle", "lead")
IMAGE_KEYS = ("image", "featured_image", "feature_image", "featureimage", "cover", "thumbnail",
              "images", "header", "hero", "og_image")
CREDIT_KEYS = ("translator", "translators", "translated_by", "editor", "editors", "reporter",
               "reporters", "contributor", "contributors", "photographer", "photographers",
               "illustrator", "illustrators", "credits", "byline", "source", "via")
# Keys that only steered the old generator's templates: nothing to keep.
TEMPLATE_KEYS = ("layout", "type", "comments", "share", "toc", "sidebar", "weight", "menu",
                 "markup", "sitemap", "output", "render", "build", "cascade", "outputs",
                 "hidden", "nav_order", "excerpt_separator", "_build", "headless", "keywords",
                 "draft", "published", "title", "slug", "author", "authors", "tags",
                 "categories", "category", "lang", "language", "locale", "permalink", "url",
                 "aliases", "redirect_from", "location", "dateline", "featured", "sticky",
                 "image_alt", "image_caption", "image_credit", "alt", "caption", "credit",
                 "photo_credit")
# Keys that link translations (Hugo, jekyll-polyglot and i18n themes): a multilingual
# import turns them into `translation_key` (`editions.py`).
TRANSLATION_KEYS = ("translationkey", "translation_key", "lang_ref", "ref", "namespace")


@dataclass
class Mapped:
    front: dict[str, Any]
    categories: list[str] = field(default_factory=list)
    old_urls: list[str] = field(default_factory=list)
    credits: list[tuple[str, str]] = field(default_factory=list)
    image: str = ""
    date: dt.datetime | None = None


def words(value: Any, split_spaces: bool = False) -> list[str]:
    """A list of names from a list, or from text separated by commas (or spaces)."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value)
    parts = text.split(",") if "," in text or not split_spaces else text.split()
    return [p.strip() for p in parts if p.strip()]


def plain(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def map_front(data: dict[str, Any], source: str, zone: ZoneInfo, report: Report,
              line_of: Callable[[str], int], split_spaces: bool = False,
              author_names: Callable[[str], str] = lambda name: name,
              known: tuple[str, ...] = ()) -> Mapped:
    """`known`: more keys the caller handles itself (Hugo's taxonomies)."""
    lower = {str(k).lower(): v for k, v in data.items() if v not in (None, "", [])}
    front: dict[str, Any] = {}
    mapped = Mapped(front)
    if "title" in lower:
        front["title"] = plain(str(lower["title"]))
    for target, keys in (("date", DATE_KEYS), ("updated", UPDATED_KEYS),
                         ("expires", EXPIRES_KEYS)):
        key = next((k for k in keys if k in lower), None)
        if key is None:
            continue
        moment = parse_date(lower[key], zone)
        if moment is None:
            report.needs_person(source, line_of(key), f"{key} '{lower[key]}' is not a date; "
                                "it was left out")
            continue
        front[target] = date_text(moment)
        if target == "date":
            mapped.date = moment
    if lower.get("draft") is True or lower.get("published") is False:
        front["draft"] = True
    if "slug" in lower:
        front["slug"] = str(lower["slug"])
    authors = [author_names(a) for a in (*words(lower.get("author")),
                                         *words(lower.get("authors")))]
    if isinstance(lower.get("author"), dict):
        authors = [str(lower["author"].get("name") or lower["author"].get("display_name", ""))]
    authors = list(dict.fromkeys(a for a in authors if a))
    if len(authors) == 1:
        front["author"] = authors[0]
    elif authors:
        front["authors"] = authors
    mapped.categories = [*words(lower.get("categories"), split_spaces),
                         *words(lower.get("category"), split_spaces)]
    front["tags"] = list(dict.fromkeys(words(lower.get("tags"), split_spaces)))
    summary = next((lower[k] for k in SUMMARY_KEYS if isinstance(lower.get(k), str)), "")
    if summary:
        front["summary"] = plain(summary)
    language = str(lower.get("lang") or lower.get("language") or lower.get("locale") or "")
    language = language.replace("_", "-")
    if language and is_language(language):
        front["lang"] = language
    elif language:
        report.needs_person(source, line_of("lang"), f"language '{language}' is not a "
                            "language code; it was left out")
    for key in ("location", "dateline"):
        if isinstance(lower.get(key), str):
            front["location"] = lower[key]
    if lower.get("featured") is True or lower.get("sticky") is True:
        front["featured"] = True
    for key in ("permalink", "url"):
        if isinstance(lower.get(key), str):
            mapped.old_urls.append(lower[key])
    mapped.old_urls += [*words(lower.get("redirect_from")), *words(lower.get("aliases"))]
    mapped.image, alt, caption, credit = _image(lower)
    front.update({"image_alt": alt, "image_caption": caption, "image_credit": credit})
    for key in CREDIT_KEYS:
        names = words(lower.get(key))
        if names:
            mapped.credits.append((key.replace("_", " ").capitalize(), ", ".join(names)))
            report.converted(source, line_of(key), f"{key} kept as a credit line at the end "
                             "of the body")
    for key, value in data.items():
        name = str(key).lower()
        if name not in (*DATE_KEYS, *UPDATED_KEYS, *EXPIRES_KEYS, *SUMMARY_KEYS, *IMAGE_KEYS,
                        *CREDIT_KEYS, *TEMPLATE_KEYS, *TRANSLATION_KEYS, *known) \
                and value not in (None, "", []):
            report.skipped(source, line_of(str(key)), f"front matter key {key}: "
                           f"{str(value)[:60]!r} has no sitegen equivalent")
    return mapped


def _image(lower: dict[str, Any]) -> tuple[str, str, str, str]:
    """(src, alt, caption, credit) from the many ways themes name a hero image."""
    alt = str(lower.get("image_alt") or lower.get("alt") or "")
    caption = str(lower.get("image_caption") or lower.get("caption") or "")
    credit = str(lower.get("image_credit") or lower.get("photo_credit") or
                 lower.get("credit") or "")
    for key in IMAGE_KEYS:
        value = lower.get(key)
        if isinstance(value, list) and value:
            value = value[0]
        if isinstance(value, dict):
            alt = alt or str(value.get("alt") or "")
            caption = caption or str(value.get("caption") or "")
            credit = credit or str(value.get("credit") or "")
            value = (value.get("image") or value.get("path") or value.get("src")
                     or value.get("url") or value.get("feature") or "")
        if isinstance(value, str) and value.strip():
            return value.strip(), alt, caption, credit
    return "", alt, caption, credit


def credit_lines(credits: list[tuple[str, str]]) -> str:
    return "\n\n".join(f"*{label}: {names}*" for label, names in credits)
