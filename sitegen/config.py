"""Layer 1. `sitegen.toml` -> a frozen, validated `Config`.

The file is read with tomllib and checked against the schema (config_schema.py),
then its values are judged (config_checks.py). Every problem is collected (never
just the first), each with the line it is on, and unknown keys are errors with a
suggestion: a typo must never be silently ignored. `[params]` is the one free-form
table, handed to themes untouched.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

from sitegen.ads import AdsConfig, AnalyticsConfig
from sitegen.config_checks import check_editions, check_semantics
from sitegen.config_checks import cluster_problem as cluster_problem
from sitegen.config_schema import CONFIG_NAME as CONFIG_NAME
from sitegen.config_schema import (
    PERMALINK_FIELDS,
    AuthorConfig,
    BreakingConfig,
    BuildConfig,
    CmsConfig,
    ContentConfig,
    DeployConfig,
    EditionConfig,
    ImagesConfig,
    MarkdownConfig,
    MenuItem,
    Permalinks,
    SectionConfig,
    SiteConfig,
    StaticConfig,
    normalise_base_url,
)
from sitegen.config_schema import Config as Config
from sitegen.errors import Problem, SitegenError, did_you_mean

# Tables that hold one sub-table per user-chosen key.
_KEYED_TABLES = {"sections": SectionConfig, "authors": AuthorConfig}
_SIMPLE_TABLES = {"site": SiteConfig, "build": BuildConfig, "permalinks": Permalinks,
                  "markdown": MarkdownConfig, "breaking": BreakingConfig,
                  "deploy": DeployConfig, "cms": CmsConfig, "content": ContentConfig,
                  "images": ImagesConfig, "static": StaticConfig,
                  "ads": AdsConfig, "analytics": AnalyticsConfig}
_TOP_KEYS = [*_SIMPLE_TABLES, *_KEYED_TABLES, "menu", "params", "editions"]


def load_config(root: Path) -> Config:
    """Read `root/sitegen.toml`; raise SitegenError listing every problem."""
    path = root / CONFIG_NAME
    if not path.is_file():
        raise SitegenError(
            [Problem(str(path), 0, "no sitegen.toml here: run `sitegen init DIR` to start a site")]
        )
    text = path.read_bytes().decode("utf-8", errors="replace")
    return parse_config(text, root.resolve(), str(path))


def parse_config(text: str, root: Path, path: str = CONFIG_NAME) -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 0
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise SitegenError([Problem(path, line, f"invalid TOML: {message}")]) from None
    lines = _key_lines(text)
    problems: list[Problem] = []

    def report(keys: tuple[Any, ...], message: str) -> None:
        problems.append(Problem(path, _nearest_line(lines, keys), message))

    for key in data:
        if key not in _TOP_KEYS:
            report((key,), f"unknown table or key '{key}'{did_you_mean(key, _TOP_KEYS)}")
    values: dict[str, Any] = {}
    breaking = data.get("breaking")
    if isinstance(breaking, dict) and isinstance(breaking.get("until"), (dt.date, dt.time)):
        # A TOML date-time (until = 2026-11-28T18:00:00+07:00) is as good as the text form.
        breaking["until"] = breaking["until"].isoformat()
    for name, cls in _SIMPLE_TABLES.items():
        values[name] = _make(cls, data.get(name, {}), (name,), report)
    for name, cls in _KEYED_TABLES.items():
        table = data.get(name, {})
        if not isinstance(table, dict):
            report((name,), f"[{name}] must be a table")
            table = {}
        values[name] = {k: _make(cls, v, (name, k), report) for k, v in table.items()}
    menu = data.get("menu", [])
    if not isinstance(menu, list):
        report(("menu",), "menu must be written as [[menu]] entries with name and url")
        menu = []
    values["menu"] = tuple(_make(MenuItem, m, ("menu", i), report) for i, m in enumerate(menu))
    params = data.get("params", {})
    if not isinstance(params, dict):
        report(("params",), "[params] must be a table")
        params = {}
    values["editions"] = _editions(data.get("editions", {}), report)
    config = Config(root=root, params=params, **values)
    check_semantics(config, report)
    check_editions(config, report)
    if problems:
        raise SitegenError(problems)
    site = dataclasses.replace(config.site, base_url=normalise_base_url(config.site.base_url))
    images = dataclasses.replace(config.images, site_url=site.base_url)
    return dataclasses.replace(config, site=site, images=images)


def _editions(table: Any, report: Any) -> dict[str, EditionConfig]:
    """`[editions.<key>]` tables, each with its own `sections` and `[[menu]]`."""
    if not isinstance(table, dict):
        report(("editions",), "[editions] must be a table of editions, such as [editions.en]")
        return {}
    found = {}
    for key, value in table.items():
        if not isinstance(value, dict):
            report(("editions", key), f"[editions.{key}] must be a table")
            continue
        plain = {k: v for k, v in value.items() if k not in ("sections", "menu", "permalinks")}
        edition = _make(EditionConfig, plain, ("editions", key), report)
        sections = value.get("sections", {})
        if not isinstance(sections, dict):
            report(("editions", key, "sections"), f"[editions.{key}.sections] must be a table")
            sections = {}
        menu = value.get("menu", [])
        if not isinstance(menu, list):
            report(("editions", key, "menu"), f"write the menu as [[editions.{key}.menu]] "
                   "entries with name and url")
            menu = []
        given = value.get("permalinks", {})
        if not isinstance(given, dict):
            report(("editions", key, "permalinks"), f"[editions.{key}.permalinks] must be a "
                   "table")
            given = {}
        made = _make(Permalinks, given, ("editions", key, "permalinks"), report)
        found[key] = dataclasses.replace(
            edition, permalinks={k: getattr(made, k) for k in given
                                 if k in PERMALINK_FIELDS and isinstance(given[k], str)},
            sections={s: _make(SectionConfig, v, ("editions", key, "sections", s),
                                        report) for s, v in sections.items()},
            menu=tuple(_make(MenuItem, m, ("editions", key, "menu", i), report)
                       for i, m in enumerate(menu)))
    return found


def _make(cls: type, table: Any, keys: tuple[Any, ...], report: Any) -> Any:
    """Build one config dataclass from a TOML table, reporting type errors and unknown keys."""
    where = ".".join(str(k) for k in keys)
    if not isinstance(table, dict):
        report(keys, f"[{where}] must be a table")
        return cls()
    fields = {f.name: f for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in table.items():
        if key not in fields or fields[key].metadata.get("internal"):
            report((*keys, key), f"unknown key '{key}' in [{where}]{did_you_mean(key, fields)}")
            continue
        expected = type(getattr(cls(), key))
        if expected is tuple and isinstance(value, list):  # TOML arrays, kept immutable
            value = tuple(value)
        # bool is an int subclass in Python, but `items_per_page = true` is a mistake.
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            kind = "a list of text" if expected is tuple else expected.__name__
            report((*keys, key), f"{where}.{key} must be {kind}, not {value!r}")
            continue
        kwargs[key] = value
    return cls(**kwargs)


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"'.]+)\s*=")


def _key_lines(text: str) -> dict[tuple[Any, ...], int]:
    """Map key paths such as ('site', 'title') or ('menu', 0, 'url') to their line numbers."""
    lines: dict[tuple[Any, ...], int] = {}
    table: tuple[Any, ...] = ()
    counts: dict[tuple[str, ...], int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if header := _HEADER.match(raw):
            parts = tuple(p.strip().strip("\"'") for p in header.group(2).split("."))
            if header.group(1) == "[[":
                index = counts[parts] = counts.get(parts, -1) + 1
                parts = (*parts, index)
            table = parts
            lines.setdefault(table, number)
        elif key := _KEY.match(raw):
            parts = tuple(p.strip().strip("\"'") for p in key.group(1).split("."))
            lines.setdefault((*table, *parts), number)
    return lines


def _nearest_line(lines: dict[tuple[Any, ...], int], keys: tuple[Any, ...]) -> int:
    while keys:
        if keys in lines:
            return lines[keys]
        keys = keys[:-1]
    return 0
