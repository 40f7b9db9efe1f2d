"""Heading ids as the old generator made them, and `:emoji:` codes as it showed them.

In-page links (`#getting-started`) and links from elsewhere point at the
ids the old generator gave headings; sitegen's own ids (Python-Markdown's
`toc`) differ for punctuation, repeated headings and leading digits. When
any heading of a body would get another id, every heading without an
explicit one gets the old id written as an attribute list (`{: #id }`).

- `gfm`: GitHub, kramdown with GFM input (Jekyll's default) and Hugo's
  goldmark (`autoHeadingIDType = "github"`): lowercased, everything but
  letters, digits, `_`, `-` and spaces dropped, each space a hyphen; a
  repeated id gets `-1`, `-2`.
- `kramdown`: kramdown's own input: leading non-letters dropped, then
  only ASCII letters, digits, spaces and hyphens kept.

`:emoji:` codes are replaced by the character when the old site showed
them (Jekyll's jemoji plugin, Hugo's `enableEmoji`), from the GitHub emoji
table that pymdownx ships.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable

from markdown.extensions.toc import slugify_unicode
from pymdownx import gemoji_db

_ATX = re.compile(r"^( {0,3}#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_HAS_ID = re.compile(r"\{:?[^}]*#[\w-]+[^}]*\}\s*$")
_FENCE = re.compile(r"^ *(`{3,}|~{3,})")
_EMOJI = re.compile(r"(?<![\w:/]):([a-z0-9_+-]+):(?![\w/])")


def _plain(text: str) -> str:
    """The heading's text as the reader sees it (links, emphasis and code undone)."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])", r"\1", text)
    text = re.sub(r"(`+)(.+?)\1", r"\2", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"(\*{1,3}|(?<!\w)_{1,3})(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)
    return html.unescape(text).strip()


def gfm_id(text: str) -> str:
    kept = "".join(c for c in text.lower() if c.isalnum() or c in "_- \t"
                   or unicodedata.category(c)[0] in "MN" or unicodedata.category(c) == "Pc")
    return re.sub(r"[ \t]", "-", kept)


def kramdown_id(text: str) -> str:
    value = re.sub(r"^[^a-zA-Z]+", "", text)
    value = re.sub(r"[^a-zA-Z0-9 -]", "", value).replace(" ", "-").lower()
    return value or "section"


SCHEMES: dict[str, Callable[[str], str]] = {"gfm": gfm_id, "kramdown": kramdown_id}


def _headings(lines: list[str]) -> list[tuple[int, str]]:
    """(line index, heading text) of each heading outside fenced code."""
    found: list[tuple[int, str]] = []
    fence = None
    for index, line in enumerate(lines):
        opening = _FENCE.match(line)
        if opening:
            if fence is None:
                fence = opening.group(1)
            elif opening.group(1).startswith(fence):
                fence = None
            continue
        if fence is not None:
            continue
        atx = _ATX.match(line)
        if atx:
            found.append((index, atx.group(2)))
        elif (_SETEXT.match(line) and index and lines[index - 1].strip()
              and not lines[index - 1].startswith((" " * 4, ">", "-", "*", "+"))
              and (index < 2 or not lines[index - 2].strip())):
            found.append((index - 1, lines[index - 1].strip()))
    return found


def heading_ids(text: str, scheme: str, note: Callable[[str], None]) -> str:
    """Each heading keeps the id the old generator gave it."""
    make = SCHEMES[scheme]
    lines = text.split("\n")
    headings = [(i, t) for i, t in _headings(lines) if not _HAS_ID.search(t)]
    theirs: dict[str, int] = {}
    ours: set[str] = set()
    wanted: list[tuple[int, str]] = []
    differ = False
    for index, heading in headings:
        plain = _plain(heading)
        base = make(plain)
        count = theirs.get(base, -1) + 1
        theirs[base] = count
        old = f"{base}-{count}" if count else base
        mine = slugify_unicode(plain, "-")
        number, candidate = 1, mine
        while candidate in ours:
            candidate, number = f"{mine}_{number}", number + 1
        ours.add(candidate)
        differ |= candidate != old
        if old:
            wanted.append((index, old))
    if not differ:
        return text
    for index, old in wanted:
        lines[index] = re.sub(r"(?:[ \t]+#+)?[ \t]*$", "", lines[index]) + " {: #" + old + " }"
    note(f"{len(wanted)} heading ids kept as the old site made them")
    return "\n".join(lines)


def emoji(text: str, note: Callable[[str], None]) -> str:
    """`:smile:` -> 😄 outside code."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        name = f":{match.group(1)}:"
        name = gemoji_db.aliases.get(name, name)
        entry = gemoji_db.emoji.get(name)
        if entry is None:
            return match.group(0)
        count += 1
        return "".join(chr(int(part, 16)) for part in entry["unicode"].split("-"))

    out: list[str] = []
    fence = None
    for line in text.split("\n"):
        opening = _FENCE.match(line)
        if opening:
            fence = None if fence and opening.group(1).startswith(fence) else \
                fence or opening.group(1)
            out.append(line)
            continue
        if fence or line.startswith("    "):
            out.append(line)
            continue
        parts = re.split(r"(`+[^`]*`+)", line)
        out.append("".join(p if p.startswith("`") else _EMOJI.sub(replace, p) for p in parts))
    if count:
        note(f"{count} emoji codes -> emoji")
    return "\n".join(out)
