"""Layer 3. Theme chains, their parameters and their static files.

A theme is a folder with templates/, static/, i18n/ and theme.toml; it may
extend a parent. A site overrides any file of a theme by making its own theme
that extends it and holds only the files it changes: one mechanism for both.
Themes are looked up in the site's themes/ folder first, then among the
themes shipped with sitegen. The Jinja environment made from a chain is
template_environment.py's; its interface strings, interface_strings.py's.
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen import sitefiles
from sitegen.config import Config
from sitegen.errors import Problem, SitegenError, did_you_mean, errors_only

_PACKAGE = Path(__file__).resolve().parent
# A wheel carries the themes inside the package; a source checkout has them beside it.
BUILTIN_THEMES = (_PACKAGE / "themes" if (_PACKAGE / "themes").is_dir()
                  else _PACKAGE.parent / "themes")
FINGERPRINTED = {".css", ".js"}
# What theme.toml may hold, and the type of each.
THEME_KEYS: dict[str, type] = {"name": str, "extends": str, "params": dict}


@dataclass(frozen=True)
class Theme:
    name: str
    path: Path
    params: dict[str, Any]


def _theme_dirs(config: Config) -> list[Path]:
    return [config.root / "themes", BUILTIN_THEMES]


def resolve_chain(config: Config) -> tuple[Theme, ...]:
    """The theme and its ancestors, child first."""
    chain: list[Theme] = []
    problems: list[Problem] = []
    name, asked_by = config.build.theme, "sitegen.toml"
    while name:
        if any(t.name == name for t in chain):
            cycle = " -> ".join([*(t.name for t in chain), name])
            message = f"themes extend each other in a cycle: {cycle}"
            raise SitegenError([Problem(asked_by, 0, message)])
        if not _THEME_NAME.fullmatch(name) or name in {".", ".."}:
            raise SitegenError([Problem(asked_by, 0, f"theme '{name}' must be the name of a "
                                        "folder in themes/, such as 'mine' (no paths)")])
        path = next((d / name for d in _theme_dirs(config) if (d / name / "theme.toml").is_file()),
                    None)
        if path is not None and not path.is_relative_to(BUILTIN_THEMES):
            _stay_inside(path, config.root)
        if path is None:
            available = sorted({p.parent.name for d in _theme_dirs(config) if d.is_dir()
                                for p in d.glob("*/theme.toml")})
            raise SitegenError([Problem(asked_by, 0, f"theme '{name}' not found"
                                        f"{did_you_mean(name, available)}; available themes: "
                                        f"{', '.join(available) or 'none'}")])
        toml_path = path / "theme.toml"
        try:
            data = tomllib.loads(toml_path.read_text("utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise SitegenError([*problems, Problem(str(toml_path), 0, f"invalid TOML: {exc}")]
                               ) from None
        problems += _theme_problems(data, toml_path, display_path(str(toml_path), config.root))
        if not isinstance(data.get("extends", ""), str):
            break  # where the chain goes on is unknown
        params = data.get("params", {})
        chain.append(Theme(name, path, dict(params) if isinstance(params, dict) else {}))
        name, asked_by = str(data.get("extends", "")), str(toml_path)
    if problems:
        raise SitegenError(problems)
    return tuple(chain)


_THEME_NAME = re.compile(r"[\w.-]+")


def _stay_inside(theme: Path, root: Path) -> None:
    """A site's theme (templates, translations, static files) never leads outside the site."""
    problems = []
    if not sitefiles.inside(theme, root):
        problems.append(Problem(theme.relative_to(root).as_posix(), 0,
                                f"the theme is a link to {theme.resolve()}, outside the site: "
                                "copy the theme into themes/ instead"))
    else:
        # Its static files are skipped with a warning like the site's; a template or a
        # translation cannot be left out, so a link out of the site there is an error.
        walked = sitefiles.walk(theme, root, root, skip=frozenset({"static"}),
                                outside_is_error=True)
        problems = errors_only(walked[1])
    if problems:
        raise SitegenError(problems)
def _theme_problems(data: dict[str, Any], toml_path: Path, where: str) -> list[Problem]:
    """Unknown keys (with a suggestion) and wrong types in one theme.toml, all at once."""
    lines = toml_path.read_text("utf-8").splitlines()

    def line_of(key: str) -> int:
        for number, text in enumerate(lines, start=1):
            stripped = text.strip()
            if stripped.startswith(f"[{key}]") or stripped.split("=")[0].strip() == key:
                return number
        return 0

    problems = []
    for key, value in data.items():
        expected = THEME_KEYS.get(key)
        if expected is None:
            problems.append(Problem(where, line_of(key), f"unknown key '{key}' in "
                                    f"theme.toml{did_you_mean(key, THEME_KEYS)}"))
        elif not isinstance(value, expected):
            kind = "a table" if expected is dict else "text"
            problems.append(Problem(where, line_of(key),
                                    f"{key} in theme.toml must be {kind}, not {value!r}"))
    return problems


def display_path(path: str, root: Path) -> str:
    """`path` relative to the site's `root` (resolved), as messages show it; else as it is.
    Strings, not Paths: it is asked of every static file, a photo a story, and pathlib
    interns each part of a name, which grows the interpreter's table of names with the
    archive (sitefiles.StaticFiles)."""
    real, top = os.path.realpath(path), str(root).rstrip(os.sep)
    if real == top or real == str(root):
        return "."
    if real.startswith(top + os.sep):
        return real[len(top) + 1:].replace(os.sep, "/")
    return path


def merged_params(chain: tuple[Theme, ...], config: Config) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for theme in reversed(chain):
        params.update(theme.params)
    params.update(config.params)
    return params


def static_files(chain: tuple[Theme, ...], site_static: Path,
                 problems: list[Problem] | None = None) -> sitefiles.StaticFiles:
    """Output path -> source file; the site's own static files win, then child themes.

    Nothing is taken from outside the site (or from outside a shipped theme's
    folder): such links, and special files, are added to `problems`.
    """
    root = site_static.parent.parent
    files: dict[str, str] = {}
    for folder in [*(t.path / "static" for t in reversed(chain)), site_static]:
        allowed = BUILTIN_THEMES if folder.is_relative_to(BUILTIN_THEMES) else root
        found, trouble = sitefiles.walk_names(folder, allowed, root)
        if problems is not None:
            problems.extend(trouble)
        start = len(str(folder)) + 1  # the walk's names begin with the folder's
        for path in found:
            files[path[start:].replace(os.sep, "/")] = path
    return sitefiles.StaticFiles(files)


def fingerprint(files: Mapping[str, Path]) -> dict[str, str]:
    """Give CSS and JS names that carry a hash of their content, so they can be cached forever.

    Returns original name -> output name for every static file.
    """
    return {name: fingerprinted_name(name, path.read_bytes())
            if path.suffix in FINGERPRINTED else name for name, path in files.items()}


def asset_names(files: sitefiles.StaticFiles, site_static: Path) -> dict[str, str]:
    """Original name -> output name of the static files `site.assets` holds (its other
    names it answers by name, value_views.AssetURLs): the themes' files, and every CSS,
    JS (whose names carry their content's hash) and HTML file (the host files' page
    patterns name their folders). Not the site's photos and documents: every page's
    inputs include `site.assets`, and a newsroom uploads a photo with each story."""
    prefix = f"{site_static}{os.sep}"
    named = {}
    for name, path in files.files():
        suffix = os.path.splitext(name)[1]
        if suffix in FINGERPRINTED:
            with open(path, "rb") as stream:
                named[name] = fingerprinted_name(name, stream.read())
        elif suffix in (".html", ".htm") or not path.startswith(prefix):
            named[name] = name
    return named


def fingerprinted_name(name: str, data: bytes) -> str:
    """The output name of a CSS or JS file with this content: style.5fe18dec5c.css."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or f".{suffix}" not in FINGERPRINTED:
        return name
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}.{suffix}"
