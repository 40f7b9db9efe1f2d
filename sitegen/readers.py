"""Layer 3. Markdown sources -> `Article` values, with every problem located.

`read_source` is a module-level function of picklable arguments so the build
can run it in worker processes. It never raises for bad input: it returns the
problems it found, each with the line inside the file (a YAML error's line is
counted from the top of the .md file, not from the start of the front matter).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from sitegen import pictures, urls
from sitegen.config import Config
from sitegen.dates import to_aware
from sitegen.errors import Problem, did_you_mean
from sitegen.images import image_size, static_file
from sitegen.markup import render_markdown
from sitegen.model import Article, Image

try:  # The C loader is several times faster; both are the *safe* loader.
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]

PAGES_DIR = "pages"
STATIC_DIR = "static"
_NOT_SECTIONS = {PAGES_DIR, STATIC_DIR}

STRING_KEYS = ("title", "summary", "image", "image_alt", "image_caption", "image_credit",
               "image_copyright", "image_focus", "slug", "location", "author")
LIST_KEYS = ("authors", "tags", "aliases")
BOOL_KEYS = ("draft", "featured")
DATE_KEYS = ("date", "updated", "expires")
KNOWN_KEYS = frozenset(STRING_KEYS + LIST_KEYS + BOOL_KEYS + DATE_KEYS)


def content_dir(config: Config) -> Path:
    return config.root / "content"


def static_dir(config: Config) -> Path:
    return content_dir(config) / STATIC_DIR


def discover(config: Config) -> list[Path]:
    """Every Markdown source, sorted so that builds are deterministic."""
    top = content_dir(config)
    if not top.is_dir():
        return []
    found = []
    # os.walk's entries know whether they are files: no extra stat per file.
    for folder, dirs, files in os.walk(top):
        if folder == str(top):
            dirs[:] = [d for d in dirs if d != STATIC_DIR]
        found.extend(f"{folder}/{name}" for name in files if name.endswith(".md"))
    return [Path(name) for name in sorted(found)]


@dataclass(frozen=True)
class FrontMatter:
    data: dict[str, Any]
    lines: tuple[str, ...]
    """The front matter's lines; line i of the file is lines[i - 2]."""
    body: str


def split_front_matter(raw: bytes, where: str) -> tuple[FrontMatter | None, list[Problem]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(where, line, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}): "
                              "save the file with UTF-8 encoding")]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, [Problem(where, 1, "no front matter: the file must start with a line '---', "
                              "then title: and date:, then another '---'")]
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in {"---", "..."}), None)
    if close is None:
        return None, [Problem(where, 1, "front matter is never closed: add a line '---' after it")]
    head = lines[1:close]
    try:
        data = yaml.load("\n".join(head), Loader=SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark else 2
        reason = exc.problem or "invalid YAML"
        return None, [Problem(where, line, f"invalid YAML in front matter: {reason}"
                              + _yaml_hint(reason))]
    except yaml.YAMLError as exc:
        return None, [Problem(where, 2, f"invalid YAML in front matter: {exc}")]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [Problem(where, 2, "front matter must be a mapping of keys to values, "
                              "such as 'title: ...'")]
    return FrontMatter(data, tuple(head), "\n".join(lines[close + 1:])), []


def _yaml_hint(reason: str) -> str:
    if "could not determine a constructor" in reason:
        return " (tags like !!python/... are not allowed; write plain values)"
    if "mapping values are not allowed" in reason:
        return " (put values that contain ': ' in double quotes)"
    return ""


def read_source(path: Path, config: Config) -> tuple[Article | None, list[Problem]]:
    """Parse, validate and render one source file."""
    where = path.relative_to(config.root).as_posix()
    front, problems = split_front_matter(path.read_bytes(), where)
    if front is None:
        return None, problems
    data = front.data

    def line_of(key: str) -> int:
        pattern = re.compile(rf"^{re.escape(key)}\s*:")
        return next((i + 2 for i, text in enumerate(front.lines) if pattern.match(text)), 2)

    def problem(key: str, message: str, warning: bool = False) -> None:
        problems.append(Problem(where, line_of(key), message, warning))

    for key in data:
        if key not in KNOWN_KEYS:
            suggestion = did_you_mean(str(key), KNOWN_KEYS)
            problem(str(key), f"unknown front matter key '{key}'{suggestion}"
                    " (it is ignored; --strict makes this an error)", warning=True)
    values = _typed_values(data, problem)
    relative = path.relative_to(content_dir(config))
    is_page = relative.parts[0] == PAGES_DIR
    if len(relative.parts) < 2:
        problems.append(Problem(where, 1, "an article must be in a section folder, such as "
                                "content/ekonomi/"))
        return None, problems
    section = "" if is_page else relative.parts[0]
    tz = ZoneInfo(config.site.timezone)
    title = values.get("title", "")
    if not title.strip():
        problem("title", "missing title: add 'title: \"...\"' to the front matter")
    dates = {}
    for key in DATE_KEYS:
        if key in data:
            dates[key] = to_aware(data[key], tz)
            if dates[key] is None:
                problem(key, f"{key} '{data[key]}' is not a date: write it as 2017-01-10 09:00 "
                        "(site time zone) or 2017-01-10T09:00:00+07:00")
    if "date" not in data and not is_page:
        problem("date", "missing date: add 'date: 2017-01-10 09:00' to the front matter")
    slug = values.get("slug") or urls.slugify(path.stem)
    if not urls.is_valid_slug(slug):
        problem("slug", f"slug '{slug}' may only contain letters, digits and hyphens")
    if "author" in data and "authors" in data:
        problem("authors", "use either author or authors, not both")
    authors = (values["author"],) if values.get("author") else values.get("authors", ())
    aliases = []
    for alias in values.get("aliases", ()):
        cleaned = urls.clean_site_path(alias)
        if cleaned is None:
            problem("aliases", f"alias '{alias}' must be a path on this site starting with '/' "
                    "and without '..' or '\\'")
        else:
            aliases.append(cleaned)
    for key in ("tags", "authors", "author"):
        named = values.get(key, ())
        for name in (named,) if isinstance(named, str) else named:
            if name.strip() and not urls.slugify(name):
                problem(key, f"{key} '{name}' needs at least one letter or digit "
                        "(it names a page of the site)")
    image = _hero_image(values, config, problem)
    if [p for p in problems if not p.warning]:
        return None, problems
    date = dates.get("date")
    if is_page:
        site_path = config.permalinks.page.format(slug=slug)
    else:
        assert date is not None
        site_path = urls.article_path(config.permalinks.article, section, slug, date)
    rendered = render_markdown(front.body, config.base_path, str(static_dir(config)),
                               config.site.language, config.images)
    body_line = len(front.lines) + 3  # the opening '---', the front matter, the closing one
    problems.extend(Problem(where, body_line + line - 1, message)
                    for line, message in rendered.problems)
    if rendered.problems:
        return None, problems
    return Article(
        source=where, section=section, slug=slug, path=site_path, title=title.strip(),
        date=date, updated=dates.get("updated"), expires=dates.get("expires"),
        body_html=rendered.html, toc_html=rendered.toc_html,
        summary=values.get("summary", "").strip() or rendered.first_paragraph,
        word_count=rendered.word_count, reading_time=rendered.reading_time,
        authors=tuple(a.strip() for a in authors if a.strip()),
        tags=tuple(dict.fromkeys(t.strip() for t in values.get("tags", ()) if t.strip())),
        image=image, draft=values.get("draft", False), featured=values.get("featured", False),
        location=values.get("location", "").strip(), aliases=tuple(aliases),
        pictures=tuple(Image(**picture) for picture in rendered.pictures),
    ), problems


def _typed_values(data: dict[str, Any], problem: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in STRING_KEYS:
        if key in data:
            if isinstance(data[key], (str, int, float)) and not isinstance(data[key], bool):
                values[key] = str(data[key])
            else:
                problem(key, f"{key} must be text")
    for key in LIST_KEYS:
        if key in data:
            value = data[key]
            value = [value] if isinstance(value, str) else value
            if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
                values[key] = tuple(str(v) for v in value)
            else:
                problem(key, f"{key} must be a list of text, such as [Satu, Dua]")
    for key in BOOL_KEYS:
        if key in data:
            if isinstance(data[key], bool):
                values[key] = data[key]
            else:
                problem(key, f"{key} must be true or false")
    return values


def _hero_image(values: dict[str, Any], config: Config, problem: Any) -> Image | None:
    src = values.get("image")
    if not src:
        return None
    size = image_size(str(static_dir(config)), src)
    if size is None:
        problem("image", f"image '{src}' is not an image file under content/static/ "
                "(write it as /images/name.jpg for content/static/images/name.jpg)")
        return None
    if not values.get("image_alt", "").strip():
        problem("image", "the hero image has no image_alt: describe it for readers who cannot "
                "see it", warning=True)
    if size[0] < pictures.SHARE_WIDTH:
        problem("image", f"the hero image '{src}' is {size[0]} px wide: Google Discover and "
                f"social networks show large previews only for images at least "
                f"{pictures.SHARE_WIDTH} px wide; use a larger original", warning=True)
    focus = _focus(values.get("image_focus", "0.5,0.5"))
    if focus is None:
        problem("image_focus", f"image_focus '{values['image_focus']}' must be two fractions "
                "of the width and the height, such as \"0.3,0.4\" (0,0 is the top left)")
    path = static_file(str(static_dir(config)), src)
    digest = pictures.source_digest(path) if path and pictures.resizable(src) else ""
    return Image(src=src, alt=values.get("image_alt", "").strip(),
                 caption=values.get("image_caption", "").strip(),
                 credit=values.get("image_credit", "").strip(), width=size[0], height=size[1],
                 digest=digest, focus=focus or (0.5, 0.5),
                 copyright=values.get("image_copyright", "").strip())


def _focus(text: str) -> tuple[float, float] | None:
    """`"0.3,0.4"` -> (0.3, 0.4): where the crops keep their centre."""
    try:
        x, y = (float(part) for part in text.split(","))
    except ValueError:
        return None
    return (x, y) if 0 <= x <= 1 and 0 <= y <= 1 else None
