"""The old site's identity: its language, time zone and address go to sitegen.toml.

A site imported into a fresh sitegen site (no article yet) takes the old
site's `language`, `timezone` and `base_url` from the source's own config:
Jekyll's `lang`/`locale`, `timezone`, `url` + `baseurl`; Hugo's
`languageCode`/`defaultContentLanguage`, `timeZone`, `baseURL`; the
WordPress export's `<language>` and `<link>`. Only those three keys of
`[site]` are rewritten, in place, and each change is in the report; a
site that has articles already keeps its settings (the report says how
the old site differed), and so does any site with `--keep-settings`.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from sitegen.config import CONFIG_NAME, Config
from sitegen.importers import hugo_site
from sitegen.importers.report import Report
from sitegen.readers import content_dir, is_language

KEYS = ("language", "timezone", "base_url")


def of_source(kind: str, source: Path) -> dict[str, str]:
    """What the old site says about itself: {key: value, "from": the file}."""
    found: dict[str, Any] = {}
    try:
        if kind == "jekyll" and (source / "_config.yml").is_file():
            data = yaml.safe_load((source / "_config.yml").read_text(encoding="utf-8-sig"))
            data = data if isinstance(data, dict) else {}
            # jekyll-polyglot's `default_lang` is the language of the site's root.
            listed: list[Any] = data["languages"] if isinstance(data.get("languages"),
                                                                 list) else []
            found = {"language": data.get("default_lang") or data.get("lang")
                     or data.get("locale") or data.get("language") or next(iter(listed), None),
                     "timezone": data.get("timezone"),
                     "base_url": str(data.get("url") or "").rstrip("/") + "/" +
                     str(data.get("baseurl") or "").strip("/") if data.get("url") else None,
                     "from": "_config.yml"}
        elif kind == "hugo":
            data = hugo_site.settings(source, Report("hugo"))
            default = next((lang.tag for lang in hugo_site.languages(data)[0]
                            if lang.code == hugo_site.default_language(data)), None)
            found = {"language": data.get("languagecode") or default
                     or data.get("defaultcontentlanguage"),
                     "timezone": data.get("timezone"), "base_url": data.get("baseurl"),
                     "from": "the Hugo config"}
        elif kind == "wordpress":
            channel = ET.parse(source).getroot().find("channel")
            if channel is not None:
                found = {"language": channel.findtext("language"),
                         "base_url": channel.findtext("link"), "from": source.name}
    except (OSError, ValueError, yaml.YAMLError, tomllib.TOMLDecodeError, ET.ParseError):
        return {}
    return {k: str(v).strip() for k, v in found.items() if v and str(v).strip()}


def _valid(key: str, value: str) -> str | None:
    """The value as sitegen.toml wants it, or None when sitegen would refuse it."""
    if key == "language":
        value = value.replace("_", "-")
        return value if is_language(value) else None
    if key == "timezone":
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            return None
        return value
    if re.match(r"^https?://[^/\s]+(/\S*)?$", value):
        return re.sub(r"/+$", "", value) + "/"
    return None


def adopt(config: Config, kind: str, source: Path, report: Report, keep: bool,
          dry_run: bool) -> Config:
    """sitegen.toml with the old site's identity (when the site is fresh); the new config."""
    found = of_source(kind, source)
    origin = found.pop("from", "the old site")
    current = {"language": config.site.language, "timezone": config.site.timezone,
               "base_url": config.site.base_url}
    wanted = {k: v for k, raw in found.items() if (v := _valid(k, raw)) and v != current[k]}
    if not wanted:
        return config
    fresh = not any(content_dir(config).rglob("*.md")) if content_dir(config).is_dir() else True
    if keep or not fresh:
        for key, value in wanted.items():
            report.notes.append(f"# the old site's {key} ({origin}) was {value!r}; "
                                f"sitegen.toml keeps {current[key]!r}\n[site]\n{key} = "
                                f'"{value}"')
        return config
    path = config.root / CONFIG_NAME
    text = path.read_text(encoding="utf-8")
    for key, value in wanted.items():
        text = _set(text, key, value)
        report.converted(CONFIG_NAME, 0, f"site.{key} = {value!r} (was {current[key]!r}), "
                         f"from {origin}")
    if not dry_run:
        path.write_text(text, encoding="utf-8")
    site = dataclasses.replace(config.site, **wanted)
    return dataclasses.replace(config, site=site)


def _set(text: str, key: str, value: str) -> str:
    """`key = "value"` in the `[site]` table: replaced where it is, else added to it."""
    line = f'{key} = "{value}"'
    section = re.search(r"^\[site\][ \t]*\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
    if section is None:
        return f"[site]\n{line}\n\n" + text
    body = section.group(1)
    if re.search(rf"^{key}\s*=.*$", body, re.M):
        body = re.sub(rf"^{key}\s*=.*$", line.replace("\\", "\\\\"), body, count=1, flags=re.M)
    else:
        body = line + "\n" + body
    return text[:section.start(1)] + body + text[section.end(1):]
