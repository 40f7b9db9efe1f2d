"""A Hugo site's settings, where its content lives and a content file's front matter
(`split`: TOML, YAML or JSON), as Hugo itself reads them.

The settings are the first config file found, with the split config folder
(`config/_default/languages.toml`, `permalinks.toml`, `module.toml`, ...)
merged in under their keys. Content comes from `contentDir`, or from each
language's own `contentDir`, or from the module mounts that target
`content` (a documentation site keeps `content/en/` mounted as `content/`,
so its pages were online without `/en/`). Every language but the default
one is published under `/LANG/` (the default one too with
`defaultContentLanguageInSubdir`).
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sitegen.importers.confine import Confined
from sitegen.importers.editions import Language, menu_of, tag_of
from sitegen.importers.report import Report

CONFIG_NAMES = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml",
                "config.yml", "config.json", "config/_default/hugo.toml",
                "config/_default/config.toml", "config/_default/hugo.yaml",
                "config/_default/config.yaml", "config/_default/hugo.yml",
                "config/_default/config.yml")
_SPLIT = ("languages", "permalinks", "module", "params", "menus", "taxonomies", "markup")


def load(text: str, kind: str) -> Any:
    if kind == "toml":
        return tomllib.loads(text)
    if kind == "json":
        return json.loads(text)
    return yaml.safe_load(text)


def split(text: str) -> tuple[dict[str, Any] | None, str, int, str]:
    """(front matter, body, line the body starts on, format); raises ValueError."""
    if text.startswith("+++"):
        end = text.find("\n+++", 3)
        if end < 0:
            raise ValueError("TOML front matter is never closed with +++")
        head, rest = text[3:end], text[end + 4:]
        data = load(head, "toml")
    elif text.startswith("---"):
        close = re.search(r"^---[ \t]*$", text[3:], re.M)
        if close is None:
            raise ValueError("YAML front matter is never closed with ---")
        head, rest = text[3:3 + close.start()], text[3 + close.end():]
        data = load(head, "yaml") or {}
    elif text.lstrip().startswith("{"):
        data, at = json.JSONDecoder().raw_decode(text.lstrip())
        head, rest = text.lstrip()[:at], text.lstrip()[at:]
    else:
        return None, text, 1, ""
    if not isinstance(data, dict):
        raise ValueError("front matter is not a mapping")
    rest = rest.split("\n", 1)[1] if "\n" in rest else ""
    return data, rest, head.count("\n") + 2, "toml" if text.startswith("+++") else "yaml"


def _read(path: Path, shown: str, report: Report) -> dict[str, Any]:
    try:
        data = load(path.read_text(encoding="utf-8"), path.suffix.lstrip(".").replace(
            "yml", "yaml"))
    except (ValueError, yaml.YAMLError, tomllib.TOMLDecodeError, OSError) as exc:
        report.needs_person(shown, 0, f"could not be read: {exc}")
        return {}
    return data if isinstance(data, dict) else {}


def _lower(data: dict[str, Any]) -> dict[str, Any]:
    return {str(k).lower(): v for k, v in data.items()}


def settings(source: Path, report: Report) -> dict[str, Any]:
    """The site's settings, keys lowercased at the top level (Hugo's keys are not
    case-sensitive)."""
    found: dict[str, Any] = {}
    confined = Confined(source, report)  # a config file linked from outside is not read
    for name in CONFIG_NAMES:
        if (path := confined.file(source / name)) is not None:
            found = _lower(_read(path, name, report))
            break
    folder = source / "config" / "_default"
    for key in _SPLIT:
        for suffix in ("toml", "yaml", "yml", "json"):
            path = folder / f"{key}.{suffix}"
            if key not in found and confined.file(path) is not None:
                found[key] = _read(path, path.relative_to(source).as_posix(), report)
    _per_language_files(source, folder, found, confined, report)
    return found


def _per_language_files(source: Path, folder: Path, found: dict[str, Any],
                        confined: Confined, report: Report) -> None:
    """`config/_default/menus.fr.toml` and `params.fr.toml`: a language's own menus and
    params, as Hugo reads them (into `languages.fr`)."""
    languages = found.get("languages")
    if not isinstance(languages, dict) or not folder.is_dir():
        return
    by_code = {str(code).lower(): code for code in languages}
    for path in sorted(folder.iterdir()):
        parts = path.name.split(".")
        if len(parts) != 3 or parts[0] not in ("menus", "params") or \
                parts[2] not in ("toml", "yaml", "yml", "json"):
            continue
        code = by_code.get(parts[1].lower())
        if code is None or confined.file(path) is None:
            continue
        entry = languages[code] if isinstance(languages[code], dict) else {}
        entry.setdefault(parts[0], _read(path, path.relative_to(source).as_posix(), report))
        languages[code] = entry


@dataclass(frozen=True)
class Root:
    folder: Path
    language: str
    """The language of every page in it ("" when the site has one language)."""


def default_language(config: dict[str, Any]) -> str:
    return str(config.get("defaultcontentlanguage") or "en").lower()


def content_roots(source: Path, config: dict[str, Any]) -> list[Root]:
    """Each folder Hugo read content from, with its language."""
    module = config.get("module") if isinstance(config.get("module"), dict) else {}
    mounts = [m for m in (module or {}).get("mounts") or [] if isinstance(m, dict)
              and str(m.get("target", "")).strip("/").split("/")[0] == "content"]
    roots: list[Root] = []
    for mount in mounts:
        folder = (source / str(mount.get("source") or "")).resolve()
        if folder.is_dir() and folder.is_relative_to(source.resolve()):
            roots.append(Root(folder, str(mount.get("lang") or "").lower()))
    languages = config.get("languages") if isinstance(config.get("languages"), dict) else {}
    shared = False  # a language without contentDir reads the site's own
    for code, entry in (languages or {}).items():
        entry = _lower(entry) if isinstance(entry, dict) else {}
        if entry.get("contentdir"):
            folder = (source / str(entry["contentdir"])).resolve()
            if folder.is_dir() and folder.is_relative_to(source.resolve()) and \
                    all(r.folder != folder for r in roots):
                roots.append(Root(folder, str(code).lower()))
        elif entry.get("disabled") is not True:
            shared = True
    site_folder = source / str(config.get("contentdir") or "content")
    if not roots or (shared and not mounts and all(
            r.folder != site_folder.resolve() for r in roots)):
        roots.append(Root(site_folder, ""))
    return roots


def own_root(path: Path, roots: list[Root]) -> Root:
    """The root a file belongs to: the innermost one (`content/fr/` inside `content/`)."""
    return max((r for r in roots if path.is_relative_to(r.folder)),
               key=lambda r: len(r.folder.parts))


def language_prefix(language: str, config: dict[str, Any]) -> str:
    """`/ja` for a page in Japanese on a site whose default language is English."""
    if not language:
        return ""
    if language == default_language(config) and not config.get(
            "defaultcontentlanguageinsubdir"):
        return ""
    return "/" + language


def languages(config: dict[str, Any]) -> tuple[list[Language], set[str]]:
    """The site's languages (Hugo's `[languages.CODE]`, weight order) and the codes of the
    disabled ones (Hugo published nothing of those)."""
    found = config.get("languages") if isinstance(config.get("languages"), dict) else {}
    entries = [(str(code).lower(), _lower(entry) if isinstance(entry, dict) else {})
               for code, entry in (found or {}).items()]
    entries.sort(key=lambda e: (e[1].get("weight") if isinstance(e[1].get("weight"), int)
                                else 0, e[0]))
    params = config.get("params") if isinstance(config.get("params"), dict) else {}
    kept: list[Language] = []
    disabled = {str(c).lower() for c in config.get("disablelanguages") or []
                if isinstance(c, str)}
    for code, entry in entries:
        if entry.get("disabled") is True or code in disabled:
            disabled.add(code)
            continue
        own = _lower(entry["params"]) if isinstance(entry.get("params"), dict) else {}
        description = own.get("description") or entry.get("description") or (
            (params or {}).get("description") if code == default_language(config) else "")
        kept.append(Language(
            code, tag_of(code, entry.get("languagecode"), entry.get("locale")),
            title=str(entry.get("title") or own.get("title") or ""),
            description=str(description or ""),
            timezone=str(entry.get("timezone") or ""),
            base_url=str(entry.get("baseurl") or ""),
            menu=menu_of(entry.get("menus") or entry.get("menu")
                         or (config.get("menus") if code == default_language(config) else None))))
    return kept, disabled


def permalinks(config: dict[str, Any], language: str = "") -> dict[str, str]:
    """Section -> URL pattern: the site's `permalinks`, a language's own over them."""
    def patterns(found: Any) -> dict[str, str]:
        found = found if isinstance(found, dict) else {}
        if isinstance(found.get("page"), dict):  # [permalinks.page] (Hugo 0.114+)
            found = found["page"]
        return {str(k): str(v) for k, v in found.items() if isinstance(v, str)}
    languages = config.get("languages") if isinstance(config.get("languages"), dict) else {}
    entry = next((_lower(v) for k, v in (languages or {}).items()
                  if str(k).lower() == language and isinstance(v, dict)), {})
    return {**patterns(config.get("permalinks")), **patterns(entry.get("permalinks"))}
