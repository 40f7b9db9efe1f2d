"""The languages of a Jekyll site, for its import into editions (`editions.py`).

Jekyll has no languages of its own; sites get them three ways, all read here:

- jekyll-polyglot: `languages: [en, es]` and `default_lang` in `_config.yml`,
  each file's `lang:` (a file without one is in the default language), the
  same paths once per language; every page of a language but the default
  one was published under `/LANG/`.
- jekyll-multiple-languages-plugin: `languages` too (the first is the
  default) and an `_i18n/` folder: its `_i18n/LANG/_posts/` are that
  language's posts; the interface strings (`_i18n/LANG.yml`) and the text
  pages pull in with `{% t %}` are not content and are reported.
- A folder per language, with no plugin: `en/_posts/`, `_posts/en/` or
  `zh_cn/index.md`. A folder counts as a language when its name is one and
  it holds posts or a home page, and when its name has a region (`zh_cn`)
  or it holds a home page, or (no folder being so plain a language) there
  are two of them; a category folder that happens to be a language code
  (`it/_posts/`) stays a section.

Translations are linked by `translation_key`, `translationKey`, `lang_ref`,
`ref`, `namespace` or `page_id`, else (polyglot) by the same `permalink`,
else by the same path once the language folder is taken out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from sitegen.config import Config
from sitegen.importers import editions
from sitegen.importers.report import Report
from sitegen.importers.write import Imported
from sitegen.readers import is_language

KEYS = ("translation_key", "translationkey", "lang_ref", "ref", "namespace", "page_id")
_REGION = re.compile(r"[a-z]{2,3}[_-][a-z0-9]{2,4}", re.I)


@dataclass
class Languages:
    plan: editions.Plan
    folders: dict[str, str]
    """Folder name -> language code."""
    prefixed: bool
    """A plugin published every language but the default under `/LANG/`."""

    def of(self, parts: tuple[str, ...], meta: dict[str, Any]) -> str:
        """The language of a file: its `lang:`, else its language folder, else the default."""
        own = str(meta.get("lang") or "").lower()
        if own in self.plan.languages:
            return own
        same = [c for c in self.plan.languages if own and _primary(c) == _primary(own)]
        if len(same) == 1:
            return same[0]
        for part in parts[:-1]:
            if part in self.folders:
                return self.folders[part]
        return self.plan.default

    def categories(self, folders: list[str]) -> list[str]:
        """The folders above `_posts/` that are categories, language folders left out."""
        return [f for f in folders if f not in self.folders and f != "_i18n"]

    def old_url(self, url: str, code: str) -> str:
        """The URL a plugin published a page of the language `code` at."""
        if not self.prefixed or code == self.plan.default:
            return url
        path = self.plan.paths.get(self.plan.key(code)) or code
        return url if url.startswith(f"/{path}/") else f"/{path}{url}"

    def translation_key(self, parts: tuple[str, ...], meta: dict[str, Any], url: str) -> str:
        """The key a file shares with its translations; `url` is where Jekyll itself
        published it (the plugins pair documents by that URL)."""
        lower = {str(k).lower(): v for k, v in meta.items()}
        found = next((str(lower[k]) for k in KEYS if lower.get(k) not in (None, "")), "")
        if found:
            return found
        if self.prefixed:
            return "url:" + url
        kept = [p for p in parts if p not in self.folders and p != "_i18n"]
        return PurePosixPath(*kept).with_suffix("").as_posix()

    def fallbacks(self, entries: list[tuple[Imported, str, str]],
                  groups: dict[str, list[Imported]], report: Report) -> None:
        """Both plugins built the whole site once per language, pairing documents by
        URL: a default-language page with no document at its URL in a language was
        online under that language's prefix too (`/es/2020/01/01/hello/`). That URL is
        kept: it leads to the page's translation into the language when one is known
        (`lang_ref`...), else to the page itself."""
        if not self.prefixed:
            return
        default = self.plan.key(self.plan.default)
        at_url: dict[str, set[str]] = {}
        for item, _, url in entries:
            at_url.setdefault(url, set()).add(item.edition)
        added = 0
        for item, key, url in entries:
            if item.edition != default:
                continue
            for edition in self.plan.keys.values():
                if edition == default or edition in at_url[url]:
                    continue
                owner = next((i for i in groups.get(key, []) if i.edition == edition), item)
                owner.old_urls.append(f"/{self.plan.paths[edition]}{url}")
                added += 1
        if added:
            report.converted("_config.yml", 0, f"{added} URLs under another language's "
                             "prefix that showed a default-language page for want of a "
                             "document in that language (the plugin's fallback) redirect "
                             "to its translation, else to that page")


def relative(moved: dict[str, str], prefix: str) -> dict[str, str]:
    """Old URL -> new URL as a page of the edition at `prefix` reads its links: polyglot
    relativized `/about/` in a Spanish page to `/es/about/`, so the Spanish page's link
    leads to the Spanish page where there is one."""
    inside = {p[len(prefix):]: new for p, new in moved.items() if p.startswith(prefix + "/")}
    return {**moved, **inside}


def _primary(code: str) -> str:
    return code.replace("_", "-").split("-")[0].lower()


def _folders(source: Path, named: set[str]) -> tuple[dict[str, bool], bool]:
    """Language-named folders (name -> holds a home page) and whether `_i18n/` is there."""
    found: dict[str, bool] = {}

    def consider(folder: Path, home: bool) -> None:
        name = folder.name
        if folder.is_dir() and not folder.is_symlink() and (
                name.lower() in named or is_language(name.replace("_", "-"))):
            found[name] = found.get(name, False) or home
    for folder in sorted(source.iterdir()) if source.is_dir() else []:
        if folder.name.startswith((".", "_")) or not folder.is_dir():
            continue
        home = any((folder / f"index.{s}").is_file() for s in ("md", "markdown", "html"))
        if home or (folder / "_posts").is_dir():
            consider(folder, home)
    for posts in (source / "_posts", source / "_i18n"):
        if posts.is_dir() and not posts.is_symlink():
            for folder in sorted(posts.iterdir()):
                consider(folder, False)
    return found, (source / "_i18n").is_dir()


def detect(source: Path, settings: dict[str, Any], config: Config,
           report: Report) -> Languages | None:
    """The site's languages, or None for a site in one language."""
    listed = [str(c) for c in settings.get("languages") or [] if isinstance(c, str)] \
        if isinstance(settings.get("languages"), list) else []
    named = {c.lower() for c in listed}
    folders, i18n = _folders(source, named)
    if listed:
        default = str(settings.get("default_lang") or listed[0])
        codes = {c.lower(): c for c in listed}
        kept = {name: name.lower() for name in folders if name.lower() in named}
    else:
        default = str(settings.get("lang") or settings.get("locale") or config.site.language)
        # `lang: en-US` beside an `en/` folder: that folder is the default language's.
        default = next((n for n in folders if n.lower() == default.lower()), None) or next(
            (n for n in folders if _primary(n) == _primary(default)), default)
        sure = {n for n, home in folders.items() if home or _REGION.fullmatch(n)}
        # Plain `en/` and `fr/` are languages together, unless others show what a
        # language folder of this site looks like (a home page, a region).
        accepted = sure or (set(folders) if len(folders) > 1 else set())
        kept = {name: name.lower() for name in accepted}
        codes = {default.lower(): default, **{name.lower(): name for name in accepted}}
    if i18n:
        report.needs_person("_i18n", 0, "jekyll-multiple-languages-plugin: the interface "
                            "strings of _i18n/*.yml and the texts pages include with "
                            "{% t %} / {% translate_file %} are not content and were not "
                            "imported; write such pages once per edition (content/LANG/pages/)")
    if len(codes) < 2:
        return None
    languages = [editions.Language(code, editions.tag_of(code), path=shown)
                 for code, shown in codes.items()]
    plan = editions.plan(languages, default, config, report, "_config.yml")
    if plan is None:
        return None
    return Languages(plan, kept, bool(listed))
