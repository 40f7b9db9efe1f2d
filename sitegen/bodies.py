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

The folder is the build cache's `bodies/<output folder's hash>/`, or a folder of
one build's own without the cache. A body is checked against its name whenever it
is read (the build cache may have been changed by someone else): a changed one is
never published, and the build converts its article again.
"""

from __future__ import annotations

import contextlib
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


def folder_for(cache_dir: Path, output: Path) -> Path:
    """The bodies folder of builds into `output`. One per output folder: a build deletes
    the bodies its articles no longer show, and builds into different folders (the
    preview's and the CLI's) run at the same time, each holding its output's lock.
    Named by where the output is from the cache, not by its absolute path: a site copied
    or cloned elsewhere together with its cache finds its bodies again."""
    try:
        where = os.path.relpath(output.resolve(), cache_dir.resolve())
    except ValueError:  # on another drive (Windows): no relative path
        where = str(output.resolve())
    return cache_dir / FOLDER / hashlib.sha256(where.encode()).hexdigest()[:16]


# A body's reference: the first 128 bits of its SHA-256 in hex. Every Article of the
# archive holds one (so the planning process does: 32 characters are 81 bytes, 64 were
# 113), and 128 bits keep two bodies from sharing one out of reach for any archive.
# Hex, not base64: it names a file, and some file systems ignore case.
REF_LENGTH = 32


def reference(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:REF_LENGTH]


def _matches(data: bytes, ref: str) -> bool:
    return reference(data) == ref


def save(folder: Path, html: str) -> str:
    """Store a body; return its reference. An equal body is stored once (a file under
    its name that holds anything else is replaced)."""
    data = html.encode("utf-8")
    ref = reference(data)
    path = _path(folder, ref)
    if intact(folder, ref) is not True:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{ref}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)  # a reader never sees half a body
    return ref


CHANGED = ("its cached body in the build cache was changed after it was stored: dropped "
           "and converted again (if you did not change it, the cache was tampered with)")


class Tampered(ValueError):
    """A stored body does not hash to its name: it was changed after it was stored."""


def load(folder: Path, ref: str) -> str:
    """A stored body, checked against its name: a changed one is never published."""
    data = _path(folder, ref).read_bytes()
    if not _matches(data, ref):
        raise Tampered(f"the cached body {ref[:12]}… was changed after it was stored; "
                       "build again (it is converted again)")
    return data.decode("utf-8")


def intact(folder: Path, ref: str) -> bool | None:
    """Whether the stored body `ref` hashes to its name (None: not stored). A changed one
    is deleted, so that it is converted and stored again. A body missing here but kept
    for another output folder is linked in (a first build into a new folder converts
    nothing the cache has)."""
    # A string, not a Path: every build checks every stored body.
    path = f"{folder}/{ref[:2]}/{ref}.html"
    try:
        data = _read(path)
    except FileNotFoundError:
        if not _borrow(folder, ref):
            return None
        try:
            data = _read(path)
        except OSError:
            return None
    except OSError:
        return None
    if _matches(data, ref):
        return True
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    return False


def _read(path: str) -> bytes:
    with open(path, "rb") as stream:
        return stream.read()


def _borrow(folder: Path, ref: str) -> bool:
    """Link the body `ref` from another output's folder into `folder`, if one has it.
    Only in the build cache's bodies folder: one build's own folder (`--no-cache`) lies in
    the system's temporary folder, whose other folders are none of its business (and
    scanning them for every body cost a 2,000-article build a third of its time)."""
    if folder.parent.name != FOLDER or not folder.parent.is_dir():
        return False
    for other in os.scandir(folder.parent):
        if other.path == str(folder) or not other.is_dir(follow_symlinks=False):
            continue
        try:
            _path(folder, ref).parent.mkdir(parents=True, exist_ok=True)
            os.link(_path(Path(other.path), ref), _path(folder, ref))
            return True
        except FileExistsError:
            return True
        except OSError:
            continue  # not there (or deleted meanwhile by that folder's build)
    return False


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


def stamp(folder: Path, ref: str) -> tuple[int, int, int] | None:
    """The stored body's size, time and inode (None: not stored), so that a process that
    checked it once (`sitegen serve`) need not read it again while they stay the same."""
    try:
        found = os.stat(_path(folder, ref))
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns, found.st_ino


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
