"""A multilingual old site -> sitegen editions (one per language, `[editions.KEY]`).

The importers say which languages the old site has (Hugo's `languages`,
jekyll-polyglot's `languages`, language folders) and which language each
file is in; this module decides the editions and places the items:

- The language that is the new site's own (`[site] language`, which a fresh
  site takes from the old site's default language) stays at the root; every
  other language becomes `[editions.KEY]`, KEY its code (`zh-cn`), published
  under `/KEY/` as Hugo and polyglot published it, its files under
  `content/KEY/`. An English archive imported into an Indonesian site with
  `--keep-settings` so gets an English edition even for its default language.
- Translations keep their link: items sharing the old site's translation key
  (Hugo's `translationKey` or same path; Jekyll's `lang_ref`/`ref`/...) get
  one `translation_key`.
- The editions' tables are added to sitegen.toml (never replacing a table
  that is there), with the old site's per-language title, description,
  time zone and menu.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitegen import urls
from sitegen.config import CONFIG_NAME, Config
from sitegen.importers import names
from sitegen.importers.report import Report
from sitegen.importers.write import Imported
from sitegen.readers import is_language


@dataclass(frozen=True)
class Language:
    code: str
    """As the old site names it, lowercased (`zh-cn`, `zh_cn`, `en`)."""
    tag: str
    """Its BCP 47 tag (`zh-CN`)."""
    title: str = ""
    description: str = ""
    timezone: str = ""
    menu: tuple[tuple[str, str], ...] = ()
    """(name, url) of the language's own main menu."""
    path: str = ""
    """The URL prefix the old site published it under (`zh_cn`), when not its code."""
    base_url: str = ""
    """Its own address (Hugo's per-language `baseURL`): the edition's domain."""


@dataclass
class Plan:
    """Which edition each language of the old site goes to."""

    languages: dict[str, Language]
    default: str
    """The old site's default language (its code)."""
    keys: dict[str, str] = field(default_factory=dict)
    """Language code -> edition key; "" for the site's own edition at the root."""
    paths: dict[str, str] = field(default_factory=dict)
    """Edition key -> its URL prefix: the old site's (`zh_cn`, `pt-BR`), so the old
    URLs of the language's pages and home stay what they were."""

    sections: dict[str, dict[str, str]] = field(default_factory=dict)
    """Edition key -> section slug -> its title in the edition's language."""

    def name_section(self, code: str, slug: str, title: str) -> None:
        key = self.keys.get(code)
        if key:  # the root edition's sections are [sections], the newsroom's own
            self.sections.setdefault(key, {})[slug] = title

    def key(self, code: str) -> str:
        return self.keys.get(code.lower(), self.keys.get(self.default, ""))

    def place(self, item: Imported, code: str) -> None:
        """Put an item into its language's edition; its `lang` is the edition's now."""
        code = (code or self.default).lower()
        item.edition = self.key(code)
        item.prefix = f"/{self.paths[item.edition]}" if item.edition else ""
        language = self.languages.get(code)
        lang = str(item.front.get("lang", ""))
        if language and (_same(lang, language.tag) or _same(lang, language.code)):
            item.front.pop("lang", None)


def tag_of(code: str, *candidates: object) -> str:
    """The first candidate (a Hugo `languageCode`...) that is a language, else the code."""
    for value in (*candidates, code):
        text = str(value or "").strip().replace("_", "-")
        if text and is_language(text):
            parts = text.split("-")
            # `zh-cn` -> `zh-CN`: the region in capitals, as BCP 47 writes it.
            return "-".join([parts[0].lower(), *(p.upper() if len(p) == 2 else p
                                                  for p in parts[1:])])
    return ""


def _same(one: str, other: str) -> bool:
    return bool(one) and one.replace("_", "-").lower() == other.replace("_", "-").lower()


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


def plan(languages: Iterable[Language], default: str, config: Config,
         report: Report, shown: str) -> Plan | None:
    """The editions of a site with two languages or more (None for one language).
    A language whose code is no language tag is reported and goes to the default."""
    found: dict[str, Language] = {}
    for language in languages:
        if language.tag:
            found.setdefault(language.code.lower(), language)
        else:
            report.needs_person(shown, 0, f"language '{language.code}' is not a language "
                                "code sitegen knows; its pages go to the default edition")
    default = default.lower()
    if len(found) < 2:
        return None
    if default not in found:
        default = next(iter(found))
    result = Plan(found, default)
    site = config.site.language
    # The site's own language: the old default when it is that language, else the one
    # language that is (exactly, then by its primary subtag).
    own = next((c for c in (default, *found) if _same(found[c].tag, site)), None) or next(
        (c for c in (default, *found) if _primary(found[c].tag) == _primary(site)), None)
    taken = names.reserved(config) | set(config.sections)
    for code, language in found.items():
        if code == own:
            result.keys[code] = ""
            continue
        # A key is a folder name of ASCII letters (the tag's when the code has others).
        base = next(k for k in (urls.slugify(code), urls.slugify(language.tag), "edition")
                    if _KEY.fullmatch(k))
        key, number = base, 1
        while key in taken:
            number += 1
            key = f"{base}-{number}"
        if number > 1:
            report.needs_person(shown, 0, f"edition '{base}' is a name sitegen keeps for "
                                f"itself or a section's; the edition is '{key}'")
        taken.add(key)
        result.keys[code] = key
        old = language.path or code
        result.paths[key] = old if _SEGMENT.fullmatch(old) and old not in taken else key
        taken.add(result.paths[key])
    if own is None:
        report.needs_person(shown, 0, f"no language of the old site is the site's own "
                            f"('{site}'): every language became an edition of its own "
                            "and the root edition has none of the imported articles")
    return result


_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_KEY = re.compile(r"[a-z0-9][a-z0-9_-]*")


def link_translations(groups: dict[str, list[Imported]]) -> None:
    """Items that share a translation key (in two editions or more) get it written."""
    for key, items in groups.items():
        if len({item.edition for item in items}) > 1:
            for item in items:
                item.front["translation_key"] = key


def group(items: Iterable[tuple[Imported, str]]) -> dict[str, list[Imported]]:
    found: dict[str, list[Imported]] = defaultdict(list)
    for item, key in items:
        if key:
            found[key].append(item)
    return found


_MENU_NAMES = ("main", "navigation", "nav", "header")


def menu_of(entries: Any) -> tuple[tuple[str, str], ...]:
    """A Hugo menu (`menus.main` / `menu.main`: name, url or pageRef, weight) as (name, url)."""
    if not isinstance(entries, dict):
        return ()
    lower = {str(k).lower(): v for k, v in entries.items()}
    items: list[Any] = next((lower[n] for n in _MENU_NAMES if isinstance(lower.get(n), list)),
                            [])
    kept = [(int(e.get("weight") or 0) if str(e.get("weight") or "0").lstrip("-").isdigit()
             else 0, str(e.get("name") or ""), str(e.get("url") or e.get("pageref") or
                                                   e.get("pageRef") or ""))
            for e in items if isinstance(e, dict)]
    return tuple((name, url) for _, name, url in sorted(kept, key=lambda k: k[0])
                 if name and url)


def _zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _quoted(text: str) -> str:
    """A TOML basic string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04x}", escaped) + '"'


def tables(result: Plan, site_title: str) -> dict[str, str]:
    """Edition key -> its sitegen.toml text."""
    out: dict[str, str] = {}
    for code, key in result.keys.items():
        if not key:
            continue
        language = result.languages[code]
        title = language.title or f"{site_title} ({language.tag})"
        path = result.paths[key]
        lines = [f"[editions.{key}]", f"language = {_quoted(language.tag)}",
                 f"title = {_quoted(title)}", f"path = {_quoted(path)}"]
        if language.description:
            lines.append(f"description = {_quoted(language.description)}")
        if re.match(r"^https?://[^/\s]+(/\S*)?$", language.base_url):
            # Its pages were at the root of their own domain; the edition's output folder
            # is served there, so the old paths stay under /PATH/ in the output.
            lines.append(f"base_url = {_quoted(language.base_url)}")
        if language.timezone and _zone(language.timezone):
            lines.append(f"timezone = {_quoted(language.timezone)}")
        for slug, name in sorted(result.sections.get(key, {}).items()):
            lines += ["", f"[editions.{key}.sections.{_quoted(slug)}]",
                      f"title = {_quoted(name)}"]
        for name, url in language.menu:
            if url.startswith("/") and not url.startswith(f"/{path}/"):
                url = f"/{path}{url}"  # Hugo's menu URLs are relative to the language
            lines += ["", f"[[editions.{key}.menu]]", f"name = {_quoted(name)}",
                      f"url = {_quoted(url)}"]
        out[key] = "\n".join(lines) + "\n"
    return out


def write_config(config: Config, result: Plan, report: Report, dry_run: bool,
                 counts: dict[str, int]) -> None:
    """The editions' tables appended to sitegen.toml; one that is there is kept as it is.
    `counts`: edition key -> how many of its pages the import found."""
    path = config.root / CONFIG_NAME
    text = path.read_text(encoding="utf-8")
    added = []
    for key, table in tables(result, config.site.title).items():
        if re.search(rf"^\[editions\.{re.escape(key)}\]", text, re.M):
            report.notes.append(f"# [editions.{key}] is in {CONFIG_NAME} already and was "
                                f"kept; the old site's:\n{table.rstrip()}")
            continue
        added.append(table)
        report.converted(CONFIG_NAME, 0, f"[editions.{key}] added: the old site's "
                         f"{counts.get(key, 0)} '{result.languages[_code(result, key)].code}'"
                         f" pages, at /{result.paths[key]}/")
    own = next((c for c, k in result.keys.items() if not k), None)
    if own is not None:
        report.converted(CONFIG_NAME, 0, f"the old site's {counts.get('', 0)} '{own}' pages "
                         "are the site's own edition ([site]), at the root")
    if added and not dry_run:
        path.write_text(text.rstrip("\n") + "\n\n" + "\n".join(added), encoding="utf-8")


def _code(result: Plan, key: str) -> str:
    return next(c for c, k in result.keys.items() if k == key)
