"""Layer 2.6. A source's front matter: split from the body, parsed with YAML's safe
loader (without its timestamps: `sitegen.dates` reads every date), each problem at its
line in the .md file; the keys sitegen reads and each value's type checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from sitegen import newsroom, sanitize
from sitegen.errors import Problem
from sitegen.messages import ntr, tr

try:  # The C loader is several times faster; both are the *safe* loader.
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]


class _FrontMatterLoader(SafeLoader):
    """The safe loader without YAML's timestamps: `sitegen.dates` reads every date, so
    each notation means one thing (`21.30` is 21:30) and an impossible date such as
    2017-02-30 is a problem of its file, not an exception inside PyYAML."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in SafeLoader.yaml_implicit_resolvers.items()
}

STRING_KEYS = ("title", "summary", "image", "image_alt", "image_caption", "image_credit",
               "image_copyright", "image_focus", "slug", "location", "author", "lang",
               "edition", "translation_key", "translation_of")
LIST_KEYS = ("authors", "tags", "aliases")
BOOL_KEYS = ("draft", "featured")
DATE_KEYS = ("date", "updated", "expires")
KNOWN_KEYS = frozenset(STRING_KEYS + LIST_KEYS + BOOL_KEYS + DATE_KEYS + newsroom.KEYS)


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
        return None, [Problem(where, line, tr("not valid UTF-8 (byte 0x{byte:02x}): save the "
                                              "file with UTF-8 encoding").format(
                                                  byte=raw[exc.start]))]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, [Problem(where, 1, tr("no front matter: the file must start with a line "
                                           "'---', then title: and date:, then another '---'"))]
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in {"---", "..."}), None)
    if close is None:
        return None, [Problem(where, 1, tr("front matter is never closed: add a line '---' "
                                           "after it"))]
    head = lines[1:close]
    try:
        data = yaml.load("\n".join(head), Loader=_FrontMatterLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark else 2
        tab = _tab_line(head, mark.line if mark else 0)
        if tab is not None:
            return None, [Problem(where, tab + 2, tr(
                "a tab character in the front matter: YAML indents with spaces only; "
                "replace the tab with spaces"))]
        reason = exc.problem or "invalid YAML"
        return None, [Problem(where, line, tr("invalid YAML in front matter: {reason}").format(
            reason=reason) + _yaml_hint(reason))]
    except yaml.YAMLError as exc:
        return None, [Problem(where, 2, tr("invalid YAML in front matter: {reason}").format(
            reason=exc))]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [Problem(where, 2, tr("front matter must be a mapping of keys to values, "
                                           "such as 'title: ...'"))]
    return FrontMatter(data, tuple(head), "\n".join(lines[close + 1:])), []


def _tab_line(head: list[str], near: int) -> int | None:
    """The index of the line whose tab YAML stumbled on (PyYAML says only "found character
    that cannot start any token"): the line it names, else the first line with a tab
    before it."""
    if near < len(head) and "\t" in head[near]:
        return near
    return next((i for i, text in enumerate(head[:near + 1]) if "\t" in text), None)


def _yaml_hint(reason: str) -> str:
    if "could not determine a constructor" in reason:
        return tr(" (tags like !!python/... are not allowed; write plain values)")
    if "mapping values are not allowed" in reason:
        return tr(" (put values that contain ': ' in double quotes)")
    return ""


def typed_values(data: dict[str, Any], problem: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    def text(key: str, value: object) -> str:
        cleaned, control = sanitize.strip_controls(str(value))
        if control is not None:
            problem(key, f"{key} holds control characters: they are removed", warning=True)
        return cleaned

    for key in STRING_KEYS:
        if key in data:
            if isinstance(data[key], (str, int, float)) and not isinstance(data[key], bool):
                values[key] = text(key, data[key])
            else:
                problem(key, tr("{key} must be text").format(key=key))
    for key in LIST_KEYS:
        if key in data:
            value = data[key]
            if isinstance(value, str) and key != "aliases" and "," in value:
                # `tags: Pangan, Harga` is one YAML string: the writer meant two tags.
                value = [part.strip() for part in value.split(",") if part.strip()]
                problem(key, ntr(
                    "{key} is one text with commas: read as {n} item ({names}); write it as a "
                    "list such as [{names}] to say so",
                    "{key} is one text with commas: read as {n} items ({names}); write it as a "
                    "list such as [{names}] to say so", len(value)).format(
                        key=key, n=len(value), names=", ".join(value)),
                    warning=True, kind=f"{key} with commas")
            value = [value] if isinstance(value, str) else value
            if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
                values[key] = tuple(text(key, v) for v in value)
            else:
                problem(key, tr("{key} must be a list of text, such as [Satu, Dua]").format(
                    key=key))
    for key in BOOL_KEYS:
        if key in data:
            if isinstance(data[key], bool):
                values[key] = data[key]
            else:
                problem(key, tr("{key} must be true or false").format(key=key))
    return values
