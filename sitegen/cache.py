"""Layer 6. The persistent build cache (`.sitegen-cache/`), keyed by hashes of full inputs.

Two tables:
- read: source path -> (key, Article). The key hashes the source bytes, the
  config values reading uses, the static files' sizes, sitegen's and the
  Markdown libraries' versions. A hit skips YAML and Markdown.
- render: output file -> key. The key hashes the theme's templates and the
  page's whole context, so a page is re-rendered exactly when something it
  can show changed, without tracking dependencies.
Keys are never trusted blindly: a damaged file or one from another version is
ignored with a warning and the build starts from scratch. The tables also
live on in memory between builds of one process, so `sitegen serve` keeps the
site model instead of reloading it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import pickle
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import markdown
import pygments

from sitegen import __version__
from sitegen.config import Config
from sitegen.errors import Problem
from sitegen.model import Article, Image

CACHE_VERSION = 1
_READS = "reads.json"
_RENDERS = "renders.json"
# Builds of one process share tables through this, keyed by cache folder.
_MEMORY: dict[Path, tuple[str, dict[str, Any], dict[str, Any]]] = {}


def salt() -> str:
    """Everything global that changes what the cache holds."""
    return "|".join([str(CACHE_VERSION), __version__, markdown.__version__, pygments.__version__,
                     f"{sys.version_info.major}.{sys.version_info.minor}"])


def read_key(source: bytes, relative: str, config: Config, static_stamp: str) -> str:
    digest = hashlib.sha256()
    for part in (salt(), relative, config.base_path, config.site.timezone, config.site.language,
                 config.permalinks.article, config.permalinks.page, static_stamp):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(source)
    return digest.hexdigest()


def static_stamp(static_dir: Path) -> str:
    """Names, sizes and times of the static files (images are sized from them while reading)."""
    digest = hashlib.sha256()
    if static_dir.is_dir():
        for path in sorted(static_dir.rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path.relative_to(static_dir)}:{stat.st_size}:"
                              f"{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def render_key(theme_stamp: str, templates: tuple[str, ...], context: dict[str, Any]) -> str:
    digest = hashlib.sha256(theme_stamp.encode())
    digest.update("\0".join(templates).encode())
    # pickle is only hashed here, never loaded: it is fast and deterministic for the
    # plain data in a context (equal data in equal order gives equal bytes).
    digest.update(pickle.dumps(context, protocol=5))
    return digest.hexdigest()


def theme_stamp(theme_paths: list[Path]) -> str:
    """A hash of every template and translation file of a theme chain."""
    digest = hashlib.sha256(salt().encode())
    for root in theme_paths:
        for folder in ("templates", "i18n"):
            for path in sorted((root / folder).rglob("*")):
                if path.is_file():
                    digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                    digest.update(path.read_bytes())
    return digest.hexdigest()


class BuildCache:
    """The two tables, loaded at the start of a build and saved at its end.

    They are two files: the read table is large (every article's HTML) and is
    rewritten only when an article changed; the render table is small.
    """

    def __init__(self, directory: Path | None, timezone: str) -> None:
        self.directory = directory
        self.zone = ZoneInfo(timezone)
        self.reads: dict[str, tuple[str, Article, list[Problem]]] = {}
        # Per output folder: `serve` and `build` write different folders from one cache.
        self.renders: dict[str, dict[str, str]] = {}
        self.warnings: list[Problem] = []
        self.reads_changed = False
        if directory is None:
            return
        remembered = _MEMORY.get(directory)
        if remembered and remembered[0] == salt():
            self.reads, self.renders = dict(remembered[1]), dict(remembered[2])
            return
        self.reads = self._load(directory / _READS, self._reads_from_json) or {}
        self.renders = self._load(directory / _RENDERS, _renders_from_json) or {}

    def _load(self, path: Path, decode: Any) -> Any:
        if not path.is_file():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("salt") != salt():
                raise ValueError("it was written by another version")
            return decode(data["table"])
        except Exception as exc:  # any damage means: do not trust it
            self.reads_changed = True
            self.warnings.append(Problem(str(path), 0, f"ignoring the build cache "
                                         f"({type(exc).__name__}: {exc}); it is rebuilt",
                                         warning=True))
            return None

    def _reads_from_json(self, table: dict[str, Any]) -> dict[str, Any]:
        return {name: (key, _article_from_json(value, self.zone), [Problem(*p) for p in problems])
                for name, (key, value, problems) in table.items()}

    def article(self, relative: str, key: str) -> tuple[Article, list[Problem]] | None:
        hit = self.reads.get(relative)
        return (hit[1], hit[2]) if hit and hit[0] == key else None

    def remember_article(self, relative: str, key: str, article: Article,
                         problems: list[Problem]) -> None:
        self.reads[relative] = (key, article, problems)
        self.reads_changed = True

    def unchanged_render(self, folder: Path, output: str, key: str) -> bool:
        return self.renders.get(str(folder), {}).get(output) == key

    def forget_renders(self) -> None:
        """Called before the output changes: if the build dies while files move, a stale
        render table would claim pages are up to date that are not."""
        if self.directory is not None:
            (self.directory / _RENDERS).unlink(missing_ok=True)

    def finish(self, sources: set[str], folder: Path, renders: dict[str, str]) -> None:
        """Keep entries of this build only (deleted sources vanish) and save."""
        stale = set(self.reads) - sources
        for name in stale:
            del self.reads[name]
        self.reads_changed |= bool(stale)
        self.renders[str(folder)] = renders
        if self.directory is None:
            return
        _MEMORY[self.directory] = (salt(), dict(self.reads), dict(self.renders))
        self.directory.mkdir(parents=True, exist_ok=True)
        if self.reads_changed or not (self.directory / _READS).is_file():
            _save(self.directory / _READS, {
                name: [key, _article_to_json(a), [list(dataclasses.astuple(p)) for p in problems]]
                for name, (key, a, problems) in sorted(self.reads.items())})
        _save(self.directory / _RENDERS, self.renders)


def _save(path: Path, table: Any) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps({"salt": salt(), "table": table}, ensure_ascii=False),
                         encoding="utf-8")
    os.replace(temporary, path)


def _renders_from_json(table: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {str(folder): {str(k): str(v) for k, v in entries.items()}
            for folder, entries in table.items()}


def _article_to_json(article: Article) -> dict[str, Any]:
    data = {f.name: getattr(article, f.name) for f in dataclasses.fields(article)}
    for key in ("date", "updated", "expires"):
        if data[key] is not None:
            data[key] = data[key].isoformat()
    if article.image is not None:
        data["image"] = dataclasses.asdict(article.image)
    return data


def _article_from_json(data: dict[str, Any], zone: ZoneInfo) -> Article:
    values = dict(data)
    for key in ("date", "updated", "expires"):
        if values[key] is not None:
            # The zone (not just the offset) is what gives "WIB" back.
            values[key] = dt.datetime.fromisoformat(values[key]).astimezone(zone)
    for key in ("authors", "tags", "aliases"):
        values[key] = tuple(values[key])
    if values["image"] is not None:
        values["image"] = Image(**values["image"])
    return Article(**values)
