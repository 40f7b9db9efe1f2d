"""Layer 3.5. Article bodies on disk, and the last steps that make a body a page's HTML.

The process that plans a build holds the archive's metadata, never its text. A
worker that converts an article's Markdown stores the HTML here and returns
the Article with a reference instead of the body: the SHA-256 of the HTML,
which names its file, so the reference changes exactly when the body does and
stands for it in every cache key. Whoever renders a page that shows a body (a
worker again) reads it back and finishes it.

A page's context therefore carries a *recipe* where a body goes: plain data,
hashed into the page's render key like the rest of the context.

    {"ref": "…" or "", "html": the body itself when it is not stored,
     "links": {marked .md link: its page's URL}, "sponsored": the site's origin
     (an advertorial: outgoing links get rel="sponsored"), "feed": None or
     {"before": …, "after": …, "base": the article's permalink}}

The folder is the build cache's `bodies/`, or a folder of one build's own
without the cache.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from sitegen import embeds, newsroom
from sitegen.markup import MARKED_LINK, MD_LINK
from sitegen.sanitize import clean_html

FOLDER = "bodies"
Recipe = dict[str, Any]

# --- storage -------------------------------------------------------------------


def save(folder: Path, html: str) -> str:
    """Store a body; return its reference. An equal body is stored once."""
    data = html.encode("utf-8")
    ref = hashlib.sha256(data).hexdigest()
    path = _path(folder, ref)
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{ref}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)  # a reader never sees half a body
    return ref


def load(folder: Path, ref: str) -> str:
    return _path(folder, ref).read_text(encoding="utf-8")


def stored(folder: Path) -> set[str]:
    """The references of every stored body: one listing instead of a stat per article."""
    found: set[str] = set()
    if folder.is_dir():
        for group in os.scandir(folder):
            if group.is_dir(follow_symlinks=False):
                found.update(entry.name[:-5] for entry in os.scandir(group.path)
                             if entry.name.endswith(".html"))
    return found


def forget_others(folder: Path, refs: Iterable[str]) -> None:
    """Delete the stored bodies that no article refers to any more."""
    wanted = {f"{ref}.html" for ref in refs}
    if not folder.is_dir():
        return
    for group in os.scandir(folder):
        if group.is_dir(follow_symlinks=False):
            for entry in os.scandir(group.path):
                if entry.name not in wanted:
                    os.unlink(entry.path)


def _path(folder: Path, ref: str) -> Path:
    # Two hex digits of fan-out: a folder of 100,000 files is slow to list on some systems.
    return folder / ref[:2] / f"{ref}.html"


# --- finishing -----------------------------------------------------------------

def is_recipe(value: object) -> bool:
    return isinstance(value, dict) and "ref" in value and "html" in value


def finish(recipe: Recipe, folder: Path | None) -> str:
    """The HTML a page shows for a body: links to `.md` files pointing at their pages,
    an advertorial's outgoing links sponsored, and for a feed its notes around the body,
    embeds as plain links, sanitized whatever [markdown] raw_html says, URLs absolute."""
    if recipe["ref"]:
        assert folder is not None, "a stored body needs the bodies folder"
        body = load(folder, recipe["ref"])
    else:
        body = recipe["html"]
    if MD_LINK in body:
        targets = recipe["links"]
        body = MARKED_LINK.sub(lambda m: f'href="{targets.get(m.group(1), m.group(1))}"', body)
    if recipe["sponsored"]:
        body = newsroom.mark_sponsored(body, recipe["sponsored"])
    feed = recipe["feed"]
    if feed is not None:
        body = absolute_html(clean_html(feed["before"] + embeds.as_links(body) + feed["after"]),
                             feed["base"])
    return body


def shown(recipe: object) -> str:
    """The stored body a recipe shows ("" for none)."""
    return recipe["ref"] if is_recipe(recipe) else ""  # type: ignore[index]


_TAG = re.compile(r"<[A-Za-z][^>]*>")
_URL_ATTR = re.compile(r"""(\s(?:href|src|poster)\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""",
                       re.IGNORECASE)
_SRCSET = re.compile(r"""(\ssrcset\s*=\s*)(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
# Characters XML 1.0 forbids; a feed holding one is not well-formed at all.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def absolute_html(body: str, base: str) -> str:
    """Every link and image URL in an HTML fragment made absolute against `base`.

    Only attributes inside tags are touched, never text that merely looks like one.
    """
    def value(match: re.Match[str]) -> str:
        return next(g for g in match.groups()[1:] if g is not None)

    def url_attr(match: re.Match[str]) -> str:
        return f'{match.group(1)}"{_quote(urljoin(base, value(match)))}"'

    def srcset_attr(match: re.Match[str]) -> str:
        candidates = []
        for candidate in value(match).split(","):
            parts = candidate.split()
            if parts:
                candidates.append(" ".join([urljoin(base, parts[0]), *parts[1:]]))
        return f'{match.group(1)}"{_quote(", ".join(candidates))}"'

    def tag(match: re.Match[str]) -> str:
        return _SRCSET.sub(srcset_attr, _URL_ATTR.sub(url_attr, match.group(0)))

    return _NOT_XML.sub("", _TAG.sub(tag, body))


def _quote(value: str) -> str:
    return value.replace('"', "&quot;")
